"""Manager strings reach the user's terminal only neutralised."""

import json

from bed import WEB_UUID, CONSOLE_HOST
from console import PROMPT, assert_exit

EVIL = "evil\x1b[2J\x07\x1b]0;pwned\x07\x9b1m\rname"
EVIL_ID = "evil-0001"
MALLORY = ("u-666", "mallory")


def _setup(bed):
    bed.manager.set_keys([bed.key_entry("mallory", MALLORY)])
    bed.manager.set_consoles([
        {"vmid": EVIL_ID, "vm": EVIL, "host": CONSOLE_HOST,
         "entities": [MALLORY[0]]},
        {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
         "entities": [MALLORY[0]]},
    ])


def _assert_inert(data, where):
    for bad in (b"\x1b", b"\x07", b"\x9b", "\x9b".encode()):
        assert bad not in data, "%s passes %r through: %r" % (where, bad,
                                                              data)


def test_hostile_vm_name_is_neutralised_in_list(bed):
    _setup(bed)
    rc, out, err = bed.ssh("mallory", "list")
    assert rc == 0, "exit %d %r" % (rc, err)
    _assert_inert(out.encode() + err.encode(), "list")
    lines = out.splitlines()
    assert len(lines) == 2 and any(ln.startswith(EVIL_ID + "\t")
                                   for ln in lines), out
    assert "\r" not in out, "list passes a carriage return: %r" % out


def test_hostile_vm_name_is_escaped_in_json(bed):
    _setup(bed)
    rc, out, err = bed.ssh("mallory", "list --format=json")
    assert rc == 0, "exit %d %r" % (rc, err)
    _assert_inert(out.encode(), "list --format=json")
    names = {c["vm"] for c in json.loads(out)["consoles"]}
    assert names == {EVIL, "web01"}, "json names %r" % names


def test_hostile_vm_name_is_neutralised_in_picker(bed):
    _setup(bed)
    with bed.ssh_pty("mallory") as p:
        p.expect_exact(PROMPT, timeout=60)
        shown = p.buffer[:p.pos]
        _assert_inert(shown, "picker")
        assert b"web01" in shown and EVIL_ID.encode() in shown, shown
        # No such domain exists: the error names it, neutralised too, and
        # the picker comes back.
        p.sendline(EVIL_ID)
        p.expect_exact(": no such VM on localhost", timeout=60)
        p.expect_exact(PROMPT, timeout=60)
        _assert_inert(p.buffer, "connect error")
        p.sendline("q")
        assert_exit(p, 0)
        _assert_inert(p.buffer, "picker after the error")
