"""The console opened is the one the manager's vmid names, never another
domain that happens to carry the entry's display name."""

from bed import ALICE, CONSOLE_HOST
from console import assert_exit, assert_guest_answers, detach

# A UUID no domain on the host has.
STALE_UUID = "6d1f0a52-1c2b-4e1e-9a51-0000000000ff"


def test_stale_vm_id_does_not_open_a_namesake(bed):
    # The entry's UUID is unknown on the host, and its display name is
    # that of another running domain there.
    bed.manager.set_consoles([
        {"vmid": STALE_UUID, "vm": "db01", "host": CONSOLE_HOST,
         "entities": [ALICE[0]]},
    ])
    with bed.ssh_pty("alice", "db01") as p:
        assert_exit(p, 3)
        out = p.pending().decode(errors="replace")
        assert "Connected to" not in out, "a console opened: %r" % out
        assert "cannot open the console of db01: no such VM on %s" % \
            CONSOLE_HOST in out, out


def test_vm_id_that_is_a_libvirt_name_opens_that_domain(bed):
    # vmid is the libvirt name; the display name differs from it.
    bed.manager.set_consoles([
        {"vmid": "web01", "vm": "frontend", "host": CONSOLE_HOST,
         "entities": [ALICE[0]]},
    ])
    with bed.ssh_pty("alice", "frontend") as p:
        p.expect_exact("Connected to frontend (web01) on %s." % CONSOLE_HOST,
                       timeout=60)
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)
