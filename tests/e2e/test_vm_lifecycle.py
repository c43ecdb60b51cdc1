"""The VM goes away under an open console."""

import re

from console import assert_exit, assert_guest_answers, expect_connected


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
