"""A fleet on one machine: two hypervisors whose system libvirtd listens on
TLS, two proxies installed from this tree and configured with
vmconsole-proxy-deploy, HAProxy in front of them and the test manager.

Every machine of the fleet is a network namespace plus a mount namespace
held by a long-lived "anchor" process; daemons are started inside with
nsenter, so they can be killed and started again. The namespaces hang off
one bridge through veth pairs; only addresses of FLEET_NET are used.

What it made is recorded under STATE (one pid file per process it
started, the anchors' namespace identities), so that down() finds all of
it again, even after a crash of the process that brought it up.
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

import pki

# what the bed and the fleet share lives one level up, in tests/
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from guest_boot import booted  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
STATE = os.environ.get("VMCONSOLE_FLEET_DIR",
                       "/var/lib/vmconsole-proxy-fleet")
CACHE = os.environ.get("VMCONSOLE_TEST_CACHE",
                       "/var/cache/vmconsole-proxy-tests")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
USER = "vmcfleet"
# The service account's home: sshd changes into it for every session.
HOME = os.path.join(STATE, "home")
BRIDGE = "vmcfleet0"
FLEET_NET = "10.231.77"
# Environment mark of the processes the fleet starts in the root namespace.
MARK = "VMCONSOLE_FLEET_MEMBER"

MACHINES = {"svc": 10, "hv1": 11, "hv2": 12, "proxy1": 21, "proxy2": 22}
HYPERVISORS = ("hv1", "hv2")
PROXIES = ("proxy1", "proxy2")
SSH_PORT = 2222
# The user's machines in the root namespace, on the bridge: the first is
# where every test runs ssh from; the second is another source address for
# the balancer's per-source limit.
CLIENT_ADDRS = (FLEET_NET + ".1", FLEET_NET + ".2")
# HAProxy refuses a new connection from a source address that already
# holds this many (docs/deployment.md, "Behind a balancer").
BALANCER_CONN_CUR_MAX = 20
MANAGER_PORT = 8443
LIBVIRT_KEEPALIVE = (2, 2)

# guest -> (home hypervisor, uuid)
GUESTS = {
    "web01": ("hv1", "3a0c6f1e-5b2d-4c7a-9e10-00000000f101"),
    "app01": ("hv1", "3a0c6f1e-5b2d-4c7a-9e10-00000000f102"),
    "db01": ("hv2", "3a0c6f1e-5b2d-4c7a-9e10-00000000f201"),
}
# A manager entry that outlived its VM: its UUID exists nowhere, its display
# name is the name of another domain on hv1.
STALE_UUID = "3a0c6f1e-5b2d-4c7a-9e10-0000000dead1"
# Entities: name -> (entity id, entity name)
ALICE = ("u-1", "alice")
CAROL = ("u-3", "carol")
TOKEN = "fleet-token-5d2e91"


class FleetError(Exception):
    pass


def addr(machine):
    return "%s.%d" % (FLEET_NET, MACHINES[machine])


def mac(machine):
    return "02:76:6d:63:00:%02x" % MACHINES[machine]


def _run(argv, check=True, timeout=300, **kw):
    res = subprocess.run(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise FleetError("%s failed (exit %d): %s" % (
            " ".join(argv), res.returncode,
            res.stdout.decode(errors="replace")[-2000:]))
    return res


def _wait_for(what, predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise FleetError("timed out after %ds waiting for %s" % (timeout, what))


def _netns_id(pid):
    try:
        return os.readlink("/proc/%d/ns/net" % pid)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def _pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def _pids_in_netns(nsid):
    return [p for p in _pids() if _netns_id(p) == nsid]


def _marked_pids():
    found = []
    needle = (MARK + "=").encode()
    for p in _pids():
        try:
            with open("/proc/%d/environ" % p, "rb") as f:
                if any(v.startswith(needle) for v in f.read().split(b"\0")):
                    found.append(p)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return found


def _kill_all(pids, timeout=10, sig_first=signal.SIGTERM):
    pids = [p for p in pids if p != os.getpid()]
    for sig in (sig_first, signal.SIGKILL):
        for p in pids:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [p for p in pids if os.path.exists("/proc/%d" % p) and
                    not _is_zombie(p)]
            if not pids:
                return
            time.sleep(0.05)


def _is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


class Machine:
    """One namespace pair and the anchor process holding it."""

    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(STATE, name)
        self.record = os.path.join(STATE, "records", name + ".json")

    @property
    def pid(self):
        with open(self.record) as f:
            return json.load(f)["pid"]

    @property
    def netns(self):
        with open(self.record) as f:
            return json.load(f)["netns"]

    def argv(self, *argv):
        """argv run inside this machine (network and mount namespace)."""
        return ["nsenter", "-t", str(self.pid), "-n", "-m", "-u", "--"] + \
            list(argv)

    def run(self, *argv, check=True, timeout=120, env=None):
        return _run(self.argv(*argv), check=check, timeout=timeout,
                    env=env or {"PATH": PATH, "LANG": "C.UTF-8"})

    def path(self, inside):
        """A path of the machine's mount namespace, seen from outside."""
        return "/proc/%d/root%s" % (self.pid, inside)

    def processes(self):
        """Pids inside the machine other than the anchor."""
        anchor = self.pid
        return [p for p in _pids_in_netns(self.netns) if p != anchor]


