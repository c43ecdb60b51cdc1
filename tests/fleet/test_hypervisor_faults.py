"""What a user sees when a hypervisor, its libvirtd or the link to it
fails, and what the operator's hypervisor-side access list refuses."""

import os
import re
import signal
import time

from users import (ESCAPE, PROMPT, answering_console, open_pty,
                   expect_connected, assert_guest_answers, assert_exit,
                   output_of)
from fleet import STALE_UUID, PROXIES, STATE
import pki

# The product's defaults (conf/vmconsole.conf.in), which deploy keeps: a
# lost host is noticed within interval * (count + 1) seconds.
KEEPALIVE_INTERVAL = 5
KEEPALIVE_COUNT = 3
KEEPALIVE_WINDOW = KEEPALIVE_INTERVAL * (KEEPALIVE_COUNT + 1)
# libvirt_connect_timeout's default.
CONNECT_TIMEOUT = 10
# What the test allows on top of a bound for ssh and the balancer.
SLACK = 3


def _wait_exit(p, within):
    """Waits at most within seconds for ssh to end; returns (exit code,
    seconds it took)."""
    t0 = time.monotonic()
    try:
        rc = p.wait(within)
    except AssertionError:
        rc = None
    return rc, time.monotonic() - t0


def test_proxy_certificate_not_on_the_dn_list_is_refused(fleet):
    # The operator deploys proxy2 with a certificate the hypervisors do not
    # list in tls_allowed_dn_list.
    stranger = os.path.join(STATE, "pki", "stranger")
    if not os.path.exists(stranger):
        fleet.pki.client(stranger, "stranger-proxy.fleet")
    fleet.redeploy("proxy2", stranger)
    try:
        with open_pty(fleet, "web01", via="proxy2") as p:
            rc, took = _wait_exit(p, 20)
            out = output_of(p)
        assert "Connected to" not in out, "a console opened: %r" % out
        assert rc == 3, "ssh exited %s, expected 3; output %r" % (rc, out)
        line = [x for x in out.splitlines() if "hv1" in x]
        assert line and re.search(r"refused", line[0], re.I) and \
            re.search(r"certificate", line[0], re.I), \
            "no line says hv1 refused this proxy's certificate: %r" % out
    finally:
        fleet.redeploy("proxy2")


def _expect_refused(fleet, via, cause):
    """A console on hv1 through proxy via fails with one line naming hv1
    and matching cause, and exit status 3."""
    with open_pty(fleet, "web01", via=via) as p:
        rc, took = _wait_exit(p, 20)
        out = output_of(p)
    assert "Connected to" not in out, "a console opened: %r" % out
    assert rc == 3, "ssh exited %s, expected 3; output %r" % (rc, out)
    lines = [x for x in out.splitlines() if x.strip()]
    assert len(lines) == 1 and re.match(r"cannot connect to hv1: ", lines[0]) \
        and re.search(cause, lines[0], re.I), \
        "not one line naming hv1 and the cause (%s): %r" % (cause, out)


def test_proxy_certificate_from_another_ca_is_refused(fleet):
    other = os.path.join(STATE, "pki", "other-ca")
    if not os.path.exists(os.path.join(other, "proxy2")):
        ca = pki.Pki(other)
        ca.make_ca()
        ca.client(os.path.join(other, "proxy2"), "proxy2.fleet")
    fleet.redeploy("proxy2", os.path.join(other, "proxy2"))
    try:
        _expect_refused(fleet, "proxy2", r"certificate|trust")
    finally:
        fleet.redeploy("proxy2")


def test_expired_proxy_certificate_is_refused(fleet):
    expired = os.path.join(STATE, "pki", "proxy2-expired")
    if not os.path.exists(expired):
        fleet.pki.client(expired, "proxy2.fleet", expired=True)
    fleet.replace_live_pki("proxy2", expired)
    _expect_refused(fleet, "proxy2", r"expired")


def test_hv2_libvirtd_down_before_connecting_says_so(fleet):
    fleet.kill_libvirtd("hv2")
    with open_pty(fleet, "db01") as p:
        rc, took = _wait_exit(p, 20)
        out = output_of(p)
    assert rc == 3, "ssh exited %s, expected 3; output %r" % (rc, out)
    assert re.search(r"^cannot connect to hv2: .+", out, re.M), \
        "no clear line naming hv2: %r" % out


