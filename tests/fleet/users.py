"""The user's side of the fleet tests: the real ssh client on a pty, typing
what a person types after the host name."""

import contextlib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "e2e"))

from expect import PtySession  # noqa: E402,F401
from fleet import GUESTS, PATH, SSH_PORT, USER, addr  # noqa: E402

ESCAPE = b"\x1d"  # ^]
PROMPT = "Choose a console (number, name or id; q to quit): "


def ssh_argv(fleet, words, user="alice", via="svc", tty=True,
             known_hosts=None, source=None):
    """ssh as a user types it: to the balancer (via="svc") or to one proxy
    by address, from the source address given (ssh -b) or the default
    one, then the words after the host name, split as a shell would."""
    argv = ["ssh", "-F", "/dev/null",
            "-i", os.path.join(fleet.client_dir, "id_" + user),
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + (known_hosts or fleet.known_hosts),
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
            "-p", str(SSH_PORT)]
    argv += ["-tt"] if tty else ["-T"]
    if source is not None:
        argv += ["-b", source]
    argv.append("%s@%s" % (USER, addr(via)))
    return argv + words.split()


def open_pty(fleet, words="", **kw):
    return PtySession(ssh_argv(fleet, words, **kw),
                      env={"PATH": PATH, "HOME": "/root", "TERM": "xterm",
                           "LANG": "C.UTF-8"})


def banner(vm, host=None):
    return "Connected to %s (%s) on %s. Escape character is ^]" % (
        vm, GUESTS[vm][1], host or GUESTS[vm][0])


def expect_connected(p, vm, host=None, timeout=30):
    p.expect_exact(banner(vm, host), timeout=timeout)


def assert_guest_answers(p, vm):
    """The guest's shell runs a command typed through the console."""
    p.send("\r")
    p.expect_exact("%s# " % vm, timeout=30)
    p.send("echo $((6*7))\r")
    p.expect(rb"\n42\r?\n", timeout=30)
    p.expect_exact("%s# " % vm, timeout=30)


@contextlib.contextmanager
def answering_console(fleet, vm, host=None):
    """A session on vm's console (on host, by default the guest's own),
    connected and with its guest answering a command typed through it;
    closed when the block ends."""
    with open_pty(fleet, vm) as p:
        expect_connected(p, vm, host)
        assert_guest_answers(p, vm)
        yield p


def assert_exit(p, code, timeout=30):
    rc = p.wait(timeout)
    assert rc == code, "ssh exited %s, expected %d; output %r" % (
        rc, code, p.pending()[-400:])


def output_of(p):
    return re.sub(rb"\r", b"", p.buffer).decode(errors="replace")
