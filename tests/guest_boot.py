"""Whether a test guest has booted, for the end-to-end bed and the fleet:
the guest's init (tools/make-guest-image) prints a line on its serial
console once its shell is ready, and libvirt keeps that console's log."""


def booted(log_path, name):
    """True once the serial log at log_path holds guest name's line."""
    marker = ("vmconsole-guest: %s is up" % name).encode()
    try:
        with open(log_path, "rb") as f:
            return marker in f.read()
    except FileNotFoundError:
        return False
