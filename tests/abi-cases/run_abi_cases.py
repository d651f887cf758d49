#!/usr/bin/env python3
"""`guestaddr check-abi` against libvirt 9.0's guest ABI verdicts.

Each folder holds old.xml, new.xml and verdict.txt (record.sh): libvirt's
"compatible", or "incompatible" and its message, which names the first
difference it found. A case passes when guestaddr agrees: exit 0 for a
compatible one; for an incompatible one exit 3 with, among the differences
it lists, one of the kind libvirt names (or exit 1, a refused NEW, where
libvirt refused NEW itself rather than compare it). Prints each failure,
then 'N passed, M failed'; exits 1 on any failure.
"""

import json
import os
import re
import subprocess
import sys

# libvirt's message -> what one of guestaddr's lines must say.
KINDS = [
    (r"address", r": address "),
    (r"network card mac", r"interface .*(only|order)"),
    (r"Target disk \S+ does not match", r"disk .*only"),
    (r"channel name", r"channel .*only"),
    (r"count", r"only$"),
    (r"disk serial", r": serial "),
    (r"disk device", r": device "),
    (r"input device type", r": type "),
    (r"machine type", r"^machine "),
    (r"vCPU", r"vcpus "),
    (r"current memory", r"^current memory "),
    (r"max memory", r"^memory "),
    (r"feature", r"^features "),
    (r"vram", r": vram "),
    (r"controller type", r"^controller "),
    (r"model", r": model "),
]


# The verdicts are libvirt 9.0's, with QEMU 7.2.
RULES = ["--libvirt", "9.0", "--qemu", "7.2"]


def expected_kind(message):
    for libvirt, ours in KINDS:
        if re.search(libvirt, message):
            return ours
    return None


def json_agrees(guestaddr, case, text):
    """--json tells the same differences as the text, one object each."""
    r = subprocess.run([guestaddr, "check-abi", *RULES, "--json", os.path.join(case, "old.xml"),
                        os.path.join(case, "new.xml")],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != text.returncode:
        return False
    if r.returncode == 1:
        return r.stdout == ""
    answer = json.loads(r.stdout)
    return (answer["schema"] == "guestaddr/check-abi/1" and answer["compatible"] == (r.returncode == 0)
            and [d["message"] for d in answer["differences"]] == text.stdout.splitlines())


def judge(guestaddr, case):
    verdict = open(os.path.join(case, "verdict.txt")).read().splitlines()
    r = subprocess.run([guestaddr, "check-abi", *RULES, os.path.join(case, "old.xml"), os.path.join(case, "new.xml")],
                       capture_output=True, text=True, timeout=60)
    if not json_agrees(guestaddr, case, r):
        return False, "--json does not tell what the text tells"
    if verdict[0] == "compatible":
        return r.returncode == 0, f"exit {r.returncode}: {r.stdout.strip()} {r.stderr.strip()}"
    message = " ".join(verdict[1:])
    compares = re.search(r"Target|State of feature", message)
    if not compares:  # libvirt refused NEW before comparing
        return r.returncode in (1, 3), f"accepted NEW, which libvirt refuses: {message}"
    if r.returncode != 3:
        return False, f"exit {r.returncode} where libvirt says: {message}"
    kind = expected_kind(message)
    found = any(re.search(kind, line) for line in r.stdout.splitlines()) if kind else True
    return found, f"no difference like '{kind}' for libvirt's: {message}\n{r.stdout}"


def main():
    guestaddr, root = sys.argv[1], sys.argv[2]
    passed = failed = 0
    for name in sorted(os.listdir(root)):
        case = os.path.join(root, name)
        if not os.path.isfile(os.path.join(case, "verdict.txt")):
            continue
        ok, why = judge(guestaddr, case)
        passed += ok
        failed += not ok
        if not ok:
            print(f"FAIL {name}: {why}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
