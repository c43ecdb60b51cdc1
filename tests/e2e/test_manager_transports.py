"""The manager over HTTP, HTTPS and a file URL."""

import os

from bed import TOKEN, USER, WEB_UUID, CONSOLE_HOST
from checks import assert_login_ok, assert_refused, list_vms


def test_http_manager_gets_token_and_placeholders(bed):
    assert_login_ok(bed, "alice")
    key = bed.keys["alice"]
    reqs = bed.manager.requests_for("keys")
    assert reqs, "no keys request reached the manager"
    for r in reqs:
        assert r["authorization"] == "Bearer " + TOKEN, \
            "keys request without the bearer token: %r" % r
        assert r["query"].get("fingerprint") == [key.fingerprint], \
            "fingerprint placeholder: %r" % r["query"]
        assert r["query"].get("keytype") == [key.keytype], r["query"]
        assert r["query"].get("user") == [USER], r["query"]
    cons = bed.manager.requests_for("consoles")
    assert cons and all(r["query"].get("entityid") == ["u-42"]
                        for r in cons), "consoles requests: %r" % cons


def test_https_manager(bed):
    bed.configure("https")
    out = assert_login_ok(bed, "alice", "list")
    assert (WEB_UUID, "web01", CONSOLE_HOST) in list_vms(out), out
    reqs = bed.manager.requests_for("keys") + \
        bed.manager.requests_for("consoles")
    assert reqs and all(r["tls"] for r in reqs), \
        "requests did not all use TLS: %r" % reqs


def test_https_manager_with_untrusted_certificate_is_refused(bed):
    bed.configure("https", manager_ca_file=os.path.join(bed.tls_dir,
                                                        "other-ca.pem"))
    assert_refused(bed, "alice")


def test_wrong_token_is_refused(bed):
    bed.manager.token = "another-token"
    try:
        assert_refused(bed, "alice")
    finally:
        bed.manager.token = TOKEN


def test_file_manager(bed):
    bed.configure("file")
    bed.manager.stop()
    out = assert_login_ok(bed, "alice", "list")
    assert (WEB_UUID, "web01", CONSOLE_HOST) in list_vms(out), out
    assert_refused(bed, "stranger")
