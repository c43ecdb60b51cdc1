"""Logins during a storm of unknown keys: while up to STORM_CLIENTS ssh
clients at a time offer keys the manager does not know (from 127.0.0.2,
STORM_ATTEMPTS attempts at STORM_RATE a second), alice's logins from
127.0.0.1 are timed and checked, against the same logins on the quiet
proxy and during the same storm with the sshd limits shipped before, in
the same run. Registered in bench/run, which gives it the bed (the real
sshd with the shipped sshd_config, the manager over loopback HTTP).
"""

import os
import signal
import socket
import statistics
import subprocess
import threading
import time

from bed import PATH, SSHD, USER

# The storm: how many clients at a time, how many attempts in all, and the
# address they come from. sshd limits unauthenticated connections per
# source address (PerSourceMaxStartups): the storm comes from another
# loopback address than the legitimate client, as an attacker elsewhere on
# the network would.
STORM_CLIENTS = int(os.environ.get("BENCH_STORM_CLIENTS", "50"))
# The storm makes STORM_ATTEMPTS attempts, started at STORM_RATE a second
# at most (600 in 20 s): sshd refuses most of them at once, before
# authentication, and without a pace the storm's own ssh clients, which a
# real attacker runs elsewhere, would take this machine's CPU from the
# legitimate login being measured.
STORM_ATTEMPTS = int(os.environ.get("BENCH_STORM_ATTEMPTS", "600"))
STORM_RATE = float(os.environ.get("BENCH_STORM_RATE", "30"))
# Distinct unknown keys the storm offers, in turn.
STORM_KEYS = 600
STORM_SOURCE = "127.0.0.2"
LEGIT_SOURCE = "127.0.0.1"
# Legitimate logins timed while nothing else happens, and at most this
# many during the storm (one after another, as long as the storm lasts).
QUIET_LOGINS = 10
STORM_LOGINS_MAX = 60
# Goals: every legitimate login succeeds during the storm, and the median
# stays under half a second: a person notices more, and a quiet login
# takes a few hundred milliseconds.
STORM_MEDIAN_S = 0.5
# What sshd_config set before PerSourceMaxStartups, measured for reference.
PREVIOUS_LIMITS = ("LoginGraceTime 30", "MaxAuthTries 6",
                   "MaxStartups 10:30:100", "PerSourceMaxStartups none")
# How long the storm's clients may take to finish, whatever happens.
STORM_LIMIT_S = 120


def _note(msg):
    print("# " + msg, flush=True)


def _unknown_keys(bed, count):
    """count ed25519 key files the manager has never heard of."""
    d = os.path.join(bed.run_dir, "storm-keys")
    os.makedirs(d, mode=0o700, exist_ok=True)
    paths = []
    for i in range(count):
        path = os.path.join(d, "k%d" % i)
        if not os.path.exists(path):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                            "-C", "storm%d" % i, "-f", path], check=True,
                           stdout=subprocess.DEVNULL, timeout=30)
        paths.append(path)
    return paths


def _argv(bed, key_path, source, command):
    return ["ssh", "-F", "/dev/null", "-i", key_path,
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + bed.known_hosts,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "HostKeyAlgorithms=ssh-ed25519",
            "-o", "ConnectTimeout=20", "-o", "LogLevel=ERROR",
            "-b", source, "-p", str(bed.port), "-T", "-l", USER,
            "127.0.0.1", command]


def _env():
    return {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"}


def _login(bed):
    """alice lists her consoles; returns (seconds, None or why it
    failed)."""
    argv = _argv(bed, bed.keys["alice"].path, LEGIT_SOURCE, "list")
    started = time.monotonic()
    try:
        res = subprocess.run(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=60, env=_env())
    except subprocess.TimeoutExpired:
        return time.monotonic() - started, "no answer in 60s"
    secs = time.monotonic() - started
    out = res.stdout.decode(errors="replace")
    if res.returncode != 0 or "web01" not in out:
        return secs, "exit %d: %s" % (
            res.returncode, " ".join(res.stderr.decode(
                errors="replace").split())[:200])
    return secs, None


class Storm:
    """STORM_CLIENTS threads, each running ssh with the next unknown key
    when it is due, until STORM_ATTEMPTS attempts have been made."""

    def __init__(self, bed, keys):
        self.bed = bed
        self.keys = keys
        self.lock = threading.Lock()
        self.next = 0
        self.outcomes = {"denied": 0, "dropped": 0, "logged-in": 0,
                         "timeout": 0}
        self.threads = []
        self.started = self.ended = None

    def _take(self):
        """Returns the key of the next attempt once it is due, or None
        when the storm is over."""
        with self.lock:
            if self.next >= STORM_ATTEMPTS or \
                    time.monotonic() - self.started > STORM_LIMIT_S:
                return None
            n = self.next
            self.next += 1
        delay = self.started + n / STORM_RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return self.keys[n % len(self.keys)]

    def _count(self, outcome):
        with self.lock:
            self.outcomes[outcome] += 1

    def _client(self):
        while True:
            key = self._take()
            if key is None:
                return
            argv = _argv(self.bed, key, STORM_SOURCE, "list")
            try:
                res = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, timeout=60,
                                     env=_env())
            except subprocess.TimeoutExpired:
                self._count("timeout")
                continue
            err = res.stderr.decode(errors="replace")
            if res.returncode == 0:
                self._count("logged-in")
            elif "Permission denied" in err:
                self._count("denied")
            else:
                # refused before authentication: MaxStartups or
                # PerSourceMaxStartups, or LoginGraceTime ran out
                self._count("dropped")

    def start(self):
        self.started = time.monotonic()
        for _ in range(STORM_CLIENTS):
            t = threading.Thread(target=self._client, daemon=True)
            t.start()
            self.threads.append(t)

    def running(self):
        return any(t.is_alive() for t in self.threads)

    def join(self):
        for t in self.threads:
            t.join(STORM_LIMIT_S)
        self.ended = time.monotonic()


