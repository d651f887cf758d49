#!/usr/bin/env python3
"""Show libvirt 9.0's verdict on catalogue cases, to set their expectations.

    probe_libvirt.py [NAME...]     (needs ../shared/tools/setup-libvirt-oracle)

Prints, per case, ACCEPT or REJECT and libvirt's message. Cases made by a
setup function or read from standard input are skipped.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogue import CATALOGUE  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LIBVIRT_ASSIGN = os.environ.get("LIBVIRT_ASSIGN", os.path.join(HERE, "..", "..", "..", "shared", "tools", "libvirt-assign"))


def verdict(case):
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(case.text.encode() if isinstance(case.text, str) else case.text)
        f.flush()
        r = subprocess.run([LIBVIRT_ASSIGN, f.name], capture_output=True, timeout=600)
    if r.returncode == 0:
        return "ACCEPT", r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace").splitlines()
    return "REJECT", " | ".join(line for line in err if "Failed to define" not in line)[:400]


def main(names):
    for case in CATALOGUE:
        if (names and case.name not in names) or case.text is None or case.stdin:
            continue
        tag, detail = verdict(case)
        print(f"{case.name}: {tag} {detail if tag == 'REJECT' else ''}")
        if tag == "ACCEPT" and "-v" in os.environ.get("PROBE_FLAGS", ""):
            print(detail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
