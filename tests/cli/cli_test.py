#!/usr/bin/env python3
"""The guestaddr command line: outputs, exit statuses, files, standard input."""

import os
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
# These tests claim libvirt 9.0's and QEMU 7.2's behaviour: they name them,
# as guestaddr's default is the host's (else the newest built-in pair).
from qemu_support import TempDirTest, pinned  # noqa: E402

GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "web-server.xml")

GOOD = """<domain type='kvm'><name>g</name><memory>1048576</memory>
<os><type arch='x86_64' machine='q35'>hvm</type></os>
<devices><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface></devices></domain>"""

ARM = """<domain type='qemu'><name>g</name><memory>1048576</memory>
<os><type arch='aarch64' machine='virt'>hvm</type></os>
<devices><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface></devices></domain>"""

NIC = "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>"

CONFLICT = """<domain type='kvm'><name>g</name><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
<interface type='user'><mac address='52:54:00:00:00:01'/><address type='pci' bus='0' slot='5'/></interface>
<interface type='user'><mac address='52:54:00:00:00:02'/><address type='pci' bus='0' slot='5'/></interface>
</devices></domain>"""

PSERIES = GOOD.replace("arch='x86_64' machine='q35'", "arch='ppc64' machine='pseries'")


S390X = """<domain type='kvm'><name>g</name><memory>1048576</memory>
<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os>
<devices><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface></devices></domain>"""

NIC = "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>"


def run(*args, stdin=None):
    return subprocess.run([GUESTADDR, *pinned(args)], input=stdin, capture_output=True, text=True)


