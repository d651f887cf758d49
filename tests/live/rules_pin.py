"""The rules the live tests claim: libvirt 9.0 with the host's QEMU 7.2.

The suite runs with GUESTADDR_HOST=none, where a definition without a stamp
or flags gets the newest built-in pair; the QEMU these tests start is 7.2.
"""

RULES_PIN = ["--libvirt", "9.0", "--qemu", "7.2"]


def pinned(args):
    """libvirt 9.0 + QEMU 7.2 for what the arguments do not name themselves."""
    args = list(args)
    if not args or args[0] not in ("assign", "validate", "argv", "attach", "detach", "tree", "explain", "check-abi"):
        return args
    pin = [a for flag, value in zip(RULES_PIN[::2], RULES_PIN[1::2]) if flag not in args for a in (flag, value)]
    return [args[0], *pin, *args[1:]]
