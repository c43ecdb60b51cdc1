"""Runs the end-to-end tests: sets the bed up once, runs every test_*
function of the test_*.py files here (in file order, then definition order),
prints one PASS/FAIL/SKIP line per test and tears the bed down, whatever
happens.

Usage: /usr/bin/python3 tests/e2e/run.py [SUBSTRING ...]
  Only tests whose name contains one of the substrings run.
Environment: VMCONSOLE_E2E_KEEP=1 leaves the bed running afterwards
  (for debugging; the next run stops it first).
"""

import importlib
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bed import Bed, Skip  # noqa: E402

TEST_TIMEOUT = 300


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
                name = "e2e.%s.%s" % (suite, attr)
                if not filters or any(f in name for f in filters):
                    tests.append((name, fn))
    return tests


def _one_line(text):
    return " ".join(str(text).split())[:400]


def main(argv):
    filters = argv[1:]
    tests = _discover(filters)
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
    bed = Bed(log=note)
    started = time.monotonic()
    try:
        try:
            bed.setup()
        except Skip as e:
            for name, _ in tests:
                report("SKIP", name, e)
            tests = []
        except Exception as e:  # BedError or anything unforeseen
            report("FAIL", "e2e.bed.setup", e)
            for line in traceback.format_exc().splitlines()[-6:]:
                note(line)
            for name, _ in tests:
                report("SKIP", name, "the bed could not be set up")
            tests = []
        if tests:
            note("bed ready in %ds: sshd on 127.0.0.1:%d, manager http %d "
                 "https %d" % (time.monotonic() - started, bed.port,
                               bed.manager.http_port,
                               bed.manager.https_port))
        for name, fn in tests:
            try:
                bed.reset()
                signal.alarm(TEST_TIMEOUT)
                try:
                    fn(bed)
                finally:
                    signal.alarm(0)
            except Skip as e:
                report("SKIP", name, e)
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
    except KeyboardInterrupt:
        note("interrupted; tearing the bed down")
    finally:
        if os.environ.get("VMCONSOLE_E2E_KEEP") == "1" and tests:
            note("VMCONSOLE_E2E_KEEP=1: leaving the bed running")
        else:
            bed.teardown()
    line = "%d passed, %d failed" % (counts["PASS"], counts["FAIL"])
    if counts["SKIP"]:
        line += ", %d skipped" % counts["SKIP"]
    print("e2e: " + line, flush=True)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
