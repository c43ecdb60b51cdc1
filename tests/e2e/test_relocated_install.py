"""A newcomer builds with the defaults, then installs somewhere else."""

import os
import shutil
import socket
import subprocess

from bed import (PATH, SRC, SSHD, USER, BedError, _free_port, _run,
                 _wait_for)
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)
from expect import PtySession


def _copy_tree(dest):
    """A scratch copy of the source tree, without any earlier build."""
    os.makedirs(dest)
    _run(["sh", "-c", "tar -C \"$1\" --exclude=./build "
          "--exclude=./build-asan --exclude=./build-fuzz --exclude=./.git "
          "-cf - . | tar -C \"$2\" -xf -", "copy", SRC, dest])


def _start_sshd(bed, prefix, port):
    """Runs the sshd of the install under prefix as the test user, with
    host keys made where its sshd_config says, on port."""
    etc = os.path.join(prefix, "etc", "vmconsole-proxy")
    state = os.path.join(prefix, "var", "lib", "vmconsole-proxy")
    os.makedirs(state, mode=0o700)
    os.chown(state, bed.uid, bed.gid)
    for t in ("ed25519", "ecdsa", "rsa"):
        bed.run_as_user(["ssh-keygen", "-q", "-t", t, "-N", "", "-f",
                         os.path.join(state, "ssh_host_%s_key" % t)])
    with open(os.path.join(etc, "sshd_config.d", "50-test.conf"), "w") as f:
        f.write("ListenAddress 127.0.0.1:%d\n" % port)
    # the bed's manager settings, so this install asks the same manager
    shutil.copy(os.path.join(bed.etc, "vmconsole.conf.d", "50-test.conf"),
                os.path.join(etc, "vmconsole.conf.d", "50-test.conf"))
    with open(os.path.join(state, "ssh_host_ed25519_key.pub")) as f:
        hostkey = " ".join(f.read().split()[:2])
    known_hosts = os.path.join(prefix, "known_hosts")
    with open(known_hosts, "w") as f:
        f.write("[127.0.0.1]:%d %s\n" % (port, hostkey))
    log = os.path.join(bed.log_dir, "relocated-sshd.log")
    sshd = subprocess.Popen(
        bed.as_user([SSHD, "-D", "-f", os.path.join(etc, "sshd_config"),
                     "-E", log]),
        env=bed.user_env(), cwd="/", stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)

    def listening():
        if sshd.poll() is not None:
            raise BedError("the relocated sshd exited with %d; see %s" % (
                sshd.returncode, log))
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0
    _wait_for("relocated sshd on port %d" % port, listening, 30)
    return sshd, known_hosts


def _ssh_argv(bed, port, known_hosts, command, tty):
    """The bed's ssh command line, pointed at the relocated sshd."""
    argv = bed.ssh_argv("alice", command, tty=tty)
    argv[argv.index("-p") + 1] = str(port)
    argv[argv.index("UserKnownHostsFile=" + bed.known_hosts)] = \
        "UserKnownHostsFile=" + known_hosts
    return argv


def test_make_then_make_install_elsewhere_logs_in(bed):
    work = os.path.join(bed.run_dir, "relocated")
    src, prefix = os.path.join(work, "src"), os.path.join(work, "opt")
    if os.path.exists(work):
        shutil.rmtree(work)
    _copy_tree(src)
    os.chmod(work, 0o755)
    # exactly what a newcomer types: a plain build, then an install with
    # other paths (and the account the bed's sshd runs as)
    _run(["make", "-C", src, "-j2"], timeout=240)
    _run(["make", "-C", src, "install", "PREFIX=" + prefix,
          "SYSCONFDIR=" + prefix + "/etc", "VMCONSOLE_USER=" + USER],
         timeout=240)
    etc = os.path.join(prefix, "etc", "vmconsole-proxy")
    with open(os.path.join(etc, "sshd_config")) as f:
        sshd_config = f.read()
    assert "/usr/local" not in sshd_config, \
        "installed sshd_config names the first build's paths"
    assert "AllowUsers %s\n" % USER in sshd_config, \
        "installed sshd_config does not allow %s" % USER
    cache = os.path.join(prefix, "var", "cache", "vmconsole-proxy")
    os.makedirs(cache, mode=0o700)
    os.chown(cache, bed.uid, bed.gid)

    # The account's shell is the login shell of the install that serves
    # it: it runs only the helper compiled into that same install.
    subprocess.run(["usermod", "--shell", os.path.join(
        prefix, "libexec", "vmconsole-proxy", "vmconsole-login-shell"),
        USER], check=True)
    port = _free_port()
    sshd, known_hosts = _start_sshd(bed, prefix, port)
    try:
        res = subprocess.run(
            _ssh_argv(bed, port, known_hosts, "list", tty=False),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, timeout=60,
            env={"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"})
        out = res.stdout.decode(errors="replace")
        assert res.returncode == 0 and "\tweb01\t" in out, \
            "list through the relocated install: exit %d %r %r" % (
                res.returncode, out, res.stderr[-300:])
        with PtySession(_ssh_argv(bed, port, known_hosts, "web01",
                                  tty=True),
                        env={"PATH": PATH, "HOME": "/root",
                             "TERM": "xterm", "LANG": "C.UTF-8"}) as p:
            expect_connected(p, "web01")
            assert_guest_answers(p, "web01")
            detach(p)
            assert_exit(p, 0)
    finally:
        subprocess.run(["usermod", "--shell", bed.login_shell, USER],
                       check=True)
        sshd.terminate()
        try:
            sshd.wait(10)
        except subprocess.TimeoutExpired:
            sshd.kill()
            sshd.wait(10)
