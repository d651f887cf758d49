#!/usr/bin/env python3
"""Compare what a guest sees in two libvirt domain definitions.

    domain_compare.py EXPECTED.xml ACTUAL.xml [--ignore TAG,...]

Prints one line per difference and exits 0 when there is none, 1 when there
are some, 2 when a file cannot be read. The conformance runners import
`compare_files` / `compare` from here.

What counts as guest-visible (the things that must not change between
libvirt's answer and ours):
  - the machine type and the architecture, exactly as written;
  - the set of devices under <devices> (everything but <emulator>,
    <graphics> and <audio>, which a guest does not see as an addressed
    device), each device found in the other file by what identifies it
    there (see `identity`), so the devices libvirt adds on its own count;
    a MAC identifies an interface only where both files have it: one in a
    single file was made up for a NIC the input gave none (libvirt draws a
    random one, guestaddr derives one), and such interfaces are matched by
    their order (that a MAC the input gave is kept, the runners check);
  - each device's own <address> (not the host address inside <source>),
    numbers compared by value and omitted attributes taken at libvirt's
    defaults;
  - the properties that pick the emulated hardware: models, controller
    targets (chassis, port, bus numbers, NUMA node), USB companion start
    ports, disk bus and device kind, character device target types, ports
    and models.
Device order is not compared here: libvirt keeps its own list order, which
`guestaddr check-abi` checks for a migration.
"""

import argparse
import sys
import xml.etree.ElementTree as ET

NOT_DEVICES = frozenset({"emulator", "graphics", "audio"})

# Address attributes per address type, with the value libvirt takes when the
# attribute is left out (None: no default, an absent attribute stays absent).
# Types not listed compare every attribute as written.
ADDRESS_DEFAULTS = {
    "pci": {"domain": 0, "bus": 0, "slot": 0, "function": 0, "multifunction": "off"},
    "drive": {"controller": 0, "bus": 0, "target": 0, "unit": 0},
    "virtio-serial": {"controller": 0, "bus": 0, "port": 0},
    "ccid": {"controller": 0, "slot": 0},
    "usb": {"bus": 0, "port": None},
    "spapr-vio": {"reg": None},
    "ccw": {"cssid": None, "ssid": None, "devno": None},
    "isa": {"iobase": None, "irq": None},
    "dimm": {"slot": None, "base": None},
}
# Attributes of a controller's <target> that the guest sees.
CONTROLLER_TARGET = ("chassisNr", "chassis", "port", "busNr", "index", "node")
CHARDEVS = frozenset({"serial", "console", "channel", "parallel"})


def number(text):
    """'0x1f' and '31' are both 31, '08' is 8; anything else stays text."""
    t = text.strip().lower()
    try:
        return int(t, 16) if t.startswith("0x") else int(t, 10)
    except ValueError:
        return t


def address_value(name, text):
    if name == "multifunction":
        return text.strip().lower()
    if name == "port" and "." in text:  # USB: a hub path, '1.2'
        return tuple(number(p) for p in text.split("."))
    return number(text)


def address(dev):
    """The device's own address as a comparable dict (None: it has none)."""
    node = dev.find("address")
    if node is None:
        return None
    kind = node.get("type", "")
    defaults = ADDRESS_DEFAULTS.get(kind)
    names = defaults.keys() if defaults is not None else (k for k in node.attrib if k != "type")
    value = {"type": kind}
    for name in names:
        text = node.get(name)
        if text is None:
            text_default = (defaults or {}).get(name)
            if text_default is not None:
                value[name] = text_default
        else:
            value[name] = address_value(name, text)
    zpci = node.find("zpci")
    if zpci is not None:
        value["zpci"] = tuple(sorted((k, number(v)) for k, v in zpci.attrib.items()))
    return value


def source_address(dev):
    """The host side of a hostdev (a PCI function as dddd:bb:ss.f): what
    the guest gets, not where it sits."""
    src = dev.find("source")
    if src is None:
        return ""
    pci = src.find("address")
    if dev.get("type") == "pci" and pci is not None:
        fields = [number(pci.get(k, "0")) for k in ("domain", "bus", "slot", "function")]
        if all(isinstance(f, int) for f in fields):
            return "%04x:%02x:%02x.%x" % tuple(fields)
    return " ".join(f"{n.tag}:" + ",".join(f"{k}={v}" for k, v in sorted(n.attrib.items()))
                    for n in src.iter() if n.attrib)


def mac_of(dev):
    """An interface's MAC, lower case; None without one."""
    mac = dev.find("mac")
    return mac.get("address").strip().lower() if mac is not None and mac.get("address") else None


def macs(root):
    """The MACs of a definition's interfaces."""
    container = root.find("devices")
    return {m for m in (mac_of(d) for d in (container.iter("interface") if container is not None else [])) if m}


