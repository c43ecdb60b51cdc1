"""Several sessions of one console on this proxy: one writer, read-only
watchers, replay of earlier output, and how they end together."""

import json
import os
import random
import signal
import socket
import time

from bed import ALICE, BOB, CONSOLE_HOST, DB_UUID, WEB_UUID
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)

READ_ONLY = "[web01 is in use by alice: you are watching read-only; " \
    "web01 --force takes it over]"
DESTROYED = "console closed: web01 was destroyed"
BROKER_GONE = "console closed: the console broker of this VM ended"


def _word():
    return "W%d" % random.randint(100000, 999999)


def _say(p, vm, word):
    """Has the guest print word doubled (the echo of the command does not
    contain the doubled form); returns what the guest prints."""
    p.send("\r")
    p.expect_exact("%s# " % vm, timeout=60)
    p.send("echo %s%s\r" % (word, word.lower()))
    return "%s%s" % (word, word.lower())


def _expect_line(p, text, timeout=60):
    p.expect(("\n%s\r" % text).encode(), timeout=timeout)


def _broker_pid(bed, vmid, timeout=10):
    """The pid of the broker of vmid, from its state file."""
    d = os.path.join(bed.statedir, "consoles")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name in os.listdir(d):
            if not name.endswith(".state"):
                continue
            try:
                with open(os.path.join(d, name)) as f:
                    fields = f.read().split()
            except FileNotFoundError:
                continue
            if len(fields) == 4 and fields[3] == vmid:
                return int(fields[0])
        time.sleep(0.2)
    raise AssertionError("no broker for %s" % vmid)


def test_writer_and_watcher_see_the_same_output(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        with bed.ssh_pty("alice", "web01 --watch") as watcher:
            expect_connected(watcher, "web01")
            writer.expect_exact("[alice is watching web01 read-only]",
                                timeout=30)
            said = _say(writer, "web01", _word())
            _expect_line(writer, said)
            _expect_line(watcher, said)
            detach(watcher)
            assert_exit(watcher, 0)
        writer.expect_exact("[alice left web01]", timeout=30)
        assert_guest_answers(writer, "web01")
        detach(writer)
        assert_exit(writer, 0)


def test_watcher_keystrokes_do_not_reach_the_guest(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        assert_guest_answers(writer, "web01")
        with bed.ssh_pty("alice", "web01 --watch") as watcher:
            expect_connected(watcher, "web01")
            word = _word()
            watcher.send("echo %s\r" % word)
            time.sleep(1)
            said = _say(writer, "web01", _word())
            _expect_line(writer, said)
            _expect_line(watcher, said)
            seen = writer.buffer.decode(errors="replace")
            assert word not in seen, "the watcher's keys reached the guest"
            detach(watcher)
            assert_exit(watcher, 0)
        detach(writer)
        assert_exit(writer, 0)


def test_second_session_joins_read_only(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        with bed.ssh_pty("alice", "web01") as second:
            expect_connected(second, "web01")
            second.expect_exact(READ_ONLY, timeout=30)
            word = _word()
            second.send("echo %s\r" % word)
            said = _say(first, "web01", _word())
            _expect_line(second, said)
            assert word not in first.buffer.decode(errors="replace")
            detach(second)
            assert_exit(second, 0)
        assert_guest_answers(first, "web01")
        detach(first)
        assert_exit(first, 0)


def test_force_demotes_the_old_writer_who_stays(bed):
    with bed.ssh_pty("alice", "web01") as first:
        expect_connected(first, "web01")
        assert_guest_answers(first, "web01")
        with bed.ssh_pty("alice", "web01 --force") as second:
            expect_connected(second, "web01")
            first.expect_exact("[alice took over web01: you are watching "
                               "read-only now", timeout=30)
            assert_guest_answers(second, "web01")
            # The old writer still sees, and no longer types.
            word = _word()
            first.send("echo %s\r" % word)
            said = _say(second, "web01", _word())
            _expect_line(first, said)
            assert word not in second.buffer.decode(errors="replace")
            detach(second)
            assert_exit(second, 0)
        detach(first)
        assert_exit(first, 0)


def test_watch_only_entity_cannot_force(bed):
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
         "entities": [ALICE[0]], "watchers": [BOB[0]]},
        {"vmid": DB_UUID, "vm": "db01", "host": CONSOLE_HOST,
         "entities": [ALICE[0], BOB[0]]},
    ])
    with bed.ssh_pty("bob", "web01 --force") as p:
        p.expect_exact("you may only watch the console of web01: --force "
                       "is not allowed", timeout=60)
        assert_exit(p, 2)
    with bed.ssh_pty("bob", "web01") as p:
        expect_connected(p, "web01")
        word = _word()
        p.send("echo %s\r" % word)
        with bed.ssh_pty("alice", "web01") as writer:
            expect_connected(writer, "web01")
            said = _say(writer, "web01", _word())
            _expect_line(p, said)
            assert word not in writer.buffer.decode(errors="replace")
            detach(writer)
            assert_exit(writer, 0)
        detach(p)
        assert_exit(p, 0)


