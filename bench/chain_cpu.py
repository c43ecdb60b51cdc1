"""Where the CPU goes while console output crosses the chain of processes
between the guest and the user: QEMU, libvirtd, the console's broker, the
console helper, sshd, the ssh client, virsh, and the bench itself reading
the terminal. Read from /proc, summed over every thread of a process:
schedstat's nanoseconds on a CPU (not clock ticks, which are too coarse
for a transfer of a second) and the context switches in status
(voluntary ones are the wake-ups of a process that waited for input).

Optionally (BENCH_VIRTIO_PROFILE=1 in throughput.py) `perf stat` counts
the I/O and poll system calls of each process during a transfer, which
gives the bytes per read and per write along the chain.
"""

import os
import signal
import subprocess

# The parts a process can play, in the order the output crosses them.
ROLES = ("qemu", "libvirtd", "broker", "helper", "sshd", "ssh", "virsh",
         "client", "other")
# System calls counted by profile(): reads and writes of every kind, and
# the waits of an event loop (one per wake-up).
SYSCALLS = ("read", "write", "readv", "writev", "recvfrom", "sendto",
            "recvmsg", "sendmsg", "poll", "ppoll", "epoll_wait", "select",
            "pselect6")


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def _threads(pid):
    """(nanoseconds on a CPU, voluntary and involuntary context
    switches) of pid summed over its threads, or None once it is gone."""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except (FileNotFoundError, ProcessLookupError):
        return None
    ns = vol = invol = 0
    for tid in tids:
        sched = _read("/proc/%d/task/%s/schedstat" % (pid, tid))
        status = _read("/proc/%d/task/%s/status" % (pid, tid))
        if sched is None or status is None:
            continue
        ns += int(sched.split()[0])
        for line in status.splitlines():
            if line.startswith(b"voluntary_ctxt_switches:"):
                vol += int(line.split()[1])
            elif line.startswith(b"nonvoluntary_ctxt_switches:"):
                invol += int(line.split()[1])
    return ns, vol, invol


def role_of(pid, guest):
    """The part pid plays on the path of guest's console output."""
    if pid == os.getpid():
        return "client"
    comm = (_read("/proc/%d/comm" % pid) or b"").strip()
    argv = (_read("/proc/%d/cmdline" % pid) or b"").split(b"\0")
    if comm.startswith(b"qemu-system"):
        return "qemu" if b"guest=" + guest.encode() in b",".join(argv) \
            else "other"
    if comm == b"console-broker":
        return "broker"
    if argv[0].endswith(b"vmconsole-console-helper"):
        return "helper"
    if comm in (b"libvirtd", b"sshd", b"ssh", b"virsh"):
        return comm.decode()
    return "other"


def snapshot(guest):
    """{pid: (role, ns, voluntary, involuntary)} of every process."""
    snap = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        t = _threads(pid)
        if t is not None:
            snap[pid] = (role_of(pid, guest),) + t
    return snap


def delta(before, after):
    """{role: [ms on a CPU, wake-ups, preemptions]} between two snapshots
    of the processes alive in both (the chain lives through a transfer;
    what started meanwhile counts from zero)."""
    out = {r: [0.0, 0, 0] for r in ROLES}
    for pid, (role, ns, vol, invol) in after.items():
        b = before.get(pid)
        if b is not None and b[0] != role:
            b = None
        bns, bvol, binvol = (b[1], b[2], b[3]) if b else (0, 0, 0)
        acc = out[role]
        acc[0] += (ns - bns) / 1e6
        acc[1] += vol - bvol
        acc[2] += invol - binvol
    return out


def pids_of(snap, roles):
    """{role: [pid, ...]} of the roles asked for."""
    out = {r: [] for r in roles}
    for pid, v in snap.items():
        if v[0] in out:
            out[v[0]].append(pid)
    return out


class Profile:
    """`perf stat` counting SYSCALLS in each process of the chain, and
    `perf record` sampling its stacks (PID.data files in out_dir), from
    construction to stop()."""

    def __init__(self, pids_by_role, out_dir):
        self.runs = []
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        events = ",".join("syscalls:sys_enter_" + s for s in SYSCALLS)
        for role, pids in pids_by_role.items():
            for pid in pids:
                path = os.path.join(out_dir, "%s-%d.perf" % (role, pid))
                p = subprocess.Popen(
                    ["perf", "stat", "-x", ",", "-e", events, "-p",
                     str(pid), "-o", path],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.runs.append((role, pid, path, p))
                # where in the program the time goes: perf report -i
                rec = subprocess.Popen(
                    ["perf", "record", "-q", "-g", "-F", "2000", "-p",
                     str(pid), "-o", path[:-5] + ".data"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.runs.append((role, pid, None, rec))

    def stop(self):
        """{role: {syscall: count}} summed over the role's processes."""
        counts = {}
        for role, pid, path, p in self.runs:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            if path is None:
                continue
            per = counts.setdefault(role, {})
            for line in (_read(path) or b"").decode().splitlines():
                f = line.split(",")
                if len(f) < 3 or not f[2].startswith("syscalls:"):
                    continue
                name = f[2].split("sys_enter_", 1)[1]
                try:
                    per[name] = per.get(name, 0) + int(f[0])
                except ValueError:
                    pass
        return counts
