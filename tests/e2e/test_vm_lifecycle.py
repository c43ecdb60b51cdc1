"""The VM goes away under an open console."""

import re

from console import (assert_exit, assert_guest_answers, detach,
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
