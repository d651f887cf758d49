#!/usr/bin/env python3
"""Faults survived: after each one the definition is byte-identical to what
it was (or is the whole new definition), guestaddr exits non-zero, its
message says what failed, and no file is left beside the definition but the
edit lock.

The faults are real where the machine allows it: a full and a read-only
tmpfs (mounted here, so the tests need root; skipped with a message
otherwise), I/O errors at each step of writing the file (an LD_PRELOAD shim,
tests/faults/fault_shim.cpp: it needs nothing of the kernel), a lock holder
killed with SIGKILL, a fake QMP peer that misbehaves in every way, and a
real QEMU 7.2 killed or stopped (SIGSTOP) in the middle of a live attach or
detach (skipped where QEMU is absent).

Usage: faults_test.py GUESTADDR FAULT_SHIM [TEST...]. Exits 77 when every
test it runs is skipped.
"""

import fcntl
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
SHIM = sys.argv.pop(1) if len(sys.argv) > 1 else ""
QEMU = "/usr/bin/qemu-system-x86_64"

GUEST = """<domain type='qemu'><name>g</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/><apic/></features><devices>
<controller type='pci' index='1' model='pci-bridge'/>
<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>
</devices></domain>"""

PRESENT_NIC = ("<interface type='network'><mac address='52:54:00:00:00:01'/>"
               "<source network='default'/><model type='virtio'/></interface>")


def nic(n):
    return (f"<interface type='network'><mac address='52:54:00:10:00:{n:02x}'/>"
            f"<source network='default'/><model type='virtio'/></interface>")


def run(*args, env=None, timeout=60):
    return subprocess.run([GUESTADDR, *args], capture_output=True, text=True, env=env, timeout=timeout)


