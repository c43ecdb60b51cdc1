"""Two proxies behind the balancer: one dying, and one console taken from
one proxy through the other."""

import time

from users import (ESCAPE, PROMPT, open_pty, expect_connected,
                   assert_guest_answers, assert_exit, output_of)
from fleet import PROXIES


def test_proxy_killed_mid_session_others_carry_on(fleet):
    sessions = []
    try:
        # Round robin: of three sessions in a row, each proxy gets some.
        for vm in ("web01", "db01", "app01"):
            s = open_pty(fleet, vm)
            sessions.append((vm, s))
            expect_connected(s, vm)
        counts = {p: len(fleet.helper_pids(p)) for p in PROXIES}
        assert all(counts.values()), \
            "the balancer did not use both proxies: %r" % counts
        victim = PROXIES[0]
        fleet.kill_proxy(victim)
        ended, alive = [], []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ended = [(vm, s) for vm, s in sessions if s.poll() is not None]
            if len(ended) == counts[victim]:
                break
            time.sleep(0.1)
        alive = [(vm, s) for vm, s in sessions if s.poll() is None]
        assert len(ended) == counts[victim], \
            "%d sessions ended, expected the %d of %s" % (
                len(ended), counts[victim], victim)
        assert len(alive) == counts[PROXIES[1]], "sessions of %s ended too" \
            % PROXIES[1]
        for vm, s in alive:
            assert_guest_answers(s, vm)
        # New logins go to the other proxy, every time.
        survivor = PROXIES[1]
        # A console the dead proxy's sessions held is free again.
        free_vm = ended[0][0]
        for _ in range(3):
            with open_pty(fleet, free_vm) as s:
                expect_connected(s, free_vm, timeout=15)
                assert len(fleet.helper_pids(survivor)) == len(alive) + 1, \
                    "the new session is not on %s" % survivor
                s.send(ESCAPE)
                assert_exit(s, 0)
        for vm, s in alive:
            assert_guest_answers(s, vm)
    finally:
        for _, s in sessions:
            s.close()


def test_same_console_through_both_proxies_busy_then_force(fleet):
    with open_pty(fleet, "web01", via="proxy1") as first:
        expect_connected(first, "web01")
        assert_guest_answers(first, "web01")
        with open_pty(fleet, "web01", via="proxy2") as second:
            rc = second.wait(20)
            out = output_of(second)
        assert rc == 4, "exit %s, expected 4 (busy); output %r" % (rc, out)
        assert "busy" in out and "--force" in out, out
        # At the picker of proxy2, the user takes it over.
        with open_pty(fleet, "", via="proxy2") as third:
            third.expect_exact(PROMPT)
            third.send("--force web01\r")
            expect_connected(third, "web01")
            assert_guest_answers(third, "web01")
            assert_exit(first, 7)
            assert "another session took over the console" in \
                output_of(first)
            third.send(ESCAPE)
            third.expect_exact(PROMPT)
            third.send("q\r")
            assert_exit(third, 0)
