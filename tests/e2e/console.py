"""Driving a console session through the real ssh client on a pty."""

import re

from bed import GUESTS, CONSOLE_HOST

ESCAPE = b"\x1d"  # ^]
PROMPT = "Choose a console (number, name or id; q to quit): "


def banner(vm):
    return "Connected to %s (%s) on %s. Escape character is ^]" % (
        vm, GUESTS[vm], CONSOLE_HOST)


def expect_connected(p, vm):
    p.expect_exact(banner(vm), timeout=60)


def assert_guest_answers(p, vm):
    """The guest's shell runs a command typed through the console."""
    p.send("\r")
    p.expect_exact("%s# " % vm, timeout=60)
    p.send("echo $((6*7))\r")
    p.expect(rb"\n42\r?\n", timeout=60)
    p.expect_exact("%s# " % vm, timeout=60)


def expect_picker(p, vms):
    """The picker lists vms (in the order given) and prompts."""
    for i, vm in enumerate(vms, 1):
        p.expect_exact("  %d. %s [%s] on %s" % (i, vm, GUESTS[vm],
                                               CONSOLE_HOST), timeout=60)
    p.expect_exact(PROMPT, timeout=60)


def detach(p):
    p.send(ESCAPE)


def assert_exit(p, code, timeout=60):
    rc = p.wait(timeout)
    assert rc == code, "ssh exited %s, expected %d; output %r" % (
        rc, code, p.pending()[-400:])


def strip_cr(data):
    return re.sub(rb"\r", b"", data)
