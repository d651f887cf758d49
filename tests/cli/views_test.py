#!/usr/bin/env python3
"""Seeing and asking: tree (text, dot, svg, JSON), explain, --json on validate and verify, --version."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

GUESTADDR = sys.argv.pop(1) if len(sys.argv) > 1 else "guestaddr"
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
EXAMPLE = os.path.join(ROOT, "examples", "web-server.xml")

PC = """<domain type='kvm'><name>pcguest</name><memory>1048576</memory>
<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/a.img'/><target dev='sdb' bus='scsi'/></disk>
<disk type='file' device='cdrom'><source file='/b.iso'/><target dev='hdc' bus='ide'/></disk>
<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/>
  <alias name='ua-nic'/><address type='pci' domain='0' bus='0' slot='7' function='0'/></interface>
<input type='tablet' bus='usb'/><input type='tablet' bus='usb'/><input type='tablet' bus='usb'/>
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
</devices></domain>"""

S390X = """<domain type='kvm'><name>z</name><memory>1048576</memory>
<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>
<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>
<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>
</devices></domain>"""

Q35_E1000 = """<domain type='kvm'><name>q</name><memory>1048576</memory>
<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>
<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/></interface>
<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/>
<sound model='ich9'/><graphics type='vnc'/>
</devices></domain>"""

SVG_NS = "{http://www.w3.org/2000/svg}"


def run(*args, stdin=None):
    return subprocess.run([GUESTADDR, *args], input=stdin, capture_output=True, text=True)


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(guestaddr VERSION (\S+)", f.read()).group(1)


def json_nodes(node):
    yield node
    for child in node.get("children", []):
        yield from json_nodes(child)


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name, text):
        p = os.path.join(self.dir.name, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def ok(self, *args, stdin=None):
        r = run(*args, stdin=stdin)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def assigned(self, text):
        return self.path("assigned.xml", self.ok("assign", "-", stdin=text))

    def tree_json(self, path):
        doc = json.loads(self.ok("tree", path, "--json"))
        self.assertEqual(doc["schema"], "guestaddr/tree/1")
        return doc


class Version(Case):
    def test_version_before_and_after_every_subcommand(self):
        want = f"guestaddr {project_version()}"
        self.assertEqual(self.ok("--version").strip(), want)
        for sub in ("assign", "validate", "argv", "attach", "detach", "verify", "tree", "explain"):
            with self.subTest(sub):
                self.assertEqual(self.ok(sub, "--version").strip(), want)


class Tree(Case):
    def test_every_device_appears_once_named_as_errors_name_it(self):
        doc = self.tree_json(EXAMPLE)
        devices = [n for n in json_nodes(doc["guest"]) if n["kind"] == "device"]
        indexes = [n["index"] for n in devices]
        self.assertEqual(sorted(indexes), list(range(len(indexes))), "each device exactly once")
        names = {n["name"] for n in devices}
        for name in ("disk 'vda'", "disk 'sda'", "interface 52:54:00:12:34:56", "interface 52:54:00:12:34:57",
                     "channel 'org.qemu.guest_agent.0'", "controller pci 0", "controller sata 0",
                     "controller usb 0", "controller virtio-serial 0", "video #0", "input #0"):
            self.assertIn(name, names)

    def test_devices_nest_under_the_controller_they_sit_on(self):
        doc = self.tree_json(self.assigned(PC))
        by_name = {n["name"]: n for n in json_nodes(doc["guest"]) if n["kind"] == "device"}
        self.assertEqual(doc["guest"]["children"][0]["name"], "controller pci 0")

        def child_names(name):
            return [c.get("name") for c in json_nodes(by_name[name]) if c is not by_name[name]]

        self.assertIn("disk 'hdc'", child_names("controller ide 0"))
        self.assertIn("disk 'sdb'", child_names("controller scsi 0"))
        self.assertIn("channel 'org.qemu.guest_agent.0'", child_names("controller virtio-serial 0"))
        # Three tablets on a two-port PIIX3 controller: a hub, with tablets on its ports.
        self.assertIn("hub #0", child_names("controller usb 0"))
        self.assertIn("input #2", child_names("hub #0"))
        bus0 = doc["guest"]["children"][0]
        places = {c.get("place"): c for c in bus0["children"]}
        self.assertEqual(places["0000:00:07.0"]["name"], "interface 52:54:00:00:00:01")
        self.assertEqual(places["0000:00:01.0"]["kind"], "chipset")  # the PIIX3 ISA bridge

    def test_free_places_and_hotplug_capacity(self):
        doc = self.tree_json(self.assigned(PC))
        bus0 = doc["guest"]["children"][0]
        free = [c for c in bus0["children"] if c["kind"] == "free"]
        self.assertTrue(free and all(f["hotplug"] and f["of"] == "PCI slot" for f in free))
        self.assertEqual(doc["hotplug_capacity"]["PCI slot"], sum(f["count"] for f in free))
        # pci-root has slots 1-31: every used one is a device or a chipset function.
        used = {c["place"][8:10] for c in bus0["children"] if c["kind"] != "free"}
        self.assertEqual(len(used) + doc["hotplug_capacity"]["PCI slot"], 31)
        # The hub's ports: 3 tablets and the hub fill 2 root ports + 8 hub ports but 4 (well, 2+8-1-3 = 6) free.
        self.assertEqual(doc["hotplug_capacity"]["USB port"], 6)
        # q35's root complex takes no hotplug; its root ports do.
        q35 = self.tree_json(EXAMPLE)
        root = q35["guest"]["children"][0]
        self.assertTrue(all(not c["hotplug"] for c in root["children"] if c["kind"] == "free"))

    def test_an_unaddressed_definition_shows_where_assign_would_put_things(self):
        doc = self.tree_json(EXAMPLE)
        devices = {n["name"]: n for n in json_nodes(doc["guest"]) if n["kind"] == "device"}
        self.assertTrue(devices["interface 52:54:00:12:34:56"]["chosen"])
        self.assertFalse(devices["interface 52:54:00:12:34:56"]["added"])
        self.assertTrue(devices["controller usb 0"]["added"])
        text = self.ok("tree", EXAMPLE)
        self.assertRegex(text, r"interface 52:54:00:12:34:56 \(virtio\) \[chosen\]")
        # Assigned, the same definition has nothing left to choose.
        addressed = self.tree_json(self.assigned(open(EXAMPLE).read()))
        self.assertFalse(any(n.get("chosen") or n.get("added") for n in json_nodes(addressed["guest"])))
        self.assertEqual(self.ok("tree", self.assigned(open(EXAMPLE).read())).count("[chosen]"), 0)

    def test_text_is_an_indented_tree_with_a_capacity_line(self):
        # The suite looks at no host: tree chooses the newest pair, as assign does.
        lines = self.ok("tree", EXAMPLE).splitlines()
        self.assertEqual(lines[0], "web-server (pc-q35-10.0, x86_64)")
        pinned = self.ok("tree", EXAMPLE, "--libvirt", "9.0", "--qemu", "7.2").splitlines()
        self.assertEqual(pinned[0], "web-server (pc-q35-7.2, x86_64)")
        self.assertTrue(lines[1].startswith("├─ controller pci 0 (pcie-root)"), lines)
        self.assertIn("│  │  └─ 0000:02:00.0  interface 52:54:00:12:34:56 (virtio) [chosen]", lines)
        self.assertIn("└─ no address", lines)
        self.assertRegex(lines[-1], r"^hotplug capacity: \d+ PCI Express slots?, ")

    def test_ccw_devices_are_a_group_of_their_own(self):
        doc = self.tree_json(self.path("z.xml", S390X))
        groups = {n["name"]: n for n in json_nodes(doc["guest"]) if n["kind"] == "group"}
        ccw = [c["name"] for c in groups["CCW (channel subsystem)"]["children"]]
        self.assertIn("interface 52:54:00:00:00:01", ccw)
        self.assertIn("disk 'vda'", ccw)

    def test_dot_is_a_graphviz_digraph(self):
        dot = self.ok("tree", EXAMPLE, "--format", "dot")
        self.assertTrue(dot.startswith("digraph guest {"))
        self.assertIn('"node-0" -> "node-1";', dot)
        self.assertIn("interface 52:54:00:12:34:56 (virtio) [chosen]", dot)

    def test_svg_draws_every_device_in_its_box(self):
        svg = self.ok("tree", EXAMPLE, "--format", "svg")
        root = ET.fromstring(svg)
        self.assertEqual(root.tag, SVG_NS + "svg")
        boxes = {}
        for g in root.iter(SVG_NS + "g"):
            if g.get("class") != "node":
                continue
            title = g.find(SVG_NS + "title").text
            boxes[title] = " ".join(t.text or "" for t in g.iter(SVG_NS + "text"))
        edges = [g for g in root.iter(SVG_NS + "g") if g.get("class") == "edge"]
        self.assertEqual(len(edges), len(boxes) - 1, "a tree: one edge into every node but the root")
        doc = self.tree_json(EXAMPLE)
        for node in json_nodes(doc["guest"]):
            if node["kind"] == "device":
                self.assertTrue(any(node["name"] in text for text in boxes.values()), node["name"])
        self.assertTrue(any("0000:02:00.0" in t and "interface 52:54:00:12:34:56" in t for t in boxes.values()))
        self.assertTrue(any(t.startswith("free:") and "hotplug" in t for t in boxes.values()))

    def test_refusal_prints_nothing_and_json_gives_the_error_document(self):
        # Two NICs on one slot.
        bad = self.path("bad.xml", PC.replace("<input", "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                                              "<address type='pci' bus='0' slot='7'/></interface><input", 1))
        r = run("tree", bad)
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertIn("interface 52:54:00:00:00:02", r.stderr)
        r = run("tree", bad, "--json")
        self.assertEqual(r.returncode, 1)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["schema"], "guestaddr/error/1")
        self.assertEqual(doc["errors"][0]["device"], "interface 52:54:00:00:00:02")
        r = run("tree", os.path.join(self.dir.name, "missing.xml"), "--json")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(json.loads(r.stdout)["errors"][0]["kind"], "io")


class Explain(Case):
    def explain(self, path, device):
        doc = json.loads(self.ok("explain", path, device, "--json"))
        self.assertEqual(doc["schema"], "guestaddr/explain/1")
        self.assertEqual(doc["query"], device)
        return doc["devices"]

    def test_a_device_is_found_by_mac_target_alias_address_and_name(self):
        path = self.path("pc.xml", PC)
        for query in ("52:54:00:00:00:01", "52:54:00:00:00:01".upper(), "ua-nic", "0000:00:07.0", "pci:0000:00:07.0",
                      "00:07.0", "interface 52:54:00:00:00:01"):
            with self.subTest(query):
                [e] = self.explain(path, query)
                self.assertEqual(e["name"], "interface 52:54:00:00:00:01")
        [e] = self.explain(path, "hdc")
        self.assertEqual(e["name"], "disk 'hdc'")
        [e] = self.explain(path, "drive:0.1.0.0")
        self.assertEqual(e["name"], "disk 'hdc'")
        [e] = self.explain(path, "usb:0:1.1")
        self.assertEqual(e["name"], "input #1")

    def test_written_addresses_are_told_from_chosen_ones(self):
        path = self.path("pc.xml", PC)
        [nic] = self.explain(path, "52:54:00:00:00:01")
        self.assertEqual((nic["origin"], nic["rule"]["id"]), ("written", "written"))
        [disk] = self.explain(path, "sdb")
        self.assertEqual((disk["origin"], disk["rule"]["id"]), ("chosen", "drive-from-name"))
        self.assertIn("'sdb'", disk["rule"]["text"])
        self.assertEqual(disk["address"], "drive controller 0 bus 0 target 0 unit 1")
        self.assertEqual(disk["needs"]["pci"], False)
        # The SCSI controller that disk needed was added for it.
        self.assertEqual([a["name"] for a in disk["added_for_it"]], ["controller scsi 0"])
        [scsi] = self.explain(path, "controller scsi 0")
        self.assertEqual(scsi["origin"], "added")
        self.assertEqual(scsi["added"]["rule"], "controller-for-device")
        self.assertEqual(scsi["rule"]["id"], "pci-first-free")

    def test_a_pcie_device_names_its_needs_and_the_root_port_added_for_it(self):
        [nic] = self.explain(EXAMPLE, "52:54:00:12:34:56")
        self.assertEqual(nic["origin"], "chosen")
        self.assertEqual(nic["needs"]["connection"], "PCI Express device")
        self.assertEqual((nic["needs"]["hotplug"], nic["needs"]["multifunction"]), (False, False))
        self.assertTrue(nic["needs"]["place_takes_hotplug"])
        self.assertEqual(nic["rule"]["id"], "pci-first-free")
        self.assertRegex(nic["rule"]["text"], r"bus 2 \(controller pci 2, pcie-root-port\)")
        [port] = nic["added_for_it"]
        self.assertEqual((port["name"], port["rule"]), ("controller pci 1", "pci-bus-for-device"))
        self.assertIn("found no free slot that takes a PCI Express device", port["text"])
        [root_port] = self.explain(EXAMPLE, "controller pci 1")
        self.assertTrue(root_port["needs"]["shares_slots"])
        self.assertTrue(root_port["needs"]["multifunction"])  # eight ports share slot 2

    def test_fixed_chipset_places(self):
        [video] = self.explain(EXAMPLE, "video #0")
        self.assertEqual((video["rule"]["id"], video["address"]), ("pci-chipset-slot", "pci 0000:00:01.0"))
        [sata] = self.explain(EXAMPLE, "controller sata 0")
        self.assertEqual((sata["rule"]["id"], sata["address"]), ("pci-chipset-slot", "pci 0000:00:1f.2"))
        self.assertEqual(sata["added"]["rule"], "machine-default")

    def test_text_answer(self):
        text = self.ok("explain", EXAMPLE, "vda")
        self.assertTrue(text.startswith("disk 'vda' (disk)\n") or text.startswith("disk 'vda'"), text)
        self.assertIn("  address:  pci 0000:06:00.0, chosen by guestaddr (the definition gives none)", text)
        self.assertIn("  needs:    a slot that takes a PCI Express device; hotplug: not required", text)
        self.assertIn("  added for it: controller pci 6: disk 'vda' found no free slot", text)

    def test_every_device_of_a_guest_has_a_recorded_rule(self):
        for text in (PC, open(EXAMPLE).read(), S390X, Q35_E1000):
            path = self.path("g.xml", text)
            doc = self.tree_json(path)
            for node in json_nodes(doc["guest"]):
                if node["kind"] != "device":
                    continue
                [e] = [d for d in self.explain(path, node["name"]) if d["index"] == node["index"]]
                with self.subTest(node["name"]):
                    self.assertNotEqual(e["rule"]["id"], "kept", e)
                    if e["origin"] == "added":
                        self.assertNotEqual(e["added"]["rule"], "implicit", e)

    def test_an_unknown_device_is_an_error(self):
        r = run("explain", EXAMPLE, "52:54:00:ff:ff:ff")
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertIn("no device of the definition is '52:54:00:ff:ff:ff'", r.stderr)

    def names(self, path):
        doc = json.loads(self.ok("explain", path, "--names", "--json"))
        self.assertEqual(doc["schema"], "guestaddr/explain-names/1")
        return doc["names"]

    def test_names_lists_what_device_may_be_and_each_explains_its_device(self):
        for text in (PC, open(EXAMPLE).read(), S390X, Q35_E1000):
            path = self.path("g.xml", text)
            names = self.names(path)
            root = ET.fromstring(text)
            given = {e.get("address") for e in root.iter("mac")} | {e.get("dev") for e in root.iter("target")
                                                                    if e.get("dev")}
            given |= {e.get("name") for e in root.iter("alias")}
            self.assertLessEqual(given - {None}, {n["name"] for n in names})
            for n in names:
                with self.subTest(name=n["name"]):
                    self.assertIn(n["device"], [e["name"] for e in self.explain(path, n["name"])])
        # Every addressed device has its address among the names.
        tree = self.tree_json(self.path("g.xml", PC))
        placed = {node["name"] for node in json_nodes(tree["guest"]) if node["kind"] == "device" and "place" in node}
        self.assertLessEqual(placed, {n["device"] for n in self.names(self.path("g.xml", PC))})

    def test_names_as_text_and_device_or_names_but_not_both(self):
        text = self.ok("explain", EXAMPLE, "--names")
        self.assertIn("vda\tdisk 'vda'\n", text)
        self.assertIn("52:54:00:12:34:56\tinterface 52:54:00:12:34:56\n", text)
        for args in (("explain", EXAMPLE), ("explain", EXAMPLE, "vda", "--names")):
            with self.subTest(args=args):
                r = run(*args)
                self.assertNotEqual(r.returncode, 0)
                self.assertEqual(r.stdout, "")
                self.assertRegex(r.stderr, "DEVICE")


INTENT = """<domain type='kvm'><name>intent</name><memory>1048576</memory>
<metadata><guestaddr:guestaddr xmlns:guestaddr='https://guestaddr.dev/xmlns/domain/1'>
  <guestaddr:policy keep-free-hotplug='3' stable-nic-names='yes'/>
  <guestaddr:device target='vdb' hotplug='no'/>
  <guestaddr:device target='vdc' numa='1'/>
