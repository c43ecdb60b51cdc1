"""Logging in with short-lived ssh user certificates signed by the CA the
bed trusts (TrustedUserCAKeys, RevokedKeys in sshd_config.d/), and what no
credential may ever do: run anything but the console helper.
"""

import os
import signal
import socket
import time

from bed import ALICE, BOB, CONSOLE_HOST, DB_UUID, USER, WEB_UUID, _run
from checks import assert_login_ok, assert_refused, list_vms
from console import assert_exit, detach, expect_connected

_serial = [1000]


class CertKey:
    """A fresh key pair with a certificate beside it (key-cert.pub), which
    ssh -i key offers by itself."""

    def __init__(self, bed, name, principals, key_id="alice",
                 validity="+5m", ca=None):
        d = os.path.join(bed.run_dir, "certs")
        os.makedirs(d, mode=0o700, exist_ok=True)
        self.path = os.path.join(d, name)
        for f in (self.path, self.path + ".pub", self.path + "-cert.pub"):
            if os.path.exists(f):
                os.unlink(f)
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
              name + "@e2e", "-f", self.path])
        _serial[0] += 1
        self.serial = _serial[0]
        _run(["ssh-keygen", "-q", "-s", ca or bed.user_ca, "-I", key_id,
              "-n", ",".join(principals), "-V", validity,
              "-z", str(self.serial), self.path + ".pub"])


def _marker(bed):
    path = os.path.join(bed.home, "ran-something")
    if os.path.exists(path):
        os.unlink(path)
    return path


def _assert_ran_nothing(bed, marker, out, err):
    assert not os.path.exists(marker), \
        "a command ran on the proxy: %s exists" % marker
    assert "uid=" not in out + err, "id ran on the proxy: %r" % out


def test_certificate_logs_in_bound_to_its_principal(bed):
    alice = CertKey(bed, "alice-cert", [ALICE[0]], key_id=ALICE[1])
    out = assert_login_ok(bed, alice, "list")
    assert list_vms(out) == {(WEB_UUID, "web01", CONSOLE_HOST),
                             (DB_UUID, "db01", CONSOLE_HOST)}, \
        "list with alice's certificate: %r" % out
    bob = CertKey(bed, "bob-cert", [BOB[0]], key_id=BOB[1])
    out = assert_login_ok(bed, bob, "list")
    assert list_vms(out) == {(DB_UUID, "db01", CONSOLE_HOST)}, \
        "list with bob's certificate: %r" % out