def test_replay_shows_earlier_output_on_join(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        said = _say(writer, "web01", _word())
        _expect_line(writer, said)
        with bed.ssh_pty("alice", "web01 --watch") as late:
            expect_connected(late, "web01")
            _expect_line(late, said, timeout=30)
            detach(late)
            assert_exit(late, 0)
        with bed.ssh_pty("alice", "web01 --watch --replay=0") as none:
            expect_connected(none, "web01")
            fresh = _say(writer, "web01", _word())
            _expect_line(none, fresh)
            assert said not in none.buffer.decode(errors="replace"), \
                "--replay=0 replayed"
            detach(none)
            assert_exit(none, 0)
        detach(writer)
        assert_exit(writer, 0)


def test_killed_watcher_and_writer_disturb_nobody(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        watchers = [bed.ssh_pty("alice", "web01 --watch") for _ in range(2)]
        try:
            for w in watchers:
                expect_connected(w, "web01")
            watchers[0].kill()
            said = _say(writer, "web01", _word())
            _expect_line(writer, said)
            _expect_line(watchers[1], said)
            writer.kill()
            # The watcher stays; a new writer takes the free console.
            with bed.ssh_pty("alice", "web01") as new:
                expect_connected(new, "web01")
                assert "read-only" not in new.pending().decode(
                    errors="replace")
                said = _say(new, "web01", _word())
                _expect_line(watchers[1], said)
                detach(new)
                assert_exit(new, 0)
            detach(watchers[1])
            assert_exit(watchers[1], 0)
        finally:
            for w in watchers:
                w.close()


def test_broker_killed_ends_that_consoles_sessions_only(bed):
    with bed.ssh_pty("alice", "web01") as writer, \
            bed.ssh_pty("alice", "db01") as other:
        expect_connected(writer, "web01")
        expect_connected(other, "db01")
        with bed.ssh_pty("alice", "web01 --watch") as watcher:
            expect_connected(watcher, "web01")
            os.kill(_broker_pid(bed, WEB_UUID), signal.SIGKILL)
            for p in (writer, watcher):
                p.expect_exact(BROKER_GONE, timeout=30)
                assert_exit(p, 6)
        assert_guest_answers(other, "db01")
        detach(other)
        assert_exit(other, 0)
    # The console can be opened again at once.
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)


def test_destroyed_vm_ends_writer_and_watchers(bed):
    try:
        with bed.ssh_pty("alice", "web01") as writer:
            expect_connected(writer, "web01")
            with bed.ssh_pty("alice", "web01 --watch") as watcher:
                expect_connected(watcher, "web01")
                bed.virsh("destroy", "web01")
                for p in (writer, watcher):
                    p.expect_exact(DESTROYED, timeout=60)
                    assert_exit(p, 5)
    finally:
        bed.start_guest("web01")


STALLED = ("console closed: the terminal stopped reading (more than %d "
           "bytes of console output waiting)")


def test_reconnect_within_linger_replays_what_was_printed(bed):
    bed.configure("http", console_linger="60")
    n = random.randint(1000, 9999)
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        p.send("\r")
        p.expect_exact("web01# ", timeout=60)
        # printed 3 s after everybody left
        p.send("(sleep 3; echo L$((%d*3))) &\r" % n)
        p.expect_exact("web01# ", timeout=60)
        detach(p)
        assert_exit(p, 0)
    time.sleep(6)
    assert bed.helper_pids(brokers=True), "the console did not linger"
    with bed.ssh_pty("alice", "web01 --watch") as p:
        expect_connected(p, "web01")
        p.expect_exact("L%d\r\n" % (n * 3), timeout=30)
        detach(p)
        assert_exit(p, 0)


def test_console_log_has_output_and_attach_lines_and_rotates(bed):
    log_dir = os.path.join(bed.run_dir, "console-logs")
    os.makedirs(log_dir, mode=0o700, exist_ok=True)
    os.chown(log_dir, bed.uid, bed.gid)
    bed.configure("http", console_log_dir=log_dir, console_log_max="20000")
    path = os.path.join(log_dir, WEB_UUID + ".log")
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        said = _say(p, "web01", _word())
        _expect_line(p, said)
        with bed.ssh_pty("bob", "db01") as unrelated:
            expect_connected(unrelated, "db01")
            detach(unrelated)
            assert_exit(unrelated, 0)
        with bed.ssh_pty("alice", "web01 --watch") as w:
            expect_connected(w, "web01")
            detach(w)
            assert_exit(w, 0)
        with open(path, "rb") as f:
            text = f.read().decode(errors="replace")
        assert said in text, "the output is not in the log"
        assert "] alice (u-42) attached write\n" in text, text[-500:]
        assert "] alice (u-42) attached watch\n" in text, text[-500:]
        assert "] alice (u-42) detached watch\n" in text, text[-500:]
        assert os.stat(path).st_mode & 0o777 == 0o600
        # about 40 kB: past console_log_max
        p.send("seq 1 8000\r")
        _expect_line(p, "8000", timeout=120)
        detach(p)
        assert_exit(p, 0)
    assert os.path.exists(path + ".1"), "the log was not rotated"
    assert os.path.getsize(path + ".1") <= 20000
    with open(path, "rb") as f:
        assert b"] alice (u-42) detached write\n" in f.read()


def test_list_shows_writer_and_watchers(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        with bed.ssh_pty("alice", "web01 --watch") as w1, \
                bed.ssh_pty("alice", "web01 --watch") as w2:
            expect_connected(w1, "web01")
            expect_connected(w2, "web01")
            rc, out, err = bed.ssh("alice", "list", "--format=json")
            assert rc == 0, err
            got = {c["vm"]: (c["writer"], c["watchers"])
                   for c in json.loads(out)["consoles"]}
            assert got == {"web01": ("alice", 2), "db01": (None, 0)}, got
            rc, out, err = bed.ssh("alice", "list")
            assert rc == 0, err
            assert "%s\tweb01\t%s\tin use: alice writing, 2 watching" % (
                WEB_UUID, CONSOLE_HOST) in out.splitlines(), out
            detach(w1)
            detach(w2)
            assert_exit(w1, 0)
            assert_exit(w2, 0)
        detach(writer)
        assert_exit(writer, 0)


def test_watcher_that_stops_reading_is_dropped_alone(bed):
    limit = 65536
    bed.configure("http", console_buffer_size=limit,
                  console_backlog_max=limit)
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        with bed.ssh_pty("alice", "web01 --watch") as stalled:
            expect_connected(stalled, "web01")
            writer.send("\r")
            writer.expect_exact("web01# ", timeout=60)
            # about 2.9 MB, more than the watcher's pty, ssh and its
            # backlog hold while it reads nothing
            n = random.randint(1000, 9999)
            writer.send("seq 1 400000; echo E$((%d*2))\r" % n)
            _expect_line(writer, "E%d" % (n * 2), timeout=300)
            stalled.expect_exact(STALLED % limit, timeout=120)
            assert_exit(stalled, 10)
        assert_guest_answers(writer, "web01")
        detach(writer)
        assert_exit(writer, 0)


def _status_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s for %d" % (field, pid))


def test_twenty_watchers_of_a_flooding_guest_stay_within_memory_bound(bed):
    limit = 65536
    history = 1024 * 1024
    bed.configure("http", console_backlog_max=limit,
                  console_history_max=str(history))
    watchers = []
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        try:
            for _ in range(20):
                w = bed.ssh_pty("alice", "web01 --watch")
                watchers.append(w)
                expect_connected(w, "web01")
            pid = _broker_pid(bed, WEB_UUID)
            base = _status_kib(pid, "VmRSS")
            writer.send("\r")
            writer.expect_exact("web01# ", timeout=60)
            writer.send("seq 1 150000\r")
            deadline = time.monotonic() + 300
            done = False
            while not done and time.monotonic() < deadline:
                # everybody reads, as people watching would
                for w in watchers:
                    w._fill(time.monotonic() + 0.01)
                try:
                    writer.expect(b"\n150000\r", timeout=0.5)
                    done = True
                except Exception:
                    pass
            assert done, "the flood did not finish"
            peak = _status_kib(pid, "VmHWM")
            # history + a backlog per session + 4 MiB for the allocator
            bound = (history + 21 * (limit + 4096)) // 1024 + 4096
            assert peak - base <= bound, \
                "broker grew by %d KiB, bound %d KiB" % (peak - base, bound)
            for w in watchers:
                assert w.poll() is None, "a watcher ended"
        finally:
            for w in watchers:
                w.close()
        detach(writer)
        assert_exit(writer, 0)


def test_watch_attaches_read_only_when_nobody_writes(bed):
    with bed.ssh_pty("alice", "web01 --watch") as watcher:
        expect_connected(watcher, "web01")
        n = random.randint(1000, 9999)
        watcher.send("echo Q$((%d*5))\r" % n)
        with bed.ssh_pty("alice", "web01") as writer:
            expect_connected(writer, "web01")
            said = _say(writer, "web01", _word())
            _expect_line(writer, said)
            _expect_line(watcher, said)
            assert "read-only" not in writer.buffer.decode(errors="replace")
            for p in (writer, watcher):
                assert ("Q%d" % (n * 5)).encode() not in p.buffer, \
                    "a watcher's command ran"
            detach(writer)
            assert_exit(writer, 0)
        detach(watcher)
        assert_exit(watcher, 0)


def test_notices_can_be_turned_off(bed):
    bed.configure("http", console_notices="no")
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        with bed.ssh_pty("alice", "web01 --watch") as watcher:
            expect_connected(watcher, "web01")
            said = _say(writer, "web01", _word())
            _expect_line(watcher, said)
            detach(watcher)
            assert_exit(watcher, 0)
        said = _say(writer, "web01", _word())
        _expect_line(writer, said)
        assert b"[alice" not in writer.buffer, writer.buffer[-300:]
        detach(writer)
        assert_exit(writer, 0)


def _broker_socket(bed, vmid):
    """The path of the socket of the broker of vmid, named like its state
    file."""
    d = os.path.join(bed.statedir, "consoles")
    pid = _broker_pid(bed, vmid)
    for name in os.listdir(d):
        if name.endswith(".state"):
            with open(os.path.join(d, name)) as f:
                if f.read().split()[:1] == [str(pid)]:
                    return os.path.join(d, name[:-6] + ".sock")
    raise AssertionError("no socket for the broker of %s" % vmid)


def test_local_connection_without_hello_is_closed(bed):
    with bed.ssh_pty("alice", "web01") as writer:
        expect_connected(writer, "web01")
        path = _broker_socket(bed, WEB_UUID)
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            silent.connect(path)
            half.connect(path)
            half.sendall(b"vmconsole-hello watch 24 ")
            for s in (silent, half):
                # the broker closes it: EOF, not a hang
                s.settimeout(30)
                assert s.recv(100) == b"", "the broker answered it"
        finally:
            silent.close()
            half.close()
        # the console goes on for its session
        assert_guest_answers(writer, "web01")
        detach(writer)
        assert_exit(writer, 0)
