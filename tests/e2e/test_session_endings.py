"""How an open console session ends when something other than the user ends
it (the guest, the libvirt daemon, a signal), and that the bytes of a
session arrive complete and in order both ways while one side is slow."""

import hashlib
import os
import signal
import time

from bed import CONSOLE_HOST, GUESTS
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected, strip_cr)

LOST = "console closed: lost the connection to %s" % CONSOLE_HOST

# Printable, and none of them special to the guest's tty, to ssh (~ after a
# newline) or to the console helper (^]).
PASTE_CHARS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
               "0123456789 !\"#$%&'()*+,-./:;<=>?@[]^_`{|}\\")


def _wait_until(predicate, timeout, interval=0.5):
    """Returns True once predicate() holds, False after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _libvirtd_pid(bed):
    pid = bed.libvirtd.pid
    assert bed.libvirtd.poll() is None, "libvirtd is not running"
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        argv0 = f.read().split(b"\0")[0]
    assert argv0.endswith(b"libvirtd"), "pid %d is %r" % (pid, argv0)
    return pid


def _guests_listed_running(bed):
    try:
        return all(bed.guest_running(name) for name in GUESTS)
    except Exception:  # a daemon that does not answer (virsh timed out)
        return False


def _assert_consoles_work(bed):
    """Both guests' consoles open and answer: later tests may rely on
    them."""
    for vm in GUESTS:
        with bed.ssh_pty("alice", vm) as p:
            expect_connected(p, vm)
            assert_guest_answers(p, vm)
            detach(p)
            assert_exit(p, 0)


def test_guest_poweroff_ends_the_session(bed):
    try:
        with bed.ssh_pty("alice", "db01") as p:
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            p.send("poweroff -f\r")
            p.expect_exact("console closed: db01 shut down", timeout=120)
            assert_exit(p, 5)
    finally:
        bed.start_guest("db01")


def test_killed_libvirt_daemon_ends_the_session(bed):
    try:
        with bed.ssh_pty("alice", "web01") as p:
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            os.kill(_libvirtd_pid(bed), signal.SIGKILL)
            p.expect_exact(LOST, timeout=60)
            assert_exit(p, 6)
    finally:
        bed.restart_libvirtd()
    # The guests outlived the daemon and the new one took them back.
    _assert_consoles_work(bed)


def test_frozen_libvirt_daemon_is_noticed_by_keepalive(bed):
    # Noticed after interval * (count + 1) seconds; no timing is asserted,
    # the short settings only keep the test short.
    bed.configure("http", libvirt_keepalive_interval="1",
                  libvirt_keepalive_count="2")
    pid = None
    try:
        with bed.ssh_pty("alice", "web01") as p:
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            pid = _libvirtd_pid(bed)
            os.kill(pid, signal.SIGSTOP)
            p.expect_exact(LOST, timeout=60)
            assert_exit(p, 6)
    finally:
        if pid is not None:
            os.kill(pid, signal.SIGCONT)
            if not _wait_until(lambda: _guests_listed_running(bed), 60):
                bed.restart_libvirtd()
    _assert_consoles_work(bed)


def test_sigterm_ends_the_session(bed):
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        pids = bed.helper_pids()
        assert len(pids) == 1, "helper processes: %r" % pids
        os.kill(pids[0], signal.SIGTERM)
        p.expect_exact("console closed: terminated", timeout=60)
        assert_exit(p, 9)
    # The console was released: no --force needed.
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_output_is_complete_and_in_order_while_reader_pauses(bed):
    count = 30000
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        # The quotes keep the echoed command line from matching the marks.
        p.send("echo BEG''IN; seq 1 %d; echo EN''D\r" % count)
        # Nobody reads the terminal for a while: what the guest prints
        # meanwhile piles up on the way and must come out whole later.
        time.sleep(10)
        p.expect_exact("BEGIN\r\n", timeout=120)
        start = p.pos
        end = p.expect_exact("END\r\n", timeout=240).start()
        got = strip_cr(p.buffer[start:end]).split(b"\n")
        assert got[-1] == b"", "output does not end in a newline: %r" % (
            got[-3:],)
        got = got[:-1]
        want = [b"%d" % i for i in range(1, count + 1)]
        if got != want:
            i = next((i for i, (g, w) in enumerate(zip(got, want))
                      if g != w), min(len(got), len(want)))
            raise AssertionError(
                "%d lines instead of %d, first difference at line %d: got "
                "%r, expected %r" % (len(got), len(want), i + 1,
                                     got[i:i + 3], want[i:i + 3]))
        p.expect_exact("web01# ", timeout=60)
        detach(p)
        assert_exit(p, 0)


def _paste_lines(count):
    """count distinct lines of assorted lengths (up to about 200), far
    below the guest tty's 4095-byte limit on one line."""
    lines = []
    for i in range(1, count + 1):
        width = (i * 37) % 200
        body = "".join(PASTE_CHARS[(i + 3 * k) % len(PASTE_CHARS)]
                       for k in range(width))
        lines.append("L%05d %s" % (i, body))
    return lines


def _chunks(lines, size):
    """Groups lines into chunks of at most about size bytes."""
    chunk, length = [], 0
    for line in lines:
        if chunk and length + len(line) + 1 > size:
            yield chunk
            chunk, length = [], 0
        chunk.append(line)
        length += len(line) + 1
    if chunk:
        yield chunk


def test_large_paste_reaches_guest_intact(bed):
    lines = _paste_lines(2000)
    want_md5 = hashlib.md5(("\n".join(lines) + "\n").encode()).hexdigest()
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        # READY comes once the shell left its line editor: from then on
        # the tty queues what is typed until cat reads it.
        p.send("echo REA''DY; cat > /tmp/paste\r")
        p.expect_exact("READY\r\n", timeout=60)
        # Pasted in bursts; each one's echo is awaited, so the output is
        # read as it comes and the guest never holds more than a burst.
        for chunk in _chunks(lines, 2000):
            p.send("".join(line + "\r" for line in chunk))
            p.expect_exact(chunk[-1] + "\r\n", timeout=120)
        p.send("\x04")
        p.expect_exact("web01# ", timeout=60)
        p.send("echo LINES=$(wc -l < /tmp/paste) MD5=$(md5sum < /tmp/paste)"
               "; rm -f /tmp/paste\r")
        m = p.expect(rb"LINES=(\d+) MD5=([0-9a-f]{32})", timeout=60)
        assert int(m.group(1)) == len(lines), \
            "the guest got %s lines, not %d" % (m.group(1).decode(),
                                                len(lines))
        assert m.group(2).decode() == want_md5, \
            "the guest's copy differs (md5 %s, expected %s)" % (
                m.group(2).decode(), want_md5)
        p.expect_exact("web01# ", timeout=60)
        detach(p)
        assert_exit(p, 0)
