"""Runs the fleet tests: brings the fleet up once, runs every test_*
function of the test_*.py files here (file order, then definition order)
with the fleet healed before each, prints one PASS/FAIL/SKIP line per test
and brings the fleet down, whatever happens.

Usage: /usr/bin/python3 tests/fleet/run.py [SUBSTRING ...]
Environment: VMCONSOLE_FLEET_KEEP=1 leaves the fleet up afterwards;
  VMCONSOLE_FLEET_REUSE=1 uses a fleet that is up instead of a new one.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

import fleet as fleetmod  # noqa: E402
from suite import Suite, discover  # noqa: E402

# No single test may take longer; the suite as a whole is bounded by the
# caller (tests/run-all).
TEST_TIMEOUT = 120


def main(argv):
    tests = discover(HERE, "fleet", argv[1:])
    suite = Suite("fleet", TEST_TIMEOUT)
    if os.geteuid() != 0:
        for name, _ in tests:
            suite.report("SKIP", name, "the fleet needs root")
        return 0
    fleet = fleetmod.Fleet(log=suite.note)
    fleet.lock()
    try:
        try:
            if os.environ.get("VMCONSOLE_FLEET_REUSE") == "1" and \
                    fleet.sshd_pid("proxy1"):
                suite.note("VMCONSOLE_FLEET_REUSE=1: using the fleet that "
                           "is up")
            else:
                fleet.up()
        except Exception as e:
            suite.report("FAIL", "fleet.bed.up", e)
            suite.note_traceback(6)
            for name, _ in tests:
                suite.report("SKIP", name,
                             "the fleet could not be brought up")
            tests = []
        for name, fn in tests:
            t0 = time.monotonic()
            suite.run(name, _after_heal, fleet, fn)
            suite.note("  %s took %.1fs" % (name, time.monotonic() - t0))
    except KeyboardInterrupt:
        suite.note("interrupted; bringing the fleet down")
    finally:
        if os.environ.get("VMCONSOLE_FLEET_KEEP") == "1":
            suite.note("VMCONSOLE_FLEET_KEEP=1: leaving the fleet up")
        else:
            fleet.down()
    return suite.finish()


def _after_heal(fleet, fn):
    """Every test starts from a whole fleet: what an earlier test broke
    (a daemon stopped, a link cut) is mended first."""
    fleet.heal()
    fn(fleet)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
