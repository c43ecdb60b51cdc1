"""What the end-to-end and fleet runners share: finding the test_*
functions of a directory's test_*.py files, running each under a time
limit, and printing one PASS/FAIL/SKIP line per test and the closing
"N passed, N failed" line.

A test passes when it returns, is skipped when it raises the suite's Skip,
and fails on anything else: an assertion, an exception (a broken test is a
failed test) or its time limit.
"""

import importlib
import os
import signal
import traceback


class _TestTimeout(Exception):
    pass


def _terminate(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def _one_line(text):
    return " ".join(str(text).split())[:400]


def discover(directory, prefix, filters):
    """(name, function) of every test in DIRECTORY, in file order then
    definition order, named PREFIX.FILE.FUNCTION; only those whose name
    contains one of FILTERS when any are given. DIRECTORY must be on
    sys.path."""
    tests = []
    for fname in sorted(os.listdir(directory)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = importlib.import_module(fname[:-3])
        suite = fname[len("test_"):-3]
        for attr, fn in vars(mod).items():
            if attr.startswith("test_") and callable(fn):
                name = "%s.%s.%s" % (prefix, suite, attr)
                if not filters or any(f in name for f in filters):
                    tests.append((name, fn))
    return tests


class Suite:
    """Counts and prints the outcome of each test. Construct it before
    anything long starts: SIGTERM and SIGHUP then end the run as an
    interruption, so the caller's finally: clauses tear down what it set
    up."""

    def __init__(self, label, test_timeout, skip=()):
        self.label = label
        self.test_timeout = test_timeout
        self.skip = tuple(skip)
        self.counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGHUP, _terminate)
        signal.signal(signal.SIGALRM, self._alarm)

    def _alarm(self, signum, frame):
        raise _TestTimeout("test did not finish within %ds" %
                           self.test_timeout)

    def report(self, kind, name, reason=None):
        self.counts[kind] += 1
        line = "%s: %s" % (kind, name)
        if reason:
            line += ": " + _one_line(reason)
        print(line, flush=True)

    @staticmethod
    def note(msg):
        print("# " + msg, flush=True)

    def note_traceback(self, lines):
        for line in traceback.format_exc().splitlines()[-lines:]:
            self.note(line)

    def run(self, name, fn, *args):
        """Runs FN(*ARGS) as the test NAME within the time limit and
        reports it. A KeyboardInterrupt is reported and raised again."""
        try:
            signal.alarm(self.test_timeout)
            try:
                fn(*args)
            finally:
                signal.alarm(0)
        except self.skip as e:
            self.report("SKIP", name, e)
        except KeyboardInterrupt:
            self.report("FAIL", name, "interrupted")
            raise
        except AssertionError as e:
            self.report("FAIL", name, e or "assertion failed")
            tb = traceback.extract_tb(e.__traceback__)
            if tb:
                self.note("  at %s:%d" % (os.path.basename(tb[-1].filename),
                                          tb[-1].lineno))
        except Exception as e:  # a broken test is a failed test
            self.report("FAIL", name, "%s: %s" % (type(e).__name__, e))
            self.note_traceback(4)
        else:
            self.report("PASS", name)

    def finish(self):
        """Prints the closing line; returns the exit status."""
        line = "%d passed, %d failed" % (self.counts["PASS"],
                                         self.counts["FAIL"])
        if self.counts["SKIP"]:
            line += ", %d skipped" % self.counts["SKIP"]
        print("%s: %s" % (self.label, line), flush=True)
        return 1 if self.counts["FAIL"] else 0
