"""Console throughput where the guest's emulated UART is not the ceiling:
guest -> user bytes per second on the guest's virtio console (hvc0),
through the proxy (ssh -tt, sshd, the console helper, libvirt) against
`virsh console` on the same device, in the same run, alternately, every
byte checked. Registered in bench/run, which gives it the bed.
"""

import os
import select
import statistics
import time

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
# Numbered lines per transfer (about 6.9 MB with the tty's CR LF) and how
# many transfers each client makes, alternately.
LINES = int(os.environ.get("BENCH_VIRTIO_LINES", "800000"))
ROUNDS = int(os.environ.get("BENCH_VIRTIO_ROUNDS", "3"))
# What the guest prints after the lines: computed by its shell, so the
# echo of the command line never matches it. The lines themselves end in a
# bare LF (see _transfer()), the marker in the tty's CR LF.
END = b"\nE42\r\n"
ESCAPE = b"\x1d"


def _note(msg):
    print("# " + msg, flush=True)


def _proc_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return int(fields[11]) + int(fields[12])


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


def _transfer(p, vm, count):
    """Has the guest print count numbered lines on p's console; returns
    (bytes of the lines as the client got them, seconds, lines wrong)."""
    # The lines are written to a file first and sent by cat in blocks,
    # with the tty's output processing off: with it on, the guest kernel
    # hands each line and its CR LF to the virtio console as separate
    # writes, each a synchronous round trip to QEMU, and the guest's TCG
    # CPU would be what is measured (about 20 KiB/s here).
    # Commands stay shorter than the guest shell's 80 columns, so that
    # their echo comes back as typed.
    p.send("[ -s /tmp/n%d ] || seq 1 %d >/tmp/n%d\r" % (count, count, count))
    p.expect_exact("%s# " % vm, timeout=300)
    cmd = "stty -opost;cat /tmp/n%d;stty opost;echo E$((6*7))" % count
    p.send(cmd + "\r")
    p.expect_exact(cmd + "\r\n", timeout=60)
    data, secs = _drain_until(p, END, 600)
    nbytes = data.rfind(END) + 1
    return nbytes, secs, _lines_wrong(data, count)


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


def _proxy_round(bed, vm, count):
    p = bed.ssh_pty("alice", vm)
    try:
        p.expect_exact(banner(vm), timeout=60)
        _at_prompt(p, vm)
        helpers = bed.helper_pids()
        t0 = [_proc_ticks(h) for h in helpers]
        result = _transfer(p, vm, count)
        ticks = None
        if len(helpers) == 1:
            t1 = _proc_ticks(helpers[0])
            if t0[0] is not None and t1 is not None:
                ticks = t1 - t0[0]
        return result + (ticks,)
    finally:
        rc = _detach(p)
        if rc != 0:
            raise AssertionError("ssh exited %s after detaching" % rc)


def _virsh_round(bed, vm, count):
    env = bed.user_env()
    env["TERM"] = "xterm"
    p = PtySession(bed.as_user(["virsh", "-c", "qemu:///session", "console",
                                vm, VIRTIO_CONSOLE]), env=env)
    try:
        p.expect_exact("Escape character is ^]", timeout=60)
        _at_prompt(p, vm)
        return _transfer(p, vm, count)
    finally:
        _detach(p)


def bench_virtio_throughput(bed, res):
    """Guest -> user bytes/s on the virtio console: proxy vs virsh."""
    vm = "web01"
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": vm, "host": CONSOLE_HOST,
         "console": VIRTIO_CONSOLE, "entities": [ALICE[0]]},
    ])
    rates = {"proxy": [], "virsh": []}
    wrong = {"proxy": 0, "virsh": 0}
    ticks_per_mb = []
    for i in range(ROUNDS):
        for who in ("proxy", "virsh") if i % 2 == 0 else ("virsh", "proxy"):
            if who == "proxy":
                nbytes, secs, bad, ticks = _proxy_round(bed, vm, LINES)
                if ticks is not None:
                    ticks_per_mb.append(ticks / (nbytes / 1e6))
            else:
                nbytes, secs, bad = _virsh_round(bed, vm, LINES)
            rate = nbytes / secs / 1024
            _note("virtio throughput: %s round %d: %d bytes in %.2fs, "
                  "%.0f KiB/s, %d lines wrong" % (who, i + 1, nbytes, secs,
                                                  rate, bad))
            rates[who].append(rate)
            wrong[who] += bad
    proxy = statistics.median(rates["proxy"])
    virsh = statistics.median(rates["virsh"])
    res.report("virtio_throughput_proxy", proxy, "KiB/s", ">=", MIN_KIB_S)
    res.report("virtio_throughput_virsh", virsh, "KiB/s")
    res.report("virtio_throughput_ratio_proxy_to_virsh", proxy / virsh,
               "x", ">=", MIN_RATIO)
    # QEMU's virtio console drops what the pty libvirt reads cannot take
    # at once; a guest that outruns the reader loses lines whoever reads.
    # The proxy must lose no more than the reference client.
    res.report("virtio_throughput_virsh_lines_wrong", wrong["virsh"],
               "lines")
    res.report("virtio_throughput_proxy_lines_wrong", wrong["proxy"],
               "lines", "<=", wrong["virsh"])
    if ticks_per_mb:
        res.report("virtio_throughput_helper_cpu_per_mb",
                   statistics.median(ticks_per_mb) * 1000.0 /
                   os.sysconf("SC_CLK_TCK"), "ms/MB")
