"""A console held outside this proxy (virsh console, another proxy) is
busy; --force takes it, and a console taken from outside ends here.
(Sessions on this same proxy share a console instead: see
test_shared_console.py.)"""

from bed import PATH, WEB_UUID
from console import (PROMPT, assert_exit, assert_guest_answers, detach,
                     expect_connected, expect_picker)
from expect import PtySession

BUSY = ("console of web01 is busy: another session holds it; "
        'type "web01 --force" to take it over')
TAKEN = "console closed: another session took over the console"
ALICE_VMS = ["db01", "web01"]


def _virsh_console(bed, vm, force=False):
    """virsh console of vm as the libvirt user, on a pty of its own."""
    argv = ["virsh", "-c", "qemu:///session", "console"]
    argv += ["--force"] if force else []
    env = dict(bed.user_env(), TERM="xterm", PATH=PATH)
    p = PtySession(bed.as_user(argv + [vm]), env=env)
    p.expect_exact("Connected to domain", timeout=60)
    return p


def test_busy_console_is_refused_without_force(bed):
    with _virsh_console(bed, "web01") as outside:
        with bed.ssh_pty("alice", "web01") as second:
            assert_exit(second, 4)
            out = second.pending().decode(errors="replace")
            assert BUSY in out, "second session said %r" % out
        assert outside.poll() is None, "the holder outside was disturbed"


def test_force_takes_over_the_console(bed):
    with _virsh_console(bed, "web01"):
        with bed.ssh_pty("alice", "web01 --force") as second:
            expect_connected(second, "web01")
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)


def test_force_after_vm_id_takes_over_the_console(bed):
    with _virsh_console(bed, "web01"):
        with bed.ssh_pty("alice", "connect --vm-id=%s --force" % WEB_UUID) \
                as second:
            expect_connected(second, "web01")
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)


def test_busy_console_chosen_in_picker_shows_message_and_picker(bed):
    with _virsh_console(bed, "web01"):
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


def test_force_typed_in_picker_takes_over_busy_console(bed):
    with _virsh_console(bed, "web01"):
        with bed.ssh_pty("alice") as second:
            expect_picker(second, ALICE_VMS)
            second.sendline("web01")
            second.expect_exact(BUSY, timeout=60)
            expect_picker(second, ALICE_VMS)
            # As the message says: --force after the choice, at the
            # prompt this time.
            second.sendline("2 --force")
            expect_connected(second, "web01")
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
        with bed.ssh_pty("alice", "web01 --watch") as watcher:
            expect_connected(watcher, "web01")
            with _virsh_console(bed, "web01", force=True):
                first.expect_exact(TAKEN, timeout=60)
                expect_picker(first, ALICE_VMS)
                # every session of the console ends with it
                watcher.expect_exact(TAKEN, timeout=60)
                assert_exit(watcher, 7)
        first.sendline("q")
        assert_exit(first, 0)
