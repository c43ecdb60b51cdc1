"""Connecting to a guest's virtio console (hvc0) instead of its serial
port, when the manager names that device."""

import os

from bed import ALICE, CONSOLE_HOST, WEB_UUID
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)

# libvirt's alias of the guest's second console, the virtio one
# (tools/make-guest-xml).
VIRTIO_CONSOLE = "console1"


def test_connect_to_virtio_console_named_by_manager(bed):
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
         "console": VIRTIO_CONSOLE, "entities": [ALICE[0]]},
    ])
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        # the shell answering is the one on the virtio console
        p.send("tty\r")
        p.expect(rb"\n/dev/hvc0\r?\n", timeout=60)
        p.expect_exact("web01# ", timeout=60)
        detach(p)
        assert_exit(p, 0)


def test_serial_and_virtio_consoles_of_one_vm_are_held_apart(bed):
    """One VM's two consoles are two consoles: both can be written at
    once, neither sees the other's output, each has its own log."""
    log_dir = os.path.join(bed.run_dir, "console-logs")
    os.makedirs(log_dir, mode=0o700, exist_ok=True)
    os.chown(log_dir, bed.uid, bed.gid)
    bed.configure("http", console_log_dir=log_dir)
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
         "entities": [ALICE[0]]},
        {"vmid": WEB_UUID, "vm": "web01-hvc", "host": CONSOLE_HOST,
         "console": VIRTIO_CONSOLE, "entities": [ALICE[0]]},
    ])
    with bed.ssh_pty("alice", "web01") as serial, \
            bed.ssh_pty("alice", "web01-hvc") as virtio:
        expect_connected(serial, "web01")
        virtio.expect_exact("Connected to web01-hvc (%s) on %s." %
                            (WEB_UUID, CONSOLE_HOST), timeout=60)
        # the second session writes too: it did not join the first one
        virtio.send("\recho vt-$((40+2))\r")
        virtio.expect(rb"\nvt-42\r?\n", timeout=60)
        virtio.send("tty\r")
        virtio.expect(rb"\n/dev/hvc0\r?\n", timeout=60)
        serial.send("\recho se-$((50+3))\r")
        serial.expect(rb"\nse-53\r?\n", timeout=60)
        serial.expect_exact("web01# ", timeout=60)
        detach(serial)
        assert_exit(serial, 0)
        detach(virtio)
        assert_exit(virtio, 0)
        assert b"se-53" not in bytes(virtio.buffer), \
            "the serial console's output reached the virtio session"
    with open(os.path.join(log_dir, WEB_UUID + ".log"), "rb") as f:
        serial_log = f.read()
    with open(os.path.join(log_dir, WEB_UUID + "+console1.log"), "rb") as f:
        virtio_log = f.read()
    assert b"se-53" in serial_log and b"vt-42" not in serial_log, \
        serial_log[-300:]
    assert b"vt-42" in virtio_log and b"se-53" not in virtio_log, \
        virtio_log[-300:]
