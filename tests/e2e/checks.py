"""Assertions shared by the end-to-end tests."""

import re



# What a safe authorized_keys line from vmconsole-authkeys looks like: the
# fixed options, the forced helper with two validated identifiers, optional
# expiry-time and from, then exactly the offered key.
_LINE = re.compile(
    r'restrict,pty,command="(?P<helper>/[^"\s]+) -c (?P<conf>/[^"\s]+) '
    r'--entity-id=(?P<id>[A-Za-z0-9._@+-]{1,128}) '
    r'--entity=(?P<name>[A-Za-z0-9._@+-]{1,128})"'
    r'(,expiry-time="(?P<expiry>[0-9]{8}([0-9]{4}([0-9]{2})?)?Z?)")?'
    r'(,from="(?P<from>[0-9A-Za-z.:/*?!,_-]+)")?'
    r' (?P<type>[a-z0-9@.-]+) (?P<blob>[A-Za-z0-9+/]+={0,2})\n\Z')


def assert_safe_lines(bed, lines, key):
    """Every line is a well-formed forced-command line for key and nothing
    else; returns the list of match objects."""
    matches = []
    for line in lines:
        m = _LINE.match(line)
        assert m, "unexpected authorized_keys line %r" % line
        assert m.group("helper") == bed.helper, \
            "forced command is %r, not the installed helper" % m.group(
                "helper")
        assert m.group("conf") == bed.conf, "wrong -c %r" % m.group("conf")
        assert (m.group("type"), m.group("blob")) == (key.keytype, key.blob),\
            "line for another key than the one offered: %r" % line
        matches.append(m)
    return matches


def authkeys_binding(bed, keyname):
    """Returns the (entity id, entity) pairs vmconsole-authkeys binds to
    keyname's key, checking every line it prints is safe."""
    rc, lines = bed.authkeys_lines(keyname)
    assert rc == 0, "vmconsole-authkeys exited %d for a known key" % rc
    return [(m.group("id"), m.group("name"))
            for m in assert_safe_lines(bed, lines, bed.keys[keyname])]


def assert_login_ok(bed, keyname, *command):
    """Logs in with `list` (or command) and returns its stdout."""
    command = command or ("list",)
    rc, out, err = bed.ssh(keyname, *command)
    assert rc == 0, "login with %s's key failed (exit %d): %s" % (
        keyname, rc, err.strip()[-300:])
    return out


def assert_refused(bed, keyname, *command):
    """The login with keyname's key is refused by sshd."""
    command = command or ("list",)
    rc, out, err = bed.ssh(keyname, *command)
    assert rc == 255 and "Permission denied" in err, \
        "login with %s's key was not refused (exit %d, out %r, err %r)" % (
            keyname, rc, out[-200:], err.strip()[-300:])
    assert out == "", "output from a refused login: %r" % out[-200:]


def assert_nothing_printed(bed, keyname):
    """vmconsole-authkeys prints no line at all for keyname's key."""
    rc, lines = bed.authkeys_lines(keyname)
    assert lines == [], "vmconsole-authkeys printed %r (exit %d)" % (
        lines, rc)


def list_vms(output):
    """Returns the set of (vmid, vm, host) of plain `list` output."""
    rows = set()
    for line in output.splitlines():
        fields = line.split("\t")
        assert len(fields) == 3, "list line is not vmid<TAB>vm<TAB>host: %r" \
            % line
        rows.add(tuple(fields))
    return rows
