"""Runs the fleet tests: brings the fleet up once, runs every test_*
function of the test_*.py files here (file order, then definition order)
with the fleet healed before each, prints one PASS/FAIL/SKIP line per test
and brings the fleet down, whatever happens.

Usage: /usr/bin/python3 tests/fleet/run.py [SUBSTRING ...]
Environment: VMCONSOLE_FLEET_KEEP=1 leaves the fleet up afterwards;
  VMCONSOLE_FLEET_REUSE=1 uses a fleet that is up instead of a new one.
"""

import importlib
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fleet as fleetmod  # noqa: E402

# No single test may take longer; the suite as a whole is bounded by the
# caller (tests/run-all).
TEST_TIMEOUT = 120


class _TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise _TestTimeout("test did not finish within %ds" % TEST_TIMEOUT)


def _terminate(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def _discover(filters):
    tests = []
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = importlib.import_module(fname[:-3])
        suite = fname[len("test_"):-3]
        for attr, fn in vars(mod).items():
            if attr.startswith("test_") and callable(fn):
                name = "fleet.%s.%s" % (suite, attr)
                if not filters or any(f in name for f in filters):
                    tests.append((name, fn))
    return tests


def _one_line(text):
    return " ".join(str(text).split())[:400]


def main(argv):
    tests = _discover(argv[1:])
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}

    def report(kind, name, reason=None):
        counts[kind] += 1
        line = "%s: %s" % (kind, name)
        if reason:
            line += ": " + _one_line(reason)
        print(line, flush=True)

    def note(msg):
        print("# " + msg, flush=True)

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    signal.signal(signal.SIGALRM, _alarm)
    if os.geteuid() != 0:
        for name, _ in tests:
            report("SKIP", name, "the fleet needs root")
        return 0
    fleet = fleetmod.Fleet(log=note)
    fleet.lock()
    try:
        try:
            if os.environ.get("VMCONSOLE_FLEET_REUSE") == "1" and \
                    fleet.sshd_pid("proxy1"):
                note("VMCONSOLE_FLEET_REUSE=1: using the fleet that is up")
            else:
                fleet.up()
        except Exception as e:
            report("FAIL", "fleet.bed.up", e)
            for line in traceback.format_exc().splitlines()[-6:]:
                note(line)
            for name, _ in tests:
                report("SKIP", name, "the fleet could not be brought up")
            tests = []
        for name, fn in tests:
            t0 = time.monotonic()
            try:
                signal.alarm(TEST_TIMEOUT)
                try:
                    fleet.heal()
                    fn(fleet)
                finally:
                    signal.alarm(0)
            except KeyboardInterrupt:
                report("FAIL", name, "interrupted")
                raise
            except AssertionError as e:
                report("FAIL", name, e or "assertion failed")
                tb = traceback.extract_tb(e.__traceback__)
                if tb:
                    note("  at %s:%d" % (os.path.basename(tb[-1].filename),
                                         tb[-1].lineno))
            except Exception as e:  # a broken test is a failed test
                report("FAIL", name, "%s: %s" % (type(e).__name__, e))
                for line in traceback.format_exc().splitlines()[-4:]:
                    note(line)
            else:
                report("PASS", name)
            note("  %s took %.1fs" % (name, time.monotonic() - t0))
    except KeyboardInterrupt:
        note("interrupted; bringing the fleet down")
    finally:
        signal.alarm(0)
        if os.environ.get("VMCONSOLE_FLEET_KEEP") == "1":
            note("VMCONSOLE_FLEET_KEEP=1: leaving the fleet up")
        else:
            fleet.down()
    line = "%d passed, %d failed" % (counts["PASS"], counts["FAIL"])
    if counts["SKIP"]:
        line += ", %d skipped" % counts["SKIP"]
    print("fleet: " + line, flush=True)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
