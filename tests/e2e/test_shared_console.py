"""Several sessions of one console on this proxy: one writer, read-only
watchers, replay of earlier output, and how they end together."""

import os
import random
import signal
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