class Cli(TempDirTest):
    def test_assign_prints_the_addressed_definition(self):
        r = run("assign", self.path("in.xml", GOOD))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("machine='pc-q35-7.2'", r.stdout)
        self.assertIn("<address type='pci' domain='0x0000' bus='0x01'", r.stdout)

    def test_assign_reads_standard_input(self):
        r = run("assign", "-", stdin=GOOD)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pc-q35-7.2", r.stdout)

    def test_assign_writes_the_output_file(self):
        out = self.path("out.xml")
        r = run("assign", self.path("in.xml", GOOD), "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        with open(out) as f:
            self.assertIn("pc-q35-7.2", f.read())
        self.assertEqual(sorted(os.listdir(self.dir.name)), ["in.xml", "out.xml"])

    def test_conflict_names_the_device_and_prints_nothing(self):
        out = self.path("out.xml", "old")
        r = run("assign", self.path("in.xml", CONFLICT), "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("interface 52:54:00:00:00:02", r.stderr)
        self.assertEqual(r.stdout, "")
        with open(out) as f:
            self.assertEqual(f.read(), "old")

    def test_missing_file_and_directory_are_io_errors(self):
        for p in (self.path("absent.xml"), self.dir.name):
            r = run("assign", p)
            self.assertEqual(r.returncode, 2, p)
            self.assertTrue(r.stderr.startswith("guestaddr: error:"), r.stderr)
            self.assertEqual(r.stdout, "")

    def test_malformed_xml_is_refused(self):
        r = run("assign", self.path("in.xml", "<domain><devices>"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("malformed XML", r.stderr)

    def test_validate_accepts_an_assigned_definition(self):
        out = self.path("out.xml")
        self.assertEqual(run("assign", self.path("in.xml", GOOD), "-o", out).returncode, 0)
        r = run("validate", out)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_validate_lists_every_problem(self):
        r = run("validate", self.path("in.xml", GOOD))
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.strip().splitlines()
        self.assertGreater(len(lines), 1)
        self.assertTrue(any("interface 52:54:00:00:00:01" in line for line in lines), lines)

    def test_example_is_assigned(self):
        r = run("assign", EXAMPLE)
        self.assertEqual(r.returncode, 0, r.stderr)

    # What each non-x86 guest shows of its architecture once assigned.
    OTHER_ARCHES = (
        ("aarch64", ARM, "machine='virt-7.2'"),
        ("ppc64", PSERIES, "machine='pseries-7.2'"),
        ("s390x", S390X, "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'/>"),
        ("armv7l", ARM.replace("arch='aarch64'", "arch='armv7l'"), "machine='virt-7.2'"),
        ("riscv64", ARM.replace("arch='aarch64'", "arch='riscv64'"), "<memballoon model='virtio'>"),
    )

    def test_other_arches_are_assigned_and_validated(self):
        for arch, guest, mark in self.OTHER_ARCHES:
            out = self.path(arch + "-out.xml")
            r = run("assign", self.path(arch + ".xml", guest), "-o", out)
            self.assertEqual(r.returncode, 0, (arch, r.stderr))
            with open(out) as f:
                self.assertIn(mark, f.read(), arch)
            r = run("validate", out)
            self.assertEqual(r.returncode, 0, (arch, r.stderr))

    # Guests `assign` addresses but that no run-time command (argv, attach,
    # detach, verify) is made for: other ARM boards, and the arches without
    # a row in src/qemu/arch_profile.cpp.
    UNSTARTED = (
        ("aarch64 machine vexpress-a15", ARM.replace("machine='virt'", "machine='vexpress-a15'")),
        ("riscv64 machine spike", ARM.replace("arch='aarch64' machine='virt'", "arch='riscv64' machine='spike'")),
        ("armv7l machine vexpress-a9", ARM.replace("arch='aarch64' machine='virt'", "arch='armv7l' machine='vexpress-a9'")),
    )

    def test_run_time_commands_take_other_arches(self):
        for arch, guest, _ in self.OTHER_ARCHES:
            r = run("argv", self.path(arch + ".xml", guest), "--stub-backends")
            self.assertEqual(r.returncode, 0, (arch, r.stderr))
            self.assertTrue(r.stdout.startswith("/usr/bin/qemu-system-"), r.stdout[:80])
            r = run("attach", self.path(arch + ".xml", guest), self.path("nic.xml", NIC))
            self.assertEqual(r.returncode, 0, (arch, r.stderr))

    def test_run_time_commands_refuse_arches_they_are_not_made_for_in_one_line(self):
        nic = self.path("nic.xml", NIC)
        for n, (what, guest) in enumerate(self.UNSTARTED):
            domain = self.path(f"unstarted{n}.xml", guest)
            for args in (["argv", domain], ["argv", domain, "--stub-backends"], ["attach", domain, nic],
                         ["attach", domain, nic, "--in-place"], ["detach", domain, nic],
                         ["verify", domain, "--qmp", self.path("absent.qmp")]):
                r = run(*args)
                self.assertEqual(r.returncode, 1, args)
                self.assertEqual(r.stdout, "", args)
                lines = r.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, (args, r.stderr))
                self.assertIn("is made for x86_64 and i686 (pc, q35, isapc, microvm), aarch64, armv7l and riscv64 (virt), ppc64 and "
                              "ppc64le (pseries), s390x (s390-ccw-virtio) guests, not for " + what, lines[0], args)
            with open(domain) as f:
                self.assertEqual(f.read(), guest, what)

    def test_argv_refuses_a_sata_unit_qemu_has_no_bus_for(self):
        # libvirt 9.0 accepts SATA unit 6, and writes bus 'ide.6' that QEMU's
        # 6-port AHCI does not have (generated-x86/x86_64-s1001-0013).
        guest = GOOD.replace("</devices>", "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/>"
                             "<address type='drive' controller='0' bus='0' target='0' unit='6'/></disk></devices>")
        domain = self.path("sata6.xml", guest)
        self.assertEqual(run("assign", domain).returncode, 0)  # as libvirt defines it
        r = run("argv", domain, "--stub-backends")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("disk 'sda': unit 6 is past the last port of its AHCI controller", r.stderr)
        r = run("argv", domain, "--allow-unstartable")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"bus":"ide.6"', r.stdout)

    def test_argv_refuses_a_usb_controller_its_qemu_lacks(self):
        # libvirt 9.0 defines a qemu-xhci on s390x (on zPCI), then refuses to
        # build the command line: QEMU 7.2 for s390x has no qemu-xhci.
        domain = self.path("s390x-xhci.xml", "<domain type='qemu'><name>x</name><memory unit='MiB'>512</memory>"
                           "<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>"
                           "<controller type='usb' model='qemu-xhci'/></devices></domain>")
        self.assertEqual(run("assign", "--libvirt", "9.0", "--qemu", "7.2", domain).returncode, 0)
        for flags in ((), ("--allow-unstartable",)):
            r = run("argv", "--libvirt", "9.0", "--qemu", "7.2", domain, *flags)
            self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
            self.assertIn("controller usb 0: USB controller model 'qemu-xhci' not supported in this QEMU binary", r.stderr)

    def test_assign_output_into_a_fifo_writes_through_it(self):
        # -o onto something that is not a regular file (/dev/null, a FIFO)
        # writes into it; renaming a file over it would replace the device.
        domain = self.path("good.xml", GOOD)
        fifo = self.path("out.fifo")
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE, text=True)
        r = run("assign", domain, "-o", fifo)
        out, _ = reader.communicate(timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        self.assertEqual(out, run("assign", domain).stdout)

    def test_usage_error_without_subcommand(self):
        self.assertNotEqual(run().returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
