"""Console throughput where the guest's emulated UART is not the ceiling:
guest -> user bytes per second on the guest's virtio console (hvc0),
through the proxy (ssh -tt, sshd, the console helper, libvirt) against
`virsh console` on the same device, in the same run, alternately, every
line checked. Twice: with the guest writing as fast as it can, where
QEMU discards what its pty cannot take at once (so only transfers that
delivered every line are compared), and paced slower than either chain
can fall behind, where both deliver everything and what is compared is
the CPU every process of each chain spends per MB (chain_cpu.py).
Registered in bench/run, which gives it the bed.
"""

import os
import select
import statistics
import time

import chain_cpu
from bed import ALICE, CONSOLE_HOST, WEB_UUID
from console import banner
from expect import PtySession

# libvirt's alias of the test guest's virtio console (tools/make-guest-xml).
VIRTIO_CONSOLE = "console1"
# The proxy must add no cost the reference client does not have: at least
# 0.9 times what `virsh console` gets from the same device in the same run.
MIN_RATIO = 0.9
# A console that pastes a log or a core dump in seconds, not minutes; far
# above any serial line (115200 baud is 11 KiB/s).
MIN_KIB_S = 2048.0
# Numbered lines per transfer (about 5.5 MB: the lines end in a bare LF)
# and how many transfers each client makes, alternately.
LINES = int(os.environ.get("BENCH_VIRTIO_LINES", "800000"))
ROUNDS = int(os.environ.get("BENCH_VIRTIO_ROUNDS", "4"))
# The paced transfer: the guest writes blocks of PACE_BLOCK bytes with a
# pause of PACE_PAUSE_US after each (a busybox loop of dd and usleep, so
# also a fork or two per block), slower than the guest could, so that
# neither client's chain falls behind QEMU and every line arrives: what it
# compares is the CPU each chain spends per MB, not the rate.
PACE_BLOCK = int(os.environ.get("BENCH_VIRTIO_PACE_BLOCK", "8192"))
PACE_PAUSE_US = int(os.environ.get("BENCH_VIRTIO_PACE_PAUSE_US", "1000"))
PACED_LINES = int(os.environ.get("BENCH_VIRTIO_PACED_LINES", "400000"))
PACED_ROUNDS = int(os.environ.get("BENCH_VIRTIO_PACED_ROUNDS", "3"))
# The broker and the helper together may spend this many times the CPU
# per MB that virsh spends on the same job (a libvirt stream in, a
# terminal out): the extra socket hop between them is cheap once the
# bytes cross it in large pieces, so the proxy's own processes should
# cost no more than the reference client.
OWN_CPU_PER_VIRSH = 1.0
# BENCH_VIRTIO_PROFILE=1: perf stat counts the system calls of every
# process of the chain during each transfer (bench/chain_cpu.py).
PROFILE = os.environ.get("BENCH_VIRTIO_PROFILE") == "1"
PROFILED = ("libvirtd", "broker", "helper", "sshd", "ssh", "virsh")
PROFILE_DIR = "/tmp/vmconsole-bench-perf"
# What the guest prints after the lines: computed by its shell, so the
# echo of the command line never matches it. The lines themselves end in a
# bare LF (see _transfer()), the marker in the tty's CR LF.
END = b"\nE42\r\n"
ESCAPE = b"\x1d"


def _note(msg):
    print("# " + msg, flush=True)


def _drain_until(p, marker, timeout):
    """Reads p's terminal into a bytearray until marker arrives; returns
    (bytes after what p had consumed, seconds from the first byte to the
    marker). PtySession's buffer is rebuilt on every read, too slow for
    megabytes."""
    data = bytearray(p.buffer[p.pos:])
    first = time.monotonic() if data else None
    deadline = time.monotonic() + timeout
    while marker not in data[-(len(marker) + 65536):]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no end marker after %ds; %d bytes, "
                                 "last %r" % (timeout, len(data),
                                              bytes(data[-200:])))
        ready, _, _ = select.select([p.master], [], [], min(left, 1))
        if not ready:
            continue
        try:
            chunk = os.read(p.master, 1 << 17)
        except OSError as e:
            raise AssertionError("terminal closed after %d bytes: %s"
                                 % (len(data), e))
        if not chunk:
            raise AssertionError("terminal closed after %d bytes"
                                 % len(data))
        if first is None:
            first = time.monotonic()
        data += chunk
    secs = time.monotonic() - first
    p.buffer, p.pos = b"", 0
    return bytes(data), secs


def _lines_wrong(data, count):
    """How many of the lines 1..count are not where they belong in data
    (what the guest printed, up to the end marker)."""
    lines = data[:data.rfind(END)].split(b"\n")
    want = [b"%d" % i for i in range(1, count + 1)]
    if lines == want:
        return 0
    got = set(lines)
    return max(1, sum(1 for w in want if w not in got))


def _file_size(count):
    """Bytes of `seq 1 count` (lines ending in LF)."""
    size, digits, lo = 0, 1, 1
    while lo <= count:
        hi = min(count, lo * 10 - 1)
        size += (hi - lo + 1) * (digits + 1)
        digits, lo = digits + 1, lo * 10
    return size


