"""tests/fleet/fleet up|down|status: the fleet bed for people and scripts.

up prints, on a line of its own at the end, the ssh command line that opens
the picker through the balancer."""

import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fleet as fleetmod  # noqa: E402


def _log(msg):
    print(msg, file=sys.stderr, flush=True)


def main(argv):
    if len(argv) != 2 or argv[1] not in ("up", "down", "status"):
        print("usage: fleet up|down|status", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("fleet: needs root", file=sys.stderr)
        return 1
    f = fleetmod.Fleet(log=_log)
    f.lock()
    try:
        if argv[1] == "down":
            f.down()
            _log("fleet: down")
        elif argv[1] == "status":
            return status(f)
        else:
            f.up()
            _log("fleet: consoles web01, app01 (hv1) and db01 (hv2) through "
                 "the balancer at %s:%d" % (fleetmod.addr("svc"),
                                             fleetmod.SSH_PORT))
            _log("fleet: append a VM name or 'list'; leave a console with "
                 "Ctrl-]")
            print(" ".join(shlex.quote(a) for a in f.ssh_command()))
    except fleetmod.FleetError as e:
        print("fleet: %s" % e, file=sys.stderr)
        if argv[1] == "up":
            print("fleet: what was made stays for a look; 'fleet down' "
                  "removes it", file=sys.stderr)
        return 1
    return 0


def status(f):
    if not os.path.isdir(os.path.join(fleetmod.STATE, "records")):
        print("fleet: down")
        return 3
    for hv in fleetmod.HYPERVISORS:
        pid = f.libvirtd_pid(hv)
        print("%s: libvirtd %s, guests %s" % (
            hv, pid or "not running",
            " ".join(f.guests_on(hv)) if pid else "-"))
    for p in fleetmod.PROXIES:
        print("%s: sshd %s" % (p, f.sshd_pid(p) or "not running"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
