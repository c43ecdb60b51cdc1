"""Where a machine's CPU time goes while a benchmark runs, by kind of
process, from /proc: take() before and after, delta() between them.

A process that ended in between is counted through its parent's
cutime/cstime, which the kernel adds once the parent has reaped it: the
sshd listener's therefore holds every per-connection sshd and what those
ran (vmconsole-authkeys, the console helper). Processes alive at either
end are added with their own time, so the deltas also hold the part of
their work done in between.
"""

import os

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(ppid, comm, own ticks, reaped children's ticks) of pid, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    return (int(fields[1]), comm, int(fields[11]) + int(fields[12]),
            int(fields[13]) + int(fields[14]))


def _machine_ticks():
    """(busy, all) ticks of every CPU since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def children(parents):
    """{ppid: [pid, ...]} from {pid: ppid}."""
    kids = {}
    for pid, ppid in parents.items():
        kids.setdefault(ppid, []).append(pid)
    return kids


def descendants(kids, pid):
    """pid's children, theirs and so on, from children()'s map."""
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def process_tree():
    """children() of every process there is now."""
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st is not None:
                parents[int(d)] = st[0]
    return children(parents)


def take(listener_pid):
    """Ticks by kind now: the sshd listener itself, the per-connection
    sshd processes with what they run, QEMU, libvirtd, this process (the
    bench, with the test manager's threads), and the whole machine."""
    procs = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st is not None:
                procs[int(d)] = st
    kids = children({pid: st[0] for pid, st in procs.items()})
    snap = {"sshd listener": 0, "sshd connections": 0, "qemu": 0,
            "libvirtd": 0, "bench and test manager": 0}
    if listener_pid in procs:
        snap["sshd listener"] = procs[listener_pid][2]
        snap["sshd connections"] = procs[listener_pid][3]
        for pid in descendants(kids, listener_pid):
            snap["sshd connections"] += procs[pid][2] + procs[pid][3]
    for pid, st in procs.items():
        if st[1].startswith("qemu-system"):
            snap["qemu"] += st[2] + st[3]
        elif st[1] == "libvirtd":
            snap["libvirtd"] += st[2]
    own = procs.get(os.getpid())
    if own is not None:
        snap["bench and test manager"] = own[2]
    snap["machine busy"], snap["machine all"] = _machine_ticks()
    return snap


def delta(before, after):
    """Seconds of CPU by kind between two take()s; "machine all" is the
    time of every CPU together (wall time × CPUs)."""
    return {k: (after[k] - before[k]) / CLK_TCK for k in before}