def test_certificate_opens_a_console(bed):
    alice = CertKey(bed, "alice-cert", [ALICE[0]], key_id=ALICE[1])
    with bed.ssh_pty(alice, "web01") as p:
        expect_connected(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_certificate_session_is_audited_with_serial_and_key_id(bed):
    sink = bed.need_syslog()
    cert = CertKey(bed, "audited-cert", [ALICE[0]], key_id="Alice Smith")
    mark = sink.mark()
    with bed.ssh_pty(cert, "web01") as p:
        expect_connected(p, "web01")
        detach(p)
        assert_exit(p, 0)
    want = ('console opened: entity="%s" entity_name="%s" vm="web01" '
            'vmid="%s" host="%s" from="127.0.0.1" cert_serial="%d" '
            'cert_key_id="Alice%%20Smith" mode="write"' % (
                ALICE[0], ALICE[0], WEB_UUID, CONSOLE_HOST, cert.serial))
    msg = sink.wait_for(lambda m: m.ident == "vmconsole-console-helper" and
                        m.text.startswith("console opened:"), mark)
    assert msg is not None and msg.text == want, \
        "audit line %r, expected %r" % (msg and msg.text, want)


def test_certificate_for_the_login_user_runs_nothing(bed):
    # With sshd's defaults this certificate is a shell on the proxy.
    cert = CertKey(bed, "login-user-cert", [USER], key_id="admin")
    marker = _marker(bed)
    # the helper answers, bound to an entity of that name: "id" is no
    # VM of its, the others no command of its grammar
    for command, rc_want, answer in (
            ("id", 1, "no such VM or access denied"),
            ("touch %s" % marker, 2, "usage: "),
            ("id; touch %s" % marker, 2, "usage: ")):
        rc, out, err = bed.ssh(cert, command)
        _assert_ran_nothing(bed, marker, out, err)
        assert rc == rc_want and err.startswith(answer), \
            "%r: exit %d, %r; expected the helper's %r" % (
                command, rc, err.strip(), answer)
    rc, out, err = bed.ssh(cert)
    _assert_ran_nothing(bed, marker, out, err)
    assert rc == 1 and out == "", \
        "no command: exit %d, out %r, err %r" % (rc, out, err)


def test_certificate_with_hostile_principals_is_refused(bed):
    marker = _marker(bed)
    for principals in (['u-42",command="/bin/sh'], ["u 42"], ["u'42"],
                       ["u-42;id"], ["$(id)"], ["u-42\\"], ["u-\u00e9"]):
        cert = CertKey(bed, "hostile-cert", principals)
        for command in ("id", "touch %s" % marker):
            rc, out, err = bed.ssh(cert, command)
            _assert_ran_nothing(bed, marker, out, err)
            assert rc == 255 and "Permission denied" in err, \
                "principal %r: exit %d %r" % (principals, rc, err.strip())


def test_hostile_principal_beside_a_valid_one_binds_only_the_valid(bed):
    cert = CertKey(bed, "mixed-cert", ['x",command="id', BOB[0]],
                   key_id='a" b')
    out = assert_login_ok(bed, cert, "list")
    assert list_vms(out) == {(DB_UUID, "db01", CONSOLE_HOST)}, out


def test_expired_certificate_is_refused(bed):
    assert_refused(bed, CertKey(bed, "expired", [ALICE[0]],
                                validity="-20m:-10m"))


def test_not_yet_valid_certificate_is_refused(bed):
    assert_refused(bed, CertKey(bed, "future", [ALICE[0]],
                                validity="+1h:+2h"))


def test_certificate_of_another_ca_is_refused(bed):
    other = os.path.join(bed.run_dir, "certs", "other-ca")
    if not os.path.exists(other):
        os.makedirs(os.path.dirname(other), mode=0o700, exist_ok=True)
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other])
    assert_refused(bed, CertKey(bed, "other-ca-cert", [ALICE[0]], ca=other))


def test_revoked_certificate_is_refused(bed):
    cert = CertKey(bed, "revoked-cert", [ALICE[0]])
    other = CertKey(bed, "kept-cert", [ALICE[0]])
    assert_login_ok(bed, cert)
    try:
        bed.write_krl([cert.serial])
        assert_refused(bed, cert)
        assert_login_ok(bed, other)
    finally:
        bed.write_krl([])


def test_certificate_logs_in_with_the_manager_down_and_no_cache(bed):
    cert = CertKey(bed, "alice-cert", [ALICE[0]], key_id=ALICE[1])
    bed.manager.stop()
    bed.clear_cache()
    # sshd decided alone; the helper answers what needs no manager
    rc, out, err = bed.ssh(cert, "version")
    assert rc == 0 and "0." in out, \
        "version with a certificate: exit %d %r %r" % (rc, out, err)
    # a plain key cannot log in now: nobody can say whose it is
    assert_refused(bed, "alice")


def test_plain_keys_work_beside_certificates(bed):
    out = assert_login_ok(bed, "alice", "list")
    assert (WEB_UUID, "web01", CONSOLE_HOST) in list_vms(out), out
    cert = CertKey(bed, "bob-cert", [BOB[0]], key_id=BOB[1])
    assert_login_ok(bed, cert, "list")
    assert_refused(bed, "stranger")


