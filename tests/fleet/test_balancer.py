"""The balancer's limit per source address: a source that already holds
as many connections as the balancer allows is refused there, while users
elsewhere still log in."""

import socket
import subprocess
import time

from users import ssh_argv
from fleet import (BALANCER_CONN_CUR_MAX, CLIENT_ADDRS, GUESTS, PATH,
                   SSH_PORT, addr)


def _list(fleet, source):
    """ssh … list from source; returns (exit status, stdout, stderr)."""
    argv = ssh_argv(fleet, "list", tty=False, source=source)
    # ssh reports a closed or reset connection at level INFO; the first
    # LogLevel given wins.
    argv[1:1] = ["-o", "LogLevel=INFO"]
    res = subprocess.run(argv,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=60,
                         env={"PATH": PATH, "HOME": "/root"})
    return (res.returncode, res.stdout.decode(errors="replace"),
            res.stderr.decode(errors="replace"))


def _assert_lists_every_console(rc, out, err, source):
    assert rc == 0, "list from %s failed (exit %d): %s" % (
        source, rc, err.strip())
    rows = sorted(line.split("\t") for line in out.splitlines())
    want = sorted([uuid, name, hv] for name, (hv, uuid) in GUESTS.items())
    assert rows == want, "list from %s printed %r" % (source, out)


def _hold_connections(source, count):
    """count connections from source through the balancer, each one
    answered by a proxy's sshd (its version line), left open without a
    word, as a client that stalls before its key exchange."""
    held = []
    try:
        for _ in range(count):
            s = socket.create_connection((addr("svc"), SSH_PORT), timeout=10,
                                         source_address=(source, 0))
            held.append(s)
            line = b""
            while not line.startswith(b"SSH-2.0-") and len(line) < 8:
                chunk = s.recv(8 - len(line))
                if not chunk:
                    break
                line += chunk
            assert line.startswith(b"SSH-2.0-"), \
                "connection %d from %s got %r instead of an ssh version " \
                "line" % (len(held), source, line)
    except BaseException:
        for s in held:
            s.close()
        raise
    return held


def test_source_over_the_balancer_bound_refused_another_logs_in(fleet):
    busy, other = CLIENT_ADDRS
    held = _hold_connections(busy, BALANCER_CONN_CUR_MAX)
    try:
        rc, out, err = _list(fleet, busy)
        assert rc == 255 and out == "", \
            "a login from %s, over the balancer's bound of %d, was not " \
            "refused (exit %d): %r %r" % (busy, BALANCER_CONN_CUR_MAX, rc,
                                          out, err)
        assert "Connection closed" in err or "reset by" in err, \
            "refused without the closed connection ssh reports: %r" % err
        _assert_lists_every_console(*_list(fleet, other), other)
    finally:
        for s in held:
            s.close()
    # The bound counts open connections: once they are closed, the same
    # source logs in again.
    deadline = time.monotonic() + 10
    while True:
        rc, out, err = _list(fleet, busy)
        if rc == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    _assert_lists_every_console(rc, out, err, busy)
