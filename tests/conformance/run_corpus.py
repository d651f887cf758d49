#!/usr/bin/env python3
"""Run guestaddr over a conformance corpus and compare with libvirt's answers.

Every case folder holds input.xml and libvirt 9.0's expected.xml or
expected-error.txt. The comparison is shared/tools/addrdiff.py's. Prints each
failure, then 'N passed, M failed'; exits 1 when the pass rate is below
--min-pass, 77 (skipped) when the corpus or addrdiff.py is not there.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARCH_RE = re.compile(r"<type\b[^>]*\barch=['\"]([^'\"]+)['\"]")


def case_arch(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        m = ARCH_RE.search(f.read())
    return m.group(1) if m else "x86_64"  # no arch: libvirt takes the host's


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestaddr", required=True)
    ap.add_argument("--addrdiff", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--min-pass", type=float, required=True)
    ap.add_argument("--arch", action="append", help="only cases of this arch (repeatable)")
    ap.add_argument("--stored", action="store_true",
                    help="feed libvirt's stored definitions (expected.xml) back in: they must come out unchanged")
    ap.add_argument("--rules", default="--libvirt 9.0 --qemu 7.2",
                    help="guestaddr's flags naming whose answers the corpus holds")
    ap.add_argument("--addrdiff-optional", action="store_true",
                    help="an in-tree corpus: skip only if addrdiff.py is missing")
    args = ap.parse_args()

    if not os.path.isfile(args.addrdiff) or not os.path.isdir(args.corpus):
        print(f"skipped: {args.addrdiff if not os.path.isfile(args.addrdiff) else args.corpus} not found")
        return 77
    cases = sorted(n for n in os.listdir(args.corpus)
                   if os.path.isfile(os.path.join(args.corpus, n, "input.xml")))
    if args.arch:
        cases = [n for n in cases if case_arch(os.path.join(args.corpus, n, "input.xml")) in args.arch]
    if not cases:
        print("skipped: no cases")
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        for n in cases:
            source = os.path.abspath(os.path.join(args.corpus, n))
            if not args.stored:
                os.symlink(source, os.path.join(tmp, n))
            elif os.path.isfile(os.path.join(source, "expected.xml")):
                os.mkdir(os.path.join(tmp, n))
                for name in ("input.xml", "expected.xml"):
                    os.symlink(os.path.join(source, "expected.xml"), os.path.join(tmp, n, name))
        cmd = [sys.executable, args.addrdiff, "--corpus", tmp, "--actual-cmd",
               f"{args.guestaddr} assign {args.rules} {{in}}", "-j", str(os.cpu_count() or 2), "--timeout", "60"]
        if args.stored:
            # libvirt itself renumbers virtio consoles when it re-reads its
            # own output (their port is their position among all consoles,
            # the serial console it added included), and so does guestaddr.
            cmd += ["--ignore", "console"]
        result = subprocess.run(cmd, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    for line in lines:
        if not line.startswith("PASS"):
            print(line)
    summary = lines[-1] if lines else ""
    m = re.match(r"(\d+) passed, (\d+) failed", summary)
    if not m:
        print(result.stderr)
        return 1
    passed, failed = int(m.group(1)), int(m.group(2))
    rate = passed / max(1, passed + failed)
    print(f"conformance {os.path.basename(os.path.normpath(args.corpus))}: {rate:.1%} pass "
          f"(floor {args.min_pass:.0%})")
    return 0 if rate >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
