#!/usr/bin/env python3
"""guestaddr against real QEMU 7.2 on aarch64 (virt), ppc64 (pseries) and s390x.

Guests are started paused (-S, TCG, no guest OS) from `guestaddr argv
--stub-backends`, with one QMP monitor for guestaddr and one for the test:

- a sample of the corpus guests of each architecture starts, and `verify`
  finds every device where the definition says (PCI bus and slot, CCW device
  numbers, spapr-vio registers, PHB indexes, zPCI ids, virtio-mmio buses);
- live attach and detach over QMP on each hotpluggable bus (virtio-pci on
  aarch64 root ports, PCI on pSeries PHBs, virtio-ccw on s390x with the device
  number libvirt would choose; everywhere a USB tablet on the xHCI, a SCSI
  disk on virtio-scsi and a virtio-serial port), then a migration to a QEMU
  started from the persisted definition; nothing already there moves;
- what QEMU 7.2 cannot hotplug (virtio-mmio, spapr-vio, aarch64's pcie.0) is
  refused with the reason, QEMU and the definition untouched; s390x has no
  USB in QEMU 7.2, and a USB device there is refused for want of a controller.

A paused QEMU with no guest completes an unplug at once on all three (native
PCIe with the slot never powered by a guest, pSeries before the guest's
CAS, CCW always), so no guest has to play along.

Usage: arch_live_test.py GUESTADDR CONFORMANCE_DIR ARCH. Exits 77 (skipped)
without the emulator.
"""

import json
import os
import shlex
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import domain_compare  # noqa: E402
from qemu_support import Qmp, TempDirTest, migration_status, qmp_sockets, runner, stub_argv  # noqa: E402

GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
CONFORMANCE = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "corpora", "conformance")
ARCH = sys.argv.pop(1) if len(sys.argv) > 1 else "aarch64"

EMULATORS = {"aarch64": "/usr/bin/qemu-system-aarch64", "armv7l": "/usr/bin/qemu-system-arm",
             "ppc64": "/usr/bin/qemu-system-ppc64", "s390x": "/usr/bin/qemu-system-s390x",
             "riscv64": "/usr/bin/qemu-system-riscv64"}
QEMU = EMULATORS[ARCH]
# Corpus guests started per arch: every Nth accepted case.
SAMPLE_STEP = 2

MACHINES = {"aarch64": "virt", "armv7l": "virt", "ppc64": "pseries", "s390x": "s390-ccw-virtio", "riscv64": "virt"}
# Room to hotplug into: spare root ports and a pcie-to-pci-bridge on
# aarch64 (a running guest cannot gain controllers); PHB 0 and a second PHB
# on pSeries; the channel subsystem on s390x needs nothing. A USB controller
# for USB devices (not on s390x: QEMU 7.2 has no USB there) and a virtio-scsi
# one for SCSI disks; the guest agent's channel brings a virtio-serial one.
SCSI = "<controller type='scsi' model='virtio-scsi'/>"
BUSES = "<controller type='usb' model='qemu-xhci'/>" + SCSI
CONTROLLERS = {
    "aarch64": "".join(f"<controller type='pci' index='{i}' model='pcie-root-port'/>" for i in range(1, 12))
    + "<controller type='pci' index='12' model='pcie-to-pci-bridge'/>" + BUSES,
    "ppc64": "<controller type='pci' index='1' model='pci-root'><target index='1'/></controller>" + BUSES,
    "s390x": SCSI,
}
GUEST = """<domain type='qemu'><name>live-{arch}</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>
<os><type arch='{arch}' machine='{machine}'>hvm</type></os>
<devices>
  <disk type='file' device='disk'><source file='/images/root.qcow2'/><target dev='vda' bus='virtio'/></disk>
  <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>
{controllers}
  <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
</devices></domain>"""