def identity(dev, shared_macs):
    """What names a device across two definitions, before ordinals."""
    tag = dev.tag
    if tag == "disk":
        target = dev.find("target")
        return f"disk[{target.get('dev') if target is not None else ''}]"
    if tag == "interface":
        mac = mac_of(dev)
        return f"interface[{mac}]" if mac in shared_macs else "interface"
    if tag == "controller":
        model = dev.get("model", "")
        companion = model if model.startswith("ich9-") else ""
        key = f"{dev.get('type', '')}#{dev.get('index', '0')}"
        return f"controller[{key}{'/' + companion if companion else ''}]"
    if tag == "hostdev":
        return f"hostdev[{dev.get('type', '')} {source_address(dev)}]"
    if tag == "input":
        return f"input[{dev.get('type', '')}/{dev.get('bus', '')}]"
    if tag == "channel":
        target = dev.find("target")
        if target is not None:
            return f"channel[{target.get('type', '')}:{target.get('name', '')}]"
    if tag == "filesystem":
        target = dev.find("target")
        return f"filesystem[{target.get('dir', '') if target is not None else ''}]"
    if tag == "shmem":
        return f"shmem[{dev.get('name', '')}]"
    if tag == "memory":
        return f"memory[{dev.get('model', '')}]"
    return tag


def devices(root, ignore, shared_macs):
    """{identity#ordinal: element} in document order."""
    found = {}
    seen = {}
    container = root.find("devices")
    for dev in (list(container) if container is not None else []):
        if not isinstance(dev.tag, str) or dev.tag in NOT_DEVICES or dev.tag in ignore:
            continue
        key = identity(dev, shared_macs)
        n = seen.get(key, 0)
        seen[key] = n + 1
        found[f"{key}#{n}"] = dev
    return found


def child_attr(dev, path, attr):
    node = dev.find(path)
    return node.get(attr) if node is not None else None


def properties(dev):
    """The guest-visible settings of a device other than its address."""
    tag = dev.tag
    props = {"model": dev.get("model")}
    if tag == "controller":
        props["model name"] = child_attr(dev, "model", "name")
        for attr in CONTROLLER_TARGET:
            value = child_attr(dev, "target", attr)
            props[f"target {attr}"] = number(value) if value is not None else None
        props["master startport"] = child_attr(dev, "master", "startport")
    elif tag == "disk":
        props["device"] = dev.get("device", "disk")
        props["target bus"] = child_attr(dev, "target", "bus")
    elif tag in CHARDEVS:
        props["target type"] = child_attr(dev, "target", "type")
        port = child_attr(dev, "target", "port")
        props["target port"] = number(port) if port is not None else None
        props["target model"] = child_attr(dev, "target/model", "name")
    else:
        props["model type"] = child_attr(dev, "model", "type")
    return props


def show(key):
    return key[:-2] if key.endswith("#0") else key


def compare(expected, actual, ignore=frozenset()):
    """Every difference between two parsed definitions, as lines."""
    out = []
    for attr in ("machine", "arch"):
        e = child_attr(expected, "os/type", attr)
        a = child_attr(actual, "os/type", attr)
        if e != a:
            out.append(f"machine: {attr} {e!r} expected, {a!r} found")
    shared_macs = macs(expected) & macs(actual)
    want, got = devices(expected, ignore, shared_macs), devices(actual, ignore, shared_macs)
    for key, dev in want.items():
        other = got.get(key)
        if other is None:
            out.append(f"{show(key)}: missing")
            continue
        e, a = address(dev), address(other)
        if e != a:
            out.append(f"{show(key)}: address {e} expected, {a} found")
        ep, ap = properties(dev), properties(other)
        for name in ep:
            if ep[name] != ap[name]:
                out.append(f"{show(key)}: {name} {ep[name]!r} expected, {ap[name]!r} found")
    out += [f"{show(key)}: extra" for key in got if key not in want]
    return out


def compare_texts(expected_text, actual_text, ignore=frozenset()):
    """compare() on two documents; a parse error is one difference."""
    try:
        expected = ET.fromstring(expected_text)
    except ET.ParseError as e:
        return [f"expected: not XML: {e}"]
    try:
        actual = ET.fromstring(actual_text)
    except ET.ParseError as e:
        return [f"actual: not XML: {e}"]
    return compare(expected, actual, ignore)


def compare_files(expected_path, actual_path, ignore=frozenset()):
    with open(expected_path, encoding="utf-8") as e, open(actual_path, encoding="utf-8") as a:
        return compare_texts(e.read(), a.read(), ignore)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--ignore", default="", help="device element names left out, comma-separated")
    args = ap.parse_args()
    ignore = frozenset(t for t in args.ignore.split(",") if t)
    try:
        diffs = compare_files(args.expected, args.actual, ignore)
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for line in diffs:
        print(line)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
