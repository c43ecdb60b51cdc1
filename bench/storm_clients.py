#!/usr/bin/python3 -B
"""The storm's side of bench/storm.py, in a process of its own: up to
CLIENTS ssh clients at a time offer keys the manager does not know, one
attempt after another, ATTEMPTS in all, started at RATE a second at most.
Prints one JSON object: the attempts' outcomes, how long the storm lasted
and the CPU time this process and its ssh clients used.

A process apart from the bench's own, because an attacker's clients run
elsewhere: in the bench's process their 50 threads would share one
interpreter lock with the test manager answering the proxy and with the
timing of the legitimate logins, and slow both down in a way no proxy
would see. With --cgroup, it first moves itself (and so every ssh client
it starts) into that cgroup, for a run whose clients have a CPU limit.

Usage: storm_clients.py JSON-ARGS   (see main() for the keys)
"""

import json
import os
import resource
import subprocess
import sys
import threading
import time

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# An attempt that has not ended after this long is counted as timed out.
ATTEMPT_LIMIT_S = 60


def ssh_argv(port, known_hosts, key_path, source, user, command):
    """ssh as the bench's clients run it: one key, no agent, no prompt."""
    return ["ssh", "-F", "/dev/null", "-i", key_path,
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + known_hosts,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "HostKeyAlgorithms=ssh-ed25519",
            "-o", "ConnectTimeout=20", "-o", "LogLevel=ERROR",
            "-b", source, "-p", str(port), "-T", "-l", user,
            "127.0.0.1", command]


def ssh_env():
    return {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"}


class Storm:
    """The clients, each a thread running ssh with the next unknown key
    when it is due, until every attempt has been made."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.next = 0
        self.outcomes = {"denied": 0, "dropped": 0, "logged-in": 0,
                         "timeout": 0}
        self.started = None

    def _take(self):
        """Returns the key of the next attempt once it is due, or None
        when the storm is over."""
        a = self.args
        with self.lock:
            if self.next >= a["attempts"] or \
                    time.monotonic() - self.started > a["limit_s"]:
                return None
            n = self.next
            self.next += 1
        delay = self.started + n / a["rate"] - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return a["keys"][n % len(a["keys"])]

    def _count(self, outcome):
        with self.lock:
            self.outcomes[outcome] += 1

    def _client(self):
        a = self.args
        while True:
            key = self._take()
            if key is None:
                return
            argv = ssh_argv(a["port"], a["known_hosts"], key, a["source"],
                            a["user"], "list")
            try:
                res = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE,
                                     timeout=ATTEMPT_LIMIT_S, env=ssh_env())
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

    def run(self):
        self.started = time.monotonic()
        threads = [threading.Thread(target=self._client, daemon=True)
                   for _ in range(self.args["clients"])]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.args["limit_s"] + ATTEMPT_LIMIT_S)
        return time.monotonic() - self.started


def _cpu_s(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main(argv):
    """argv[1]: a JSON object with port, known_hosts, source, user, keys
    (paths), clients, attempts, rate, limit_s and cgroup (a cgroup's
    procs or tasks file, or null)."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    args = json.loads(argv[1])
    if args.get("cgroup"):
        with open(args["cgroup"], "w") as f:
            f.write("%d\n" % os.getpid())
    storm = Storm(args)
    seconds = storm.run()
    json.dump({"outcomes": storm.outcomes, "seconds": seconds,
               "clients_cpu_s": _cpu_s(resource.RUSAGE_CHILDREN),
               "driver_cpu_s": _cpu_s(resource.RUSAGE_SELF)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
