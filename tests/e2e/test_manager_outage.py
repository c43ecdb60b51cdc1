"""The manager goes away or answers garbage: the cache decides."""

from bed import WEB_UUID, CONSOLE_HOST
from checks import assert_login_ok, assert_refused, list_vms


def test_manager_down_with_fresh_cache_still_logs_in(bed):
    assert_login_ok(bed, "alice")
    bed.manager.stop()
    out = assert_login_ok(bed, "alice", "list")
    assert (WEB_UUID, "web01", CONSOLE_HOST) in list_vms(out), \
        "list from the cache: %r" % out


def test_manager_down_without_cache_is_refused(bed):
    bed.manager.stop()
    assert_refused(bed, "alice")


def test_manager_garbage_with_fresh_cache_still_logs_in(bed):
    assert_login_ok(bed, "alice")
    bed.manager.override("keys", "<html>502 Bad Gateway</html>", status=200)
    assert_login_ok(bed, "alice")


def test_cache_is_not_used_when_disabled(bed):
    bed.configure("http", cache_max_stale="0")
    assert_login_ok(bed, "alice")
    bed.manager.stop()
    assert_refused(bed, "alice")


def test_cache_is_not_used_for_an_unknown_key(bed):
    assert_login_ok(bed, "alice")
    bed.manager.stop()
    assert_refused(bed, "bob")


def test_manager_failing_with_5xx_with_fresh_cache_still_logs_in(bed):
    assert_login_ok(bed, "alice")
    bed.manager.override("keys", '{"error": "overloaded"}', status=503)
    assert_login_ok(bed, "alice")


def test_manager_forbidding_with_fresh_cache_is_refused(bed):
    assert_login_ok(bed, "alice")
    bed.manager.override("keys", '{"error": "forbidden"}', status=403)
    assert_refused(bed, "alice")
