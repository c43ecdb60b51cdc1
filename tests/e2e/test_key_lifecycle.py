"""Keys come and go at the manager: revocation, expiry, source addresses."""

from bed import ALICE
from checks import (assert_login_ok, assert_refused, assert_safe_lines)


def test_revoked_key_disappears_on_next_fetch(bed):
    assert_login_ok(bed, "alice")
    bed.manager.set_keys([bed.key_entry("bob", ("u-7", "bob"))])
    # The cache holds alice, but the manager answered: she is out.
    assert_refused(bed, "alice")
    assert_login_ok(bed, "bob")


def test_expired_key_is_refused(bed):
    bed.manager.set_keys([bed.key_entry("alice", ALICE,
                                        expiry="2001-01-31T00:00:00Z")])
    assert_refused(bed, "alice")


def test_key_with_future_expiry_logs_in(bed):
    bed.manager.set_keys([bed.key_entry("alice", ALICE,
                                        expiry="2099-01-31T00:00:00Z")])
    rc, lines = bed.authkeys_lines("alice")
    (m,) = assert_safe_lines(bed, lines, bed.keys["alice"])
    assert m.group("expiry") and m.group("expiry").startswith("20990131"), \
        "expiry-time not passed to sshd: %r" % lines
    assert_login_ok(bed, "alice")


def test_key_from_other_address_is_refused(bed):
    bed.manager.set_keys([bed.key_entry("alice", ALICE,
                                        **{"from": "192.0.2.0/24"})])
    assert_refused(bed, "alice")


def test_key_from_matching_address_logs_in(bed):
    bed.manager.set_keys([bed.key_entry("alice", ALICE,
                                        **{"from": "192.0.2.0/24,127.0.0.1"})])
    assert_login_ok(bed, "alice")


def test_key_the_manager_answers_404_for_is_refused_at_once(bed):
    assert_login_ok(bed, "alice")
    # A manager that answers per key says "unknown" with 404 or 410: that
    # is an answer, and the cached copy must not stand in for it...
    for status in (404, 410):
        bed.manager.override("keys", '{"error": "no such key"}',
                             status=status)
        assert_refused(bed, "alice")
    # ...nor come back when the manager goes away afterwards.
    bed.manager.stop()
    assert_refused(bed, "alice")


def test_login_within_cache_fresh_asks_the_manager_once(bed):
    bed.configure("http", cache_fresh="30")
    bed.manager.clear_requests()
    assert_login_ok(bed, "alice")
    # sshd runs vmconsole-authkeys twice for the key that logs in
    assert len(bed.manager.requests_for("keys")) == 1, \
        bed.manager.requests_for("keys")
    assert_login_ok(bed, "alice")
    assert len(bed.manager.requests_for("keys")) == 1, \
        bed.manager.requests_for("keys")


def test_unchanged_keys_are_not_downloaded_again(bed):
    assert_login_ok(bed, "alice")
    bed.manager.clear_requests()
    assert_login_ok(bed, "alice")
    asked = bed.manager.requests_for("keys")
    assert asked and all(r["if_none_match"] for r in asked), asked
    assert all(r["status"] == 304 for r in asked), asked
    # a change at the manager is seen on the next call
    bed.manager.set_keys([bed.key_entry("bob", ("u-7", "bob"))])
    assert_refused(bed, "alice")
