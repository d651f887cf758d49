#!/usr/bin/env python3
"""Attach and detach compared with libvirt 9.0's attach-device / detach-device --config.

Each folder of attach-cases/ holds domain.xml (libvirt's stored domain),
device.xml, op ("attach" or "detach") and libvirt's verdict: expected.xml
(the stored domain after the operation) or expected-error.txt. Prints each
failure, then 'N passed, M failed'; exits 1 below --min-pass.
"""

import argparse
import os
import subprocess
import sys

import domain_compare


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestaddr", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--min-pass", type=float, required=True)
    args = ap.parse_args()
    passed = failed = 0
    for name in sorted(os.listdir(args.cases)):
        case = os.path.join(args.cases, name)
        op = open(os.path.join(case, "op")).read().strip()
        r = subprocess.run([args.guestaddr, op, "--libvirt", "9.0", "--qemu", "7.2", os.path.join(case, "domain.xml"), os.path.join(case, "device.xml")],
                           capture_output=True, text=True)
        expected_xml = os.path.join(case, "expected.xml")
        if os.path.exists(expected_xml):
            if r.returncode != 0:
                ok, why = False, f"refused: {r.stderr.strip()}"
            else:
                with open(expected_xml, encoding="utf-8") as f:
                    diffs = domain_compare.compare_texts(f.read(), r.stdout)
                ok, why = not diffs, "; ".join(diffs)
        else:
            ok, why = r.returncode != 0 and r.stderr.strip() != "", "accepted what libvirt refuses"
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {why}")
    print(f"{passed} passed, {failed} failed")
    return 0 if passed / max(1, passed + failed) >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
