"""The end-to-end test bed: a relocated install of the product, the real
sshd started from the installed sshd_config as an unprivileged user, a test
manager on loopback (HTTP and HTTPS), a libvirt session daemon of that user
with two small QEMU (TCG) guests, and the real OpenSSH client to log in.

Set up once per run by run.py; Bed.reset() puts the manager and the
configuration back to the default fixture before each test.
"""

import fcntl
import json
import os
import pwd
import grp
import shutil
import signal
import socket
import subprocess
import sys
import time

from expect import PtySession
from manager import TestManager
from syslog_sink import SyslogSink

# what the bed and the fleet share lives one level up, in tests/
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from guest_boot import booted  # noqa: E402

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROOT = os.environ.get("VMCONSOLE_TEST_ROOT", "/var/lib/vmconsole-proxy-tests")
CACHE = os.environ.get("VMCONSOLE_TEST_CACHE",
                       "/var/cache/vmconsole-proxy-tests")
USER = "vmctest"
TOKEN = "e2e-token-7f3a9c"
SSHD = "/usr/sbin/sshd"
LIBVIRTD = "/usr/sbin/libvirtd"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# The two guests every run boots, and who may see them.
WEB_UUID = "6d1f0a52-1c2b-4e1e-9a51-0000000000a1"
DB_UUID = "6d1f0a52-1c2b-4e1e-9a51-0000000000b2"
GUESTS = {"web01": WEB_UUID, "db01": DB_UUID}
CONSOLE_HOST = "localhost"
# Guests a bed may boot besides those two (Bed(extra_guests=N)): g01, g02,
# ... with UUIDs of this form, the same image and memory (96 MiB; the
# kernel does not come up in 64).
EXTRA_GUEST_UUID = "6d1f0a52-1c2b-4e1e-9a51-1000000000%02d"

# Entities of the default fixture: name -> (entity id, entity name).
ALICE = ("u-42", "alice")
BOB = ("u-7", "bob")


class Skip(Exception):
    """Raised by a test that cannot run here; reported as SKIP."""


class BedError(Exception):
    pass


def _run(argv, check=True, timeout=600, **kw):
    res = subprocess.run(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise BedError("%s failed (exit %d): %s" % (
            " ".join(argv), res.returncode,
            res.stdout.decode(errors="replace")[-2000:]))
    return res


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(what, predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise BedError("timed out after %ds waiting for %s" % (timeout, what))


class UserKey:
    """An ed25519 key pair of a test user, kept in the bed."""

    def __init__(self, directory, name):
        self.name = name
        self.path = os.path.join(directory, name)
        if not os.path.exists(self.path):
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                  name + "@e2e", "-f", self.path])
        with open(self.path + ".pub") as f:
            self.keytype, self.blob = f.read().split()[:2]
        out = _run(["ssh-keygen", "-l", "-E", "sha256", "-f",
                    self.path + ".pub"]).stdout.decode()
        self.fingerprint = out.split()[1]

    @property
    def public(self):
        return "%s %s %s@e2e" % (self.keytype, self.blob, self.name)


def extra_guest_names(count):
    """Names and UUIDs of count extra guests, as a dict."""
    return {"g%02d" % i: EXTRA_GUEST_UUID % i for i in range(1, count + 1)}


