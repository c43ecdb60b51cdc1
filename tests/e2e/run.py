"""Runs the end-to-end tests: sets the bed up once, runs every test_*
function of the test_*.py files here (in file order, then definition order),
prints one PASS/FAIL/SKIP line per test and tears the bed down, whatever
happens.

Usage: /usr/bin/python3 tests/e2e/run.py [SUBSTRING ...]
  Only tests whose name contains one of the substrings run.
Environment: VMCONSOLE_E2E_KEEP=1 leaves the bed running afterwards
  (for debugging; the next run stops it first).
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

from bed import Bed, Skip  # noqa: E402
from suite import Suite, discover  # noqa: E402

TEST_TIMEOUT = 300


def main(argv):
    tests = discover(HERE, "e2e", argv[1:])
    suite = Suite("e2e", TEST_TIMEOUT, skip=(Skip,))
    bed = Bed(log=suite.note)
    started = time.monotonic()
    try:
        try:
            bed.setup()
        except Skip as e:
            for name, _ in tests:
                suite.report("SKIP", name, e)
            tests = []
        except Exception as e:  # BedError or anything unforeseen
            suite.report("FAIL", "e2e.bed.setup", e)
            suite.note_traceback(6)
            for name, _ in tests:
                suite.report("SKIP", name, "the bed could not be set up")
            tests = []
        if tests:
            suite.note("bed ready in %ds: sshd on 127.0.0.1:%d, manager "
                       "http %d https %d" %
                       (time.monotonic() - started, bed.port,
                        bed.manager.http_port, bed.manager.https_port))
        for name, fn in tests:
            suite.run(name, _after_reset, bed, fn)
    except KeyboardInterrupt:
        suite.note("interrupted; tearing the bed down")
    finally:
        if os.environ.get("VMCONSOLE_E2E_KEEP") == "1" and tests:
            suite.note("VMCONSOLE_E2E_KEEP=1: leaving the bed running")
        else:
            bed.teardown()
    return suite.finish()


def _after_reset(bed, fn):
    """Every test starts from the bed's initial state."""
    bed.reset()
    fn(bed)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
