"""Logging in: which keys get in, and which identity they are bound to."""

import subprocess

from bed import ALICE, BOB, DB_UUID, WEB_UUID, CONSOLE_HOST
from checks import (assert_login_ok, assert_nothing_printed, assert_refused,
                    authkeys_binding, list_vms)


def test_known_key_logs_in_bound_to_its_entity(bed):
    offset = bed.sshd_log_size()
    out = assert_login_ok(bed, "alice", "list")
    assert list_vms(out) == {(WEB_UUID, "web01", CONSOLE_HOST),
                             (DB_UUID, "db01", CONSOLE_HOST)}, \
        "alice's list is %r" % out
    log = bed.sshd_log_since(offset)
    assert "Accepted publickey for vmctest" in log and \
        bed.keys["alice"].fingerprint in log, \
        "sshd did not log the accepted key: %r" % log[-500:]
    assert authkeys_binding(bed, "alice") == [ALICE]


def test_unknown_key_is_refused(bed):
    assert_refused(bed, "stranger")
    assert_nothing_printed(bed, "stranger")


def test_key_of_another_entity_binds_that_entity(bed):
    out = assert_login_ok(bed, "bob", "list")
    assert list_vms(out) == {(DB_UUID, "db01", CONSOLE_HOST)}, \
        "bob's list is %r" % out
    assert authkeys_binding(bed, "bob") == [BOB]


def test_one_key_of_two_entities_gets_one_line_each(bed):
    bed.manager.set_keys([bed.key_entry("alice", ALICE),
                          bed.key_entry("alice", BOB)])
    assert sorted(authkeys_binding(bed, "alice")) == sorted([ALICE, BOB])


def test_other_login_names_get_no_keys(bed):
    rc, lines = bed.authkeys_lines("alice", user="root")
    assert rc == 0 and lines == [], \
        "authkeys for user root: exit %d, %r" % (rc, lines)
    argv = bed.ssh_argv("alice", "list")
    argv[argv.index("-l") + 1] = "root"
    res = subprocess.run(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    assert res.returncode == 255 and b"Permission denied" in res.stderr, \
        "login as root: exit %d, %r" % (res.returncode, res.stderr[-300:])


def test_typed_command_is_not_run(bed):
    rc, out, err = bed.ssh("alice", "id; echo INJECTED")
    assert "uid=" not in out + err, "a shell ran the typed command: %r" % out
    assert "INJECTED\n" not in out, "a shell ran the typed command: %r" % out
    assert rc == 2, "expected the usage error exit 2, got %d (%r)" % (
        rc, err.strip())
