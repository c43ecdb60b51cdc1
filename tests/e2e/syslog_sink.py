"""A stand-in syslog daemon for the bed: when the machine has no /dev/log,
binds a Unix datagram socket there for the run and keeps every message, so
tests can read the audit lines the programs send with syslog(3).

A /dev/log that exists already belongs to the machine's syslog daemon and
is never touched; the sink then stays off and says why (tests that need it
report SKIP). The socket the sink creates is recorded in a marker file, so
one left behind by a killed run is recognised and replaced.
"""

import os
import re
import socket
import stat
import threading
import time

DEV_LOG = "/dev/log"

# "<PRI>Mmm dd hh:mm:ss ident[pid]: text", as glibc's syslog() sends it.
_MESSAGE = re.compile(r"<(?P<pri>\d{1,3})>"
                      r"(?P<stamp>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) "
                      r"(?P<ident>[^\[:\s]+)(?:\[(?P<pid>\d+)\])?: "
                      r"(?P<text>.*)\Z", re.S)

LOG_AUTHPRIV = 10


class Message:
    """One syslog datagram, split into its fields."""

    def __init__(self, raw):
        self.raw = raw
        m = _MESSAGE.match(raw)
        self.parsed = m is not None
        self.pri = int(m.group("pri")) if m else None
        self.facility = self.pri >> 3 if m else None
        self.severity = self.pri & 7 if m else None
        self.ident = m.group("ident") if m else None
        self.pid = int(m.group("pid")) if m and m.group("pid") else None
        self.text = m.group("text").rstrip("\n") if m else raw

    def __repr__(self):
        return "Message(%r)" % self.raw


class SyslogSink:
    def __init__(self, marker):
        self.marker = marker          # records the socket we created
        self.sock = None
        self.thread = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.messages = []
        self.unavailable = None       # why the sink is off, once started

    # --- life cycle ----------------------------------------------------

    def _ours(self, st):
        """True when st is the socket a previous run of the bed made."""
        try:
            with open(self.marker) as f:
                dev, ino = (int(x) for x in f.read().split())
        except (OSError, ValueError):
            return False
        return stat.S_ISSOCK(st.st_mode) and (st.st_dev, st.st_ino) == \
            (dev, ino)

    def _remove_stale(self):
        """Returns True when DEV_LOG is free for the sink (absent, or a
        socket a killed run of the bed left and nobody listens on)."""
        try:
            st = os.lstat(DEV_LOG)
        except FileNotFoundError:
            return True
        if not self._ours(st):
            return False
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            probe.connect(DEV_LOG)
            return False              # another bed is running right now
        except ConnectionRefusedError:
            os.unlink(DEV_LOG)
            return True
        except OSError:
            return False
        finally:
            probe.close()

    def start(self):
        if not self._remove_stale():
            self.unavailable = ("%s exists and was not created by this bed "
                                "(a syslog daemon or another test run owns "
                                "it): audit lines cannot be read" % DEV_LOG)
            return False
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            sock.bind(DEV_LOG)
            # The test user's programs log here too.
            os.chmod(DEV_LOG, 0o666)
            st = os.lstat(DEV_LOG)
            os.makedirs(os.path.dirname(self.marker), mode=0o755,
                        exist_ok=True)
            with open(self.marker, "w") as f:
                f.write("%d %d\n" % (st.st_dev, st.st_ino))
        except OSError as e:
            sock.close()
            self.unavailable = "cannot bind %s: %s" % (DEV_LOG, e)
            return False
        sock.settimeout(0.2)
        self.sock = sock
        self.thread = threading.Thread(target=self._collect,
                                       name="syslog-sink", daemon=True)
        self.thread.start()
        return True

    def _collect(self):
        while not self.stopping.is_set():
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.messages.append(Message(data.decode(errors="replace")))

    def stop(self):
        """Stops collecting and removes the socket if the sink made it."""
        if self.sock is None:
            return
        self.stopping.set()
        self.thread.join(5)
        try:
            if self._ours(os.lstat(DEV_LOG)):
                os.unlink(DEV_LOG)
        except FileNotFoundError:
            pass
        try:
            os.unlink(self.marker)
        except FileNotFoundError:
            pass
        self.sock.close()
        self.sock = None

    # --- reading -------------------------------------------------------

    def mark(self):
        """Returns a position: since(mark) gives what arrived after it."""
        with self.lock:
            return len(self.messages)

    def since(self, mark=0):
        with self.lock:
            return list(self.messages[mark:])

    def wait_for(self, predicate, mark=0, timeout=30):
        """Returns the first message after mark that predicate accepts,
        waiting up to timeout seconds for it to arrive, or None."""
        deadline = time.monotonic() + timeout
        while True:
            for msg in self.since(mark):
                if predicate(msg):
                    return msg
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)
