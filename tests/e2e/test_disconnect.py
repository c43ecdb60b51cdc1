"""The ssh client goes away without saying goodbye."""

import signal
import time

from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)


def _wait_no_helpers(bed, timeout=30):
    deadline = time.monotonic() + timeout
    while bed.helper_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    left = bed.helper_pids()
    assert not left, "helper processes left behind: %r" % left


def test_killed_client_leaves_nothing_and_console_reopens(bed):
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        assert bed.helper_pids(), "no helper process while connected"
        p.kill(signal.SIGKILL)
        p.wait(30)
    _wait_no_helpers(bed)
    # No --force needed: the console was released.
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_closed_terminal_leaves_nothing(bed):
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        # Hanging up the client's terminal: ssh exits, sshd closes.
        p.kill(signal.SIGHUP)
        p.wait(30)
    _wait_no_helpers(bed)
