"""Listing the consoles one may open."""

import json

from bed import DB_UUID, WEB_UUID, CONSOLE_HOST
from checks import list_vms


def test_list(bed):
    rc, out, err = bed.ssh("alice", "list")
    assert rc == 0, "exit %d: %r" % (rc, err)
    assert list_vms(out) == {(WEB_UUID, "web01", CONSOLE_HOST),
                             (DB_UUID, "db01", CONSOLE_HOST)}, out


def test_list_json(bed):
    rc, out, err = bed.ssh("alice", "list --format=json")
    assert rc == 0, "exit %d: %r" % (rc, err)
    doc = json.loads(out)
    assert doc["version"] == 1, doc
    got = {(c["vmid"], c["vm"], c["host"], c["console"])
           for c in doc["consoles"]}
    assert got == {(WEB_UUID, "web01", CONSOLE_HOST, None),
                   (DB_UUID, "db01", CONSOLE_HOST, None)}, doc


def test_list_shows_only_own_consoles(bed):
    rc, out, err = bed.ssh("bob", "list")
    assert rc == 0 and list_vms(out) == {(DB_UUID, "db01", CONSOLE_HOST)}, \
        "bob's list %r (exit %d)" % (out, rc)


def test_list_with_broken_consoles_document(bed):
    bed.manager.override("consoles", "not json at all")
    rc, out, err = bed.ssh("alice", "list")
    assert rc == 1, "exit %d" % rc
    assert err.strip() == "cannot get the console list from the manager", \
        "stderr %r" % err
    assert out == ""


def test_help_and_version(bed):
    rc, out, err = bed.ssh("alice", "help")
    assert rc == 0 and out.strip(), "help: exit %d %r %r" % (rc, out, err)
    # the take-over form shown is one that works typed after the host
    assert "VM --force" in out and "--force VM" not in out, out
    rc, out, err = bed.ssh("alice", "version")
    assert rc == 0 and "0." in out, "version: exit %d %r %r" % (rc, out, err)