# What every arch hot-plugs beside its own: a USB tablet (a port of the
# xHCI), a SCSI disk (a unit of the virtio-scsi controller), a virtio-serial
# port (a port number of the controller).
ON_EVERY_ARCH = [
    ("tablet-d", "<input type='tablet' bus='usb'/>", "usb-tablet"),
    ("scsi-e", "<disk type='file' device='disk'><source file='/images/s.qcow2'/><target dev='sdb' bus='scsi'/></disk>",
     "scsi-hd"),
    ("port-f", "<channel type='unix'><target type='virtio' name='org.example.port.1'/></channel>", "org.example.port.1"),
]

# What each arch hot-plugs: name, device XML, and a string of its -device line.
PLUGGABLE = {
    "aarch64": [
        ("nic-a", "<interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/><model type='virtio'/></interface>", "52:54:00:aa:00:01"),
        ("disk-b", "<disk type='file' device='disk'><source file='/images/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>", "virtio-disk1"),
        # A conventional PCI NIC goes to the pcie-to-pci-bridge (SHPC).
        ("nic-c", "<interface type='network'><mac address='52:54:00:aa:00:03'/><source network='default'/><model type='rtl8139'/></interface>", "52:54:00:aa:00:03"),
    ],
    "ppc64": [
        ("nic-a", "<interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/><model type='virtio'/></interface>", "52:54:00:aa:00:01"),
        ("disk-b", "<disk type='file' device='disk'><source file='/images/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>", "virtio-disk1"),
        # On the second PHB.
        ("nic-c", "<interface type='network'><mac address='52:54:00:aa:00:03'/><source network='default'/><model type='e1000'/>"
                  "<address type='pci' domain='0' bus='1' slot='5' function='0'/></interface>", "52:54:00:aa:00:03"),
    ],
    "s390x": [
        ("nic-a", "<interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/><model type='virtio'/></interface>", "52:54:00:aa:00:01"),
        ("disk-b", "<disk type='file' device='disk'><source file='/images/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>", "virtio-disk1"),
        ("rng-c", "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>", "virtio-rng-ccw"),
    ],
}

# What QEMU 7.2 does not hot-plug on each, and the words of the refusal.
REFUSED = {
    "aarch64": [
        ("mmio-nic", "<interface type='network'><mac address='52:54:00:bb:00:01'/><source network='default'/><model type='virtio'/>"
                     "<address type='virtio-mmio'/></interface>", "virtio-mmio"),
        ("root-bus-nic", "<interface type='network'><mac address='52:54:00:bb:00:02'/><source network='default'/><model type='e1000'/>"
                         "<address type='pci' domain='0' bus='0' slot='9' function='0'/></interface>", "needs hotplug"),
    ],
    "ppc64": [
        ("vio-nic", "<interface type='network'><mac address='52:54:00:bb:00:01'/><source network='default'/><model type='spapr-vlan'/></interface>",
         "spapr-vio"),
    ],
    "s390x": [],
}


for arch, devices in PLUGGABLE.items():
    devices.extend(d for d in ON_EVERY_ARCH if arch != "s390x" or d[2] != "usb-tablet")
# armv7l virt is aarch64 virt to libvirt and QEMU alike; riscv64 virt is
# the same PCI Express and virtio-mmio layout.
for table in (CONTROLLERS, PLUGGABLE, REFUSED):
    table["armv7l"] = table["riscv64"] = table["aarch64"]
# The project's own cases with libvirt's answers (the corpora have no armv7l guest).
PROJECT_CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "cases")


guestaddr = runner(GUESTADDR)


