#!/usr/bin/env python3
"""Compare `guestaddr argv` with libvirt 9.0's QEMU command lines.

For every accepted case (one with expected-argv.txt) of the given corpora,
restricted to the architectures asked for (--arch, x86 by default), runs `guestaddr argv input.xml` and compares every
-device with libvirt's: matched by id (devices without one, such as USB
companions, by driver and order), the driver and the placement properties
must agree.

libvirt's command lines come from `virsh domxml-to-native` on the addressed
definition, and domxml-to-native rebuilds every <interface> as an 'ethernet'
one, dropping its PCI address (qemuConnectDomainXMLToNative clears the NIC),
so the NICs get addressed afresh. The comparison goes the same way: assign,
forget the NICs' addresses and types the same way, then `guestaddr argv`.
A real start keeps the NICs' addresses, and so does `guestaddr argv`.

Prints each failing case with its first differences, then
'N passed, M failed'; exits 1 below --min-pass, 77 (skipped) when no corpus
is there.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLACEMENT = ("driver", "bus", "addr", "multifunction", "port", "chassis", "chassis_nr", "bus_nr",
             "numa_node", "scsi-id", "lun", "channel", "unit", "nr",
             # CCW device numbers, spapr-vio registers, pSeries PHB indexes, zPCI ids.
             "devno", "reg", "index", "uid", "fid", "target")
ARCH_RE = re.compile(r"<type\b[^>]*\barch=['\"]([^'\"]+)['\"]")
X86 = ("x86_64", "i686")


def case_arch(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        m = ARCH_RE.search(f.read())
    return m.group(1) if m else "x86_64"  # no arch: libvirt takes the host's


def devices(lines):
    """{key: placement properties} for every -device line."""
    out, unnamed = {}, {}
    for line in lines:
        if not line.startswith("-device "):
            continue
        props = json.loads(line[len("-device "):].strip().strip("'"))
        key = props.get("id")
        if key is None:
            n = unnamed.get(props["driver"], 0)
            unnamed[props["driver"]] = n + 1
            key = f"{props['driver']}#{n}"
        # multifunction=off is QEMU's default: absent and false mean the same.
        if props.get("multifunction") is False:
            del props["multifunction"]
        out[key] = {k: props[k] for k in PLACEMENT if k in props}
    return out


def differences(expected, actual):
    diffs = []
    for key in expected.keys() | actual.keys():
        if key not in actual:
            diffs.append(f"missing -device {key} {expected[key]}")
        elif key not in expected:
            diffs.append(f"extra -device {key} {actual[key]}")
        elif expected[key] != actual[key]:
            diffs.append(f"{key}: expected {expected[key]}, got {actual[key]}")
    return sorted(diffs)


def as_domxml_to_native(assigned_xml):
    """The definition as domxml-to-native sees it: NICs are 'ethernet' ones
    with no address (model, MAC and boot order kept)."""
    root = ET.fromstring(assigned_xml)
    for nic in root.iter("interface"):
        if nic.get("type") == "hostdev":
            continue
        nic.set("type", "ethernet")
        for child in list(nic):
            if child.tag not in ("mac", "model", "boot"):
                nic.remove(child)
    return ET.tostring(root, encoding="unicode")


def run_case(guestaddr, case):
    with open(os.path.join(case, "expected-argv.txt"), encoding="utf-8") as f:
        expected = devices(f.read().splitlines())
    assigned = subprocess.run([guestaddr, "assign", "--libvirt", "9.0", "--qemu", "7.2", os.path.join(case, "input.xml")],
                              capture_output=True, text=True, timeout=120)
    if assigned.returncode != 0:
        return case, [f"guestaddr assign exited {assigned.returncode}: {assigned.stderr.strip()[:300]}"]
    with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8") as f:
        f.write(as_domxml_to_native(assigned.stdout))
        f.flush()
        # libvirt writes a command line even for what QEMU cannot start
        # (argv refuses those unless asked): it is compared all the same.
        result = subprocess.run([guestaddr, "argv", "--libvirt", "9.0", "--qemu", "7.2", f.name, "--allow-unstartable"], capture_output=True, text=True,
                                timeout=120)
    if result.returncode != 0:
        return case, [f"guestaddr argv exited {result.returncode}: {result.stderr.strip()[:300]}"]
    return case, differences(expected, devices(result.stdout.splitlines()))


def accepted_cases(corpora, arches):
    for corpus in corpora:
        for name in sorted(os.listdir(corpus)):
            case = os.path.join(corpus, name)
            if (os.path.isfile(os.path.join(case, "expected-argv.txt"))
                    and case_arch(os.path.join(case, "input.xml")) in arches):
                yield case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestaddr", required=True)
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument("--min-pass", type=float, required=True)
    ap.add_argument("--arch", action="append", help="guest architectures compared (default: x86_64 and i686)")
    ap.add_argument("--show", type=int, default=5, help="differences printed per failing case")
    args = ap.parse_args()

    corpora = [c for c in args.corpus if os.path.isdir(c)]
    cases = list(accepted_cases(corpora, tuple(args.arch or X86)))
    if not cases:
        print("skipped: no corpus with expected-argv.txt found")
        return 77
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for case, diffs in pool.map(lambda c: run_case(args.guestaddr, c), cases):
            if diffs:
                failed += 1
                print(f"FAIL {case}")
                for d in diffs[:args.show]:
                    print(f"  {d}")
                if len(diffs) > args.show:
                    print(f"  ... {len(diffs) - args.show} more")
    passed = len(cases) - failed
    print(f"{passed} passed, {failed} failed")
    rate = passed / len(cases)
    print(f"argv placement: {rate:.1%} pass (floor {args.min_pass:.0%})")
    return 0 if rate >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