def test_libvirtd_killed_mid_session_then_restarted(fleet):
    with answering_console(fleet, "web01") as p:
        fleet.kill_libvirtd("hv1")
        rc, took = _wait_exit(p, 10)
        out = output_of(p)
    assert rc == 6, "ssh exited %s, expected 6; output %r" % (rc, out)
    assert "lost the connection to hv1" in out, out
    fleet.restart_libvirtd("hv1")
    with answering_console(fleet, "web01") as p:
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_libvirtd_restarted_mid_session(fleet):
    with answering_console(fleet, "db01") as p:
        # An orderly stop, as "service libvirtd restart" does.
        fleet.kill_libvirtd("hv2", signal.SIGTERM)
        rc, took = _wait_exit(p, 15)
        out = output_of(p)
    assert rc == 6, "ssh exited %s, expected 6; output %r" % (rc, out)
    assert "lost the connection to hv2" in out, out
    fleet.restart_libvirtd("hv2")
    with answering_console(fleet, "db01") as p:
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_unreachable_host_gives_up_within_the_connect_timeout(fleet):
    fleet.cut_link("hv2")
    with open_pty(fleet, "db01") as p:
        rc, took = _wait_exit(p, CONNECT_TIMEOUT + SLACK)
        out = output_of(p)
    assert rc is not None, "still trying to reach hv2 after %ds" % took
    assert rc == 3, "ssh exited %s, expected 3; output %r" % (rc, out)
    assert re.search(r"^cannot connect to hv2: .+", out, re.M), \
        "no clear line naming hv2: %r" % out


def test_link_cut_mid_session_ends_within_the_keepalive_window(fleet):
    with answering_console(fleet, "db01") as p:
        fleet.cut_link("hv2")
        rc, took = _wait_exit(p, KEEPALIVE_WINDOW + SLACK)
        out = output_of(p)
    assert rc == 6, "ssh exited %s after %.1fs, expected 6; output %r" % (
        rc, took, out[-300:])
    assert "lost the connection to hv2" in out, out[-300:]


def test_escape_leaves_at_once_on_a_cut_link(fleet):
    with answering_console(fleet, "db01") as p:
        fleet.cut_link("hv2")
        time.sleep(1)
        p.send(ESCAPE)
        rc, took = _wait_exit(p, 2 + SLACK)
        out = output_of(p)
    assert rc is not None, "^] one second into a cut link: still " \
        "connected after %.1fs" % took
    assert rc == 0, "ssh exited %s, expected 0; output %r" % (rc, out[-300:])


def test_sigterm_ends_the_session_at_once_on_a_cut_link(fleet):
    with answering_console(fleet, "db01") as p:
        helpers = [pid for px in PROXIES for pid in fleet.helper_pids(px)]
        assert len(helpers) == 1, "expected one helper, found %r" % helpers
        fleet.cut_link("hv2")
        time.sleep(1)
        os.kill(helpers[0], signal.SIGTERM)
        rc, took = _wait_exit(p, 2 + SLACK)
        out = output_of(p)
    assert rc is not None, "SIGTERM one second into a cut link: still " \
        "running after %.1fs" % took
    assert rc == 9, "ssh exited %s, expected 9; output %r" % (rc, out[-300:])


def test_vm_migrated_mid_session_says_it_moved(fleet):
    with answering_console(fleet, "web01") as p:
        fleet.migrate("web01", "hv2")
        rc, took = _wait_exit(p, 15)
        out = output_of(p)
    assert fleet.where("web01") == "hv2", "web01 did not move to hv2"
    assert rc is not None, "the session outlived the migration"
    assert re.search(r"migrated", out, re.I), \
        "the session's end does not say the VM migrated: %r" % out[-300:]
    assert rc not in (0, 5), "exit %s: the same as a normal end or a " \
        "shutdown" % rc


def test_reconnecting_after_a_migration_follows_the_vm(fleet):
    fleet.migrate("web01", "hv2")
    # The manager learns where the VM runs now.
    fleet.write_inventory(hosts={"web01": "hv2"})
    with answering_console(fleet, "web01", host="hv2") as p:
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_stale_vm_id_never_opens_another_vms_console(fleet):
    # carol's manager entry names a UUID that exists on no host, and the
    # display name app01, which is the name of another domain on hv1.
    with open_pty(fleet, STALE_UUID, user="carol") as p:
        rc, took = _wait_exit(p, 20)
        out = output_of(p)
    assert "Connected to" not in out, \
        "a stale id opened another VM's console: %r" % out[-300:]
    assert rc is not None and rc != 0, "exit %s; output %r" % (rc, out)
    assert re.search(r"no such VM on hv1", out), \
        "no line says there is no such VM on hv1: %r" % out


def test_console_taken_again_once_the_cut_link_is_back(fleet):
    with answering_console(fleet, "db01") as p:
        fleet.cut_link("hv2")
        rc, took = _wait_exit(p, KEEPALIVE_WINDOW + SLACK)
    assert rc == 6, "the session did not end as lost (exit %s)" % rc
    fleet.restore_link("hv2")
    # hv2 may still hold the lost session's console for a while: the user
    # sees either the console or "busy", and then takes it with --force.
    with open_pty(fleet, "") as p:
        p.expect_exact(PROMPT)
        p.send("db01\r")
        m = p.expect(r"(Connected to db01 [^\r\n]*|console of db01 is busy"
                     r"[^\r\n]*)", timeout=30)
        if b"busy" in m.group(0):
            p.expect_exact(PROMPT)
            p.send("--force db01\r")
            expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        p.send(ESCAPE)
        p.expect_exact(PROMPT)
        p.send("q\r")
        assert_exit(p, 0)
