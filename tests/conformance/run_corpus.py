#!/usr/bin/env python3
"""Run guestaddr over a conformance corpus and compare with libvirt's answers.

Every case folder holds input.xml and libvirt's expected.xml or
expected-error.txt. A case passes when guestaddr's definition agrees with
expected.xml on everything domain_compare.py compares, or when both refuse
the input (the message itself is not compared). Prints each failure, then
'N passed, M failed'; exits 1 when the pass rate is below --min-pass or
the corpus has no case to run.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import domain_compare

ARCH_RE = re.compile(r"<type\b[^>]*\barch=['\"]([^'\"]+)['\"]")
TIMEOUT = 60


def case_arch(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        m = ARCH_RE.search(f.read())
    return m.group(1) if m else "x86_64"  # no arch: libvirt takes the host's


def judge(guestaddr, rules, case, stored, ignore):
    """(passed, why) for one case folder."""
    expected = os.path.join(case, "expected.xml")
    given = expected if stored else os.path.join(case, "input.xml")
    try:
        r = subprocess.run([guestaddr, "assign", *rules, given], capture_output=True, text=True,
                           timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        return False, f"no answer in {TIMEOUT} s"
    if not os.path.isfile(expected):
        message = (r.stderr or r.stdout).strip()
        return (r.returncode != 0 and message != ""), "accepted what libvirt refuses"
    if r.returncode != 0:
        return False, f"refused (exit {r.returncode}): {r.stderr.strip()}"
    with open(expected, encoding="utf-8") as f:
        diffs = domain_compare.compare_texts(f.read(), r.stdout, ignore)
    diffs += lost_macs(given, r.stdout)
    return not diffs, "; ".join(diffs)


def lost_macs(given, output):
    """The MACs the input gave that the output does not keep (the comparison
    matches interfaces by a MAC only where both definitions have it)."""
    try:
        with open(given, encoding="utf-8") as f:
            wanted = domain_compare.macs(ET.fromstring(f.read()))
        kept = domain_compare.macs(ET.fromstring(output))
    except (ET.ParseError, UnicodeDecodeError, ValueError):
        return []  # compare_texts says so
    return [f"interface[{mac}]: the input's MAC not kept" for mac in sorted(wanted - kept)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestaddr", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--min-pass", type=float, required=True)
    ap.add_argument("--arch", action="append", help="only cases of this arch (repeatable)")
    ap.add_argument("--stored", action="store_true",
                    help="feed libvirt's stored definitions (expected.xml) back in: they must come out unchanged")
    ap.add_argument("--rules", default="--libvirt 9.0 --qemu 7.2",
                    help="guestaddr's flags naming whose answers the corpus holds")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    if not os.path.isdir(args.corpus):
        print(f"error: {args.corpus} not found")
        return 1
    cases = sorted(n for n in os.listdir(args.corpus)
                   if os.path.isfile(os.path.join(args.corpus, n, "input.xml")))
    if args.arch:
        cases = [n for n in cases if case_arch(os.path.join(args.corpus, n, "input.xml")) in args.arch]
    if args.stored:
        cases = [n for n in cases if os.path.isfile(os.path.join(args.corpus, n, "expected.xml"))]
    if not cases:
        print(f"error: no cases in {args.corpus}")
        return 1
    # libvirt itself renumbers virtio consoles when it re-reads its own
    # output (their port is their position among all consoles, the serial
    # console it added included), and so does guestaddr.
    ignore = frozenset({"console"}) if args.stored else frozenset()

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        verdicts = list(pool.map(lambda n: judge(args.guestaddr, args.rules.split(), os.path.join(args.corpus, n), args.stored, ignore),
                                 cases))
    passed = 0
    for name, (ok, why) in zip(cases, verdicts):
        passed += ok
        if not ok:
            print(f"FAIL {name}: {why}")
    failed = len(cases) - passed
    print(f"{passed} passed, {failed} failed")
    rate = passed / len(cases)
    print(f"conformance {os.path.basename(os.path.normpath(args.corpus))}: {rate:.1%} pass "
          f"(floor {args.min_pass:.0%})")
    return 0 if rate >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