def _storm_phase(bed, keys):
    """Runs a storm and times legitimate logins meanwhile; returns (the
    Storm, seconds of the logins that succeeded, why the others
    failed)."""
    log_offset = bed.sshd_log_size()
    storm = Storm(bed, keys)
    storm.start()
    # let the storm fill sshd's unauthenticated slots first
    time.sleep(0.5)
    times, failures = [], []
    while storm.running() and len(times) + len(failures) < STORM_LOGINS_MAX:
        secs, why = _login(bed)
        if why:
            failures.append(why)
        else:
            times.append(secs)
        time.sleep(0.2)
    storm.join()
    o = storm.outcomes
    _note("storm: %d attempts in %.1fs from %s, %d at a time: %d denied, "
          "%d dropped before authentication, %d timed out, %d logged in; "
          "%d legitimate logins, %d failed"
          % (sum(o.values()), storm.ended - storm.started, STORM_SOURCE,
             STORM_CLIENTS, o["denied"], o["dropped"], o["timeout"],
             o["logged-in"], len(times) + len(failures), len(failures)))
    for why in failures[:3]:
        _note("storm: a legitimate login failed: %s" % why)
    # what sshd says about the connections it refused
    log = bed.sshd_log_since(log_offset)
    _note("storm: sshd log: %d \"past MaxStartups\", %d other \"drop "
          "connection\", %d \"Received SIGHUP\"" % (
              log.count("past MaxStartups"),
              log.count("drop connection") - log.count("past MaxStartups"),
              log.count("Received SIGHUP")))
    return storm, times, failures


def _restart_sshd(bed):
    """sshd re-executes itself on SIGHUP and reads its configuration
    again; returns once it accepts connections."""
    res = bed.run_as_user([SSHD, "-T", "-f", os.path.join(bed.etc,
                                                          "sshd_config")])
    _note("storm: sshd now reads %s" % ", ".join(
        ln for ln in res.stdout.decode().splitlines()
        if ln.split()[0] in ("maxstartups", "persourcemaxstartups",
                             "logingracetime")))
    os.kill(bed.sshd.pid, signal.SIGHUP)
    time.sleep(0.5)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", bed.port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("sshd did not listen again after SIGHUP")


def bench_storm(bed, res):
    """Legitimate logins while unknown keys are offered 50 at a time, with
    the shipped sshd_config and with the limits it had before."""
    keys = _unknown_keys(bed, STORM_KEYS)
    quiet, failed_quiet = [], []
    for _ in range(QUIET_LOGINS):
        secs, why = _login(bed)
        if why:
            failed_quiet.append(why)
        else:
            quiet.append(secs)
    if failed_quiet:
        raise AssertionError("a login failed on the quiet proxy: %s"
                             % failed_quiet[0])
    res.report("storm_quiet_login_median", statistics.median(quiet), "s")
    storm, times, failures = _storm_phase(bed, keys)
    o = storm.outcomes
    res.report("storm_attempts_per_s", sum(o.values()) /
               (storm.ended - storm.started), "1/s")
    res.report("storm_attempts_denied", o["denied"], "attempts")
    res.report("storm_attempts_dropped", o["dropped"], "attempts")
    res.report("storm_attempts_timed_out", o["timeout"], "attempts")
    res.report("storm_unknown_keys_logged_in", o["logged-in"], "logins",
               "=", 0)
    res.report("storm_legit_logins", len(times) + len(failures), "logins")
    res.report("storm_legit_logins_failed", len(failures), "logins", "=", 0)
    if not times:
        raise AssertionError("no legitimate login succeeded during the "
                             "storm")
    res.report("storm_legit_login_median", statistics.median(times), "s",
               "<", STORM_MEDIAN_S)
    res.report("storm_legit_login_max", max(times), "s")

    # The same storm against the limits sshd_config shipped before, for
    # reference: a drop-in read before the main file, whose first values
    # win.
    dropin = os.path.join(bed.etc, "sshd_config.d", "40-bench-storm.conf")
    with open(dropin, "w") as f:
        f.write("# Written by bench/storm.py: the previous limits.\n"
                "%s\n" % "\n".join(PREVIOUS_LIMITS))
    try:
        _restart_sshd(bed)
        storm, times, failures = _storm_phase(bed, keys)
    finally:
        os.unlink(dropin)
        _restart_sshd(bed)
    res.report("storm_previous_limits_legit_logins_failed", len(failures),
               "logins")
    if times:
        res.report("storm_previous_limits_legit_login_median",
                   statistics.median(times), "s")
