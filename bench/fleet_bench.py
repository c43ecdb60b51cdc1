"""Benchmarks on the fleet bed (tests/fleet/): two TLS hypervisors, two
proxies configured by vmconsole-proxy-deploy and HAProxy in front of them.

  fleet_banner    from starting ssh to the "Connected to" banner of a VM on
                  a remote hypervisor, through the balancer, next to the
                  same login straight to one proxy (the reference) in the
                  same run, alternating, so the ratio is the balancer's cost
  fleet_cut_link  from unplugging the hypervisor's link to the session's
                  end, against the keepalive window the proxy is configured
                  with (interval * (count + 1))

bench/run calls run_fleet_benchmarks() after its own benchmarks; the fleet
is brought up for them and down afterwards. Run alone (as root):
    /usr/bin/python3 -B bench/fleet_bench.py [NAME ...]
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fleet"))

import fleet as fleetmod  # noqa: E402
from users import ESCAPE, open_pty, expect_connected  # noqa: E402

NAMES = ("fleet_banner", "fleet_cut_link")
# A person waits for the banner; the same goal as a login to the local bed.
BANNER_MEDIAN_S = 3.0
# The balancer relays bytes: it may not cost more than half as much again
# as a login straight to a proxy.
BANNER_RATIO_MAX = 1.5
BANNER_RUNS = 8
# The product's defaults, which deploy leaves as they are.
KEEPALIVE_INTERVAL = 5
KEEPALIVE_COUNT = 3
# A lost host must be noticed within the keepalive window, plus a second
# for the ssh client and the balancer to pass the end on.
CUT_LINK_SLACK_S = 1.0
CUT_LINK_RUNS = 2


def _banner_time(fleet, via):
    t0 = time.monotonic()
    with open_pty(fleet, "db01", via=via) as p:
        expect_connected(p, "db01")
        took = time.monotonic() - t0
        p.send(ESCAPE)
        rc = p.wait(30)
    if rc != 0:
        raise RuntimeError("detaching through %s: ssh exited %s" % (via, rc))
    return took


def bench_fleet_banner(fleet, res, note):
    balanced, direct = [], []
    for _ in range(BANNER_RUNS):
        balanced.append(_banner_time(fleet, "svc"))
        direct.append(_banner_time(fleet, "proxy1"))
    note("fleet_banner: balancer %s s, proxy1 %s s" % (
        " ".join("%.2f" % t for t in balanced),
        " ".join("%.2f" % t for t in direct)))
    mb, md = statistics.median(balanced), statistics.median(direct)
    res.report("fleet_banner_balancer_median", mb, "s", "<",
               BANNER_MEDIAN_S)
    res.report("fleet_banner_direct_median", md, "s")
    res.report("fleet_banner_balancer_to_direct_ratio", mb / md, "x", "<",
               BANNER_RATIO_MAX)


def bench_fleet_cut_link(fleet, res, note):
    window = KEEPALIVE_INTERVAL * (KEEPALIVE_COUNT + 1)
    times = []
    for _ in range(CUT_LINK_RUNS):
        fleet.heal()
        with open_pty(fleet, "db01") as p:
            expect_connected(p, "db01")
            p.send("\r")
            p.expect_exact("db01# ", timeout=30)
            t0 = time.monotonic()
            fleet.cut_link("hv2")
            try:
                rc = p.wait(window + 30)
            except AssertionError:
                rc = None
            took = time.monotonic() - t0
        note("fleet_cut_link: session ended after %.1fs, exit %s"
             % (took, rc))
        if rc != 6:
            raise RuntimeError("the session ended with exit %s, not 6 "
                               "(lost the connection)" % rc)
        times.append(took)
    fleet.heal()
    res.report("fleet_cut_link_notice_median", statistics.median(times), "s",
               "<=", window + CUT_LINK_SLACK_S)
    res.report("fleet_cut_link_keepalive_window", float(window), "s")


def run_fleet_benchmarks(filters, res, note):
    """Brings the fleet up, runs the benchmarks named by filters (all when
    there are none), brings it down."""
    chosen = [(n, fn) for n, fn in (("fleet_banner", bench_fleet_banner),
                                    ("fleet_cut_link", bench_fleet_cut_link))
              if not filters or any(f in n for f in filters)]
    if not chosen:
        return
    fleet = fleetmod.Fleet(log=note)
    fleet.lock()
    try:
        t0 = time.monotonic()
        try:
            fleet.up()
        except Exception as e:
            for name, _ in chosen:
                res.failed(name, "the fleet could not be brought up: %s" % e)
            return
        note("fleet ready in %ds" % (time.monotonic() - t0))
        for name, fn in chosen:
            t0 = time.monotonic()
            try:
                fleet.heal()
                fn(fleet, res, note)
            except Exception as e:
                res.failed(name, "%s: %s" % (type(e).__name__, e))
            note("%s took %ds" % (name, time.monotonic() - t0))
    finally:
        fleet.down()


class _Results:
    """bench/run's reporting, for a run of these benchmarks alone."""

    def __init__(self):
        self.met = 0
        self.missed = 0

    def report(self, name, value, unit, op=None, goal=None):
        shown = "%.2f" % value if isinstance(value, float) else str(value)
        if op is None:
            print("BENCH: %s %s %s (goal: none)" % (name, shown, unit),
                  flush=True)
            return
        ok = {"<": value < goal, "<=": value <= goal}[op]
        self.met += ok
        self.missed += not ok
        print("BENCH: %s %s %s (goal: %s %.2f)%s" % (
            name, shown, unit, op, goal, "" if ok else " MISSED"),
            flush=True)

    def failed(self, name, why):
        self.missed += 1
        print("BENCH: %s error (goal: a measurement) MISSED: %s" % (
            name, " ".join(str(why).split())[:300]), flush=True)


def main(argv):
    res = _Results()
    run_fleet_benchmarks(argv[1:], res,
                         lambda msg: print("# " + msg, flush=True))
    print("%d met, %d missed" % (res.met, res.missed), flush=True)
    return 1 if res.missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