class Bed:
    def __init__(self, log=print, extra_guests=0):
        self.log = log
        if not 0 <= extra_guests <= 99:
            raise BedError("extra_guests must be 0..99")
        # every guest this bed boots: the default two, then the extras
        self.guests = dict(GUESTS)
        self.guests.update(extra_guest_names(extra_guests))
        self.run_dir = os.path.join(ROOT, "run")
        self.inst = os.path.join(self.run_dir, "inst")
        self.etc = os.path.join(self.inst, "etc", "vmconsole-proxy")
        self.conf = os.path.join(self.etc, "vmconsole.conf")
        self.libexec = os.path.join(self.inst, "libexec", "vmconsole-proxy")
        self.authkeys = os.path.join(self.libexec, "vmconsole-authkeys")
        self.helper = os.path.join(self.libexec, "vmconsole-console-helper")
        self.login_shell = os.path.join(self.libexec, "vmconsole-login-shell")
        self.statedir = os.path.join(self.inst, "var", "lib",
                                     "vmconsole-proxy")
        self.cache_dir = os.path.join(self.run_dir, "cache")
        self.log_dir = os.path.join(self.run_dir, "log")
        self.sshd_log = os.path.join(self.log_dir, "sshd.log")
        self.tls_dir = os.path.join(self.run_dir, "tls")
        self.inventory = os.path.join(self.run_dir, "inventory")
        self.key_dir = os.path.join(self.run_dir, "keys")
        self.guest_dir = os.path.join(self.run_dir, "guests")
        self.known_hosts = os.path.join(self.run_dir, "known_hosts")
        self.home = os.path.join(ROOT, "home", USER)
        self.sshd = None
        self.libvirtd = None
        self.manager = None
        self.port = None
        self.guests_up = False
        self.keys = {}
        self.transport = "http"
        # The programs' syslog lines, when /dev/log is the bed's to take.
        self.syslog = SyslogSink(os.path.join(ROOT, "syslog-sink"))
        self._lock = None

    # --- set-up --------------------------------------------------------

    def setup(self):
        if os.geteuid() != 0:
            raise Skip("the bed needs root (it creates a user and runs "
                       "sshd and libvirtd as that user)")
        for prog in (SSHD, LIBVIRTD, "/usr/bin/ssh", "/usr/bin/virsh",
                     "/usr/bin/qemu-system-x86_64", "/bin/busybox"):
            if not os.path.exists(prog):
                raise BedError("%s is missing: run tests/install-deps" % prog)
        self._take_lock()
        self._create_user()
        self._kill_user_processes()
        self._fresh_run_dir()
        if not self.syslog.start():
            self.log("bed: no syslog sink: %s" % self.syslog.unavailable)
        self._build_and_install()
        self._make_tls()
        self._start_libvirtd()
        self._start_guests()
        self.manager = TestManager(
            token=TOKEN,
            cert_file=os.path.join(self.tls_dir, "server.pem"),
            key_file=os.path.join(self.tls_dir, "server.key"))
        self.manager.start()
        for name in ("alice", "bob", "carol", "mallory", "stranger",
                     "attacker"):
            self.keys[name] = UserKey(self.key_dir, name)
        self._start_sshd()
        self.reset()

    def _take_lock(self):
        # Two runs would kill each other's processes and wipe each other's
        # run directory: the second one waits for the first.
        os.makedirs(ROOT, mode=0o755, exist_ok=True)
        path = os.path.join(ROOT, "bed.lock")
        self._lock = open(path, "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.log("bed: another end-to-end run holds %s; waiting" % path)
            fcntl.flock(self._lock, fcntl.LOCK_EX)

    def _create_user(self):
        try:
            pwd.getpwnam(USER)
        except KeyError:
            os.makedirs(os.path.dirname(self.home), mode=0o755,
                        exist_ok=True)
            _run(["useradd", "--system", "--home-dir", self.home,
                  "--create-home", "--shell", "/bin/sh", "--groups", "tty",
                  "--comment", "vmconsole-proxy end-to-end tests", USER])
        pw = pwd.getpwnam(USER)
        # /dev/pts may lack gid=5: the unprivileged sshd needs group tty.
        if USER not in grp.getgrnam("tty").gr_mem:
            _run(["usermod", "-a", "-G", "tty", USER])
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        os.makedirs(self.home, mode=0o755, exist_ok=True)
        os.chown(self.home, self.uid, self.gid)

    def _user_pids(self):
        pids = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if os.stat("/proc/" + d).st_uid == self.uid:
                    pids.append(int(d))
            except FileNotFoundError:
                pass
        return pids

    def _kill_user_processes(self):
        """Ends what the bed started as the test user (sshd and its
        sessions, libvirtd, virtlogd, QEMU), each by its pid."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self._user_pids()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 10
            while self._user_pids() and time.monotonic() < deadline:
                time.sleep(0.1)
            if not self._user_pids():
                return

    def _fresh_run_dir(self):
        os.umask(0o022)
        os.makedirs(ROOT, mode=0o755, exist_ok=True)
        os.chmod(ROOT, 0o755)
        if os.path.isdir(self.run_dir):
            shutil.rmtree(self.run_dir)
        os.makedirs(self.run_dir, mode=0o755)
        for d, owner, mode in ((self.cache_dir, True, 0o700),
                               (self.log_dir, True, 0o755),
                               (self.tls_dir, False, 0o755),
                               (self.inventory, False, 0o755),
                               (self.key_dir, False, 0o700),
                               (self.guest_dir, False, 0o755)):
            os.makedirs(d, mode=mode)
            os.chmod(d, mode)
            if owner:
                os.chown(d, self.uid, self.gid)

    def _build_and_install(self):
        # A copy of the tree, so the compiled-in paths of this install do
        # not mix with a build for the default prefix in the source tree.
        src = os.path.join(self.run_dir, "src")
        self.log("bed: building and installing into %s" % self.inst)
        os.makedirs(src)
        _run(["sh", "-c", "tar -C \"$1\" --exclude=./build "
              "--exclude=./build-asan --exclude=./.git -cf - . | "
              "tar -C \"$2\" -xf -", "copy", SRC, src])
        jobs = "-j%d" % max(2, os.cpu_count() or 2)
        args = ["PREFIX=" + self.inst,
                "SYSCONFDIR=" + os.path.join(self.inst, "etc"),
                "LOCALSTATEDIR=" + os.path.join(self.inst, "var"),
                "VMCONSOLE_USER=" + USER]
        _run(["make", "-C", src, jobs, "all"] + args)
        _run(["make", "-C", src, "install"] + args)
        # sshd runs every session through the login shell: the installed
        # one, as sysusers.d sets it for the packages.
        _run(["usermod", "--shell", self.login_shell, USER])
        for d in (os.path.join(self.etc, "vmconsole.conf.d"),
                  os.path.join(self.etc, "sshd_config.d")):
            os.makedirs(d, mode=0o755, exist_ok=True)
        with open(os.path.join(self.etc, "manager-token"), "w") as f:
            f.write(TOKEN + "\n")
        os.chown(os.path.join(self.etc, "manager-token"), self.uid, self.gid)
        os.chmod(os.path.join(self.etc, "manager-token"), 0o600)

    def _make_tls(self):
        d = self.tls_dir
        ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
        key, csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
        cert = os.path.join(d, "server.pem")
        ext = os.path.join(d, "server.ext")
        _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
              "-subj", "/CN=vmconsole-proxy e2e CA", "-keyout", ca_key,
              "-out", ca])
        _run(["openssl", "req", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
              "/CN=127.0.0.1", "-keyout", key, "-out", csr])
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    "extendedKeyUsage=serverAuth\n")
        _run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
              ca_key, "-CAcreateserial", "-days", "2", "-extfile", ext,
              "-out", cert])
        # A CA that signed nothing here, for the "untrusted server" case.
        _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
              "-subj", "/CN=some other CA", "-keyout",
              os.path.join(d, "other-ca.key"), "-out",
              os.path.join(d, "other-ca.pem")])
        for f in os.listdir(d):
            os.chmod(os.path.join(d, f),
                     0o600 if f.endswith(".key") else 0o644)

    # --- processes of the test user ------------------------------------

    def user_env(self):
        # Deliberately no XDG_RUNTIME_DIR: sshd gives the forced command
        # none, so the session daemon's socket must be under ~/.cache.
        return {"HOME": self.home, "USER": USER, "LOGNAME": USER,
                "PATH": PATH, "LANG": "C.UTF-8"}

    def as_user(self, argv):
        return ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.gid,
                "--init-groups", "--"] + list(argv)

    def run_as_user(self, argv, check=True, timeout=120, input=None):
        return subprocess.run(self.as_user(argv), env=self.user_env(),
                              input=input, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout,
                              check=check, cwd="/")

    def virsh(self, *args, check=True):
        return self.run_as_user(["virsh", "-c", "qemu:///session"]
                                + list(args), check=check)

    def _start_libvirtd(self):
        sock = os.path.join(self.home, ".cache", "libvirt", "libvirt-sock")
        if os.path.exists(sock):
            os.unlink(sock)
        # Appended to: a restarted daemon keeps the story of the first.
        log = open(os.path.join(self.log_dir, "libvirtd.log"), "ab")
        self.libvirtd = subprocess.Popen(
            self.as_user([LIBVIRTD]), env=self.user_env(), cwd="/",
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        log.close()
        _wait_for("the libvirt session socket %s" % sock,
                  lambda: os.path.exists(sock) or
                  self.libvirtd.poll() is not None, 60)
        if self.libvirtd.poll() is not None:
            raise BedError("libvirtd exited with %d; see %s" % (
                self.libvirtd.returncode,
                os.path.join(self.log_dir, "libvirtd.log")))
        self.virsh("version")

    def restart_libvirtd(self):
        """Starts the session daemon again, the way setup() does, after a
        test killed or stopped it; waits until the new daemon has taken
        back the guests, whose QEMU processes outlive the old one."""
        if self.libvirtd is not None:
            if self.libvirtd.poll() is None:
                self.libvirtd.kill()
            self.libvirtd.wait(30)
        self._start_libvirtd()
        _wait_for("libvirtd to list %s as running again"
                  % ", ".join(self.guests),
                  lambda: all(self.guest_running(n) for n in self.guests),
                  60, 1)

    def _start_guests(self):
        kernel = os.path.join(CACHE, "vmlinuz")
        if not os.path.exists(kernel):
            raise BedError("no guest kernel at %s: run tests/install-deps"
                           % kernel)
        initrd = os.path.join(self.guest_dir, "initrd.cpio.gz")
        _run([os.path.join(SRC, "tools", "make-guest-image"), initrd])
        os.chmod(initrd, 0o644)
        for name in self.guests:
            self.start_guest(name, wait=False)
        for name in self.guests:
            self.wait_guest(name)
        self.guests_up = True

    def guest_log(self, name):
        return os.path.join(self.log_dir, "%s-serial.log" % name)

    def start_guest(self, name, wait=True):
        """Boots (or reboots) a guest from scratch."""
        self.virsh("destroy", name, check=False)
        xml = os.path.join(self.guest_dir, name + ".xml")
        res = _run([os.path.join(SRC, "tools", "make-guest-xml"),
                    "--name", name, "--uuid", self.guests[name],
                    "--kernel", os.path.realpath(
                        os.path.join(CACHE, "vmlinuz")),
                    "--initrd", os.path.join(self.guest_dir,
                                             "initrd.cpio.gz"),
                    "--log", self.guest_log(name)])
        with open(xml, "wb") as f:
            f.write(res.stdout)
        os.chmod(xml, 0o644)
        # Boot is detected from this log: an old one must not answer for it.
        if os.path.exists(self.guest_log(name)):
            os.unlink(self.guest_log(name))
        self.virsh("create", xml)
        if wait:
            self.wait_guest(name)

    def wait_guest(self, name):
        _wait_for("guest %s to boot (see %s)" % (name, self.guest_log(name)),
                  lambda: booted(self.guest_log(name), name), 300, 0.5)

    def guest_running(self, name):
        res = self.virsh("domstate", name, check=False)
        return res.returncode == 0 and b"running" in res.stdout

    def _start_sshd(self):
        os.makedirs(self.statedir, mode=0o700, exist_ok=True)
        os.chown(self.statedir, self.uid, self.gid)
        for t in ("ed25519", "ecdsa", "rsa"):
            path = os.path.join(self.statedir, "ssh_host_%s_key" % t)
            if not os.path.exists(path):
                self.run_as_user(["ssh-keygen", "-q", "-t", t, "-N", "",
                                  "-C", "vmconsole-proxy e2e", "-f", path])
        self.port = _free_port()
        self._make_user_ca()
        with open(os.path.join(self.etc, "sshd_config.d", "50-test.conf"),
                  "w") as f:
            f.write("# Written by the end-to-end bed.\n"
                    "ListenAddress 127.0.0.1:%d\n"
                    "LogLevel DEBUG1\n"
                    "TrustedUserCAKeys %s.pub\n"
                    "RevokedKeys %s\n" % (self.port, self.user_ca,
                                           self.user_krl))
        with open(os.path.join(self.statedir,
                               "ssh_host_ed25519_key.pub")) as f:
            hostkey = " ".join(f.read().split()[:2])
        with open(self.known_hosts, "w") as f:
            f.write("[127.0.0.1]:%d %s\n" % (self.port, hostkey))
        config = os.path.join(self.etc, "sshd_config")
        res = self.run_as_user([SSHD, "-t", "-f", config], check=False)
        if res.returncode != 0:
            raise BedError("sshd -t rejects the installed config: %s"
                           % res.stderr.decode(errors="replace"))
        self.sshd = subprocess.Popen(
            self.as_user([SSHD, "-D", "-f", config, "-E", self.sshd_log]),
            env=self.user_env(), cwd="/", stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

        def listening():
            if self.sshd.poll() is not None:
                raise BedError("sshd exited with %d; see %s" % (
                    self.sshd.returncode, self.sshd_log))
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.port)) == 0
        _wait_for("sshd on port %d" % self.port, listening, 30)

    def _make_user_ca(self):
        # Every test runs with a user CA trusted the way an operator does
        # it (one drop-in line), so plain keys are tested beside it.
        d = os.path.join(self.run_dir, "user-ca")
        os.makedirs(d, mode=0o755)
        self.user_ca = os.path.join(d, "ca")
        self.user_krl = os.path.join(d, "revoked.krl")
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
              "vmconsole-proxy e2e user CA", "-f", self.user_ca])
        self.write_krl([])

    def write_krl(self, serials):
        """Makes the KRL sshd reads revoke these certificate serials of
        the user CA (none: an empty KRL)."""
        spec = self.user_krl + ".spec"
        with open(spec, "w") as f:
            f.write("".join("serial: %d\n" % s for s in serials))
        _run(["ssh-keygen", "-q", "-k", "-f", self.user_krl + ".tmp",
              "-s", self.user_ca + ".pub", spec])
        os.chmod(self.user_krl + ".tmp", 0o644)
        os.rename(self.user_krl + ".tmp", self.user_krl)

    # --- per test ------------------------------------------------------

    def reset(self):
        """Default fixture: manager up over HTTP, alice and bob known,
        both guests visible to alice, db01 to bob too, empty cache."""
        self.manager.start()
        self.manager.reset()
        self.manager.set_keys([
            self.key_entry("alice", ALICE),
            self.key_entry("bob", BOB),
        ])
        self.manager.set_consoles([
            {"vmid": WEB_UUID, "vm": "web01", "host": CONSOLE_HOST,
             "entities": [ALICE[0]]},
            {"vmid": DB_UUID, "vm": "db01", "host": CONSOLE_HOST,
             "entities": [ALICE[0], BOB[0]]},
        ])
        self.configure("http")
        self.clear_cache()
        # a console lingering from the last test would keep its settings
        for pid in self.helper_pids(brokers=True):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def key_entry(self, keyname, entity, **extra):
        entry = {"entityid": entity[0], "entity": entity[1],
                 "key": self.keys[keyname].public}
        entry.update(extra)
        return entry

    def configure(self, transport, **settings):
        """Points the installed config at the manager over transport
        ("http", "https" or "file"); settings add or replace keys."""
        self.transport = transport
        query_keys = "?fingerprint={fingerprint}&keytype={keytype}" \
            "&user={user}"
        query_consoles = "?entityid={entityid}"
        if transport == "file":
            self.write_inventory()
            keys_url = "file://%s/keys.json" % self.inventory
            consoles_url = "file://%s/consoles.json" % self.inventory
        else:
            tls = transport == "https"
            keys_url = self.manager.url("keys", tls, query_keys)
            consoles_url = self.manager.url("consoles", tls, query_consoles)
        values = {
            "manager_keys_url": keys_url,
            "manager_consoles_url": consoles_url,
            "manager_ca_file": os.path.join(self.tls_dir, "ca.pem"),
            "manager_token_file": os.path.join(self.etc, "manager-token"),
            "manager_timeout": "5",
            "cache_dir": self.cache_dir,
            "cache_max_stale": "3600",
            # tests change the manager's answers between calls
            "cache_fresh": "0",
            "libvirt_uri": "qemu:///session",
            "log_level": "debug",
        }
        values.update(settings)
        path = os.path.join(self.etc, "vmconsole.conf.d", "50-test.conf")
        with open(path + ".tmp", "w") as f:
            f.write("# Written by the end-to-end bed.\n")
            for k, v in values.items():
                f.write("%s = %s\n" % (k, v))
        os.chmod(path + ".tmp", 0o644)
        os.rename(path + ".tmp", path)

    def write_inventory(self):
        """Writes the manager's current documents as the file inventory."""
        for doc in ("keys", "consoles"):
            path = os.path.join(self.inventory, doc + ".json")
            with open(path + ".tmp", "wb") as f:
                f.write(self.manager.document(doc))
            os.chmod(path + ".tmp", 0o644)
            os.rename(path + ".tmp", path)

    def clear_cache(self):
        for f in os.listdir(self.cache_dir):
            p = os.path.join(self.cache_dir, f)
            if os.path.isdir(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)

    # --- the user's side -----------------------------------------------

    def ssh_argv(self, key, *command, tty=False, options=(), program="ssh"):
        k = self.keys[key] if isinstance(key, str) else key
        argv = [program, "-F", "/dev/null", "-i", k.path,
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + self.known_hosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "HostKeyAlgorithms=ssh-ed25519",
                "-o", "ConnectTimeout=20", "-o", "LogLevel=ERROR"]
        argv += list(options)
        if program == "ssh":
            argv += ["-p", str(self.port), "-tt" if tty else "-T",
                     "-l", USER, "127.0.0.1"]
            # typed as users type it, without a "--" in front
            argv += list(command)
        return argv

    def ssh(self, key, *command, options=(), timeout=60, input=None):
        """Runs ssh without a pty; returns (exit code, stdout, stderr)."""
        res = subprocess.run(self.ssh_argv(key, *command, options=options),
                             input=input or b"", stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=timeout,
                             env={"PATH": PATH, "HOME": "/root",
                                  "LANG": "C.UTF-8"})
        return (res.returncode, res.stdout.decode(errors="replace"),
                res.stderr.decode(errors="replace"))

    def ssh_pty(self, key, *command, options=()):
        """Starts ssh -tt on a pty of its own; returns the PtySession."""
        return PtySession(self.ssh_argv(key, *command, tty=True,
                                        options=options),
                          env={"PATH": PATH, "HOME": "/root",
                               "TERM": "xterm", "LANG": "C.UTF-8"})

    def authkeys_lines(self, key, user=USER):
        """What vmconsole-authkeys prints for key, run the way sshd runs
        it; returns (exit code, list of lines)."""
        k = self.keys[key] if isinstance(key, str) else key
        res = self.run_as_user([self.authkeys, "-c", self.conf, user,
                                k.keytype, k.fingerprint, k.blob],
                               check=False)
        return res.returncode, res.stdout.decode(errors="replace") \
            .splitlines(keepends=True)

    def sshd_log_size(self):
        try:
            return os.path.getsize(self.sshd_log)
        except FileNotFoundError:
            return 0

    def sshd_log_since(self, offset):
        with open(self.sshd_log, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def need_syslog(self):
        """Returns the syslog sink, or raises Skip saying why there is
        none."""
        if self.syslog.sock is None:
            raise Skip(self.syslog.unavailable or "no syslog sink")
        return self.syslog

    def helper_pids(self, brokers=False):
        """Pids of console helpers running as the test user (brokers:
        the brokers of shared consoles instead)."""
        pids = []
        for pid in self._user_pids():
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    argv0 = f.read().split(b"\0")[0]
                with open("/proc/%d/comm" % pid, "rb") as f:
                    broker = f.read().strip() == b"console-broker"
            except (FileNotFoundError, ProcessLookupError):
                continue
            if argv0.endswith(b"vmconsole-console-helper") and \
                    broker == brokers:
                pids.append(pid)
        return pids

    # --- tear-down -----------------------------------------------------

    def teardown(self):
        if self.manager is not None:
            self.manager.stop()
        if self.sshd is not None and self.sshd.poll() is None:
            self.sshd.terminate()
            try:
                self.sshd.wait(10)
            except subprocess.TimeoutExpired:
                self.sshd.kill()
        if self.libvirtd is not None and self.libvirtd.poll() is None:
            for name in self.guests:
                self.virsh("destroy", name, check=False)
            self.libvirtd.terminate()
            try:
                self.libvirtd.wait(30)
            except subprocess.TimeoutExpired:
                self.libvirtd.kill()
        if hasattr(self, "uid"):
            # virtlogd and anything a session left behind.
            self._kill_user_processes()
            # The login shell lives in this run's install, which the next
            # run replaces: leave the user a shell that stays.
            _run(["usermod", "--shell", "/bin/sh", USER], check=False)
        self.syslog.stop()
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def json_list(text):
    """Parses `list --format=json` output."""
    return json.loads(text)
