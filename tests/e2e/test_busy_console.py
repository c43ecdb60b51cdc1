"""Two sessions want the same console."""

from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)

BUSY = ("console of web01 is busy: another session holds it; "
        "use --force to take it over")
TAKEN = "console closed: another session took over the console"


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


def test_force_takes_over_the_console(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        assert_guest_answers(first, "web01")
        with bed.ssh_pty("alice", "--force web01") as second:
            expect_connected(second, "web01")
            first.expect_exact(TAKEN, timeout=60)
            assert_exit(first, 7)
            assert_guest_answers(second, "web01")
            detach(second)
            assert_exit(second, 0)
