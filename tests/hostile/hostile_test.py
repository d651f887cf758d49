#!/usr/bin/env python3
"""Run the hostile-input catalogue (catalogue.py) against the guestaddr command.

    hostile_test.py GUESTADDR              every case
    hostile_test.py GUESTADDR --case NAME  one case (what ctest runs)
    hostile_test.py --list                 the case names
    hostile_test.py --xmllint              check the xmllint verdicts the catalogue keeps

A case passes when the command finishes in time, neither crashes nor trips
a sanitizer, and gives exactly the outcome the catalogue expects.
"""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogue import CATALOGUE, Accepted, Refused  # noqa: E402

# A sanitizer report must never pass for "refused with status 1".
SANITIZER_ENV = {
    "ASAN_OPTIONS": "exitcode=86:detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "exitcode=87:halt_on_error=1:print_stacktrace=1",
}
SANITIZER_MARKS = ("Sanitizer", "runtime error:")
ERROR_PREFIX = "guestaddr: error: "


def prepare(case, workdir):
    """The input path (or None for standard input) and the command's arguments."""
    if case.setup:
        path = case.setup(workdir)
    else:
        path = os.path.join(workdir, "in.xml")
        data = case.data()
        with open(path, "wb") as f:
            f.write(data)
    target = "-" if case.stdin else path
    args = [a.format(dir=workdir, **{"in": target}) for a in case.args]
    if len(args) == 1:
        args.append(target)
    return path, args


# These tests claim libvirt 9.0's and QEMU 7.2's behaviour: they name them,
# as guestaddr's default is the host's (else the newest built-in pair).
RULES_PIN = ["--libvirt", "9.0", "--qemu", "7.2"]


def pinned(args):
    args = list(args)
    return [args[0], *RULES_PIN, *args[1:]] if args and args[0] in ("assign", "validate", "argv", "attach", "detach") else args


def run(guestaddr, case):
    """Returns a complaint, or None when the case behaved as expected."""
    with tempfile.TemporaryDirectory() as workdir:
        path, args = prepare(case, workdir)
        stdin = open(path, "rb") if case.stdin else subprocess.DEVNULL
        try:
            r = subprocess.run([guestaddr, *pinned(args)], stdin=stdin, capture_output=True, timeout=case.timeout,
                               env={**os.environ, **SANITIZER_ENV})
        except subprocess.TimeoutExpired:
            return f"hang: still running after {case.timeout} s"
        finally:
            if case.stdin:
                stdin.close()
    out = r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode < 0:
        return f"crash: killed by signal {-r.returncode}\n{err[-3000:]}"
    if any(m in err for m in SANITIZER_MARKS):
        return f"sanitizer report (exit {r.returncode}):\n{err[-5000:]}"
    if isinstance(case.expect, Refused):
        return check_refused(case.expect, r.returncode, out, err)
    return check_accepted(case.expect, r.returncode, out, err)


def check_refused(expect, status, out, err):
    lines = [line for line in err.splitlines() if line.strip()]
    if status != expect.status:
        return f"exit {status}, wanted {expect.status}\nstderr: {err[:2000]}\nstdout: {out[:200]!r}"
    if out:
        return f"refused but printed {len(out)} bytes of definition: {out[:300]!r}"
    if not lines:
        return "refused without a message"
    stray = [line for line in lines if not line.startswith(ERROR_PREFIX)]
    if stray:
        return f"stderr has lines that are not errors: {stray[:3]}"
    if any("internal error" in line for line in lines):
        return f"an internal error instead of a named problem: {lines[:3]}"
    for line in lines:
        if re.search(expect.device, line, re.I) and re.search(expect.problem, line, re.I):
            return None
    return (f"no error names device /{expect.device}/ and problem /{expect.problem}/:\n"
            + "\n".join(line[:300] for line in lines[:10]))


def check_accepted(expect, status, out, err):
    if status != 0:
        return f"refused (exit {status}), wanted success:\n{err[:2000]}"
    if err:
        return f"succeeded but wrote to stderr: {err[:500]}"
    return expect.check(out)


def xmllint_verdict(data):
    """`xmllint --noout`'s verdict on the bytes: "ok", or "LINE: message" of its first error."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(data)
        f.flush()
        r = subprocess.run(["xmllint", "--noout", f.name], capture_output=True, timeout=60)
    if r.returncode == 0:
        return "ok"
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        m = re.match(r".*?:(\d+): parser error : (.*)", line)
        if m:
            return f"{m.group(1)}: {m.group(2).strip()}"
    return f"exit {r.returncode}: {r.stderr[:200]!r}"


def check_xmllint():
    """libxml2 (libvirt's parser) still gives each verdict the catalogue keeps."""
    cases = [c for c in CATALOGUE if c.xmllint]
    wrong = 0
    for case in cases:
        data = case.data()
        got = xmllint_verdict(data)
        if got != case.xmllint:
            wrong += 1
            print(f"FAIL {case.name}: xmllint says {got!r}, the catalogue {case.xmllint!r}")
    print(f"{len(cases) - wrong} of {len(cases)} xmllint verdicts agree")
    return 1 if wrong else 0


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(c.name for c in CATALOGUE))
        return 0
    if argv[1:] == ["--xmllint"]:
        return check_xmllint()
    guestaddr = argv[1]
    names = argv[argv.index("--case") + 1:] if "--case" in argv else [c.name for c in CATALOGUE]
    cases = {c.name: c for c in CATALOGUE}
    failed = []
    for name in names:
        complaint = run(guestaddr, cases[name])
        print(f"{'FAIL' if complaint else 'ok  '} {name}")
        if complaint:
            print("     " + complaint.replace("\n", "\n     "))
            failed.append(name)
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
