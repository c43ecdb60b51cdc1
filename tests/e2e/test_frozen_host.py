"""A host that stops answering mid-session (its libvirt daemon frozen with
SIGSTOP, as a cut link looks from here): the user's escape character and
signals still act at once, typing never freezes the session, and a host
that does not answer a new connection is given up on in time."""

import contextlib
import os
import select
import signal
import time

from bed import CONSOLE_HOST, GUESTS
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)

# Far longer than any wait below: the session must not need keepalive to
# end.
SLOW_KEEPALIVE = {"libvirt_keepalive_interval": "20",
                  "libvirt_keepalive_count": "5"}


def _libvirtd_pid(bed):
    pid = bed.libvirtd.pid
    assert bed.libvirtd.poll() is None, "libvirtd is not running"
    return pid


def _thaw(bed, pid):
    os.kill(pid, signal.SIGCONT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if all(bed.guest_running(n) for n in GUESTS):
                return
        except Exception:
            pass
        time.sleep(0.5)
    bed.restart_libvirtd()


def _assert_console_works(bed, vm):
    with bed.ssh_pty("alice", vm) as p:
        expect_connected(p, vm)
        assert_guest_answers(p, vm)
        detach(p)
        assert_exit(p, 0)


@contextlib.contextmanager
def _frozen_host_session(bed):
    """Yields alice's session on web01, and its helper's pid, once the
    host under it stops answering; thaws the host afterwards and checks
    it released the console (a new session works)."""
    bed.configure("http", **SLOW_KEEPALIVE)
    pid = None
    try:
        with bed.ssh_pty("alice", "web01") as p:
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            helpers = bed.helper_pids()
            assert len(helpers) == 1, "helper processes: %r" % helpers
            pid = _libvirtd_pid(bed)
            os.kill(pid, signal.SIGSTOP)
            time.sleep(1)
            yield p, helpers[0]
    finally:
        if pid is not None:
            _thaw(bed, pid)
    _assert_console_works(bed, "web01")


def test_escape_leaves_a_frozen_host_at_once(bed):
    with _frozen_host_session(bed) as (p, _):
        p.send("echo typed into the void\r")
        detach(p)
        assert_exit(p, 0, timeout=20)
        assert p.termios() == p.initial_termios, "terminal not restored"


def test_sigterm_acts_at_once_on_a_frozen_host(bed):
    with _frozen_host_session(bed) as (p, helper):
        os.kill(helper, signal.SIGTERM)
        p.expect_exact("console closed: terminated", timeout=20)
        assert_exit(p, 9, timeout=20)


def _paste(p, total, patience=5.0):
    """Types up to total bytes of lines, as fast as the terminal takes
    them; stops when it takes nothing for patience seconds (the session
    applies backpressure). Returns the bytes typed."""
    line = b"x" * 1023 + b"\r"
    typed = 0
    idle_since = time.monotonic()
    while typed < total and time.monotonic() - idle_since < patience:
        _, ready, _ = select.select([], [p.master], [], 0.2)
        if not ready:
            continue
        typed += os.write(p.master, line)
        idle_since = time.monotonic()
    return typed


def test_large_paste_into_a_frozen_host_leaves_signals_working(bed):
    with _frozen_host_session(bed) as (p, helper):
        # More than the socket to the host holds unanswered.
        assert _paste(p, 4 << 20) > 0
        os.kill(helper, signal.SIGTERM)
        p.expect_exact("console closed: terminated", timeout=20)
        assert_exit(p, 9, timeout=20)
        assert p.termios() == p.initial_termios, "terminal not restored"


def test_silent_host_is_given_up_on_within_the_connect_timeout(bed):
    bed.configure("http", libvirt_connect_timeout="2")
    pid = _libvirtd_pid(bed)
    os.kill(pid, signal.SIGSTOP)
    try:
        with bed.ssh_pty("alice", "web01") as p:
            assert_exit(p, 3, timeout=30)
            out = p.pending().decode(errors="replace")
            assert ("cannot connect to %s: no answer from %s within 2 s"
                    % (CONSOLE_HOST, CONSOLE_HOST)) in out, out
            assert "Connected to" not in out, out
    finally:
        _thaw(bed, pid)
    _assert_console_works(bed, "web01")
