"""What placement by intent promises, checked on a definition guestaddr wrote
(shared by tests/conformance/run_intent_cases.py and the property tests'
Python side)."""
import re
import xml.etree.ElementTree as ET

NS = "https://guestaddr.dev/xmlns/domain/1"
CONVENTIONAL = {"pci-root", "pci-bridge", "pcie-to-pci-bridge", "pci-expander-bus"}
PCIE_PORTS = {"pcie-root-port", "pcie-switch-downstream-port"}


def device_key(dev, n):
    if dev.find("mac") is not None:
        return "%s %s" % (dev.tag, dev.find("mac").get("address"))
    if dev.tag == "controller":
        return "controller %s %s" % (dev.get("type"), dev.get("index"))
    target = dev.find("target")
    if target is not None and target.get("dev"):
        return "%s %s" % (dev.tag, target.get("dev"))
    return "%s #%d" % (dev.tag, n)


def pci_addresses(root):
    out, counts = {}, {}
    for dev in root.find("devices"):
        n = counts.get(dev.tag, 0)
        counts[dev.tag] = n + 1
        a = dev.find("address")
        if a is not None and a.get("type") == "pci":
            out[device_key(dev, n)] = tuple(int(a.get(k, "0"), 0) for k in ("domain", "bus", "slot", "function"))
    return out


def ours(root):
    md = root.find("metadata")
    return md.find("{%s}guestaddr" % NS) if md is not None else None


def metadata(root):
    el = ours(root)
    return ET.tostring(el) if el is not None else b""


def preferences(root):
    el = ours(root)
    if el is None:
        return []
    return [e.attrib for e in el.findall("{%s}device" % NS)]


def find_device(root, pref):
    for dev in root.find("devices"):
        alias = dev.find("alias")
        if "alias" in pref and alias is not None and alias.get("name") == pref["alias"]:
            return dev
        if "mac" in pref and dev.find("mac") is not None and dev.find("mac").get("address").lower() == pref["mac"].lower():
            return dev
        target = dev.find("target")
        if "target" in pref and dev.tag == "disk" and target is not None and target.get("dev") == pref["target"]:
            return dev
        if "controller" in pref and dev.tag == "controller" and "%s:%s" % (dev.get("type"), dev.get("index")) == pref["controller"]:
            return dev
        if "hostdev" in pref and dev.tag == "hostdev" and hostdev_key(dev) == pref["hostdev"]:
            return dev
    return None


def hostdev_key(dev):
    """A PCI host device's source as guestaddr keys it: "pci domain=... bus=... slot=... function=..."."""
    address = dev.find("source/address")
    words = [dev.get("type")] + ["%s=%s" % (k, v) for k, v in (address.attrib.items() if address is not None else ())
                                 if k != "type"]
    return " ".join(words)


def controllers(root):
    return {int(c.get("index")): c for c in root.find("devices").findall("controller") if c.get("type") == "pci"}


def numa_of_bus(ctrls, bus):
    seen = 0
    while bus in ctrls and seen < 300:
        c = ctrls[bus]
        if c.get("model") in ("pci-expander-bus", "pcie-expander-bus"):
            node = c.find("target/node")
            return int(node.text) if node is not None else None
        a = c.find("address")
        if a is None:
            return None
        bus = int(a.get("bus"), 0)
        seen += 1
    return None


def check_preferences(root):
    ctrls = controllers(root)
    pcie_root = ctrls.get(0) is not None and ctrls[0].get("model") == "pcie-root"
    for pref in preferences(root):
        dev = find_device(root, pref)
        assert dev is not None, "%s: no such device" % pref
        a = dev.find("address")
        assert a is not None and a.get("type") == "pci", "%s has no PCI address" % pref
        bus = int(a.get("bus"), 0)
        model = ctrls[bus].get("model")
        if pref.get("hotplug") == "no" and pcie_root:
            assert bus == 0, "%s: hotplug='no' but on bus %d" % (pref, bus)
        if pref.get("hotplug") == "yes":
            assert model in PCIE_PORTS | CONVENTIONAL - {"pci-expander-bus"}, "%s: on %s" % (pref, model)
        if pref.get("bus") == "pci":
            assert model in CONVENTIONAL, "%s: bus='pci' but on %s" % (pref, model)
        if pref.get("bus") == "pcie":
            assert model in PCIE_PORTS, "%s: bus='pcie' but on %s" % (pref, model)
        if "numa" in pref:
            assert numa_of_bus(ctrls, bus) == int(pref["numa"]), "%s: below node %s" % (pref, numa_of_bus(ctrls, bus))


def policy(root):
    el = ours(root)
    p = el.find("{%s}policy" % NS) if el is not None else None
    return p.attrib if p is not None else {}


def parse_capacity(stderr):
    m = re.search(r"free hotplug places: (\d+) PCI Express.*?, (\d+) conventional", stderr)
    assert m, "no capacity line in %r" % stderr
    return {"pcie": int(m.group(1)), "pci": int(m.group(2))}


def check_policy(root, capacity):
    p = policy(root)
    ctrls = controllers(root)
    native = "pcie" if ctrls.get(0) is not None and ctrls[0].get("model") == "pcie-root" else "pci"
    if "keep-free-hotplug" in p:
        assert capacity[native] >= int(p["keep-free-hotplug"]), "policy %s, free %s" % (p, capacity)
    if "keep-free-hotplug-pci" in p:
        assert capacity["pci"] >= int(p["keep-free-hotplug-pci"]), "policy %s, free %s" % (p, capacity)
    if p.get("stable-nic-names") == "yes":
        seen = set()
        for nic in root.find("devices").findall("interface"):
            a = nic.find("address")
            if a is None or a.get("type") != "pci":
                continue
            acpi = nic.find("acpi")
            assert acpi is not None, "a NIC without an ACPI index"
            assert acpi.get("index") not in seen, "ACPI index %s twice" % acpi.get("index")
            seen.add(acpi.get("index"))


def without_preferred_addresses(text):
    root = ET.fromstring(text)
    ET.register_namespace("guestaddr", NS)
    for pref in preferences(root):
        dev = find_device(root, pref)
        if dev is not None and dev.find("address") is not None:
            dev.remove(dev.find("address"))
    return ET.tostring(root, encoding="unicode")
