"""The picker: choosing a console by number, name or id."""

from bed import ALICE, CONSOLE_HOST, DB_UUID, GUESTS
from console import (PROMPT, assert_exit, assert_guest_answers, detach,
                     expect_connected, expect_picker)

ALICE_VMS = ["db01", "web01"]


def test_pick_by_number(bed):
    with bed.ssh_pty("alice") as p:
        expect_picker(p, ALICE_VMS)
        p.sendline("2")
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        expect_picker(p, ALICE_VMS)
        p.sendline("q")
        assert_exit(p, 0)


def test_pick_by_name_and_by_id(bed):
    with bed.ssh_pty("alice") as p:
        expect_picker(p, ALICE_VMS)
        p.sendline("db01")
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        detach(p)
        expect_picker(p, ALICE_VMS)
        p.sendline(DB_UUID)
        expect_connected(p, "db01")
        detach(p)
        expect_picker(p, ALICE_VMS)
        p.sendline("exit")
        assert_exit(p, 0)


def test_invalid_choice_prompts_again(bed):
    hint = "invalid choice: enter a number from 1 to 2, a name, an id, or q"
    with bed.ssh_pty("alice") as p:
        expect_picker(p, ALICE_VMS)
        for bad in ("3", "0", "web", "; /bin/sh"):
            p.sendline(bad)
            p.expect_exact(hint)
            p.expect_exact(PROMPT)
        p.sendline("q")
        assert_exit(p, 0)


def test_picker_comes_back_after_detach_in_line_mode(bed):
    with bed.ssh_pty("alice") as p:
        expect_picker(p, ALICE_VMS)
        p.sendline("1")
        expect_connected(p, "db01")
        detach(p)
        expect_picker(p, ALICE_VMS)
        # The helper left raw mode: the remote pty echoes again.
        p.send("zz")
        p.expect_exact("zz", timeout=30)
        p.sendline("")
        p.expect_exact("invalid choice")
        p.expect_exact(PROMPT)
        p.send("\x04")
        assert_exit(p, 0)


def test_ctrl_d_leaves_picker(bed):
    with bed.ssh_pty("alice") as p:
        expect_picker(p, ALICE_VMS)
        p.send("\x04")
        assert_exit(p, 0)


GONE_UUID = "6d1f0a52-1c2b-4e1e-9a51-0000000000c3"


def _add_missing_vm(bed):
    """Lists for alice a VM the hypervisor does not have."""
    consoles = [{"vmid": GUESTS[vm], "vm": vm, "host": CONSOLE_HOST,
                 "entities": [ALICE[0]]} for vm in ALICE_VMS]
    consoles.append({"vmid": GONE_UUID, "vm": "gone01",
                     "host": CONSOLE_HOST, "entities": [ALICE[0]]})
    bed.manager.set_consoles(consoles)


def test_console_that_cannot_be_opened_shows_message_and_picker(bed):
    _add_missing_vm(bed)
    with bed.ssh_pty("alice") as p:
        p.expect_exact("  2. gone01 [%s] on %s" % (GONE_UUID, CONSOLE_HOST),
                       timeout=60)
        p.expect_exact(PROMPT, timeout=60)
        p.sendline("2")
        p.expect_exact("cannot open the console of gone01: no such VM on %s"
                       % CONSOLE_HOST, timeout=60)
        p.expect_exact("  2. gone01 [%s] on %s" % (GONE_UUID, CONSOLE_HOST),
                       timeout=60)
        p.expect_exact(PROMPT, timeout=60)
        p.sendline("web01")
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        p.expect_exact(PROMPT, timeout=60)
        p.sendline("q")
        assert_exit(p, 0)


def test_console_named_on_command_line_that_cannot_be_opened_exits(bed):
    _add_missing_vm(bed)
    with bed.ssh_pty("alice", "gone01") as p:
        assert_exit(p, 3)
        out = p.pending().decode(errors="replace")
        assert ("cannot open the console of gone01: no such VM on %s"
                % CONSOLE_HOST) in out, out
        assert PROMPT not in out, "the picker appeared: %r" % out
