"""Logins during a storm of unknown keys: while up to STORM_CLIENTS ssh
clients at a time offer keys the manager does not know (from 127.0.0.2,
STORM_ATTEMPTS attempts at STORM_RATE a second), alice's logins from
127.0.0.1 are timed and checked, against the same logins on the quiet
proxy, in the same run: during the storm with the shipped configuration,
during the same storm with its clients under a CPU limit (for reference:
they share this machine with the proxy), and with the sshd limits
shipped before. For each storm, the machine's CPU by kind of process.
Registered in bench/run, which gives it the bed (the real sshd with the
shipped sshd_config, the manager over loopback HTTP); the bed's test
settings that production would not have (sshd's debug logging, the
authkeys' debug logging, no fresh cache) are set back to the shipped
values here.
"""

import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

import cpu_by_kind
from bed import SSHD, USER
from storm_clients import ATTEMPT_LIMIT_S, ssh_argv, ssh_env

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
STORM_CLIENTS_PROGRAM = os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "storm_clients.py")
# The reference run whose storm clients share this much of one CPU.
STORM_CLIENTS_CPU = float(os.environ.get("BENCH_STORM_CLIENTS_CPU", "1.0"))
CGROUP_NAME = "vmconsole-bench-storm"
# The bench's own sshd drop-in (the shipped log level; the previous limits).
DROPIN = "40-bench-storm.conf"


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


