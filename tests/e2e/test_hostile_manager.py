"""A manager that answers hostile data: nothing it sends can add a key,
an option or a command to what sshd sees. The cache is empty, so a
rejected answer means a refused login."""

import json

from bed import ALICE
from checks import (assert_nothing_printed, assert_refused, assert_safe_lines,
                    assert_login_ok)


def test_newline_in_key_injects_nothing(bed):
    alice, attacker = bed.keys["alice"], bed.keys["attacker"]
    bed.manager.set_keys([{
        "entityid": ALICE[0], "entity": ALICE[1],
        "key": "%s %s\n%s %s attacker" % (alice.keytype, alice.blob,
                                          attacker.keytype, attacker.blob)}])
    assert_refused(bed, "attacker")
    assert_nothing_printed(bed, "attacker")
    rc, lines = bed.authkeys_lines("alice")
    assert_safe_lines(bed, lines, alice)


def test_newline_in_comment_injects_nothing(bed):
    alice, attacker = bed.keys["alice"], bed.keys["attacker"]
    bed.manager.set_keys([{
        "entityid": ALICE[0], "entity": ALICE[1],
        "key": "%s %s x\n%s %s" % (alice.keytype, alice.blob,
                                   attacker.keytype, attacker.blob)}])
    assert_refused(bed, "attacker")
    assert_nothing_printed(bed, "attacker")
    rc, lines = bed.authkeys_lines("alice")
    assert_safe_lines(bed, lines, alice)


def test_quotes_in_entity_inject_nothing(bed):
    hostile = 'alice" ,command="/bin/sh'
    for field in ("entity", "entityid"):
        entry = bed.key_entry("alice", ALICE)
        entry[field] = hostile
        bed.manager.set_keys([entry])
        bed.clear_cache()
        assert_refused(bed, "alice")
        assert_nothing_printed(bed, "alice")


def test_quotes_in_from_inject_nothing(bed):
    bed.manager.set_keys([bed.key_entry(
        "alice", ALICE, **{"from": '127.0.0.1",command="/bin/sh'})])
    rc, lines = bed.authkeys_lines("alice")
    assert_safe_lines(bed, lines, bed.keys["alice"])
    assert lines == [], "entry with a hostile from printed: %r" % lines
    assert_refused(bed, "alice")


def test_huge_response_is_refused(bed):
    # Valid entries up to about 8 MiB, twice manager_max_response, with
    # alice's key last: only a size cap keeps her out.
    filler = bed.key_entry("stranger", ("u-0", "filler"))
    n = 8 * 1024 * 1024 // len(json.dumps(filler)) + 1
    body = json.dumps({"version": 1,
                       "keys": [filler] * n + [bed.key_entry("alice",
                                                             ALICE)]})
    bed.manager.override("keys", body)
    assert_refused(bed, "alice")
    assert_nothing_printed(bed, "alice")


def test_non_json_response_is_refused(bed):
    bed.manager.override("keys", b"\x1b[2J<html>\x00not json")
    assert_refused(bed, "alice")
    assert_nothing_printed(bed, "alice")


def test_wrong_version_is_refused(bed):
    bed.manager.override("keys", json.dumps(
        {"version": 2, "keys": [bed.key_entry("alice", ALICE)]}))
    assert_refused(bed, "alice")
    assert_nothing_printed(bed, "alice")


def test_wrong_content_type_is_refused(bed):
    bed.manager.override("keys", json.dumps(
        {"version": 1, "content": "console_list",
         "keys": [bed.key_entry("alice", ALICE)]}))
    assert_refused(bed, "alice")


def test_error_status_is_refused(bed):
    bed.manager.override("keys", json.dumps(
        {"version": 1, "keys": [bed.key_entry("alice", ALICE)]}), status=500)
    assert_refused(bed, "alice")


def test_one_bad_entry_does_not_hide_good_ones(bed):
    bad = bed.key_entry("bob", ("u-7", "bob\nssh-ed25519 AAAA"))
    bed.manager.set_keys([bad, bed.key_entry("alice", ALICE)])
    assert_login_ok(bed, "alice")
    assert_refused(bed, "bob")