class Definition:
    """DOMAIN.xml in `folder` (addressed, from GUEST), with the devices the
    edits take: `edits()` lists the three in-place edits."""

    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(folder, "guest.xml")
        self.source = self.write("source.xml", GUEST)
        r = run("assign", "--libvirt", "9.0", "--qemu", "7.2", self.source, "-o", self.path)
        assert r.returncode == 0, r.stderr
        self.attached = self.write("nic.xml", nic(1))
        self.detached = self.write("present.xml", PRESENT_NIC)

    def write(self, name, text):
        path = os.path.join(self.folder, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def edits(self):
        """(name, argv) of each in-place edit. `assign -o` writes onto the
        definition itself from the unaddressed source it was made of, so that
        its result differs from what is there."""
        return [
            ("attach --in-place", ["attach", self.path, self.attached, "--in-place"]),
            ("assign -o", ["assign", "--libvirt", "9.0", "--qemu", "7.2", self.source, "-o", self.path]),
            ("detach --in-place", ["detach", self.path, self.detached, "--in-place"]),
        ]

    def content(self):
        with open(self.path, "rb") as f:
            return f.read()

    def leftovers(self):
        """What is beside the definition but the files this class wrote and the lock."""
        kept = {"guest.xml", "source.xml", "nic.xml", "present.xml", "nic2.xml", "filler", ".guest.xml.lock"}
        return sorted(set(os.listdir(self.folder)) - kept)


class FaultCase(unittest.TestCase):
    def assert_survived(self, r, definition, before, failed, new=None):
        """guestaddr failed saying `failed`, printed nothing, left `before`
        (or all of `new`) and no stray file."""
        self.assertNotEqual(r.returncode, 0, "the edit did not fail")
        self.assertEqual(r.stdout, "")
        self.assertIn(failed, r.stderr)
        self.assertNotIn("internal error", r.stderr)
        after = definition.content()
        if after != before:
            self.assertEqual(after, new, "the definition is neither the old one nor the whole new one")
        self.assertEqual(definition.leftovers(), [])

    def new_content(self, definition, argv):
        """What the edit writes when nothing fails (computed in a copy)."""
        with tempfile.TemporaryDirectory() as scratch:
            copy = os.path.join(scratch, "guest.xml")
            with open(copy, "wb") as f:
                f.write(definition.content())
            r = run(*[copy if a == definition.path else a for a in argv])
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(copy, "rb") as f:
                return f.read()


class Tmpfs:
    """A small tmpfs mounted on a fresh folder (root only)."""

    def __init__(self, size):
        self.path = tempfile.mkdtemp()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", self.path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            os.rmdir(self.path)
            raise unittest.SkipTest(f"cannot mount a tmpfs (the test needs root): {r.stderr.strip()}")

    def remount(self, mode):
        subprocess.run(["mount", "-o", f"remount,{mode}", self.path], check=True)

    def fill(self):
        """Writes a file until the file system is full."""
        with open(os.path.join(self.path, "filler"), "wb", buffering=0) as f:
            try:
                while f.write(b"\0" * 4096):
                    pass
            except OSError:
                pass

    def unmount(self):
        subprocess.run(["umount", self.path], check=True)
        os.rmdir(self.path)


class FullFileSystem(FaultCase):
    def test_every_in_place_edit_on_a_full_file_system(self):
        fs = Tmpfs("256k")
        self.addCleanup(fs.unmount)
        definition = Definition(fs.path)
        fs.fill()
        for name, argv in definition.edits():
            with self.subTest(edit=name):
                before = definition.content()
                r = run(*argv)
                self.assert_survived(r, definition, before, "No space left on device")
                self.assertIn("cannot write the new definition", r.stderr)


class ReadOnlyFileSystem(FaultCase):
    def test_every_in_place_edit_on_a_read_only_file_system(self):
        fs = Tmpfs("1m")
        self.addCleanup(fs.unmount)
        definition = Definition(fs.path)
        for lock_there in (False, True):
            if lock_there:  # a first edit made the lock
                r = run(*definition.edits()[0][1])
                self.assertEqual(r.returncode, 0, r.stderr)
            fs.remount("ro")
            for name, argv in definition.edits():
                with self.subTest(edit=name, lock_there=lock_there):
                    before = definition.content()
                    r = run(*argv)
                    self.assert_survived(r, definition, before, "Read-only file system")
            fs.remount("rw")


class IoErrors(FaultCase):
    """EIO at each step, from the shim."""

    STEPS = {
        "read": "cannot read",
        "write": "cannot write the new definition",
        "fsync": "cannot write the new definition",
        "close": "cannot write the new definition",
        "rename": "cannot replace it with the new definition",
        "dirsync": "flushing its folder failed",
    }

    def setUp(self):
        if not os.path.isfile(SHIM):
            self.skipTest(f"the fault shim {SHIM!r} is not built")
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.definition = Definition(self.dir.name)

    def faulty(self, step, errno_value=None):
        env = dict(os.environ, LD_PRELOAD=SHIM, GUESTADDR_FAULT=step)
        if errno_value is not None:
            env["GUESTADDR_FAULT_ERRNO"] = str(errno_value)
        return env

    def test_an_io_error_at_each_step_of_each_edit(self):
        for name, argv in self.definition.edits():
            new = self.new_content(self.definition, argv)
            for step, failed in self.STEPS.items():
                with self.subTest(edit=name, step=step):
                    before = self.definition.content()
                    r = run(*argv, env=self.faulty(step))
                    self.assert_survived(r, self.definition, before, failed, new=new)
                    self.assertIn("Input/output error", r.stderr)
                    # Only a failure after the rename may leave the new file.
                    if step != "dirsync":
                        self.assertEqual(self.definition.content(), before)
                    if step not in ("dirsync", "read"):
                        self.assertIn("guest.xml is unchanged", r.stderr)
                    if step == "dirsync":
                        self.assertEqual(self.definition.content(), new)
                        self.restore(before)

    def restore(self, content):
        with open(self.definition.path, "wb") as f:
            f.write(content)

    def test_the_shim_fails_nothing_it_is_not_asked_to(self):
        r = run(*self.definition.edits()[0][1], env=self.faulty("none"))
        self.assertEqual(r.returncode, 0, r.stderr)


def lock_is_held(definition):
    with open(os.path.join(definition.folder, ".guest.xml.lock"), "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def wait_for(condition, what, timeout=20):
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.02)


def is_stopped(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "T"


class LockHolderKilled(FaultCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.definition = Definition(self.dir.name)
        self.second = self.definition.write("nic2.xml", nic(2))

    def kill_holder_then_edit(self, holder):
        """The holder has the lock: a second editor waits for it, then
        proceeds once the holder is killed, and its edit is the one that lands."""
        before = self.definition.content()
        waiting = subprocess.Popen([GUESTADDR, "attach", self.definition.path, self.second, "--in-place"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        self.assertIsNone(waiting.poll(), "the second editor did not wait for the lock")
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        _, err = waiting.communicate(timeout=20)
        self.assertEqual(waiting.returncode, 0, err)
        after = self.definition.content().decode()
        self.assertIn("52:54:00:10:00:02", after)
        self.assertNotIn("52:54:00:10:00:01", after)
        self.assertNotEqual(before.decode(), after)
        self.assertEqual(self.definition.leftovers(), [])

    @unittest.skipUnless(os.path.isfile(SHIM), "the fault shim is not built")
    def test_a_holder_killed_with_its_temporary_file_written(self):
        env = dict(os.environ, LD_PRELOAD=SHIM, GUESTADDR_FAULT="stop")
        holder = subprocess.Popen([GUESTADDR, "attach", self.definition.path, self.definition.attached, "--in-place"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.addCleanup(holder.kill)
        wait_for(lambda: is_stopped(holder.pid), "the holder stops before its rename")
        self.assertTrue(lock_is_held(self.definition))
        self.assertEqual(len(self.definition.leftovers()), 1, "the holder's temporary file is not there")
        self.kill_holder_then_edit(holder)

    def test_a_holder_killed_while_it_waits_for_qemu(self):
        peer = FakeQmp(socket_folder(self), "silent", at="netdev_add")
        self.addCleanup(peer.close)
        holder = subprocess.Popen([GUESTADDR, "attach", self.definition.path, self.definition.attached, "--in-place",
                                   "--qmp", peer.path, "--stub-backends", "--timeout", "60"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(holder.kill)
        wait_for(lambda: "netdev_add" in peer.received, "the holder asks QEMU")
        self.assertTrue(lock_is_held(self.definition))
        self.kill_holder_then_edit(holder)


class FakeQmp:
    """A QMP peer that behaves like QEMU until the command `at` (or its
    greeting, at="greeting"), and from then on misbehaves as `mode` says:
    garbage (not JSON), not-object (JSON, not an object), empty (an object
    that is neither a reply nor an event), error (a refusal), bad-error (an
    error that is not an object), close (hangs up), silent (never answers),
    endless (data without an end of line), slow (answers, and sends the
    event, SLOW seconds late). Before `at` every command succeeds, and
    device_del is followed by its DEVICE_DELETED event."""

    SLOW = 0.6

    REPLIES = {
        "garbage": b"}}this is not QMP{{\x01\xff\n",
        "not-object": b"[1, 2, 3]\n",
        "empty": b'{"id": 7}\n',
        "error": b'{"error": {"class": "GenericError", "desc": "fake refusal"}}\n',
        "bad-error": b'{"error": "fake refusal"}\n',
    }

    made = 0  # peers made so far: each gets a socket of its own

    def __init__(self, folder, mode, at):
        FakeQmp.made += 1
        self.path = os.path.join(folder, f"qmp-{mode}-{at}-{FakeQmp.made}.sock")
        self.mode, self.at = mode, at
        self.received = []
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.path)
        self.server.listen(1)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def misbehave(self, conn):
        if self.mode in self.REPLIES:
            conn.sendall(self.REPLIES[self.mode])
        elif self.mode == "close":
            conn.shutdown(socket.SHUT_RDWR)
            return False
        elif self.mode == "endless":
            chunk = b"x" * 65536
            try:
                for _ in range(512):  # 32 MiB at most, then silence
                    conn.sendall(chunk)
            except OSError:
                return False
        return True  # silent: keep the connection open, say nothing

    def serve(self):
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        self.conn = conn
        if self.at == "greeting":
            if not self.misbehave(conn):
                return
        else:
            conn.sendall(b'{"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 0}}, "capabilities": []}}\n')
        reader = conn.makefile("rb")
        misbehaving = self.at == "greeting"
        try:
            for line in reader:
                command = json.loads(line).get("execute")
                self.received.append(command)
                if misbehaving or command == self.at:
                    misbehaving = True
                    if self.mode == "slow":
                        self.answer(conn, line, self.SLOW)
                    elif not self.misbehave(conn):
                        return
                    continue
                self.answer(conn, line, 0)
        except (OSError, ValueError):
            pass

    @staticmethod
    def answer(conn, line, delay):
        """What QEMU answers: success, and device_del's event."""
        time.sleep(delay)
        conn.sendall(b'{"return": {}}\n')
        request = json.loads(line)
        if request.get("execute") == "device_del":
            time.sleep(delay)
            device = request["arguments"]["id"]
            conn.sendall(json.dumps({"event": "DEVICE_DELETED", "data": {"device": device}}).encode() + b"\n")

    def close(self):
        self.server.close()
        if hasattr(self, "conn"):
            self.conn.close()
        self.thread.join(timeout=5)


def socket_folder(case):
    """A folder for the sockets of a test, apart from the definition's."""
    folder = tempfile.TemporaryDirectory()
    case.addCleanup(folder.cleanup)
    return folder.name


class QmpPeerFaults(FaultCase):
    """A live attach and a live detach against a QMP peer that fails them."""

    TIMEOUT = 1  # seconds: guestaddr's --timeout for these
    # At the greeting, a message that is not one is just not QMP's greeting.
    AT_GREETING = {"empty": "did not greet like QEMU's QMP", "error": "did not greet like QEMU's QMP",
                   "bad-error": "did not greet like QEMU's QMP"}
    EXPECTED = {
        "garbage": "QEMU sent something that is not JSON",
        "not-object": "not a JSON object",
        "empty": "with neither a result nor an error",
        "error": "fake refusal",
        "bad-error": "fake refusal",
        "close": "QEMU closed the QMP connection",
        "silent": "QEMU did not answer in time",
        "endless": "without ending the message",
    }

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.definition = Definition(self.dir.name)
        self.sockets = socket_folder(self)

    def live_edit(self, command, device, mode, at, failed=None):
        peer = FakeQmp(self.sockets, mode, at)
        self.addCleanup(peer.close)
        before = self.definition.content()
        started = time.monotonic()
        r = run(command, self.definition.path, device, "--in-place", "--qmp", peer.path, "--stub-backends",
                "--timeout", str(self.TIMEOUT))
        elapsed = time.monotonic() - started
        if failed is None:
            failed = self.AT_GREETING.get(mode, self.EXPECTED[mode]) if at == "greeting" else self.EXPECTED[mode]
        self.assert_survived(r, self.definition, before, failed)
        self.assertEqual(self.definition.content(), before)
        # One wait at most: after a lost connection guestaddr sends nothing more.
        self.assertLess(elapsed, self.TIMEOUT + 3)
        return r, peer

    def test_attach(self):
        for at in ("greeting", "qmp_capabilities", "netdev_add", "device_add"):
            for mode in self.EXPECTED:
                with self.subTest(at=at, mode=mode):
                    r, peer = self.live_edit("attach", self.definition.attached, mode, at)
                    if at == "device_add":
                        self.assertIn("interface 52:54:00:10:00:01", r.stderr)
                    if at == "device_add" and mode in ("error", "bad-error"):
                        # QEMU refused: what was created for the device is removed again.
                        self.assertEqual(peer.received[-1], "netdev_del")

    def test_detach(self):
        for at in ("device_del", "netdev_del"):
            for mode in self.EXPECTED:
                with self.subTest(at=at, mode=mode):
                    if at == "netdev_del":
                        # The device is gone from QEMU: removing its backend
                        # is best effort, and the definition follows QEMU.
                        self.live_detach_after_unplug(mode)
                        continue
                    self.live_edit("detach", self.definition.detached, mode, at)

    def test_timeout_bounds_the_whole_exchange(self):
        # Each answer, and the unplug event, comes 0.6 s late: every step is
        # within --timeout 1, the exchange as a whole is not.
        for command, device in (("attach", self.definition.attached), ("detach", self.definition.detached)):
            with self.subTest(command=command):
                self.live_edit(command, device, "slow", "qmp_capabilities", failed="QEMU did not answer in time")

    def live_detach_after_unplug(self, mode):
        peer = FakeQmp(self.sockets, mode, "netdev_del")
        before = self.definition.content()
        try:
            r = run("detach", self.definition.path, self.definition.detached, "--in-place", "--qmp", peer.path,
                    "--stub-backends", "--timeout", str(self.TIMEOUT))
            peer.close()
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(b"52:54:00:00:00:01", self.definition.content())
            self.assertEqual(self.definition.leftovers(), [])
        finally:
            with open(self.definition.path, "wb") as f:
                f.write(before)

    def test_events_that_do_not_name_the_device_are_not_the_one_awaited(self):
        before = self.definition.content()
        r = run("detach", self.definition.path, self.definition.detached, "--in-place", "--qmp",
                self.odd_events_peer(), "--stub-backends", "--timeout", str(self.TIMEOUT))
        self.assert_survived(r, self.definition, before, "no DEVICE_DELETED event within")
        self.assertIn("QEMU may have unplugged the device", r.stderr)

    def odd_events_peer(self):
        path = os.path.join(self.sockets, "odd-events.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)
        self.addCleanup(server.close)

        def serve():
            conn, _ = server.accept()
            self.addCleanup(conn.close)
            conn.sendall(b'{"QMP": {"version": {}, "capabilities": []}}\n')
            for line in conn.makefile("rb"):
                conn.sendall(b'{"return": {}}\n')
                if json.loads(line).get("execute") == "device_del":
                    conn.sendall(b'{"event": "DEVICE_DELETED"}\n{"event": "DEVICE_DELETED", "data": 5}\n'
                                 b'{"event": "DEVICE_DELETED", "data": {"device": 5}}\n{"event": 5}\n')

        threading.Thread(target=serve, daemon=True).start()
        return path


class QemuProxy:
    """Stands between guestaddr and a real QEMU's QMP socket, and does
    `action(qemu_pid)` when guestaddr sends the command `at`, before QEMU
    sees it (or, with after=True, once QEMU has answered it).

    The proxy connects to QEMU and takes its greeting before guestaddr
    starts, then hands the greeting on: guestaddr's --timeout is to bound
    its exchange with a QEMU that serves QMP, not QEMU's start. (That QEMU
    has made its socket does not mean that it answers: on a loaded machine
    its greeting came seconds later, and guestaddr, rightly, gave up before
    it sent the command the fault waits for, or before QEMU answered it.)"""

    GREETING_TIMEOUT = 60  # seconds QEMU may take to start on a loaded machine

    def __init__(self, folder, qemu_socket, at, action, after=False):
        self.qemu = self.connect(qemu_socket)
        self.greeting = b""
        while not self.greeting.endswith(b"\n"):  # byte by byte: what follows is the forwarder's
            byte = self.qemu.recv(1)
            if not byte:
                break
            self.greeting += byte
        if b'"QMP"' not in self.greeting:
            raise AssertionError(f"QEMU did not greet: {self.greeting!r}")
        self.qemu.settimeout(None)
        self.path = os.path.join(folder, "proxy.sock")
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.path)
        self.server.listen(1)
        self.at, self.action, self.after = at, action, after
        self.triggered = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def connect(self, path):
        """QEMU's QMP socket, once QEMU listens on it (it binds the path
        before it listens), with the greeting's deadline set."""
        deadline = time.monotonic() + self.GREETING_TIMEOUT
        while True:
            qemu = socket.socket(socket.AF_UNIX)
            try:
                qemu.connect(path)
                qemu.settimeout(self.GREETING_TIMEOUT)
                return qemu
            except OSError:
                qemu.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def serve(self):
        client, _ = self.server.accept()
        qemu = self.qemu
        self.sockets = (client,)
        client.sendall(self.greeting)

        def to_client():
            try:
                for line in qemu.makefile("rb"):
                    # Whether this line answers `at` is decided before it is
                    # handed on: once guestaddr has the answer to the command
                    # before `at`, it sends `at` at once, and that answer
                    # would then pass for the one to `at`, stopping QEMU
                    # before it has seen `at`.
                    answers_at = self.after and self.pending and b'"return"' in line
                    client.sendall(line)
                    if answers_at:
                        self.pending = False
                        self.triggered.set()
                        self.action()
            except OSError:
                pass
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # guestaddr is gone already

        self.pending = False
        threading.Thread(target=to_client, daemon=True).start()
        try:
            for line in client.makefile("rb"):
                if json.loads(line).get("execute") == self.at:
                    if self.after:
                        self.pending = True
                    else:
                        self.triggered.set()
                        self.action()
                qemu.sendall(line)
        except OSError:
            pass

    def close(self):
        self.server.close()
        self.qemu.close()
        for s in getattr(self, "sockets", ()):
            s.close()


@unittest.skipUnless(os.access(QEMU, os.X_OK), "qemu-system-x86_64 is not installed")
class QemuFaults(FaultCase):
    """QEMU killed or stopped in the middle of a live attach or detach."""

    TIMEOUT = 5  # QEMU answers slowly on a loaded machine

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.definition = Definition(self.dir.name)

    def start_qemu(self):
        lines = run("argv", self.definition.path, "--stub-backends").stdout.splitlines()
        args = [a for line in lines[1:] for a in shlex.split(line)]
        qmp = os.path.join(socket_folder(self), "qemu.sock")
        qemu = subprocess.Popen([QEMU, *args, "-qmp", f"unix:{qmp},server=on,wait=off"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def stop():
            if qemu.poll() is None:
                qemu.send_signal(signal.SIGCONT)
                qemu.kill()
            qemu.wait()

        self.addCleanup(stop)
        wait_for(lambda: os.path.exists(qmp) or qemu.poll() is not None, "QEMU listens")
        self.assertIsNone(qemu.poll(), "QEMU did not start")
        return qemu, qmp

    def fault_during(self, command, device, at, sig, after=False, failed=None):
        qemu, qmp = self.start_qemu()
        proxy = QemuProxy(socket_folder(self), qmp, at, lambda: qemu.send_signal(sig), after)
        self.addCleanup(proxy.close)
        before = self.definition.content()
        started = time.monotonic()
        r = run(command, self.definition.path, device, "--in-place", "--qmp", proxy.path, "--stub-backends",
                "--timeout", str(self.TIMEOUT))
        self.assertTrue(proxy.triggered.is_set(), f"guestaddr never sent {at}")
        expected = failed or ("QEMU closed the QMP connection" if sig == signal.SIGKILL else "QEMU did not answer in time")
        self.assert_survived(r, self.definition, before, expected)
        self.assertEqual(self.definition.content(), before)
        self.assertLess(time.monotonic() - started, self.TIMEOUT + 5)
        return r

    def test_qemu_killed_or_stopped_during_a_live_attach(self):
        for at in ("netdev_add", "device_add"):
            for sig in (signal.SIGKILL, signal.SIGSTOP):
                with self.subTest(at=at, signal=sig.name):
                    r = self.fault_during("attach", self.definition.attached, at, sig)
                    self.assertIn("QEMU may have plugged in the device", r.stderr)

    def test_qemu_killed_or_stopped_during_a_live_detach(self):
        for sig in (signal.SIGKILL, signal.SIGSTOP):
            with self.subTest(at="device_del", signal=sig.name):
                r = self.fault_during("detach", self.definition.detached, "device_del", sig)
                self.assertIn("QEMU may have unplugged the device", r.stderr)
            # QEMU took the device_del, then dies or stops while guestaddr
            # waits for the guest to release the device.
            with self.subTest(at="waiting for DEVICE_DELETED", signal=sig.name):
                failed = "QEMU closed the QMP connection" if sig == signal.SIGKILL else "no DEVICE_DELETED event within"
                r = self.fault_during("detach", self.definition.detached, "device_del", sig, after=True, failed=failed)
                self.assertIn("QEMU may have unplugged the device", r.stderr)


if __name__ == "__main__":
    program = unittest.main(verbosity=2, exit=False)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    # Everything skipped (no root, no QEMU): 77, which ctest shows as skipped.
    sys.exit(77 if result.testsRun and len(result.skipped) == result.testsRun else 0)
