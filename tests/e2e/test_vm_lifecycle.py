"""The VM goes away under an open console."""

import os
import re

from bed import (ALICE, CACHE, CONSOLE_HOST, DB_UUID, SRC, WEB_UUID,
                 _run)
from console import (PROMPT, assert_exit, assert_guest_answers, detach,
                     expect_connected, expect_picker)

ALICE_VMS = ["db01", "web01"]


def test_destroyed_vm_ends_the_session(bed):
    try:
        with bed.ssh_pty("alice", "db01") as p:
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            bed.virsh("destroy", "db01")
            p.expect(re.escape(b"console closed: db01 ") +
                     rb"(was destroyed|shut down)", timeout=60)
            assert_exit(p, 5)
    finally:
        bed.start_guest("db01")


def test_destroyed_vm_chosen_in_picker_returns_to_picker(bed):
    try:
        with bed.ssh_pty("alice") as p:
            expect_picker(p, ALICE_VMS)
            p.sendline("db01")
            expect_connected(p, "db01")
            assert_guest_answers(p, "db01")
            bed.virsh("destroy", "db01")
            p.expect(re.escape(b"console closed: db01 ") +
                     rb"(was destroyed|shut down)", timeout=60)
            # The user is still there: the picker comes back.
            expect_picker(p, ALICE_VMS)
            p.sendline("web01")
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            detach(p)
            expect_picker(p, ALICE_VMS)
            p.sendline("q")
            assert_exit(p, 0)
    finally:
        bed.start_guest("db01")


OFF_VM, OFF_UUID = "app01", "6d1f0a52-1c2b-4e1e-9a51-0000000000c3"
NOT_RUNNING = ("cannot open the console of app01: the VM is not running "
               "(shut off)")


def _define_shut_off_vm(bed):
    """Defines app01 without starting it and shows it to alice."""
    res = _run([os.path.join(SRC, "tools", "make-guest-xml"),
                "--name", OFF_VM, "--uuid", OFF_UUID,
                "--kernel", os.path.realpath(os.path.join(CACHE, "vmlinuz")),
                "--initrd", os.path.join(bed.guest_dir, "initrd.cpio.gz")])
    xml = os.path.join(bed.guest_dir, OFF_VM + ".xml")
    with open(xml, "wb") as f:
        f.write(res.stdout)
    os.chmod(xml, 0o644)
    bed.virsh("define", xml)
    bed.manager.set_consoles([
        {"vmid": vmid, "vm": vm, "host": CONSOLE_HOST,
         "entities": [ALICE[0]]}
        for vm, vmid in ((OFF_VM, OFF_UUID), ("db01", DB_UUID),
                         ("web01", WEB_UUID))])


def _expect_three_vm_picker(p):
    for i, (vm, vmid) in enumerate(((OFF_VM, OFF_UUID), ("db01", DB_UUID),
                                    ("web01", WEB_UUID)), 1):
        p.expect_exact("  %d. %s [%s] on %s" % (i, vm, vmid, CONSOLE_HOST),
                       timeout=60)
    p.expect_exact(PROMPT, timeout=60)


def test_shut_off_vm_named_on_command_line_says_it_is_not_running(bed):
    try:
        _define_shut_off_vm(bed)
        with bed.ssh_pty("alice", OFF_VM) as p:
            assert_exit(p, 3)
            out = p.pending().decode(errors="replace")
            lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
            assert lines == [NOT_RUNNING], "app01 said %r" % out
    finally:
        bed.virsh("undefine", OFF_VM, check=False)


def test_shut_off_vm_chosen_in_picker_says_so_and_returns_to_picker(bed):
    try:
        _define_shut_off_vm(bed)
        rc, out, err = bed.ssh("alice", "list")
        assert rc == 0 and "%s\t%s\t" % (OFF_UUID, OFF_VM) in out, \
            "list: exit %d %r %r" % (rc, out, err)
        with bed.ssh_pty("alice") as p:
            _expect_three_vm_picker(p)
            p.sendline("1")
            p.expect_exact(NOT_RUNNING, timeout=60)
            _expect_three_vm_picker(p)
            p.sendline("web01")
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            detach(p)
            p.expect_exact(PROMPT, timeout=60)
            p.sendline("q")
            assert_exit(p, 0)
    finally:
        bed.virsh("undefine", OFF_VM, check=False)