class Fleet:
    """The whole fleet: up(), down(), the faults tests inject and heal(),
    which undoes them between tests."""

    def __init__(self, log=print):
        self.log = log
        self.machines = {n: Machine(n) for n in MACHINES}
        self.pki = pki.Pki(os.path.join(STATE, "pki"))
        self.inst = os.path.join(STATE, "inst")
        self.etc = os.path.join(self.inst, "etc", "vmconsole-proxy")
        self.vardir = os.path.join(self.inst, "var", "lib", "vmconsole-proxy")
        self.cachedir = os.path.join(self.inst, "var", "cache",
                                     "vmconsole-proxy")
        self.deploy = os.path.join(self.inst, "sbin",
                                   "vmconsole-proxy-deploy")
        self.client_dir = os.path.join(STATE, "client")
        self.known_hosts = os.path.join(self.client_dir, "known_hosts")
        self.guest_dir = os.path.join(STATE, "guests")
        self.admin_pki = os.path.join(STATE, "pki", "admin")
        self._lock = None
        self.links_cut = set()
        self.libvirtds = {}
        self.inventory_moved = False
        self.pki_replaced = set()

    def __getitem__(self, name):
        return self.machines[name]

    # --- locking -------------------------------------------------------

    def lock(self):
        os.makedirs(STATE, mode=0o755, exist_ok=True)
        self._lock = open(os.path.join(STATE, "..",
                                       "vmconsole-proxy-fleet.lock"), "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.log("fleet: another fleet command runs; waiting")
            fcntl.flock(self._lock, fcntl.LOCK_EX)

    # --- bring-up ------------------------------------------------------

    def up(self):
        if os.geteuid() != 0:
            raise FleetError("the fleet needs root")
        for prog in ("/usr/sbin/libvirtd", "/usr/sbin/haproxy",
                     "/usr/bin/certtool", "/usr/bin/virsh", "/usr/sbin/sshd",
                     "/usr/bin/qemu-system-x86_64", "/usr/bin/nsenter",
                     "/usr/bin/virt-pki-query-dn"):
            if not os.path.exists(prog):
                raise FleetError("%s is missing: run tests/install-deps"
                                 % prog)
        if not os.path.exists(os.path.join(CACHE, "vmlinuz")):
            raise FleetError("no guest kernel in %s: run tests/install-deps"
                             % CACHE)
        self.down()
        t0 = time.monotonic()
        os.umask(0o022)
        os.makedirs(os.path.join(STATE, "records"), mode=0o755)
        os.chmod(STATE, 0o755)
        self._create_user()
        build = subprocess.Popen(
            ["sh", "-c", "exec \"$0\" \"$2\" \"$3\" > \"$1\" 2>&1",
             os.path.join(HERE, "install-product"), os.path.join(
                 STATE, "install.log"), self.inst, USER],
            env={"PATH": PATH, "LANG": "C.UTF-8", "SRC": SRC, MARK: "build"})
        self.pki.make_ca()
        self._write_hosts()
        self._make_bridge()
        for name in MACHINES:
            self._start_anchor(name)
        self._make_guest_files()
        for hv in HYPERVISORS:
            self._configure_hypervisor(hv)
            self.start_libvirtd(hv)
        self.log("fleet: hypervisors up after %.1fs"
                 % (time.monotonic() - t0))
        for name in GUESTS:
            self.start_guest(name, wait=False)
        self._start_manager()
        self._make_client()
        self.log("fleet: waiting for the product build")
        if build.wait(600) != 0:
            with open(os.path.join(STATE, "install.log")) as f:
                raise FleetError("building the product failed: %s"
                                 % f.read()[-1500:])
        self.log("fleet: product installed after %.1fs"
                 % (time.monotonic() - t0))
        for p in PROXIES:
            self._deploy_proxy(p)
            self.start_proxy(p)
        self._start_haproxy()
        for name in GUESTS:
            self.wait_guest(name)
        self.wait_balancer()
        self.log("fleet: up in %.1fs" % (time.monotonic() - t0))

    def _create_user(self):
        # libvirt's QEMU driver parses its built-in default account before
        # it reads qemu.conf; libvirt-daemon-system creates it, the sysv
        # flavour installed without it does not.
        try:
            pwd.getpwnam("libvirt-qemu")
        except KeyError:
            _run(["useradd", "--system", "--user-group", "--home-dir",
                  "/var/lib/libvirt", "--no-create-home", "--shell",
                  "/usr/sbin/nologin", "--comment", "Libvirt Qemu",
                  "libvirt-qemu"])
        try:
            pwd.getpwnam(USER)
        except KeyError:
            _run(["useradd", "--system", "--home-dir", HOME,
                  "--no-create-home", "--shell", "/bin/sh", "--groups",
                  "tty", "--comment", "vmconsole-proxy fleet", USER])
        if pwd.getpwnam(USER).pw_dir != HOME:
            _run(["usermod", "--home", HOME, USER])
        if USER not in grp.getgrnam("tty").gr_mem:
            _run(["usermod", "-a", "-G", "tty", USER])
        pw = pwd.getpwnam(USER)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        os.makedirs(HOME, mode=0o755)
        os.chown(HOME, self.uid, self.gid)

    def _write_hosts(self):
        # No name server either: names resolve from the hosts file or not
        # at all, at once, and no query leaves the machine.
        with open(os.path.join(STATE, "resolv.conf"), "w") as f:
            f.write("# the fleet has no DNS: see /etc/hosts\n"
                    "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        with open(os.path.join(STATE, "hosts"), "w") as f:
            f.write("127.0.0.1\tlocalhost\n")
            for m in MACHINES:
                f.write("%s\t%s\n" % (addr(m), m))

    def _make_bridge(self):
        _run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        self._record("bridge", {"bridge": BRIDGE})
        for a in CLIENT_ADDRS:
            _run(["ip", "addr", "add", a + "/24", "dev", BRIDGE])
        _run(["ip", "link", "set", BRIDGE, "up"])

    def _record(self, name, data):
        with open(os.path.join(STATE, "records", name + ".json"), "w") as f:
            json.dump(data, f)

    def _start_anchor(self, name):
        m = self.machines[name]
        os.makedirs(m.dir, mode=0o755, exist_ok=True)
        role = "hypervisor" if name in HYPERVISORS else \
            "proxy" if name in PROXIES else "service"
        if role == "hypervisor":
            for d in ("etc-libvirt", "var-lib-libvirt", "var-log-libvirt",
                      "var-cache-libvirt"):
                os.makedirs(os.path.join(m.dir, d), mode=0o755)
            for d in ("/etc/libvirt", "/var/lib/libvirt", "/var/log/libvirt",
                      "/var/cache/libvirt"):
                os.makedirs(d, mode=0o755, exist_ok=True)
        elif role == "proxy":
            for d in ("etc", "state", "cache"):
                os.makedirs(os.path.join(m.dir, d), mode=0o755)
            for d in (self.etc, self.vardir, self.cachedir):
                os.makedirs(d, mode=0o755, exist_ok=True)
        ready = os.path.join(m.dir, "anchor.ready")
        env = {"PATH": PATH, MARK: name, "FLEET_ROLE": role,
               "FLEET_NAME": name,
               "FLEET_RESOLV": os.path.join(STATE, "resolv.conf"),
               "FLEET_DIR": m.dir, "FLEET_HOSTS": os.path.join(STATE,
                                                               "hosts"),
               "FLEET_ETC": self.etc, "FLEET_VARDIR": self.vardir,
               "FLEET_CACHEDIR": self.cachedir}
        proc = subprocess.Popen(
            ["unshare", "--net", "--mount", "--uts", "--propagation",
             "private",
             "--", "/bin/sh", os.path.join(HERE, "anchor")],
            env=env, stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(m.dir, "anchor.log"), "wb"),
            stderr=subprocess.STDOUT, start_new_session=True)
        self._record(name, {"pid": proc.pid, "netns": None})
        _wait_for("the anchor of %s" % name,
                  lambda: os.path.exists(ready) or proc.poll() is not None,
                  30, 0.02)
        if proc.poll() is not None:
            raise FleetError("the anchor of %s exited: see %s" % (
                name, os.path.join(m.dir, "anchor.log")))
        self._record(name, {"pid": proc.pid, "netns": _netns_id(proc.pid)})
        veth = "vmcf-" + name
        _run(["ip", "link", "add", veth, "type", "veth", "peer", "name",
              "eth0", "netns", str(proc.pid)])
        _run(["ip", "link", "set", veth, "master", BRIDGE, "up"])
        m.run("ip", "link", "set", "eth0", "address", mac(name))
        m.run("ip", "addr", "add", addr(name) + "/24", "dev", "eth0")
        m.run("ip", "link", "set", "eth0", "up")
        # No default route: the fleet's subnet is all a machine reaches.
        # Fixed neighbours: with a link cut, packets to a hypervisor are
        # sent and silently lost, as on a real network, instead of failing
        # at once for want of an ARP answer.
        for other in MACHINES:
            if other != name:
                m.run("ip", "neigh", "replace", addr(other), "lladdr",
                      mac(other), "dev", "eth0", "nud", "permanent")

    # --- hypervisors ---------------------------------------------------

    def _configure_hypervisor(self, hv):
        m = self.machines[hv]
        etc = os.path.join(m.dir, "etc-libvirt")
        pkidir = os.path.join(etc, "pki")
        self.pki.server(pkidir, hv, addr(hv))
        shutil.copy(self.pki.ca, os.path.join(pkidir, "cacert.pem"))
        for p in PROXIES:
            self.pki.client(os.path.join(STATE, "pki", p), "%s.fleet" % p)
        if not os.path.exists(self.admin_pki):
            self.pki.client(self.admin_pki, "fleet-admin")
        self.allowed_dns = [pki.dn_of(os.path.join(STATE, "pki", p,
                                                   "clientcert.pem"))
                            for p in PROXIES]
        self.allowed_dns.append(pki.dn_of(os.path.join(self.admin_pki,
                                                       "clientcert.pem")))
        # The operator's migration runs from hv1 to hv2 and back: each
        # libvirtd acts as the client of the other one.
        shutil.copy(os.path.join(self.admin_pki, "clientcert.pem"), pkidir)
        shutil.copy(os.path.join(self.admin_pki, "clientkey.pem"), pkidir)
        n = MACHINES[hv]
        with open(os.path.join(etc, "libvirtd.conf"), "w") as f:
            f.write("# Written by the fleet bed.\n"
                    "listen_tls = 1\nlisten_tcp = 0\n"
                    'listen_addr = "%s"\n'
                    'key_file = "/etc/libvirt/pki/serverkey.pem"\n'
                    'cert_file = "/etc/libvirt/pki/servercert.pem"\n'
                    'ca_file = "/etc/libvirt/pki/cacert.pem"\n'
                    'auth_tls = "none"\n'
                    'auth_unix_rw = "none"\nauth_unix_ro = "none"\n'
                    "tls_allowed_dn_list = [%s]\n"
                    'host_uuid = "8b3f2c44-0d7e-4a8c-b1f5-0000000000%02x"\n'
                    "keepalive_interval = 5\nkeepalive_count = 5\n"
                    'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"\n'
                    % (addr(hv), ", ".join('"%s"' % d
                                           for d in self.allowed_dns), n))
        with open(os.path.join(etc, "qemu.conf"), "w") as f:
            f.write("# Written by the fleet bed.\n"
                    'stdio_handler = "file"\n'
                    'migration_host = "%s"\n'
                    'migration_address = "%s"\n'
                    'user = "root"\ngroup = "root"\n'
                    "dynamic_ownership = 0\nremember_owner = 0\n"
                    'security_driver = "none"\n'
                    # Both hypervisors share the machine's cgroup tree,
                    # where the same domain name and id on both would
                    # collide during a migration.
                    "cgroup_controllers = [ ]\n"
                    % (addr(hv), addr(hv)))

    def libvirtd_pid(self, hv):
        try:
            with open(self.machines[hv].path("/run/libvirtd.pid")) as f:
                pid = int(f.read().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if os.path.exists("/proc/%d" % pid) and \
            not _is_zombie(pid) else None

    def start_libvirtd(self, hv):
        """Starts libvirtd inside hv as a child of this process, so that
        a killed one is reaped at once: libvirt takes a console lock file
        whose process still exists, even as a zombie, for a live one."""
        m = self.machines[hv]
        log = open(os.path.join(m.dir, "libvirtd.out"), "ab")
        proc = subprocess.Popen(
            m.argv("/usr/sbin/libvirtd", "--listen",
                   "--pid-file=/run/libvirtd.pid"),
            env={"PATH": PATH, "LANG": "C.UTF-8", MARK: hv,
                 "HOME": "/root"}, stdin=subprocess.DEVNULL, stdout=log,
            stderr=log, start_new_session=True)
        log.close()
        self.libvirtds[hv] = proc

        def answers():
            if proc.poll() is not None:
                raise FleetError("libvirtd of %s exited with %d; see %s" % (
                    hv, proc.returncode, os.path.join(
                        m.dir, "var-log-libvirt", "libvirtd.log")))
            with socket.socket() as s:
                s.settimeout(1)
                return s.connect_ex((addr(hv), 16514)) == 0
        _wait_for("libvirtd of %s on TLS" % hv, answers, 30)

    def kill_libvirtd(self, hv, sig=signal.SIGKILL):
        pid = self.libvirtd_pid(hv)
        if pid:
            os.kill(pid, sig)
        proc = self.libvirtds.pop(hv, None)
        if proc is not None:
            proc.wait(30)
        if pid:
            # Started by another process: gone once its parent reaped it.
            _wait_for("libvirtd of %s to end" % hv,
                      lambda: not os.path.exists("/proc/%d" % pid), 30, 0.05)

    def restart_libvirtd(self, hv):
        """Starts libvirtd again and waits until it has taken back the
        guests that kept running."""
        self.kill_libvirtd(hv)
        self.start_libvirtd(hv)
        for name in self.guests_on(hv):
            _wait_for("%s to take back %s" % (hv, name),
                      lambda n=name: self.domstate(hv, n) == "running", 30,
                      0.1)

    def virsh(self, hv, *args, check=True, timeout=60):
        res = self.machines[hv].run("virsh", "-q", "-c", "qemu:///system",
                                    *args, check=check, timeout=timeout)
        return res.stdout.decode(errors="replace")

    def domstate(self, hv, name):
        res = self.machines[hv].run("virsh", "-q", "-c", "qemu:///system",
                                    "domstate", name, check=False)
        return res.stdout.decode().strip() if res.returncode == 0 else None

    def guests_on(self, hv):
        out = self.virsh(hv, "list", "--name")
        return [line.strip() for line in out.splitlines() if line.strip()]

    def where(self, name):
        """The hypervisor where guest name runs now, or None."""
        for hv in HYPERVISORS:
            if self.libvirtd_pid(hv) and self.domstate(hv, name) == "running":
                return hv
        return None

    def _make_guest_files(self):
        os.makedirs(os.path.join(self.guest_dir, "logs"), mode=0o755)
        shutil.copy(os.path.realpath(os.path.join(CACHE, "vmlinuz")),
                    os.path.join(self.guest_dir, "vmlinuz"))
        _run([os.path.join(SRC, "tools", "make-guest-image"),
              os.path.join(self.guest_dir, "initrd.cpio.gz")])
        for name, (_, uuid) in GUESTS.items():
            res = _run([os.path.join(SRC, "tools", "make-guest-xml"),
                        "--name", name, "--uuid", uuid,
                        "--kernel", os.path.join(self.guest_dir, "vmlinuz"),
                        "--initrd", os.path.join(self.guest_dir,
                                                 "initrd.cpio.gz"),
                        "--memory", "80", "--log", self.guest_log(name)])
            with open(os.path.join(self.guest_dir, name + ".xml"), "wb") as f:
                f.write(res.stdout)
        for f in os.listdir(self.guest_dir):
            p = os.path.join(self.guest_dir, f)
            if os.path.isfile(p):
                os.chmod(p, 0o644)

    def guest_log(self, name):
        return os.path.join(self.guest_dir, "logs", name + "-serial.log")

    def start_guest(self, name, wait=True):
        hv = GUESTS[name][0]
        for h in HYPERVISORS:
            if self.libvirtd_pid(h):
                self.virsh(h, "destroy", name, check=False)
        if os.path.exists(self.guest_log(name)):
            os.unlink(self.guest_log(name))
        self.virsh(hv, "create", os.path.join(self.guest_dir, name + ".xml"))
        if wait:
            self.wait_guest(name)

    def wait_guest(self, name):
        _wait_for("guest %s to boot" % name,
                  lambda: booted(self.guest_log(name), name), 120, 0.2)

    def migrate(self, name, dest):
        """Live-migrates guest name to hypervisor dest, the way an
        operator does: virsh on the source host, TLS to the destination."""
        src = self.where(name)
        if src is None:
            raise FleetError("%s runs nowhere" % name)
        if src == dest:
            return
        self.machines[src].run(
            "virsh", "-q", "-c", "qemu:///system", "migrate", "--live",
            name, "qemu+tls://%s/system?pkipath=/etc/libvirt/pki" % dest,
            timeout=120)

    # --- links ---------------------------------------------------------

    def cut_link(self, machine):
        """Unplugs machine from the network: its packets, and those sent to
        it, are lost without an error."""
        _run(["ip", "link", "set", "vmcf-" + machine, "down"])
        self.links_cut.add(machine)

    def restore_link(self, machine):
        _run(["ip", "link", "set", "vmcf-" + machine, "up"])

    def link_is_up(self, machine):
        out = _run(["ip", "-o", "link", "show", "vmcf-" + machine]).stdout
        return b"state UP" in out or b",UP" in out.split(b">")[0]

    # --- the manager ---------------------------------------------------

    def _start_manager(self):
        d = os.path.join(STATE, "manager")
        os.makedirs(d, mode=0o755)
        self.pki.web_server(d, addr("svc"))
        with open(os.path.join(d, "token"), "w") as f:
            f.write(TOKEN + "\n")
        os.makedirs(self.client_dir, mode=0o755)
        self.keys = {}
        for name in ("alice", "carol"):
            path = os.path.join(self.client_dir, "id_" + name)
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                  name + "@fleet", "-f", path])
        self.write_inventory()
        m = self.machines["svc"]
        log = open(os.path.join(d, "manager.log"), "wb")
        subprocess.Popen(
            m.argv("/usr/bin/python3", "-B",
                   os.path.join(HERE, "manager_daemon.py"), d, addr("svc"),
                   str(MANAGER_PORT)),
            env={"PATH": PATH, MARK: "manager", "LANG": "C.UTF-8"},
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        log.close()

        def answers():
            with socket.socket() as s:
                s.settimeout(1)
                return s.connect_ex((addr("svc"), MANAGER_PORT)) == 0
        _wait_for("the manager", answers, 30)

    def public_key(self, name):
        with open(os.path.join(self.client_dir, "id_%s.pub" % name)) as f:
            return " ".join(f.read().split()[:2])

    def write_inventory(self, hosts=None):
        """Writes the documents the manager serves (re-read on change);
        hosts maps a guest to another host than its home."""
        hosts = hosts or {}
        self.inventory_moved = bool(hosts)
        d = os.path.join(STATE, "manager")
        keys = [{"entityid": ALICE[0], "entity": ALICE[1],
                 "key": self.public_key("alice")},
                {"entityid": CAROL[0], "entity": CAROL[1],
                 "key": self.public_key("carol")}]
        consoles = [{"vmid": uuid, "vm": name, "host": hosts.get(name, hv),
                     "entities": [ALICE[0]]}
                    for name, (hv, uuid) in GUESTS.items()]
        consoles.append({"vmid": STALE_UUID, "vm": "app01",
                         "host": "hv1", "entities": [CAROL[0]]})
        for doc, entries in (("keys", keys), ("consoles", consoles)):
            path = os.path.join(d, doc + ".json")
            with open(path + ".tmp", "w") as f:
                json.dump(entries, f, indent=1)
            os.rename(path + ".tmp", path)

    # --- proxies -------------------------------------------------------

    def _deploy_proxy(self, p):
        """Configures proxy p with vmconsole-proxy-deploy only: manager,
        libvirt client credentials, port; then its host certificate."""
        m = self.machines[p]
        for d, mode in (("state", 0o700), ("cache", 0o700)):
            os.chown(os.path.join(m.dir, d), self.uid, self.gid)
            os.chmod(os.path.join(m.dir, d), mode)
        _run(["cp", "-a", self.etc + "/.", os.path.join(m.dir, "etc")])
        log = os.path.join(m.dir, "sshd.log")
        open(log, "a").close()
        os.chown(log, self.uid, self.gid)
        self._run_deploy(p, self._deploy_args(p) + ["--libvirt-host", "hv1"])
        # Behind a balancer that connects from its own address, sshd's
        # per-source limit would count every user as one source: the
        # balancer limits per source instead (docs/deployment.md).
        dropin = os.path.join(m.dir, "etc", "sshd_config.d",
                              "50-balancer.conf")
        with open(dropin, "w") as f:
            f.write("PerSourceMaxStartups none\n")
        os.chmod(dropin, 0o644)
        # The host certificate: signed by the fleet's ssh host CA for every
        # name users reach the proxies by and put next to the host key,
        # where deploy's run of vmconsole-proxy-sshd-keygen takes it up.
        pub = os.path.join(m.dir, "state", "ssh_host_ed25519_key.pub")
        cert = self.pki.sign_host_key(
            pub, "vmconsole-proxy " + p,
            [p, addr(p), "console.fleet", addr("svc")])
        os.chown(cert, self.uid, self.gid)
        os.chmod(cert, 0o644)
        self._run_deploy(p, self._deploy_args(p))

    def _run_deploy(self, p, args, check=True):
        m = self.machines[p]
        res = m.run(self.deploy, *args, check=check, timeout=120)
        with open(os.path.join(m.dir, "deploy.log"), "ab") as f:
            f.write(res.stdout)
        return res

    def _deploy_args(self, p):
        base = "https://%s:%d" % (addr("svc"), MANAGER_PORT)
        return ["--manager-url", base + "/keys?fingerprint={fingerprint}",
                "--consoles-url", base + "/consoles?entityid={entityid}",
                "--ca-file", self.pki.ca,
                "--token-file", os.path.join(STATE, "manager", "token"),
                "--libvirt-pki", os.path.join(STATE, "pki", p),
                "--port", str(SSH_PORT)]

    def replace_live_pki(self, p, pki_dir):
        """Puts other libvirt credentials in place of p's deployed ones
        behind deploy's back, as time does to a certificate that expires;
        heal() deploys p again."""
        live = os.path.join(self.machines[p].dir, "etc", "libvirt-pki")
        for f in ("cacert.pem", "clientcert.pem", "clientkey.pem"):
            dst = os.path.join(live, f)
            st = os.stat(dst)
            shutil.copyfile(os.path.join(pki_dir, f), dst)
            os.chown(dst, st.st_uid, st.st_gid)
            os.chmod(dst, st.st_mode & 0o7777)
        self.pki_replaced.add(p)

    def redeploy(self, p, pki_dir=None):
        """Runs deploy on p again, with another libvirt PKI directory or
        with its own; returns deploy's output."""
        args = self._deploy_args(p)
        if pki_dir is not None:
            args[args.index("--libvirt-pki") + 1] = pki_dir
        res = self._run_deploy(p, args)
        return res.stdout.decode(errors="replace")

    def sshd_pid(self, p):
        try:
            with open(os.path.join(STATE, "records",
                                   p + "-sshd.pid")) as f:
                pid = int(f.read())
        except (FileNotFoundError, ValueError):
            return None
        return pid if os.path.exists("/proc/%d" % pid) and \
            not _is_zombie(pid) else None

    def start_proxy(self, p):
        """Starts the console sshd of p the way deploy says to without
        systemd: as the service user, from the installed sshd_config."""
        m = self.machines[p]
        log = os.path.join(m.dir, "sshd.log")
        proc = subprocess.Popen(
            m.argv("setpriv", "--reuid=" + USER, "--regid=" + USER,
                   "--init-groups", "--", "/usr/sbin/sshd", "-D", "-f",
                   os.path.join(self.etc, "sshd_config"), "-E", log),
            env={"PATH": PATH, "LANG": "C.UTF-8", MARK: p},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        with open(os.path.join(STATE, "records", p + "-sshd.pid"), "w") as f:
            f.write(str(proc.pid))

        def listening():
            if proc.poll() is not None:
                raise FleetError("sshd of %s exited; see %s" % (p, log))
            with socket.socket() as s:
                s.settimeout(1)
                return s.connect_ex((addr(p), SSH_PORT)) == 0
        _wait_for("sshd of %s" % p, listening, 30)

    def kill_proxy(self, p):
        """The proxy machine dies: every process in it ends at once."""
        _kill_all(self.machines[p].processes())

    def helper_pids(self, p):
        """Console helpers of ssh sessions running on proxy p (not the
        brokers they share a console through)."""
        found = []
        for pid in self.machines[p].processes():
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    argv0 = f.read().split(b"\0")[0]
                with open("/proc/%d/comm" % pid, "rb") as f:
                    broker = f.read().strip() == b"console-broker"
            except (FileNotFoundError, ProcessLookupError):
                continue
            if argv0.endswith(b"vmconsole-console-helper") and not broker:
                found.append(pid)
        return found

    # --- the balancer --------------------------------------------------

    def _start_haproxy(self):
        d = os.path.join(STATE, "haproxy")
        os.makedirs(d, mode=0o755)
        cfg = os.path.join(d, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(haproxy_config(os.path.join(d, "haproxy.pid")))
        m = self.machines["svc"]
        m.run("haproxy", "-c", "-q", "-f", cfg)
        m.run("haproxy", "-D", "-f", cfg,
              env={"PATH": PATH, MARK: "haproxy"})

    def wait_balancer(self, timeout=30):
        """Waits until HAProxy sees both proxies up."""
        def both_up():
            for p in PROXIES:
                with socket.socket() as s:
                    s.settimeout(1)
                    if s.connect_ex((addr(p), SSH_PORT)) != 0:
                        return False
            with socket.socket() as s:
                s.settimeout(1)
                return s.connect_ex((addr("svc"), SSH_PORT)) == 0
        _wait_for("the balancer and both proxies", both_up, timeout)
        # Health checks run every second; two in a row mark a server up.
        time.sleep(2.2)

    # --- the user's side -----------------------------------------------

    def _make_client(self):
        with open(self.known_hosts, "w") as f:
            f.write("@cert-authority * %s\n" % self.pki.ssh_ca_public())

    def ssh_command(self, user="alice", target=None, port=SSH_PORT,
                    known_hosts=None):
        """The ssh command line a user types (without the words after the
        host name)."""
        return ["ssh", "-i", os.path.join(self.client_dir, "id_" + user),
                "-o", "UserKnownHostsFile=" + (known_hosts or
                                               self.known_hosts),
                "-p", str(port), "-t",
                "%s@%s" % (USER, target or addr("svc"))]

    # --- health between tests ------------------------------------------

    def heal(self):
        """Puts the fleet back the way up() left it: links up, libvirtds
        and proxies running, guests on their home hosts, no sessions."""
        for m in MACHINES:
            if not self.link_is_up(m):
                self.restore_link(m)
        # A hypervisor holds the consoles of sessions lost with a cut link
        # until its own keepalive gives up on them; a restart frees them.
        for m in sorted(self.links_cut):
            if m in HYPERVISORS:
                self.restart_libvirtd(m)
        self.links_cut.clear()
        for p in PROXIES:
            for pid in self.helper_pids(p):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for hv in HYPERVISORS:
            if self.libvirtd_pid(hv) is None:
                self.start_libvirtd(hv)
        if self.inventory_moved:
            self.write_inventory()
        for p in sorted(self.pki_replaced):
            self.redeploy(p)
        self.pki_replaced.clear()
        for name, (home, _) in GUESTS.items():
            where = self.where(name)
            if where is None:
                self.start_guest(name)
            elif where != home:
                self.migrate(name, home)
        restarted = False
        for p in PROXIES:
            if self.sshd_pid(p) is None:
                self.kill_proxy(p)
                self.start_proxy(p)
                restarted = True
        if restarted:
            self.wait_balancer()

    # --- tear-down -----------------------------------------------------

    def down(self):
        """Removes everything a bring-up made, from its records; safe to
        run at any time, any number of times."""
        records = os.path.join(STATE, "records")
        nsids = set()
        if os.path.isdir(records):
            for f in os.listdir(records):
                if not f.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(records, f)) as fh:
                        rec = json.load(fh)
                except (OSError, ValueError):
                    continue
                if rec.get("netns"):
                    nsids.add(rec["netns"])
                elif rec.get("pid") and _netns_id(rec["pid"]):
                    # recorded before its namespace was known
                    nsids.add(_netns_id(rec["pid"]))
        # Rounds, because a daemon caught while it forks (libvirtd starting
        # QEMU) leaves a process that was not there when the round began.
        own = _netns_id(os.getpid())
        for _ in range(5):
            victims = {p for p in _marked_pids() if not _is_zombie(p)}
            for nsid in nsids:
                if nsid != own:
                    victims.update(p for p in _pids_in_netns(nsid)
                                   if not _is_zombie(p))
            if not victims:
                break
            _kill_all(sorted(victims), sig_first=signal.SIGKILL)
        # The namespaces, their mounts and the veth pairs go with their
        # last process; the bridge is the root namespace's.
        for veth in ["vmcf-" + m for m in MACHINES]:
            _run(["ip", "link", "del", veth], check=False)
        _run(["ip", "link", "del", BRIDGE], check=False)
        if os.path.isdir(STATE):
            shutil.rmtree(STATE)


def haproxy_config(pidfile):
    """HAProxy in TCP mode: one address for both proxies, health checks
    every second, a connection that fails at connect time is sent to the
    other proxy, and a source address holding more than
    BALANCER_CONN_CUR_MAX connections is refused more."""
    servers = "".join(
        "    server %s %s:%d check inter 1s fall 2 rise 2\n"
        % (p, addr(p), SSH_PORT) for p in PROXIES)
    return ("global\n"
            "    pidfile %s\n"
            "    maxconn 512\n"
            "defaults\n"
            "    mode tcp\n"
            "    timeout connect 2s\n"
            "    timeout client 8h\n"
            "    timeout server 8h\n"
            "    retries 2\n"
            "    option redispatch\n"
            "listen consoles\n"
            "    bind %s:%d\n"
            "    stick-table type ipv6 size 100k expire 10m store conn_cur\n"
            "    tcp-request connection track-sc0 src\n"
            "    tcp-request connection reject if { sc0_conn_cur gt %d }\n"
            "    balance roundrobin\n"
            "%s" % (pidfile, addr("svc"), SSH_PORT, BALANCER_CONN_CUR_MAX,
                    servers))
