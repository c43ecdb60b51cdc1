"""Nothing but the console: port, agent and socket forwarding, sftp and scp
are refused by the installed sshd_config and the forced command."""

import os
import select
import socket
import subprocess
import time

from bed import PATH, USER
from checks import assert_login_ok

ENV = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"}


class Target:
    """A loopback listener that counts connections reaching it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def reached(self):
        n = 0
        while select.select([self.sock], [], [], 0)[0]:
            conn, _ = self.sock.accept()
            conn.close()
            n += 1
        return n

    def close(self):
        self.sock.close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_ssh(bed, options):
    return subprocess.Popen(bed.ssh_argv("alice", options=options), env=ENV,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _wait_listening(port, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "ssh exited early: %r" % (
            proc.stderr.read()[-300:])
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("ssh did not listen on %d" % port)


def _stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def _closed_without_data(sock, timeout=30):
    """True when the peer closes the connection without sending data."""
    sock.settimeout(timeout)
    try:
        data = sock.recv(4096)
    except (ConnectionResetError, socket.timeout):
        return True
    return data == b""


def test_local_forwarding_is_refused(bed):
    target, lport = Target(), _free_port()
    proc = _start_ssh(bed, ["-N", "-L", "127.0.0.1:%d:127.0.0.1:%d"
                            % (lport, target.port)])
    try:
        _wait_listening(lport, proc)
        with socket.create_connection(("127.0.0.1", lport), 10) as s:
            s.sendall(b"ping\n")
            assert _closed_without_data(s), "data came through -L"
        assert target.reached() == 0, "-L reached the target"
    finally:
        _stop(proc)
        target.close()


def test_dynamic_forwarding_is_refused(bed):
    target, dport = Target(), _free_port()
    proc = _start_ssh(bed, ["-N", "-D", "127.0.0.1:%d" % dport])
    try:
        _wait_listening(dport, proc)
        with socket.create_connection(("127.0.0.1", dport), 10) as s:
            s.settimeout(30)
            s.sendall(b"\x05\x01\x00")
            assert s.recv(2) == b"\x05\x00", "no SOCKS5 greeting"
            s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton("127.0.0.1")
                      + target.port.to_bytes(2, "big"))
            try:
                reply = s.recv(10)
            except ConnectionResetError:
                reply = b""
            assert not reply.startswith(b"\x05\x00"), \
                "SOCKS connect through -D succeeded"
        assert target.reached() == 0, "-D reached the target"
    finally:
        _stop(proc)
        target.close()


def test_remote_forwarding_is_refused(bed):
    target, rport = Target(), _free_port()
    proc = _start_ssh(bed, ["-N", "-o", "ExitOnForwardFailure=yes", "-R",
                            "127.0.0.1:%d:127.0.0.1:%d" % (rport,
                                                           target.port)])
    try:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            raise AssertionError("ssh -R was not refused within 60s")
        assert proc.returncode != 0, "ssh -R exited 0"
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", rport)) != 0, \
                "something listens on the -R port"
        assert target.reached() == 0
    finally:
        _stop(proc)
        target.close()


def test_agent_forwarding_is_refused(bed):
    sock = os.path.join(bed.run_dir, "agent.sock")
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", sock], env=ENV,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(sock) and time.monotonic() < deadline:
            time.sleep(0.1)
        before = _agent_sockets(bed)
        # The picker keeps the session open while we look for a socket.
        with bed.ssh_pty("alice", options=["-o", "ForwardAgent=" + sock]) \
                as p:
            p.expect("Choose a console")
            after = _agent_sockets(bed)
            assert after <= before, "sshd made agent sockets %r" % (
                after - before)
            p.sendline("q")
            p.wait(30)
    finally:
        agent.kill()
        agent.wait()


def _agent_sockets(bed):
    found = set()
    for d in os.listdir("/tmp"):
        p = os.path.join("/tmp", d)
        if d.startswith("ssh-") and os.path.isdir(p) and \
                os.stat(p).st_uid == bed.uid:
            found.update(os.path.join(p, f) for f in os.listdir(p))
    return found


def _scp_argv(bed, program, *args):
    return bed.ssh_argv("alice", program=program) + \
        ["-P", str(bed.port)] + list(args)


def test_sftp_is_refused(bed):
    batch = os.path.join(bed.run_dir, "sftp-batch")
    with open(batch, "w") as f:
        f.write("ls /\nget /etc/hostname %s/sftp-got\n" % bed.run_dir)
    res = subprocess.run(_scp_argv(bed, "sftp", "-b", batch,
                                   "%s@127.0.0.1" % USER),
                         env=ENV, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    assert res.returncode != 0, "sftp exited 0: %r" % res.stdout[-300:]
    assert not os.path.exists(os.path.join(bed.run_dir, "sftp-got"))
    assert_login_ok(bed, "alice")


def test_scp_is_refused(bed):
    src = os.path.join(bed.run_dir, "scp-src")
    with open(src, "w") as f:
        f.write("payload\n")
    remote_target = os.path.join(bed.home, "scp-target")
    local_target = os.path.join(bed.run_dir, "scp-got")
    for mode in ([], ["-O"]):
        up = subprocess.run(
            _scp_argv(bed, "scp", *mode, src,
                      "%s@127.0.0.1:%s" % (USER, remote_target)),
            env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, timeout=60)
        assert up.returncode != 0, "scp %s upload exited 0" % mode
        assert not os.path.exists(remote_target), "scp %s wrote a file" % mode
        down = subprocess.run(
            _scp_argv(bed, "scp", *mode,
                      "%s@127.0.0.1:/etc/hostname" % USER, local_target),
            env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, timeout=60)
        assert down.returncode != 0, "scp %s download exited 0" % mode
        assert not os.path.exists(local_target) or \
            os.path.getsize(local_target) == 0, \
            "scp %s fetched a file" % mode


def test_subsystem_request_does_not_bypass_forced_command(bed):
    rc, out, err = bed.ssh("alice", "sftp", options=["-s"])
    assert rc != 0, "subsystem sftp exited 0: %r" % out[-200:]