def _login(bed):
    """alice lists her consoles; returns (seconds, None or why it
    failed)."""
    argv = ssh_argv(bed.port, bed.known_hosts, bed.keys["alice"].path,
                    LEGIT_SOURCE, USER, "list")
    started = time.monotonic()
    try:
        res = subprocess.run(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=60, env=ssh_env())
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
    """bench/storm_clients.py, the storm's clients in a process of their
    own (optionally in a cgroup that limits their CPU)."""

    def __init__(self, bed, keys, cgroup=None):
        self.args = {"port": bed.port, "known_hosts": bed.known_hosts,
                     "source": STORM_SOURCE, "user": USER, "keys": keys,
                     "clients": STORM_CLIENTS, "attempts": STORM_ATTEMPTS,
                     "rate": STORM_RATE, "limit_s": STORM_LIMIT_S,
                     "cgroup": cgroup}
        self.proc = None
        self.outcomes = self.seconds = self.cpu_s = None

    def start(self):
        # A session of its own: with the kernel's autogroup scheduling,
        # processes of one session share one CPU share, and an attacker's
        # clients do not share one with the user's ssh client (the
        # bench's child), as here they otherwise would.
        self.proc = subprocess.Popen(
            [sys.executable, "-B", STORM_CLIENTS_PROGRAM,
             json.dumps(self.args)], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, env=ssh_env(), start_new_session=True)

    def running(self):
        return self.proc.poll() is None

    def join(self):
        try:
            out, _ = self.proc.communicate(
                timeout=STORM_LIMIT_S + ATTEMPT_LIMIT_S + 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the storm's clients did not end")
        if self.proc.returncode != 0:
            raise AssertionError("storm_clients.py exited with %d"
                                 % self.proc.returncode)
        res = json.loads(out)
        self.outcomes = res["outcomes"]
        self.seconds = res["seconds"]
        self.cpu_s = res["clients_cpu_s"] + res["driver_cpu_s"]


def _storm_phase(bed, keys, label, cgroup=None):
    """Runs a storm and times legitimate logins meanwhile; returns (the
    Storm, seconds of the logins that succeeded, why the others failed,
    CPU seconds by kind of process during the storm)."""
    log_offset = bed.sshd_log_size()
    storm = Storm(bed, keys, cgroup)
    cpu_before = cpu_by_kind.take(bed.sshd.pid)
    children_before = _children_cpu_s()
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
    cpu = cpu_by_kind.delta(cpu_before, cpu_by_kind.take(bed.sshd.pid))
    cpu["storm's ssh clients"] = storm.cpu_s
    # the bench's children: the storm's process and the timed logins
    cpu["legitimate ssh clients"] = max(
        0.0, _children_cpu_s() - children_before - storm.cpu_s)
    o = storm.outcomes
    _note("storm%s: %d attempts in %.1fs from %s, %d at a time: %d denied, "
          "%d dropped before authentication, %d timed out, %d logged in; "
          "%d legitimate logins, %d failed"
          % (label, sum(o.values()), storm.seconds, STORM_SOURCE,
             STORM_CLIENTS, o["denied"], o["dropped"], o["timeout"],
             o["logged-in"], len(times) + len(failures), len(failures)))
    for why in failures[:3]:
        _note("storm%s: a legitimate login failed: %s" % (label, why))
    # what sshd says about the connections it refused
    log = bed.sshd_log_since(log_offset)
    _note("storm%s: sshd log: %d \"past MaxStartups\", %d other \"drop "
          "connection\"" % (
              label, log.count("past MaxStartups"),
              log.count("drop connection") - log.count("past MaxStartups")))
    _note("storm%s: CPU during the storm, %% of the machine: %s" % (
        label, _cpu_shares(cpu)))
    return storm, times, failures, cpu


def _children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cpu_shares(cpu):
    """"kind N%, …" of the machine's CPU (all cores) during a storm; what
    no kind accounts for is other work on the machine."""
    total = cpu["machine all"]
    kinds = [k for k in cpu if not k.startswith("machine")]
    parts = ["%s %.0f%%" % (k, 100 * cpu[k] / total) for k in kinds]
    other = cpu["machine busy"] - sum(cpu[k] for k in kinds)
    parts.append("other %.0f%%" % (100 * max(0.0, other) / total))
    parts.append("idle %.0f%%" % (100 * (total - cpu["machine busy"])
                                  / total))
    return ", ".join(parts)


def _shipped_value(path, key):
    """The value of key in a shipped configuration file ("key value" or
    "key = value" lines)."""
    with open(path) as f:
        for line in f:
            words = line.replace("=", " ").split()
            if len(words) == 2 and words[0] == key:
                return words[1]
    raise AssertionError("%s sets no %s" % (path, key))


def _write_dropin(bed, lines):
    """The bench's sshd drop-in, read before the bed's own (whose
    LogLevel DEBUG1 serves the tests) and so winning for first-value
    keywords."""
    with open(os.path.join(bed.etc, "sshd_config.d", DROPIN), "w") as f:
        f.write("# Written by bench/storm.py.\n%s\n" % "\n".join(lines))


def _restart_sshd(bed):
    """sshd re-executes itself on SIGHUP and reads its configuration
    again; returns once it accepts connections."""
    res = bed.run_as_user([SSHD, "-T", "-f", os.path.join(bed.etc,
                                                          "sshd_config")])
    _note("storm: sshd now reads %s" % ", ".join(
        ln for ln in res.stdout.decode().splitlines()
        if ln.split()[0] in ("maxstartups", "persourcemaxstartups",
                             "logingracetime", "loglevel")))
    os.kill(bed.sshd.pid, signal.SIGHUP)
    time.sleep(0.5)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", bed.port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("sshd did not listen again after SIGHUP")


def _cpu_limited_cgroup():
    """Makes a cgroup whose processes share STORM_CLIENTS_CPU of one CPU;
    returns (its procs file, None) or (None, why there is none)."""
    quota = int(STORM_CLIENTS_CPU * 100000)
    v1 = "/sys/fs/cgroup/cpu"
    v2 = "/sys/fs/cgroup"
    try:
        if os.path.exists(os.path.join(v1, "cpu.cfs_quota_us")):
            d = os.path.join(v1, CGROUP_NAME)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "cpu.cfs_period_us"), "w") as f:
                f.write("100000\n")
            with open(os.path.join(d, "cpu.cfs_quota_us"), "w") as f:
                f.write("%d\n" % quota)
        elif os.path.exists(os.path.join(v2, "cgroup.subtree_control")):
            with open(os.path.join(v2, "cgroup.subtree_control")) as f:
                if "cpu" not in f.read().split():
                    return None, "the cgroup v2 cpu controller is off"
            d = os.path.join(v2, CGROUP_NAME)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "cpu.max"), "w") as f:
                f.write("%d 100000\n" % quota)
        else:
            return None, "no cgroup cpu controller"
    except OSError as e:
        return None, "cannot make a cgroup: %s" % e
    return os.path.join(d, "cgroup.procs"), None


