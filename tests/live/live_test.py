#!/usr/bin/env python3
"""guestaddr against a real QEMU 7.2: verify, live attach/detach, migration.

Each guest is started from `guestaddr argv --stub-backends` (paused, TCG,
no host resources) with two QMP monitors: one for guestaddr, one for this
test, which plays the guest where QEMU needs one (it writes the ACPI PCI
hotplug eject register, as a guest OS would, so that an unplug completes).

Usage: live_test.py GUESTADDR [CONFORMANCE_DIR]. Exits 77 (skipped) without QEMU.
"""

import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
import domain_compare  # noqa: E402
from rules_pin import pinned  # noqa: E402

QEMU = "/usr/bin/qemu-system-x86_64"
GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
CONFORMANCE = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "corpora", "conformance")


# ACPI PCI hotplug registers: base, then bus select at +0x10, eject at +0x08.
HOTPLUG_BASE = {"q35": 0x0CC0, "pc": 0xAE00}


def guestaddr(*args, check=True):
    r = subprocess.run([GUESTADDR, *pinned(args)], capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"guestaddr {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r


class Qmp:
    def __init__(self, path, timeout=10):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.file = self.sock.makefile("rw")
        self.events = []
        self.read()
        self.cmd("qmp_capabilities")

    def read(self):
        while True:
            line = self.file.readline()
            if not line:
                raise EOFError("QEMU closed the monitor")
            message = json.loads(line)
            if "event" in message:
                self.events.append(message)
                continue
            return message

    def cmd(self, command, **arguments):
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request) + "\n")
        self.file.flush()
        reply = self.read()
        if "error" in reply:
            raise RuntimeError(f"{command}: {reply['error']}")
        return reply["return"]

    def hmp(self, line):
        return self.cmd("human-monitor-command", **{"command-line": line})


class Guest:
    """A QEMU started from guestaddr's command line for a definition file."""

    def __init__(self, definition, workdir, name, extra=(), qemu=QEMU, argv_flags=()):
        argv_lines = guestaddr("argv", definition, "--stub-backends", *argv_flags).stdout.splitlines()
        args = [a for line in argv_lines[1:] for a in shlex.split(line)]
        self.tool_socket = os.path.join(workdir, f"{name}-tool.sock")
        self.test_socket = os.path.join(workdir, f"{name}-test.sock")
        args += ["-qmp", f"unix:{self.tool_socket},server=on,wait=off",
                 "-qmp", f"unix:{self.test_socket},server=on,wait=off", *extra]
        self.log = open(os.path.join(workdir, f"{name}.log"), "w")
        self.process = subprocess.Popen([qemu, *args], stdout=self.log, stderr=subprocess.STDOUT)
        self.qmp = Qmp(self.test_socket)

    def eject_when_asked(self, device_id, stop):
        """Play the guest: acknowledge the unplug of `device_id` by writing
        its slot to the eject register of the bus it sits on."""
        bus = self.qmp.cmd("qom-get", path=f"/machine/peripheral/{device_id}", property="parent_bus")
        devfn = self.qmp.cmd("qom-get", path=f"/machine/peripheral/{device_id}", property="addr")
        bsel = self.qmp.cmd("qom-get", path=bus, property="acpi-pcihp-bsel")
        base = HOTPLUG_BASE["q35" if self.is_q35() else "pc"]
        while not stop.is_set():
            time.sleep(0.2)
            self.qmp.hmp(f"o /d {base + 0x10:#x} {bsel}")
            self.qmp.hmp(f"o /d {base + 0x08:#x} {1 << (devfn >> 3)}")

    def is_q35(self):
        return "q35" in self.qmp.cmd("qom-get", path="/machine", property="type")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log.close()


def corpus_cases(step):
    root = os.path.join(CONFORMANCE, "generated-x86")
    names = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, "expected-argv.txt")))
    return [os.path.join(root, n, "input.xml") for n in names[::step]]


def addresses_differ(before, after):
    """What moved or went away between two definitions (an added device is not a move)."""
    return [line for line in domain_compare.compare_files(before, after) if not line.endswith(": extra")]


