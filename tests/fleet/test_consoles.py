"""Opening consoles on both hypervisors through the balancer, whichever
proxy answers."""

import os
import subprocess

from users import (PROMPT, ESCAPE, answering_console, open_pty, ssh_argv,
                   expect_connected, assert_guest_answers, assert_exit)
from fleet import GUESTS, PATH, PROXIES


def _ssh(fleet, words, **kw):
    res = subprocess.run(ssh_argv(fleet, words, tty=False, **kw),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=60,
                         env={"PATH": PATH, "HOME": "/root"})
    return (res.returncode, res.stdout.decode(errors="replace"),
            res.stderr.decode(errors="replace"))


def test_console_on_hv1_by_name_through_the_balancer(fleet):
    with answering_console(fleet, "web01") as p:
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_console_on_hv2_by_id_through_the_balancer(fleet):
    with open_pty(fleet, GUESTS["db01"][1]) as p:
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_connect_by_vm_name_opens_a_console_on_hv2(fleet):
    with open_pty(fleet, "connect --vm-name=db01") as p:
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        p.send(ESCAPE)
        assert_exit(p, 0)


def test_list_shows_the_consoles_of_both_hypervisors(fleet):
    rc, out, err = _ssh(fleet, "list")
    assert rc == 0, "list failed (exit %d): %s" % (rc, err.strip())
    rows = sorted(line.split("\t") for line in out.splitlines())
    want = sorted([uuid, name, hv] for name, (hv, uuid) in GUESTS.items())
    assert rows == want, "list printed %r" % out


def test_picker_opens_consoles_on_both_hypervisors(fleet):
    with open_pty(fleet) as p:
        # sorted by name: app01, db01, web01
        p.expect_exact("  1. app01 [%s] on hv1" % GUESTS["app01"][1])
        p.expect_exact("  2. db01 [%s] on hv2" % GUESTS["db01"][1])
        p.expect_exact("  3. web01 [%s] on hv1" % GUESTS["web01"][1])
        p.expect_exact(PROMPT)
        p.send("2\r")
        expect_connected(p, "db01")
        assert_guest_answers(p, "db01")
        p.send(ESCAPE)
        p.expect_exact(PROMPT)
        p.send("app01\r")
        expect_connected(p, "app01")
        assert_guest_answers(p, "app01")
        p.send(ESCAPE)
        p.expect_exact(PROMPT)
        p.send("q\r")
        assert_exit(p, 0)


def test_both_proxies_verified_by_the_one_cert_authority_line(fleet):
    with open(fleet.known_hosts) as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("@cert-authority "), \
        "the client's known_hosts is not one @cert-authority line: %r" \
        % lines
    for p in PROXIES:
        rc, out, err = _ssh(fleet, "list", via=p)
        assert rc == 0, "list through %s failed (exit %d): %s" % (
            p, rc, err.strip())
    # The same line with another CA's key: the proxies are not trusted.
    other = os.path.join(fleet.client_dir, "other_ca")
    if not os.path.exists(other):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                        "-f", other], check=True)
    with open(other + ".pub") as f:
        key = " ".join(f.read().split()[:2])
    wrong = os.path.join(fleet.client_dir, "known_hosts.other")
    with open(wrong, "w") as f:
        f.write("@cert-authority * %s\n" % key)
    rc, out, err = _ssh(fleet, "list", known_hosts=wrong)
    assert rc == 255 and "Host key verification failed" in err, \
        "a host CA the client does not trust was accepted (exit %d): %s" \
        % (rc, err.strip())
