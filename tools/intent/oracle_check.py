#!/usr/bin/env python3
"""Feeds guestaddr outputs to libvirt (9.0 and 11.3) and keeps its answers.

For each OUT.xml given: libvirt-assign of it under each oracle, stored beside
it as libvirt-9.0.xml / libvirt-11.3.xml in the case folder; prints for each
whether libvirt accepted it, kept every PCI address and kept guestaddr's
<metadata>. Run by hand where the oracles run (see the brief); the tests read
only the stored answers.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ORACLES = {
    "9.0": None,
    "11.3": "qemu+unix:///system?socket=/srv/libvirt-next/run/libvirt/libvirt-sock",
}


from intent_checks import metadata as ours, pci_addresses as addresses  # noqa: E402


def main():
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/tools/libvirt-assign")
    bad = 0
    for case in sys.argv[1:]:
        out = os.path.join(case, "output.xml")
        mine = ET.parse(out).getroot()
        for version, uri in ORACLES.items():
            env = dict(os.environ)
            if uri:
                env["LIBVIRT_ASSIGN_URI"] = uri
            r = subprocess.run([tool, out], capture_output=True, text=True, env=env)
            dest = os.path.join(case, "libvirt-%s.xml" % version)
            if r.returncode != 0:
                with open(dest, "w") as f:
                    f.write("<!-- refused: %s -->\n" % r.stderr.strip().replace("--", "- -"))
                print("%s libvirt %s: REFUSED %s" % (case, version, r.stderr.strip()))
                bad += 1
                continue
            with open(dest, "w") as f:
                f.write(r.stdout)
            theirs = ET.fromstring(r.stdout)
            same = addresses(theirs) == addresses(mine)
            kept = ours(theirs) == ours(mine)
            print("%s libvirt %s: accepted, addresses %s, metadata %s" % (
                case, version, "unchanged" if same else "CHANGED", "kept" if kept else "CHANGED"))
            bad += not (same and kept)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
