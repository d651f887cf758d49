#!/usr/bin/env python3
"""Placement by intent: the cases of tests/conformance/intent-cases.

Each case folder has `steps` (guestaddr command lines; `{prev}` is the file the
previous step wrote), the inputs they name, `output.xml` (what the last step
prints) and libvirt's answers to it (libvirt-9.0.xml, libvirt-11.3.xml, made by
tools/intent/oracle_check.py). Each case's first step names the rules (the
stamp carries them to the later steps). For each case this checks that:
  - guestaddr prints output.xml again, byte for byte;
  - libvirt accepted it and kept every PCI address and guestaddr's <metadata>:
    both libvirts under 9.0's rules, 11.3 under its own;
  - every device with a preference satisfies it, and the hotplug policy holds;
  - removing the address of every device with a preference and assigning
    again puts each back where it was.
Then the refusals: each error case exits 1 naming the device and the reason.
Prints "N passed, M failed".
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "intent"))
import intent_checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NAMESPACE = "https://guestaddr.dev/xmlns/domain/1"
CASES = os.path.join(HERE, "intent-cases")


def run(guestaddr, args, cwd):
    return subprocess.run([guestaddr] + args, capture_output=True, text=True, cwd=cwd)


def run_steps(guestaddr, case, tmp):
    prev = None
    out = ""
    for n, line in enumerate(open(os.path.join(case, "steps")).read().split("\n")):
        if not line.strip():
            continue
        args = [a.replace("{prev}", prev or "") for a in line.split()]
        r = run(guestaddr, args, case)
        if r.returncode != 0:
            raise AssertionError("step %r failed: %s" % (line, r.stderr))
        prev = os.path.join(tmp, "step%d.xml" % n)
        with open(prev, "w") as f:
            f.write(r.stdout)
        out = r.stdout
    return out, prev


def check_case(guestaddr, case):
    with tempfile.TemporaryDirectory() as tmp:
        out, last = run_steps(guestaddr, case, tmp)
        expected = open(os.path.join(case, "output.xml")).read()
        assert out == expected, "output differs from output.xml"
        mine = ET.fromstring(out)
        for version in libvirts_that_must_accept(mine):
            text = open(os.path.join(case, "libvirt-%s.xml" % version)).read()
            assert not text.startswith("<!-- refused"), "libvirt %s refused it: %s" % (version, text)
            theirs = ET.fromstring(text)
            assert intent_checks.pci_addresses(theirs) == intent_checks.pci_addresses(mine), \
                "libvirt %s moved an address" % version
            assert intent_checks.metadata(theirs) == intent_checks.metadata(mine), \
                "libvirt %s changed guestaddr's metadata" % version
        intent_checks.check_preferences(mine)
        intent_checks.check_policy(mine, capacity_of(guestaddr, last))
        stripped = os.path.join(tmp, "stripped.xml")
        with open(stripped, "w") as f:
            f.write(intent_checks.without_preferred_addresses(out))
        again = run(guestaddr, ["assign", stripped], case)
        assert again.returncode == 0, again.stderr
        assert intent_checks.pci_addresses(ET.fromstring(again.stdout)) == intent_checks.pci_addresses(mine), \
            "removing the addresses and assigning again moved a device"


def libvirts_that_must_accept(definition):
    """Both libvirts for a guest under 9.0's rules (11.3 takes what 9.0
    made); only 11.3 for one under 11.3's, whose machine types and devices
    (pc-q35-10.0, the implicit itco watchdog) libvirt 9.0 with QEMU 7.2 lacks."""
    stamp = definition.find("metadata/{%s}guestaddr/{%s}rules" % (NAMESPACE, NAMESPACE))
    return ("11.3",) if stamp is not None and stamp.get("libvirt") == "11.3" else ("9.0", "11.3")


def capacity_of(guestaddr, path):
    r = subprocess.run([guestaddr, "assign", path, "--verbose"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return intent_checks.parse_capacity(r.stderr)


NUMA = """<cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/><cell id='1' cpus='1' memory='524288' unit='KiB'/></numa></cpu>"""


def domain(machine, devices, arch="x86_64", numa=True, acpi=True):
    return ("<domain type='qemu'><name>e</name><memory unit='KiB'>1048576</memory><vcpu>2</vcpu>"
            "<os><type arch='%s' machine='%s'>hvm</type></os>%s%s<devices>%s</devices></domain>"
            % (arch, machine, "<features><acpi/></features>" if acpi else "", NUMA if numa else "", devices))


def nic(prefer, mac="52:54:00:00:00:01", model="virtio", extra=""):
    p = "<guestaddr:prefer %s/>" % prefer if prefer else ""
    return "<interface type='user'><mac address='%s'/><model type='%s'/>%s%s</interface>" % (mac, model, extra, p)


# name, definition, arguments, what the error must say
ERRORS = [
    ("numa-node-missing", domain("q35", nic("numa='3'")), [], ["interface 52:54:00:00:00:01", "no NUMA node 3"]),
    ("numa-no-cells", domain("q35", nic("numa='0'"), numa=False), [], ["interface 52:54:00:00:00:01", "no NUMA node 0"]),
    ("numa-pseries", domain("pseries", nic("numa='0'"), arch="ppc64"), [], ["no PCI expander buses"]),
    ("hotplug-no-with-pcie", domain("q35", nic("hotplug='no' bus='pcie'")), [], ["hotplug='no'", "bus='pcie'"]),
    ("hotplug-no-with-pci", domain("q35", nic("hotplug='no' bus='pci'")), [], ["hotplug='no'", "bus='pci'"]),
    ("hotplug-no-with-numa", domain("q35", nic("hotplug='no' numa='1'")), [], ["hotplug='no'", "numa='1'"]),
    ("pcie-on-pc", domain("pc", nic("bus='pcie'")), [], ["bus='pcie'", "no PCI Express buses"]),
    ("bad-value", domain("q35", nic("bus='isa'")), [], ["bus='isa' must be 'pci' or 'pcie'"]),
    ("unknown-preference", domain("q35", nic("slot='3'")), [], ["unknown placement preference 'slot'"]),
    ("no-identity", domain("q35", "<rng model='virtio'><backend model='random'>/dev/urandom</backend><guestaddr:prefer bus='pci'/></rng>"),
     [], ["rng", "alias"]),
    ("names-integrated", domain("q35", nic("hotplug='no'")), ["--stable-nic-names"],
     ["interface 52:54:00:00:00:01", "ACPI PCI hotplug", "pcie-root"]),
    ("names-virt", domain("virt", nic(""), arch="aarch64", acpi=False), ["--stable-nic-names"], ["ACPI"]),
    ("names-no-acpi", domain("pc", nic(""), acpi=False), ["--stable-nic-names"], ["<features><acpi/>"]),
    ("names-duplicate", domain("q35", nic("", extra="<acpi index='2'/>") + nic("", mac="52:54:00:00:00:02", extra="<acpi index='2'/>")),
     [], ["non unique 'acpi index' 2"]),
    ("names-range", domain("q35", nic("", extra="<acpi index='16384'/>")), [], ["not in range"]),
]


def check_error(guestaddr, definition, args, words):
    with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
        f.write(definition.replace("<guestaddr:prefer", "<guestaddr:prefer xmlns:guestaddr='https://guestaddr.dev/xmlns/domain/1'"))
        f.flush()
        r = subprocess.run([guestaddr, "assign", f.name] + args, capture_output=True, text=True)
    assert r.returncode == 1, "exit %d, stderr %r" % (r.returncode, r.stderr)
    assert r.stdout == "", "partial output"
    for w in words:
        assert w in r.stderr, "%r not in %r" % (w, r.stderr)


PCIE_PREFERENCES = ["", "hotplug=no", "bus=pci", "bus=pcie", "numa=0", "numa=1", "hotplug=yes", "hotplug=yes,numa=1"]
PCI_PREFERENCES = ["", "bus=pci", "numa=0", "numa=1", "hotplug=yes", "hotplug=yes,numa=0"]

# (machine, arch, rules, seed): each machine family under both rule tables.
SEQUENCES = [
    ("q35", "x86_64", ["--libvirt", "9.0", "--qemu", "7.2"], 1),
    ("q35", "x86_64", ["--libvirt", "11.3", "--qemu", "10.0"], 2),
    ("pc", "x86_64", ["--libvirt", "9.0", "--qemu", "7.2"], 3),
    ("pc", "x86_64", ["--libvirt", "11.3", "--qemu", "10.0"], 4),
    ("virt", "aarch64", ["--libvirt", "9.0", "--qemu", "7.2"], 5),
    ("virt", "aarch64", ["--libvirt", "11.3", "--qemu", "10.0"], 6),
]


def property_sequence(guestaddr, machine, arch, rules, seed, steps=60):
    """Random cold attach/detach with random preferences under a capacity
    policy: nothing moves, every preference and the policy hold after each step."""
    import random
    rng = random.Random(seed)
    prefs = PCI_PREFERENCES if machine == "pc" else PCIE_PREFERENCES
    with tempfile.TemporaryDirectory() as tmp:
        guest = os.path.join(tmp, "guest.xml")
        with open(guest, "w") as f:
            f.write(domain(machine, nic("numa='1'"), arch=arch, acpi=arch == "x86_64").replace("<guestaddr:prefer",
                    "<guestaddr:prefer xmlns:guestaddr='https://guestaddr.dev/xmlns/domain/1'"))
        r = run(guestaddr, ["assign", *rules, guest, "--keep-free-hotplug", "2", "-o", guest], tmp)
        assert r.returncode == 0, r.stderr
        attached = []
        for step in range(steps):
            before = intent_checks.pci_addresses(ET.parse(guest).getroot())
            dev = os.path.join(tmp, "dev.xml")
            if attached and rng.random() < 0.35:
                mac = attached.pop(rng.randrange(len(attached)))
                with open(dev, "w") as f:
                    f.write(nic("", mac=mac))
                r = run(guestaddr, ["detach", guest, dev, "--in-place"], tmp)
                before.pop("interface " + mac)
            else:
                mac = "52:54:00:77:%02x:%02x" % (step >> 8, step & 0xFF)
                with open(dev, "w") as f:
                    f.write(nic("", mac=mac, model=rng.choice(["virtio", "e1000e", "e1000"])))
                prefer = rng.choice(prefs)
                r = run(guestaddr, ["attach", guest, dev, "--in-place"] + (["--prefer", prefer] if prefer else []), tmp)
                attached.append(mac)
            assert r.returncode == 0, "step %d: %s" % (step, r.stderr)
            root = ET.parse(guest).getroot()
            after = intent_checks.pci_addresses(root)
            moved = [k for k, v in before.items() if after.get(k) != v]
            assert not moved, "step %d moved %s" % (step, moved)
            intent_checks.check_preferences(root)
            intent_checks.check_policy(root, capacity_of(guestaddr, guest))


def main():
    guestaddr = os.path.abspath(sys.argv[1])
    passed = failed = 0
    tests = [(c, lambda c=c: check_case(guestaddr, os.path.join(CASES, c))) for c in sorted(os.listdir(CASES))]
    tests += [("error." + n, lambda d=d, a=a, w=w: check_error(guestaddr, d, a, w)) for n, d, a, w in ERRORS]
    tests += [("property.%s-%s-libvirt-%s" % (machine, arch, rules[1]),
               lambda args=(machine, arch, rules, seed): property_sequence(guestaddr, *args))
              for machine, arch, rules, seed in SEQUENCES]
    for name, test in tests:
        try:
            test()
            passed += 1
            print("ok", name)
        except AssertionError as e:
            failed += 1
            print("FAIL", name, e)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
