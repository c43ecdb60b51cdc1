"""Each way a VM stops running under an open console is told as such, from
libvirt's lifecycle events: destroyed, crashed, saved to disk."""

import os
import signal
import subprocess

from console import assert_exit, assert_guest_answers, expect_connected


def _qemu_pid(bed, vm):
    out = subprocess.run(["pgrep", "-u", str(bed.uid), "-f",
                          "guest=%s," % vm], stdout=subprocess.PIPE,
                         check=False).stdout.split()
    assert len(out) == 1, "QEMU processes of %s: %r" % (vm, out)
    return int(out[0])


def test_destroyed_vm_is_told_as_destroyed(bed):
    try:
        with bed.ssh_pty("alice", "db01") as p:
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            bed.virsh("destroy", "db01")
            p.expect_exact("console closed: db01 was destroyed", timeout=60)
            assert_exit(p, 5)
    finally:
        bed.start_guest("db01")


def test_killed_qemu_is_told_as_a_crash(bed):
    try:
        with bed.ssh_pty("alice", "db01") as p:
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            os.kill(_qemu_pid(bed, "db01"), signal.SIGKILL)
            p.expect_exact("console closed: db01 crashed", timeout=60)
            assert_exit(p, 5)
    finally:
        bed.start_guest("db01")


def test_saved_vm_is_told_as_saved(bed):
    image = os.path.join(bed.home, "db01.save")
    try:
        with bed.ssh_pty("alice", "db01") as p:
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            bed.virsh("save", "db01", image)
            p.expect_exact("console closed: db01 was saved to disk",
                           timeout=60)
            assert_exit(p, 5)
    finally:
        if os.path.exists(image):
            os.unlink(image)
        bed.start_guest("db01")
