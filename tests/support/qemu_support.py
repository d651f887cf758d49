"""What the tests that run guestaddr against a real QEMU share: running the
program, the rules they claim, QMP, starting QEMU from `argv`, and a test's
own folder.

The rules: the suite runs with GUESTADDR_HOST=none, where a definition
without a stamp or flags gets the newest built-in pair; the QEMU these tests
start is 7.2, so they claim libvirt 9.0 with QEMU 7.2.
"""

import json
import os
import shlex
import socket
import subprocess
import tempfile
import time
import unittest

RULES_PIN = ["--libvirt", "9.0", "--qemu", "7.2"]


def pinned(args):
    """libvirt 9.0 + QEMU 7.2 for what the arguments do not name themselves."""
    args = list(args)
    if not args or args[0] not in ("assign", "validate", "argv", "attach", "detach", "tree", "explain", "check-abi"):
        return args
    pin = [a for flag, value in zip(RULES_PIN[::2], RULES_PIN[1::2]) if flag not in args for a in (flag, value)]
    return [args[0], *pin, *args[1:]]


def runner(program, pin=True):
    """A function running `program` with the given arguments (pinned to the
    rules above unless told not to), failing the test on a non-zero exit
    unless check=False."""
    def guestaddr(*args, check=True):
        r = subprocess.run([program, *(pinned(args) if pin else args)], capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"guestaddr {' '.join(args)} failed ({r.returncode}): {r.stderr}")
        return r
    return guestaddr


def connect(path, timeout=20, process=None):
    """A connection to the Unix socket QEMU listens on, once it does; EOFError
    if `process` ends first."""
    deadline = time.time() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if process is not None and process.poll() is not None:
                raise EOFError("QEMU did not start")
            if time.time() > deadline:
                raise
            time.sleep(0.05)


class Qmp:
    """A QMP monitor: commands in, replies out; events kept in `events`."""

    def __init__(self, path, process=None, timeout=20):
        self.sock = connect(path, timeout, process)
        self.file = self.sock.makefile("rw")
        self.events = []
        try:
            self.read()
            self.cmd("qmp_capabilities")
        except OSError as e:  # QEMU listened, then refused the command line and quit
            raise EOFError(str(e))

    def read(self):
        while True:
            line = self.file.readline()
            if not line:
                raise EOFError("QEMU closed the monitor")
            message = json.loads(line)
            if "event" not in message:
                return message
            self.events.append(message)

    def cmd(self, command, **arguments):
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request) + "\n")
        self.file.flush()
        reply = self.read()
        if "error" in reply:
            raise RuntimeError(f"{command}: {reply['error']['desc']}")
        return reply["return"]

    def hmp(self, line):
        return self.cmd("human-monitor-command", **{"command-line": line})

    def close(self):
        self.file.close()
        self.sock.close()


def stub_argv(guestaddr, definition, *flags):
    """`argv --stub-backends`: the emulator, and the options one list each."""
    lines = guestaddr("argv", definition, "--stub-backends", *flags).stdout.splitlines()
    return lines[0], [shlex.split(line) for line in lines[1:]]


def qmp_sockets(workdir, name):
    """The QMP sockets of a test's QEMU: one for guestaddr, one for the test,
    and the options that make QEMU listen on them."""
    tool, test = f"{workdir}/{name}-tool.sock", f"{workdir}/{name}-test.sock"
    return tool, test, ["-qmp", f"unix:{tool},server=on,wait=off", "-qmp", f"unix:{test},server=on,wait=off"]


def migration_status(qmp, timeout):
    """Waits for the migration `qmp`'s QEMU started; its last status."""
    deadline = time.time() + timeout
    while True:
        status = qmp.cmd("query-migrate").get("status")
        if status in ("completed", "failed", "cancelled") or time.time() > deadline:
            return status
        time.sleep(0.1)


class TempDirTest(unittest.TestCase):
    """A test with a folder of its own, removed after it."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name, text=None):
        """A file of the test's folder, written with `text` if given."""
        p = os.path.join(self.dir.name, name)
        if text is not None:
            with open(p, "w") as f:
                f.write(text)
        return p