def _remove_cgroup(procs):
    try:
        os.rmdir(os.path.dirname(procs))
    except OSError as e:
        _note("storm: cannot remove %s: %s" % (os.path.dirname(procs), e))


def _report_cpu(res, prefix, cpu, attempts):
    total = cpu["machine all"]
    # per storm attempt: what the attacker's side and the proxy's side
    # each spent (the legitimate logins' share of the latter is small)
    res.report("%s_clients_cpu_per_attempt" % prefix,
               1000 * cpu["storm's ssh clients"] / attempts, "ms")
    res.report("%s_sshd_cpu_per_attempt" % prefix,
               1000 * (cpu["sshd listener"] + cpu["sshd connections"])
               / attempts, "ms")
    for kind in ("sshd listener", "sshd connections", "storm's ssh clients",
                 "legitimate ssh clients", "bench and test manager", "qemu",
                 "libvirtd"):
        res.report("%s_cpu_%s" % (prefix, kind.replace("'s", "").replace(
            " ", "_")), 100 * cpu[kind] / total, "%")
    res.report("%s_cpu_machine_busy" % prefix,
               100 * cpu["machine busy"] / total, "%")


def bench_storm(bed, res):
    """Legitimate logins while unknown keys are offered 50 at a time, with
    the shipped configuration, the same with the storm's clients under a
    CPU limit, and with the sshd limits shipped before."""
    keys = _unknown_keys(bed, STORM_KEYS)
    # The shipped configuration: the bed's test settings (debug logging,
    # no fresh cache) would make every attempt dearer than in production.
    vmconsole_conf = os.path.join(bed.etc, "vmconsole.conf")
    bed.configure("http", **{
        k: _shipped_value(vmconsole_conf, k)
        for k in ("cache_fresh", "log_level")})
    shipped_log_level = _shipped_value(os.path.join(bed.etc, "sshd_config"),
                                       "LogLevel")
    shipped = ["LogLevel %s" % shipped_log_level]
    _write_dropin(bed, shipped)
    try:
        _restart_sshd(bed)
        _bench_storm_phases(bed, res, keys, shipped)
    finally:
        os.unlink(os.path.join(bed.etc, "sshd_config.d", DROPIN))
        _restart_sshd(bed)


def _bench_storm_phases(bed, res, keys, shipped):
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
    storm, times, failures, cpu = _storm_phase(bed, keys, "")
    o = storm.outcomes
    res.report("storm_attempts_per_s", sum(o.values()) / storm.seconds,
               "1/s")
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
    _report_cpu(res, "storm", cpu, sum(o.values()))

    # The same storm with its clients under a CPU limit: on this machine
    # they run beside the proxy, where an attacker's would run elsewhere.
    # For reference, beside the figures above, never instead of them.
    procs, why = _cpu_limited_cgroup()
    if procs is None:
        _note("storm: no run with the clients' CPU limited: %s" % why)
    else:
        try:
            storm, times, failures, cpu = _storm_phase(
                bed, keys, " (clients limited to %.2f CPU)"
                % STORM_CLIENTS_CPU, procs)
        finally:
            _remove_cgroup(procs)
        o = storm.outcomes
        res.report("storm_clients_cpu_limited_attempts_per_s",
                   sum(o.values()) / storm.seconds, "1/s")
        res.report("storm_clients_cpu_limited_attempts_denied",
                   o["denied"], "attempts")
        res.report("storm_clients_cpu_limited_legit_logins_failed",
                   len(failures), "logins")
        if times:
            res.report("storm_clients_cpu_limited_legit_login_median",
                       statistics.median(times), "s")

    # The same storm against the limits sshd_config shipped before, for
    # reference: the drop-in is read before the main file, whose first
    # values win.
    _write_dropin(bed, shipped + list(PREVIOUS_LIMITS))
    _restart_sshd(bed)
    storm, times, failures, cpu = _storm_phase(bed, keys,
                                               " (previous limits)")
    res.report("storm_previous_limits_legit_logins_failed", len(failures),
               "logins")
    if times:
        res.report("storm_previous_limits_legit_login_median",
                   statistics.median(times), "s")
