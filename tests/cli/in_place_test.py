#!/usr/bin/env python3
"""--in-place edits: a crash at any point leaves the old or the new file,
never a torn one; concurrent editors never lose an update.

The crash is real: strace kills guestaddr (SIGKILL) when it reaches the
system call that writes the temporary file, flushes it, or renames it over
the definition. Usage: in_place_test.py GUESTADDR. Exits 77 without strace.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
STRACE = shutil.which("strace")

GUEST = """<domain type='kvm'><name>g</name><memory unit='MiB'>512</memory>
<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>
<controller type='pci' index='1' model='pcie-root-port'/>
<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>
</devices></domain>"""


def nic(n):
    return (f"<interface type='network'><mac address='52:54:00:10:00:{n:02x}'/>"
            f"<source network='default'/><model type='e1000'/></interface>")


class InPlace(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.domain = os.path.join(self.dir.name, "guest.xml")
        r = subprocess.run([GUESTADDR, "assign", "--libvirt", "9.0", "--qemu", "7.2", "-", "-o", self.domain], input=GUEST, text=True, capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.domain) as f:
            self.old = f.read()
        self.device = os.path.join(self.dir.name, "nic.xml")
        with open(self.device, "w") as f:
            f.write(nic(1))
        r = subprocess.run([GUESTADDR, "attach", self.domain, self.device], capture_output=True, text=True)
        self.new = r.stdout

    def current(self):
        with open(self.domain) as f:
            return f.read()

    @unittest.skipUnless(STRACE, "strace is not installed")
    def test_a_crash_at_any_step_leaves_the_old_or_the_new_file(self):
        for syscall in ("write", "fsync", "rename"):
            with self.subTest(killed_at=syscall):
                with open(self.domain, "w") as f:
                    f.write(self.old)
                r = subprocess.run([STRACE, "-f", "-qq", "-o", "/dev/null", "-e", f"inject={syscall}:signal=KILL",
                                    GUESTADDR, "attach", self.domain, self.device, "--in-place"],
                                   capture_output=True, text=True)
                self.assertNotEqual(r.returncode, 0, f"guestaddr was not killed at {syscall}")
                self.assertIn(self.current(), (self.old, self.new))
        r = subprocess.run([GUESTADDR, "attach", self.domain, self.device, "--in-place"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.current(), self.new)
        # The temporary files the killed editors left are gone with the next edit.
        self.assertEqual(self.leftovers(), [])

    def leftovers(self):
        return sorted(f for f in os.listdir(self.dir.name) if f.startswith(".guest.xml.") and not f.endswith(".lock"))

    def test_the_next_edit_removes_stale_temporaries_and_nothing_else(self):
        for name in (".guest.xml.guestaddr-aB3dE9", ".guest.xml.backup", ".guest.xml.guestaddr-notmine"):
            with open(os.path.join(self.dir.name, name), "w") as f:
                f.write("x")
        r = subprocess.run([GUESTADDR, "attach", self.domain, self.device, "--in-place"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.leftovers(), [".guest.xml.backup", ".guest.xml.guestaddr-notmine"])

    def test_a_refused_edit_leaves_the_file_untouched(self):
        taken = os.path.join(self.dir.name, "taken.xml")
        with open(taken, "w") as f:
            f.write("<interface type='network'><mac address='52:54:00:00:00:09'/><model type='virtio'/>"
                    "<address type='pci' domain='0' bus='1' slot='0' function='0'/></interface>")
        r = subprocess.run([GUESTADDR, "attach", self.domain, taken, "--in-place"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("interface 52:54:00:00:00:09", r.stderr)
        self.assertEqual(self.current(), self.old)

    def test_concurrent_editors_never_lose_an_update(self):
        devices = []
        for n in range(2, 14):
            path = os.path.join(self.dir.name, f"nic{n}.xml")
            with open(path, "w") as f:
                f.write(nic(n))
            devices.append(path)
        editors = [subprocess.Popen([GUESTADDR, "attach", self.domain, d, "--in-place"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in devices]
        for e in editors:
            _, err = e.communicate()
            self.assertEqual(e.returncode, 0, err)
        final = self.current()
        for n in range(2, 14):
            self.assertIn(f"52:54:00:10:00:{n:02x}", final)
        r = subprocess.run([GUESTADDR, "validate", self.domain], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.leftovers(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
