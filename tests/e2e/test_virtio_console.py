"""Connecting to a guest's virtio console (hvc0) instead of its serial
port, when the manager names that device."""

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