</guestaddr:guestaddr></metadata>
<cpu><numa><cell id='0' cpus='0' memory='524288'/><cell id='1' cpus='1' memory='524288'/></numa></cpu>
<os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features><devices>
<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>
<disk type='file' device='disk'><source file='/b.img'/><target dev='vdb' bus='virtio'/></disk>
<disk type='file' device='disk'><source file='/c.img'/><target dev='vdc' bus='virtio'/></disk>
</devices></domain>"""


class Intent(Case):
    """What preferences and policies did, as tree and explain tell it."""

    def explain(self, path, device):
        return json.loads(self.ok("explain", path, device, "--json"))["devices"]

    def test_explain_names_the_preference_the_policy_and_the_capacity(self):
        path = self.path("intent.xml", INTENT)
        [vdb] = self.explain(path, "vdb")
        self.assertEqual(vdb["rule"]["id"], "placement-preference", vdb)
        self.assertIn("hotplug='no'", vdb["rule"]["text"])
        self.assertTrue(vdb["address"].startswith("pci 0000:00:"), vdb)
        [vdc] = self.explain(path, "vdc")
        self.assertEqual(vdc["rule"]["id"], "placement-preference", vdc)
        self.assertEqual({a["rule"] for a in vdc["added_for_it"]}, {"numa-preference"}, vdc)
        [nic] = self.explain(path, "52:54:00:00:00:01")
        self.assertEqual([p["id"] for p in nic["policies"]], ["stable-nic-names"], nic)
        doc = self.tree_json(path)
        rules = set()
        for node in json_nodes(doc["guest"]):
            if node["kind"] == "device" and node["added"]:
                [e] = [d for d in self.explain(path, node["name"]) if d["index"] == node["index"]]
                rules.add(e["added"]["rule"])
        self.assertIn("hotplug-capacity-policy", rules)

    def test_tree_shows_what_the_policy_keeps_free(self):
        path = self.path("intent.xml", INTENT)
        doc = self.tree_json(path)
        self.assertEqual(doc["kept_free"], [{"of": "PCI Express slot", "count": 3, "policy": "keep-free-hotplug"}])
        self.assertGreaterEqual(doc["hotplug_capacity"]["PCI Express slot"], 3)
        self.assertIn("kept free by the guest's policy (keep-free-hotplug): at least 3 PCI Express slots",
                      self.ok("tree", path))
        self.assertEqual(self.tree_json(self.path("plain.xml", Q35_E1000))["kept_free"], [])


class Validate(Case):
    def test_json_verdicts(self):
        doc = json.loads(self.ok("validate", self.assigned(PC), "--json"))
        self.assertEqual(doc, {"schema": "guestaddr/validate/1", "valid": True, "problems": []})
        r = run("validate", self.path("pc.xml", PC), "--json")
        self.assertEqual(r.returncode, 1)
        doc = json.loads(r.stdout)
        self.assertFalse(doc["valid"])
        self.assertTrue(all(p["kind"] == "incomplete" for p in doc["problems"]), doc)
        self.assertIn("disk 'sdb'", [p["device"] for p in doc["problems"]])
        r = run("validate", "-", "--json", stdin="<domain")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(json.loads(r.stdout)["problems"][0]["kind"], "malformed-xml")
        r = run("validate", os.path.join(self.dir.name, "missing.xml"), "--json")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(json.loads(r.stdout)["schema"], "guestaddr/error/1")


class Verify(Case):
    def test_json_error_document_when_qemu_does_not_answer(self):
        r = run("verify", self.assigned(PC), "--qmp", os.path.join(self.dir.name, "none.qmp"), "--json")
        self.assertEqual(r.returncode, 2)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["schema"], "guestaddr/error/1")
        self.assertEqual(doc["errors"][0]["kind"], "io")


if __name__ == "__main__":
    unittest.main()