GUEST = """<domain type='qemu'><name>{name}</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='{machine}'>hvm</type></os><features><acpi/><apic/></features>
<devices>
  <disk type='file' device='disk'><source file='/images/root.qcow2'/><target dev='vda' bus='virtio'/></disk>
  <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>
{controllers}
  <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
</devices></domain>"""

PLUGGABLE = [
    ("nic-a", "<interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/><model type='virtio'/></interface>"),
    ("disk-b", "<disk type='file' device='disk'><source file='/images/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>"),
    ("nic-c", "<interface type='network'><mac address='52:54:00:aa:00:03'/><source network='default'/><model type='e1000'/></interface>"),
]


@unittest.skipUnless(os.access(QEMU, os.X_OK), "qemu-system-x86_64 is not installed")
class Live(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name, text=None):
        p = os.path.join(self.dir.name, name)
        if text is not None:
            with open(p, "w") as f:
                f.write(text)
        return p

    def start(self, definition, name, extra=(), qemu=QEMU, argv_flags=()):
        guest = Guest(definition, self.dir.name, name, extra, qemu, argv_flags)
        self.addCleanup(guest.stop)
        return guest

    def guest_definition(self, machine):
        # Room to hot-plug into: spare root ports and a PCI bridge on q35
        # (a running guest cannot gain controllers), slots of pci-root on pc.
        if machine == "q35":
            controllers = "".join(f"<controller type='pci' index='{i}' model='pcie-root-port'/>" for i in range(1, 11))
            controllers += "<controller type='pci' index='11' model='pcie-to-pci-bridge'/>"
        else:
            controllers = "<controller type='pci' index='1' model='pci-bridge'/>"
        source = self.path(f"{machine}-in.xml", GUEST.format(name=f"live-{machine}", machine=machine,
                                                             controllers=controllers))
        assigned = self.path(f"{machine}.xml")
        guestaddr("assign", source, "-o", assigned)
        return assigned

    def test_intent_placements_where_the_definition_says(self):
        """Placement by intent on QEMU 7.2: integrated endpoints on the root
        bus, expander buses on the guest NUMA node their <node> says."""
        cases = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "intent-cases")
        for case, expander, node, integrated in (("q35-prefs", "pci.1", 1, "net0"), ("pc-numa", "pci.1", 1, None),
                                                 ("pc-numa", "pci.2", 0, None)):
            with self.subTest(case=case, expander=expander):
                guest = self.start(os.path.join(cases, case, "output.xml"), case)
                r = guestaddr("verify", os.path.join(cases, case, "output.xml"), "--qmp", guest.tool_socket, check=False)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(guest.qmp.cmd("qom-get", path=f"/machine/peripheral/{expander}", property="numa_node"), node)
                if integrated:
                    bus = guest.qmp.cmd("qom-get", path=f"/machine/peripheral/{integrated}", property="parent_bus")
                    # The root bus: the host bridge's, not a port's.
                    self.assertEqual(guest.qmp.cmd("qom-get", path=bus, property="type"), "PCIE")
                    self.assertTrue(bus.endswith("/pcie.0"), bus)
                guest.stop()

    def test_hotplug_below_a_numa_node_of_pc(self):
        """hotplug='yes' with numa on pc: QEMU hot-plugs nothing onto a pxb's
        bus, so guestaddr puts such a device on a pci-bridge below the pxb;
        a live attach by the same preference then lands in that bridge."""
        cases = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "intent-cases")
        definition = self.path("pc-numa.xml", open(os.path.join(cases, "pc-numa", "output.xml")).read())
        nic = "<interface type='user'><mac address='%s'/><model type='virtio'/></interface>"
        guestaddr("attach", definition, self.path("cold.xml", nic % "52:54:00:20:00:10"), "--in-place",
                  "--prefer", "hotplug=yes,numa=0")
        guest = self.start(definition, "pc-numa-hotplug")
        guestaddr("attach", definition, self.path("live.xml", nic % "52:54:00:20:00:11"), "--in-place",
                  "--prefer", "hotplug=yes,numa=0", "--qmp", guest.tool_socket, "--stub-backends")
        r = guestaddr("verify", definition, "--qmp", guest.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(definition).getroot()
        controllers = {int(c.get("index")): c for c in root.iterfind("devices/controller[@type='pci']")}
        nics = {n.find("mac").get("address"): n for n in root.iterfind("devices/interface")}
        for mac in ("52:54:00:20:00:10", "52:54:00:20:00:11"):
            address = nics[mac].find("address")
            bridge = controllers[int(address.get("bus"), 0)]
            self.assertEqual(bridge.get("model"), "pci-bridge", mac)
            expander = controllers[int(bridge.find("address").get("bus"), 0)]
            self.assertEqual((expander.get("model"), expander.findtext("target/node")), ("pci-expander-bus", "0"), mac)

    def test_capacity_policy_is_restored_after_a_live_attach(self):
        """keep-free-hotplug on q35: live attaches take free root
        ports (a running guest gains no controllers); the next cold assign
        adds one, so that the policy holds again, and moves nothing."""
        def free_ports(definition):  # root ports with nothing below them, as the file stands
            root = ET.parse(definition).getroot()
            used = {int(a.get("bus"), 0) for a in root.iterfind("devices/*/address[@type='pci']")}
            return sum(1 for c in root.iterfind("devices/controller[@model='pcie-root-port']")
                       if int(c.get("index")) not in used)

        source = self.path("q35-in.xml", GUEST.format(name="capacity", machine="q35", controllers=""))
        definition = self.path("q35.xml")
        guestaddr("assign", source, "--keep-free-hotplug", "2", "-o", definition)
        kept = free_ports(definition)
        self.assertIn(kept, (2, 3))  # 2, and libvirt's own spare port of a new q35 guest
        guest = self.start(definition, "capacity")
        # Live attaches until fewer than 2 are free.
        for name, xml in PLUGGABLE[:2][:kept - 1]:
            guestaddr("attach", definition, self.path(f"{name}.xml", xml), "--in-place", "--qmp",
                      guest.tool_socket, "--stub-backends")
        self.assertEqual(free_ports(definition), 1)
        r = guestaddr("verify", definition, "--qmp", guest.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        guest.stop()
        restored = self.path("q35-restored.xml")
        guestaddr("assign", definition, "-o", restored)
        self.assertEqual(free_ports(restored), 2)
        self.assertEqual(addresses_differ(definition, restored), [])
        # The guest starts from the restored definition with the NIC where it was plugged.
        guest = self.start(restored, "capacity-restored")
        r = guestaddr("verify", restored, "--qmp", guest.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_corpus_guests_start_where_the_definition_says(self):
        if not os.path.isdir(CONFORMANCE):
            self.skipTest("no conformance corpus")
        verified, refused_by_qemu = 0, []
        for case in corpus_cases(10):
            name = os.path.basename(os.path.dirname(case))
            with self.subTest(case=name):
                definition = self.path("case.xml")
                guestaddr("assign", case, "-o", definition)
                try:
                    guest = self.start(definition, "case")
                except (OSError, EOFError):
                    # Some definitions libvirt accepts never start (e.g. a
                    # duplicate chassis): QEMU refuses libvirt's own command
                    # line for them too (shared/spec/stubbing.md).
                    refused_by_qemu.append(name)
                    continue
                r = guestaddr("verify", definition, "--qmp", guest.tool_socket, check=False)
                self.assertEqual(r.returncode, 0, r.stderr)
                if verified == 0:
                    self.check_verify_json(definition, guest)
                verified += 1
                guest.stop()
        print(f"verified {verified} corpus guests; QEMU refused {len(refused_by_qemu)}: {refused_by_qemu}")
        self.assertGreaterEqual(verified, 10)

    def check_verify_json(self, definition, guest):
        r = guestaddr("verify", definition, "--qmp", guest.tool_socket, "--json", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual({k: doc[k] for k in ("schema", "matches", "differences")},
                         {"schema": "guestaddr/verify/1", "matches": True, "differences": []})
        # What the machine builds in (the root bus, the chipset's IDE or SATA) is named, not passed as checked.
        self.assertTrue(all(set(u) == {"device", "message"} for u in doc["unchecked"]), doc)
        # A NIC in the definition only (attached to the file, not to QEMU).
        nic = self.path("verify-nic.xml", "<interface type='user'><mac address='52:54:00:aa:bb:01'/>"
                                          "<model type='virtio'/></interface>")
        more = self.path("verify-more.xml", guestaddr("attach", definition, nic).stdout)
        r = guestaddr("verify", more, "--qmp", guest.tool_socket, "--json", check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = json.loads(r.stdout)
        self.assertFalse(doc["matches"])
        # (with any controller the NIC needed added beside it)
        self.assertIn("interface 52:54:00:aa:bb:01", [d["device"] for d in doc["differences"]], doc)

    def live_sequence(self, machine):
        definition = self.guest_definition(machine)
        guest = self.start(definition, machine)
        for step in range(2):
            for name, device in PLUGGABLE:
                before = self.path("before.xml", open(definition).read())
                device_file = self.path(f"{name}.xml", device)
                guestaddr("attach", definition, device_file, "--in-place", "--qmp", guest.tool_socket, "--stub-backends")
                self.assertEqual(addresses_differ(before, definition), [], f"attach {name} moved a device")
                r = guestaddr("verify", definition, "--qmp", guest.tool_socket, check=False)
                self.assertEqual(r.returncode, 0, f"after attaching {name}: {r.stderr}")
            for name, device in reversed(PLUGGABLE):
                before = self.path("before.xml", open(definition).read())
                device_id = self.device_id(definition, before, name)
                stop = threading.Event()
                player = threading.Thread(target=guest.eject_when_asked, args=(device_id, stop))
                player.start()
                try:
                    guestaddr("detach", definition, self.path(f"{name}.xml"), "--in-place", "--qmp",
                              guest.tool_socket, "--stub-backends", "--timeout", "20")
                finally:
                    stop.set()
                    player.join()
                r = guestaddr("verify", definition, "--qmp", guest.tool_socket, check=False)
                self.assertEqual(r.returncode, 0, f"after detaching {name}: {r.stderr}")
                remaining = [line for line in addresses_differ(before, definition) if not line.endswith(": missing")]
                self.assertEqual(remaining, [], f"detach {name} moved a device")
        return definition, guest

    def device_id(self, definition, _before, name):
        # The QEMU id of the device named by the file: the line of argv with its MAC or disk name.
        argv = guestaddr("argv", definition, "--stub-backends").stdout
        key = {"nic-a": "52:54:00:aa:00:01", "disk-b": "virtio-disk1", "nic-c": "52:54:00:aa:00:03"}[name]
        for line in argv.splitlines():
            if line.startswith("-device") and key in line:
                return json.loads(shlex.split(line)[1])["id"]
        raise AssertionError(f"no -device for {name}")

    def test_live_attach_detach_on_q35_moves_nothing(self):
        self.live_sequence("q35")

    def test_live_attach_detach_on_pc_moves_nothing(self):
        self.live_sequence("pc")

    def test_migration_to_a_guest_started_from_the_persisted_definition(self):
        definition, source = self.live_sequence("q35")
        guestaddr("attach", definition, self.path("last.xml", PLUGGABLE[0][1]), "--in-place", "--qmp",
                  source.tool_socket, "--stub-backends")
        incoming = os.path.join(self.dir.name, "migrate.sock")
        destination = self.start(definition, "destination", ["-incoming", f"unix:{incoming}"])
        source.qmp.cmd("migrate", uri=f"unix:{incoming}")
        deadline = time.time() + 60
        while time.time() < deadline:
            status = source.qmp.cmd("query-migrate").get("status")
            if status in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.2)
        self.assertEqual(status, "completed", open(os.path.join(self.dir.name, "destination.log")).read())
        self.assertIn(destination.qmp.cmd("query-status")["status"], ("paused", "prelaunch"))
        r = guestaddr("verify", definition, "--qmp", destination.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    if not os.access(QEMU, os.X_OK):
        print("skipped: qemu-system-x86_64 is not installed")
        sys.exit(77)
    unittest.main(verbosity=2)
