"""The ssh client stops reading while the guest keeps printing.

libvirt cannot pause a console stream, so the helper holds at most
console_backlog_max bytes of unread output; past that the session ends
with status 10 and says why, and nothing goes missing unseen before it.
"""

import os
import random
import re
import time

from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)

STALLED = ("console closed: the terminal stopped reading (more than %d "
           "bytes of console output waiting)")


def _start_flood(p, vm, count):
    """Makes vm print the numbers 1..count, then a marker that its echo
    does not contain; returns (marker, position after the echo)."""
    n = random.randint(1000, 9999)
    marker = "E%d" % (n * 2)
    command = "seq 1 %d; echo E$((%d*2))" % (count, n)
    p.send("\r")
    p.expect_exact("%s# " % vm, timeout=60)
    p.send(command + "\r")
    p.expect_exact(command + "\r\n", timeout=30)
    return marker, p.pos


def _wait_guest_printed(bed, vm, marker, timeout):
    """Waits, reading nothing from the client, until vm's serial log ends
    with marker's line (the guest printed all of its flood)."""
    path = bed.guest_log(vm)
    want = ("\n%s\r" % marker).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, "rb") as f:
                f.seek(max(0, os.fstat(f.fileno()).st_size - 256))
                if want in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.5)
    raise AssertionError("the guest did not finish printing within %ds"
                         % timeout)


def _numbered_lines(data):
    """Checks that data holds the lines 1, 2, ... in order and without
    gaps, the last one possibly cut short; returns how many are whole."""
    lines = data.replace(b"\r", b"").split(b"\n")
    whole, tail = lines[:-1], lines[-1]
    for i, line in enumerate(whole, 1):
        assert line == str(i).encode(), \
            "line %d is %r, after %r" % (i, line, whole[max(0, i - 3):i - 1])
    assert str(len(whole) + 1).encode().startswith(tail), \
        "after line %d came %r" % (len(whole), tail[:80])
    return len(whole)


def test_stalled_terminal_ends_session_and_console_reopens(bed):
    limit = 65536
    bed.configure("http", console_buffer_size=limit,
                  console_backlog_max=limit)
    sink = bed.syslog if bed.syslog.sock is not None else None
    mark = sink.mark() if sink is not None else 0
    message = STALLED % limit
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        # About 2.9 MB: more than the pty, ssh's channel window, sshd and
        # the helper's backlog together hold while the client reads
        # nothing.
        marker, start = _start_flood(p, "web01", 400000)
        _wait_guest_printed(bed, "web01", marker, 180)
        # Reading again: what was held arrives, then the message.
        p.expect(re.escape(message.encode()) + rb"\r?\n", timeout=120)
        data = p.buffer[start:p.pos]
        data = data[:data.rindex(message.encode())]
        assert data.endswith(b"\n"), \
            "the message does not start a line: %r" % data[-80:]
        whole = _numbered_lines(data[:-1].rstrip(b"\r"))
        assert 0 < whole < 400000, "%d lines arrived" % whole
        assert_exit(p, 10)
    if sink is not None:
        msg = sink.wait_for(lambda m: re.search(
            r'^console closed: .* vm="web01" .*reason="terminal-stalled" '
            r'mode="write"$',
            m.text), mark)
        assert msg is not None, "no terminal-stalled audit line: %r" % (
            [m.text for m in sink.since(mark)][-8:])
    # Released, not held: no --force needed.
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_paused_reading_within_default_backlog_loses_nothing(bed):
    count = 30000
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        marker, start = _start_flood(p, "web01", count)
        time.sleep(10)
        p.expect_exact("\r\n%s\r\n" % marker, timeout=120)
        data = p.buffer[start:p.pos - len("%s\r\n" % marker)]
        assert _numbered_lines(data) == count, \
            "not every line arrived: %r" % data[-80:]
        detach(p)
        assert_exit(p, 0)