def _transfer(p, vm, count, paced=False):
    """Has the guest print count numbered lines on p's console, at once or
    paced; returns (bytes of the lines as the client got them, seconds,
    lines wrong, CPU of the chain by role: chain_cpu.delta())."""
    # The lines are written to a file first and sent by cat in blocks,
    # with the tty's output processing off: with it on, the guest kernel
    # hands each line and its CR LF to the virtio console as separate
    # writes, each a synchronous round trip to QEMU, and the guest's TCG
    # CPU would be what is measured (about 20 KiB/s here).
    # Commands stay shorter than the guest shell's 80 columns, so that
    # their echo comes back as typed.
    p.send("[ -s /tmp/n%d ] || seq 1 %d >/tmp/n%d\r" % (count, count, count))
    p.expect_exact("%s# " % vm, timeout=300)
    if paced:
        # P N: N blocks of the file on stdin, a pause after each.
        for line in ("B=%d;U=%d" % (PACE_BLOCK, PACE_PAUSE_US),
                     "P(){ for i in $(seq $1);do dd bs=$B count=1;"
                     "usleep $U;done 2>&-;}"):
            p.send(line + "\r")
            p.expect_exact(line + "\r\n", timeout=60)
            p.expect_exact("%s# " % vm, timeout=60)
        blocks = -(-_file_size(count) // PACE_BLOCK)
        body = "P %d </tmp/n%d" % (blocks, count)
    else:
        body = "cat /tmp/n%d" % count
    cmd = "stty -opost;%s;stty opost;echo E$((6*7))" % body
    before = chain_cpu.snapshot(vm)
    prof = None
    if PROFILE:
        prof = chain_cpu.Profile(chain_cpu.pids_of(before, PROFILED),
                                 PROFILE_DIR)
        time.sleep(1)
    p.send(cmd + "\r")
    p.expect_exact(cmd + "\r\n", timeout=60)
    data, secs = _drain_until(p, END, 120)
    cpu = chain_cpu.delta(before, chain_cpu.snapshot(vm))
    if prof is not None:
        for role, counts in sorted(prof.stop().items()):
            _note("virtio throughput: %s: system calls during the "
                  "transfer: %s" % (role, " ".join(
                      "%s=%d" % kv for kv in sorted(counts.items()) if
                      kv[1])))
    nbytes = data.rfind(END) + 1
    return nbytes, secs, _lines_wrong(data, count), cpu


def _at_prompt(p, vm):
    """Presses Enter until the guest's prompt comes back: QEMU notices
    that a client opened the console's pty only when it next polls it,
    and what is typed before that may be lost."""
    for _ in range(20):
        p.send("\r")
        try:
            p.expect_exact("%s# " % vm, timeout=3)
            return
        except AssertionError:
            pass
    raise AssertionError("no prompt from %s after 20 tries; got %r"
                         % (vm, p.pending()[-300:]))


def _detach(p):
    p.send(ESCAPE)
    try:
        return p.wait(60)
    finally:
        p.close()


def _proxy_round(bed, vm, count, paced):
    p = bed.ssh_pty("alice", vm)
    try:
        p.expect_exact(banner(vm), timeout=60)
        _at_prompt(p, vm)
        return _transfer(p, vm, count, paced)
    finally:
        rc = _detach(p)
        if rc != 0:
            raise AssertionError("ssh exited %s after detaching" % rc)


def _virsh_round(bed, vm, count, paced):
    env = bed.user_env()
    env["TERM"] = "xterm"
    p = PtySession(bed.as_user(["virsh", "-c", "qemu:///session", "console",
                                vm, VIRTIO_CONSOLE]), env=env)
    try:
        p.expect_exact("Escape character is ^]", timeout=60)
        _at_prompt(p, vm)
        return _transfer(p, vm, count, paced)
    finally:
        _detach(p)


def _rounds(bed, vm, kind, count, rounds):
    """Alternate transfers of both clients; returns {client: [(bytes,
    seconds, lines wrong, CPU by role), ...]}."""
    out = {"proxy": [], "virsh": []}
    for i in range(rounds):
        for who in ("proxy", "virsh") if i % 2 == 0 else ("virsh", "proxy"):
            run = _proxy_round if who == "proxy" else _virsh_round
            nbytes, secs, bad, cpu = run(bed, vm, count, kind == "paced")
            mb = nbytes / 1e6
            _note("virtio throughput, %s: %s round %d: %d bytes in %.2fs, "
                  "%.0f KiB/s, %d lines wrong; CPU ms/MB %s" % (
                      kind, who, i + 1, nbytes, secs, nbytes / secs / 1024,
                      bad, " ".join("%s=%.1f" % (r, cpu[r][0] / mb)
                                    for r in chain_cpu.ROLES
                                    if cpu[r][0] > 0)))
            out[who].append((nbytes, secs, bad, cpu))
    return out


def _cpu_table(kind, runs):
    """Notes the median CPU ms and wake-ups per MB of every role for both
    clients; returns {client: {role: ms per MB}}."""
    per = {}
    _note("virtio throughput, %s: median per MB delivered "
          "(CPU ms / wake-ups / preemptions):" % kind)
    _note("  %-9s %24s %24s" % ("process", "proxy", "virsh"))
    for who in ("proxy", "virsh"):
        per[who] = {}
        for r in chain_cpu.ROLES:
            per[who][r] = [statistics.median(
                c[r][k] / (n / 1e6) for n, _, _, c in runs[who])
                for k in range(3)]
    for r in chain_cpu.ROLES:
        _note("  %-9s %24s %24s" % (r, *(
            "%.1f / %.0f / %.0f" % tuple(per[w][r]) for w in per)))
    return {w: {r: per[w][r][0] for r in chain_cpu.ROLES} for w in per}


def _chain(ms):
    """CPU per MB of the processes between the guest and the user's
    terminal: QEMU, the bench reading the terminal and unrelated work
    left out."""
    return sum(v for r, v in ms.items() if r not in ("qemu", "client",
                                                      "other"))


def bench_virtio_throughput(bed, res):
    """Guest -> user bytes/s on the virtio console: proxy vs virsh, at
    once (the rate) and paced (both lossless: the CPU per MB)."""
    vm = "web01"
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": vm, "host": CONSOLE_HOST,
         "console": VIRTIO_CONSOLE, "entities": [ALICE[0]]},
    ])
    fast = _rounds(bed, vm, "at once", LINES, ROUNDS)
    rate = {w: [n / s / 1024 for n, s, _, _ in fast[w]] for w in fast}
    whole = {w: [n / s / 1024 for n, s, bad, _ in fast[w] if bad == 0]
             for w in fast}
    wrong = {w: sum(bad for _, _, bad, _ in fast[w]) for w in fast}
    res.report("virtio_throughput_proxy", statistics.median(rate["proxy"]),
               "KiB/s", ">=", MIN_KIB_S)
    res.report("virtio_throughput_virsh", statistics.median(rate["virsh"]),
               "KiB/s")
    # A transfer that lost lines is timed on what arrived: only transfers
    # that delivered every line are compared.
    _note("virtio throughput: lossless transfers: proxy %d of %d, virsh "
          "%d of %d" % (len(whole["proxy"]), ROUNDS, len(whole["virsh"]),
                        ROUNDS))
    if whole["proxy"] and whole["virsh"]:
        res.report("virtio_throughput_lossless_ratio_proxy_to_virsh",
                   statistics.median(whole["proxy"]) /
                   statistics.median(whole["virsh"]), "x", ">=", MIN_RATIO)
    else:
        res.failed("virtio_throughput_lossless_ratio_proxy_to_virsh",
                   "no transfer of %s delivered every line" % " or ".join(
                       w for w in whole if not whole[w]))
    # QEMU's virtio console drops what the pty libvirt reads cannot take
    # at once; a guest that outruns the reader loses lines whoever reads.
    # The proxy must lose no more than the reference client.
    res.report("virtio_throughput_virsh_lines_wrong", wrong["virsh"],
               "lines")
    res.report("virtio_throughput_proxy_lines_wrong", wrong["proxy"],
               "lines", "<=", wrong["virsh"])
    ms = _cpu_table("at once", fast)
    res.report("virtio_throughput_virsh_cpu_per_mb", ms["virsh"]["virsh"],
               "ms/MB")
    res.report("virtio_throughput_proxy_own_cpu_per_mb",
               ms["proxy"]["broker"] + ms["proxy"]["helper"], "ms/MB")

    paced = _rounds(bed, vm, "paced", PACED_LINES, PACED_ROUNDS)
    prate = {w: statistics.median(n / s / 1024 for n, s, _, _ in paced[w])
             for w in paced}
    res.report("virtio_paced_proxy", prate["proxy"], "KiB/s")
    res.report("virtio_paced_virsh", prate["virsh"], "KiB/s")
    # The pace is the guest's; a chain that takes more CPU leaves the
    # guest's TCG thread less of the two cores, which shows here.
    res.report("virtio_paced_ratio_proxy_to_virsh",
               prate["proxy"] / prate["virsh"], "x")
    res.report("virtio_paced_virsh_lines_wrong",
               sum(bad for _, _, bad, _ in paced["virsh"]), "lines")
    res.report("virtio_paced_proxy_lines_wrong",
               sum(bad for _, _, bad, _ in paced["proxy"]), "lines", "=", 0)
    ms = _cpu_table("paced", paced)
    res.report("virtio_paced_virsh_chain_cpu_per_mb", _chain(ms["virsh"]),
               "ms/MB")
    res.report("virtio_paced_proxy_chain_cpu_per_mb", _chain(ms["proxy"]),
               "ms/MB")
    # What the proxy itself adds (the broker and the helper) against what
    # virsh spends doing the same (a stream in, a terminal out).
    res.report("virtio_paced_proxy_own_cpu_per_mb",
               ms["proxy"]["broker"] + ms["proxy"]["helper"], "ms/MB",
               "<=", OWN_CPU_PER_VIRSH * ms["virsh"]["virsh"])
