"""Two sessions want the same console."""

from bed import WEB_UUID
from console import (PROMPT, assert_exit, assert_guest_answers, detach,
                     expect_connected, expect_picker)

BUSY = ("console of web01 is busy: another session holds it; "
        'type "web01 --force" to take it over')
TAKEN = "console closed: another session took over the console"
ALICE_VMS = ["db01", "web01"]


def test_busy_console_is_refused_without_force(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice", "web01") as second:
            assert_exit(second, 4)
            out = second.pending().decode(errors="replace")
            assert BUSY in out, "second session said %r" % out
        # The first session is undisturbed.
        assert_guest_answers(first, "web01")
        detach(first)
        assert_exit(first, 0)


def test_force_typed_after_the_vm_takes_over_the_console(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        assert_guest_answers(first, "web01")
        # as the busy message says, after the host name
        with bed.ssh_pty("alice", "web01 --force") as second:
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            assert_exit(first, 7)
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)


def test_busy_console_chosen_in_picker_shows_message_and_picker(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice") as second:
            expect_picker(second, ALICE_VMS)
            second.sendline("web01")
            second.expect_exact(BUSY, timeout=60)
            expect_picker(second, ALICE_VMS)
            # The user is still there and may choose another console.
            second.sendline("db01")
            expect_connected(second, "db01")
            assert_guest_answers(second, "db01")
            detach(second)
            second.expect_exact(PROMPT, timeout=60)
            second.sendline("q")
            assert_exit(second, 0)
        assert_guest_answers(first, "web01")
        detach(first)
        assert_exit(first, 0)


def test_force_typed_in_picker_takes_over_busy_console(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice") as second:
            expect_picker(second, ALICE_VMS)
            second.sendline("web01")
            second.expect_exact(BUSY, timeout=60)
            expect_picker(second, ALICE_VMS)
            # As the message says, at the prompt this time.
            second.sendline("web01 --force")
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            assert_exit(first, 7)
            assert_guest_answers(second, "web01")
            detach(second)
            second.expect_exact(PROMPT, timeout=60)
            second.sendline("q")
            assert_exit(second, 0)


def test_taken_over_console_chosen_in_picker_returns_to_picker(bed):
    with bed.ssh_pty("alice") as first:
        expect_picker(first, ALICE_VMS)
        first.sendline("web01")
        expect_connected(first, "web01")
        assert_guest_answers(first, "web01")
        with bed.ssh_pty("alice", "connect --vm-name=web01 --force") \
                as second:
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            expect_picker(first, ALICE_VMS)
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)
        first.sendline("q")
        assert_exit(first, 0)


def test_force_typed_at_the_picker_before_the_number(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice") as second:
            expect_picker(second, ALICE_VMS)
            second.sendline("--force 2")
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            assert_exit(first, 7)
            detach(second)
            second.expect_exact(PROMPT, timeout=60)
            second.sendline("q")
            assert_exit(second, 0)


def test_force_after_vm_id_takes_over_the_console(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice", "connect --vm-id=%s --force" % WEB_UUID) \
                as second:
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            assert_exit(first, 7)
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)