class Guest:
    def __init__(self, definition, workdir, name, extra=()):
        self.emulator, options = stub_argv(guestaddr, definition)
        self.tool_socket, self.test_socket, monitors = qmp_sockets(workdir, name)
        args = [a for option in options for a in option] + monitors + list(extra)
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([self.emulator, *args], stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self.qmp = Qmp(self.test_socket, self.process)
        except EOFError:
            self.stop()
            with open(self.log_path) as f:
                raise EOFError(f.read().strip()[-600:])

    def device_ids(self):
        return {entry["name"] for entry in self.qmp.cmd("qom-list", path="/machine/peripheral")}

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log.close()


def accepted_cases(arch):
    out = []
    for root in (os.path.join(CONFORMANCE, "generated-other"), os.path.join(CONFORMANCE, "real"), PROJECT_CASES):
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            case = os.path.join(root, name)
            if not os.path.isfile(os.path.join(case, "expected-argv.txt")):
                continue
            with open(os.path.join(case, "input.xml"), encoding="utf-8", errors="replace") as f:
                text = f.read()
            if f"arch='{arch}'" in text or f'arch="{arch}"' in text or (arch == "ppc64" and "arch='ppc64le'" in text):
                out.append(os.path.join(case, "input.xml"))
    return out


# Backend properties --stub-backends replaces: not the device's own.
BACKEND_KEYS = {"drive", "netdev", "chardev", "rng", "fsdev", "memdev", "tpmdev", "host", "sysfsdev", "vhostfd",
                "guest-cid", "evdev", "audiodev"}


def libvirt_fails_too(case_dir, qemu_error):
    """Whether the -device QEMU refused (quoted in its error) is in libvirt
    9.0's own command line for the case as well, with the same properties:
    then libvirt's start fails the same way (shared/spec/stubbing.md lists
    such accepted definitions that never start)."""
    marker = "-device "
    at = qemu_error.find(marker)
    if at < 0:
        return False
    try:
        ours, _ = json.JSONDecoder().raw_decode(qemu_error[at + len(marker):])
    except ValueError:
        return False
    with open(os.path.join(case_dir, "expected-argv.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("-device "):
                continue
            theirs = json.loads(line[len("-device "):].strip().strip("'"))
            if theirs.get("id") != ours.get("id") or theirs.get("driver") != ours.get("driver"):
                continue
            own = lambda d: {k: v for k, v in d.items() if k not in BACKEND_KEYS | {"reg"}}
            return own(theirs) == own(ours) and set(theirs) == set(ours) and reg_of(case_dir, ours) == ours.get("reg")
    return False


def reg_of(case_dir, device):
    """The spapr-vio register libvirt's definition gives the device: its
    expected-argv.txt comes from domxml-to-native, which addresses NICs
    afresh, but libvirt starts a NIC at the register of its definition."""
    if "reg" not in device or "mac" not in device:
        return device.get("reg")
    root = ET.parse(os.path.join(case_dir, "expected.xml")).getroot()
    for nic in root.iter("interface"):
        mac, address = nic.find("mac"), nic.find("address")
        if mac is not None and mac.get("address") == device["mac"] and address is not None and address.get("reg"):
            return int(address.get("reg"), 0)
    return None


def addresses_differ(before, after):
    return [line for line in domain_compare.compare_files(before, after) if not line.endswith(": extra")]


@unittest.skipUnless(os.access(QEMU, os.X_OK), f"{QEMU} is not installed")
class ArchLive(TempDirTest):
    def start(self, definition, name, extra=()):
        guest = Guest(definition, self.dir.name, name, extra)
        self.addCleanup(guest.stop)
        return guest

    def start_own_guest(self):
        """The test's own guest of ARCH, assigned and started (paused): its definition and QEMU."""
        source = self.path("in.xml", GUEST.format(arch=ARCH, machine=MACHINES[ARCH], controllers=CONTROLLERS[ARCH]))
        definition = self.path("guest.xml")
        guestaddr("assign", source, "-o", definition)
        return definition, self.start(definition, "guest")

    def verify(self, definition, guest, what):
        r = guestaddr("verify", definition, "--qmp", guest.tool_socket, "--json", check=False)
        self.assertEqual(r.returncode, 0, f"{what}: {r.stdout} {r.stderr}")
        return json.loads(r.stdout)

    def test_corpus_guests_start_where_the_definition_says(self):
        cases = accepted_cases(ARCH)
        if not cases:
            self.skipTest("no corpus")
        started, refused_by_qemu, unchecked, libvirt_too = 0, [], set(), []
        sample = cases if len(cases) <= 6 else cases[::SAMPLE_STEP]
        for case in sample:
            name = os.path.basename(os.path.dirname(case))
            with self.subTest(case=name):
                definition = self.path("case.xml")
                guestaddr("assign", case, "-o", definition)
                try:
                    guest = self.start(definition, "case")
                except EOFError as e:
                    if libvirt_fails_too(os.path.dirname(case), str(e)):
                        libvirt_too.append(name)
                    else:
                        refused_by_qemu.append(f"{name}: {e}")
                    continue
                doc = self.verify(definition, guest, name)
                unchecked.update(d["message"] for d in doc["unchecked"])
                started += 1
                guest.stop()
        print(f"{ARCH}: verified {started} corpus guests; QEMU refused libvirt's own command line as well for "
              f"{libvirt_too}; refused only guestaddr's for {refused_by_qemu}")
        print(f"{ARCH}: not checkable: {sorted(unchecked)}")
        self.assertEqual(refused_by_qemu, [])
        self.assertGreaterEqual(started, min(5, len(sample)))

    def test_live_attach_detach_then_migrate_moves_nothing(self):
        definition, guest = self.start_own_guest()
        self.verify(definition, guest, "at start")
        for step in range(2):
            for name, device, _ in PLUGGABLE[ARCH]:
                before = self.path("before.xml", open(definition).read())
                cold = guestaddr("attach", definition, self.path(f"{name}.xml", device)).stdout
                guestaddr("attach", definition, self.path(f"{name}.xml"), "--in-place", "--qmp", guest.tool_socket,
                          "--stub-backends")
                self.assertEqual(addresses_differ(before, definition), [], f"attach {name} moved a device")
                # Live attach puts the device where a cold one (libvirt's --config) would.
                self.assertEqual(domain_compare.compare_texts(cold, open(definition).read()), [], name)
                self.verify(definition, guest, f"after attaching {name}")
            for name, device, key in reversed(PLUGGABLE[ARCH]):
                before = self.path("before.xml", open(definition).read())
                device_id = self.device_id(definition, key)
                guestaddr("detach", definition, self.path(f"{name}.xml"), "--in-place", "--qmp", guest.tool_socket,
                          "--stub-backends", "--timeout", "20")
                self.assertNotIn(device_id, guest.device_ids(), name)
                self.verify(definition, guest, f"after detaching {name}")
                remaining = [line for line in addresses_differ(before, definition) if not line.endswith(": missing")]
                self.assertEqual(remaining, [], f"detach {name} moved a device")
        # Plug one in again and migrate to a QEMU started from the file.
        name, device, _ = PLUGGABLE[ARCH][0]
        guestaddr("attach", definition, self.path(f"{name}.xml", device), "--in-place", "--qmp", guest.tool_socket,
                  "--stub-backends")
        incoming = os.path.join(self.dir.name, "migrate.sock")
        destination = self.start(definition, "destination", ["-incoming", f"unix:{incoming}"])
        guest.qmp.cmd("migrate", uri=f"unix:{incoming}")
        self.assertEqual(migration_status(guest.qmp, 60), "completed", open(destination.log_path).read())
        self.verify(definition, destination, "after migration")

    def test_verify_names_a_device_that_is_not_where_the_definition_says(self):
        definition, guest = self.start_own_guest()
        # The same definition with the first NIC one place further on.
        root = ET.parse(definition).getroot()
        address = root.find("devices/interface/address")
        expected = {"pci": ["devfn"], "ccw": ["devno"]}[address.get("type")]
        if address.get("type") == "pci":
            address.set("slot", hex(int(address.get("slot"), 0) + 1))
            bus = address.get("bus")
            if int(bus, 0) == 0 or ARCH == "ppc64":  # a root bus: the guest-visible config space says so too
                expected.append("query-pci")
        else:
            address.set("devno", hex(int(address.get("devno"), 0) + 0x10))
        moved = self.path("moved.xml")
        ET.ElementTree(root).write(moved)
        r = guestaddr("verify", moved, "--qmp", guest.tool_socket, "--json", check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        messages = [d["message"] for d in json.loads(r.stdout)["differences"]
                    if d["device"] == "interface 52:54:00:00:00:01"]
        for word in expected:
            self.assertTrue(any(word in m for m in messages), (word, messages))

    def test_s390x_zpci_hotplug_and_an_unplug_that_waits_for_the_guest(self):
        if ARCH != "s390x":
            self.skipTest("zPCI is s390x's")
        definition, guest = self.start_own_guest()
        nic = self.path("zpci-nic.xml", "<interface type='network'><mac address='52:54:00:cc:00:01'/><source network='default'/>"
                                        "<model type='virtio'/><address type='pci'/></interface>")
        guestaddr("attach", definition, nic, "--in-place", "--qmp", guest.tool_socket, "--stub-backends")
        doc = self.verify(definition, guest, "after the zPCI attach")
        self.assertIn("zpci1", guest.device_ids())  # the zPCI device, uid 1, beside the function
        # QEMU 7.2 finishes a zPCI unplug only once the guest releases the
        # function: with none running, detach gives up and keeps the file.
        before = open(definition).read()
        r = guestaddr("detach", definition, nic, "--in-place", "--qmp", guest.tool_socket, "--stub-backends",
                      "--timeout", "1", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("interface 52:54:00:cc:00:01", r.stderr)
        self.assertEqual(open(definition).read(), before)
        self.assertEqual(doc["differences"], [])

    def test_s390x_usb_device_is_refused_for_want_of_a_usb_controller(self):
        if ARCH != "s390x":
            self.skipTest("only s390x has no USB in QEMU 7.2")
        definition, guest = self.start_own_guest()
        ids, before = guest.device_ids(), open(definition).read()
        tablet = self.path("tablet.xml", "<input type='tablet' bus='usb'/>")
        for live in ((), ("--qmp", guest.tool_socket, "--stub-backends")):
            r = guestaddr("attach", definition, tablet, "--in-place", *live, check=False)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("no USB controller", r.stderr)
            self.assertEqual(open(definition).read(), before)
        self.assertEqual(guest.device_ids(), ids)

    def test_what_qemu_does_not_hotplug_is_refused_and_nothing_changes(self):
        if not REFUSED[ARCH]:
            self.skipTest(f"QEMU 7.2 hot-plugs every bus guestaddr places on for {ARCH}")
        definition, guest = self.start_own_guest()
        ids = guest.device_ids()
        for name, device, words in REFUSED[ARCH]:
            before = open(definition).read()
            r = guestaddr("attach", definition, self.path(f"{name}.xml", device), "--in-place", "--qmp",
                          guest.tool_socket, "--stub-backends", check=False)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(words, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertEqual(open(definition).read(), before, name)
            self.assertEqual(guest.device_ids(), ids, name)
            # A stopped guest takes it (libvirt's attach-device --config).
            guestaddr("attach", definition, self.path(f"{name}.xml"))

    def device_id(self, definition, key):
        for line in guestaddr("argv", definition, "--stub-backends").stdout.splitlines():
            if line.startswith("-device") and key in line:
                return json.loads(shlex.split(line)[1])["id"]
        raise AssertionError(f"no -device with {key}")


if __name__ == "__main__":
    if not os.access(QEMU, os.X_OK):
        print(f"skipped: {QEMU} is not installed")
        sys.exit(77)
    unittest.main(verbosity=2)
