"""Connecting to a console by name or id and talking to the guest."""

import termios

from bed import ALICE, BOB, CONSOLE_HOST, PATH, WEB_UUID, DB_UUID
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)
from expect import PtySession

DENIED = "no such VM or access denied"


def test_connect_by_name_reaches_guest_shell(bed):
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_connect_by_id_reaches_guest_shell(bed):
    with bed.ssh_pty("alice", DB_UUID) as p:
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        detach(p)
        assert_exit(p, 0)


def test_connect_with_vm_id_and_vm_name_options(bed):
    for command, vm in (("connect --vm-id=" + WEB_UUID, "web01"),
                        ("connect --vm-name=db01", "db01")):
        with bed.ssh_pty("alice", command) as p:
            expect_connected(p, vm)
            assert_guest_answers(p, vm)
            detach(p)
            assert_exit(p, 0)


def test_connect_with_double_dash(bed):
    # Some users end ssh's options with "--" and write the option first;
    # ssh passes what follows as the command, so both orders work.
    argv = bed.ssh_argv("alice", tty=True) + ["--", "--force", "db01"]
    with PtySession(argv, env={"PATH": PATH, "HOME": "/root",
                               "TERM": "xterm", "LANG": "C.UTF-8"}) as p:
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        detach(p)
        assert_exit(p, 0)


def test_escape_detaches_and_restores_the_terminal(bed):
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        raw = p.termios()
        assert not raw[3] & termios.ICANON, "ssh -t did not go raw"
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)
        assert p.termios() == p.initial_termios, \
            "terminal not restored after detaching"
    assert not bed.helper_pids(), "a helper is left after detaching"


def test_other_entitys_vm_is_denied_like_a_missing_one(bed):
    messages = []
    for target in ("web01", WEB_UUID, "no-such-vm"):
        with bed.ssh_pty("bob", target) as p:
            assert_exit(p, 1)
            out = p.pending().decode(errors="replace")
            lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
            assert lines == [DENIED], "bob asking for %s got %r" % (target,
                                                                   out)
            messages.append(lines)
    assert messages[0] == messages[1] == messages[2]


def test_single_console_connects_without_picker(bed):
    with bed.ssh_pty("bob") as p:
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        detach(p)
        assert_exit(p, 0)


def test_no_consoles_available(bed):
    bed.manager.set_keys([bed.key_entry("carol", ("u-99", "carol")),
                          bed.key_entry("alice", ALICE),
                          bed.key_entry("bob", BOB)])
    with bed.ssh_pty("carol") as p:
        assert_exit(p, 1)
        assert b"no consoles available" in p.pending(), p.pending()


def test_no_pty_gives_the_clear_error(bed):
    rc, out, err = bed.ssh("alice", "web01")
    assert rc == 2, "exit %d, expected 2 (%r)" % (rc, err)
    assert err.strip() == "a terminal is required: use ssh -t", \
        "stderr %r" % err


def test_bad_command_gives_usage_error(bed):
    rc, out, err = bed.ssh("alice", "connect --vm-id")
    assert rc == 2 and err.startswith("usage: "), "exit %d, %r" % (rc, err)
    assert len(err.strip().splitlines()) == 1, "usage is not one line: %r" \
        % err


def _web01_on_device(bed, device):
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
         "console": device, "entities": [ALICE[0]]},
    ])


def test_console_device_named_by_manager_is_opened(bed):
    # libvirt names the guest's first serial port "serial0".
    _web01_on_device(bed, "serial0")
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_missing_console_device_is_reported(bed):
    _web01_on_device(bed, "serial7")
    with bed.ssh_pty("alice", "web01") as p:
        p.expect_exact("cannot connect to %s: " % CONSOLE_HOST, timeout=60)
        p.expect_exact("serial7", timeout=60)
        assert_exit(p, 3)