def test_cert_check_manager_refuses_an_unknown_principal(bed):
    bed.configure("http", cert_check_manager="yes")
    assert_login_ok(bed, CertKey(bed, "known", [ALICE[0]]), "list")
    assert_refused(bed, CertKey(bed, "unknown", ["u-999"]))
    bed.manager.stop()
    bed.clear_cache()
    assert_refused(bed, CertKey(bed, "known-down", [ALICE[0]]))


def _reload_sshd(bed):
    os.kill(bed.sshd.pid, signal.SIGHUP)
    deadline = time.monotonic() + 30
    time.sleep(0.5)
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", bed.port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("sshd did not come back after SIGHUP")


def test_sessions_without_the_helper_are_refused_by_the_login_shell(bed):
    """A drop-in that lets credentials in without our forced command (a
    principals file, an authorized_keys file) still gets no shell."""
    d = os.path.join(bed.run_dir, "certs")
    os.makedirs(d, mode=0o755, exist_ok=True)
    os.chmod(d, 0o755)
    principals = os.path.join(d, "principals")
    keys = os.path.join(d, "authorized_keys")
    with open(principals, "w") as f:
        f.write(USER + "\n")
    with open(keys, "w") as f:
        f.write(bed.keys["stranger"].public + "\n")
    for p in (principals, keys):
        os.chmod(p, 0o644)
    dropin = os.path.join(bed.etc, "sshd_config.d", "40-careless.conf")
    with open(dropin, "w") as f:
        f.write("AuthorizedPrincipalsFile %s\nAuthorizedKeysFile %s\n"
                % (principals, keys))
    marker = _marker(bed)
    try:
        _reload_sshd(bed)
        cert = CertKey(bed, "careless-cert", [USER])
        for cred in (cert, "stranger"):
            for command in ("id", "touch %s" % marker):
                rc, out, err = bed.ssh(cred, command)
                _assert_ran_nothing(bed, marker, out, err)
                assert rc == 1 and "only opens consoles" in err, \
                    "%r: exit %d, %r" % (command, rc, err.strip())
            rc, out, err = bed.ssh(cred)
            _assert_ran_nothing(bed, marker, out, err)
            assert rc == 1, "no command: exit %d %r" % (rc, err)
        # an interactive login on a pty is refused the same way
        with bed.ssh_pty("stranger") as p:
            assert_exit(p, 1)
            assert b"only opens consoles" in p.pending(), p.pending()
    finally:
        os.unlink(dropin)
        _reload_sshd(bed)
    assert_login_ok(bed, "alice")
    assert_refused(bed, "stranger")


def test_authkeys_principals_lines_are_safe(bed):
    cert = CertKey(bed, "lines-cert", [ALICE[0], 'x" y', USER],
                   key_id="Alice Smith")
    with open(cert.path + "-cert.pub") as f:
        certtype, blob = f.read().split()[:2]
    res = bed.run_as_user([bed.authkeys, "--principals", "-c", bed.conf,
                           "--", USER, certtype, blob, "Alice Smith",
                           str(cert.serial)], check=False)
    lines = res.stdout.decode().splitlines()
    want = ['restrict,pty,command="%s -c %s --entity-id=%s --entity=%s '
            '--cert-serial=%d --cert-key-id=Alice%%20Smith" %s'
            % (bed.helper, bed.conf, p, p, cert.serial, p)
            for p in (ALICE[0], USER)]
    assert res.returncode == 0 and lines == want, \
        "exit %d, lines %r" % (res.returncode, lines)
    # sshd's key id and serial must be the certificate's own
    res = bed.run_as_user([bed.authkeys, "--principals", "-c", bed.conf,
                           "--", USER, certtype, blob, "Alice Smith",
                           str(cert.serial + 1)], check=False)
    assert res.returncode == 1 and res.stdout == b"", \
        "serial mismatch: exit %d %r" % (res.returncode, res.stdout)
    # another login name gets nothing
    res = bed.run_as_user([bed.authkeys, "--principals", "-c", bed.conf,
                           "--", "root", certtype, blob, "Alice Smith",
                           str(cert.serial)], check=False)
    assert res.returncode == 0 and res.stdout == b"", res.stdout
