#!/usr/bin/env python3
"""`--qemu PATH` against the built-in table of the same QEMU: `guestaddr
assign` gives the same bytes (output, errors, exit status) with the binary's
own capabilities as with the table generated from it, on every corpus case
the binary's arch runs. Then the cache: a second run starts no QEMU. Then a
QEMU without its SPICE module refuses qxl and SPICE as libvirt does.

Usage: probe_vs_builtin.py GUESTADDR CORPUS_DIR...   (exits 77 without QEMU)
QEMU 10.0: GUESTADDR_QEMU_10 or tests/qemu/install-qemu-10.sh's folder.
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

GUESTADDR = sys.argv[1]
CORPORA = sys.argv[2:]
QEMU_10 = os.environ.get("GUESTADDR_QEMU_10", "/opt/guestaddr/qemu-10.0/bin/qemu-system-x86_64")
QEMU_10_BIN = os.path.dirname(QEMU_10)
QEMU_10_NOSPICE = os.path.join(os.path.dirname(QEMU_10_BIN), "nospice", "bin", "qemu-system-x86_64")

# The emulator that runs each arch's guests.
EMULATORS = {"x86_64": "qemu-system-x86_64", "i686": "qemu-system-x86_64", "aarch64": "qemu-system-aarch64",
             "armv7l": "qemu-system-arm", "ppc64": "qemu-system-ppc64", "ppc64le": "qemu-system-ppc64",
             "riscv64": "qemu-system-riscv64", "s390x": "qemu-system-s390x"}
# The binary that runs each arch's guests, per QEMU version.
BINARIES = {
    "7.2": {arch: os.path.join("/usr/bin", name) for arch, name in EMULATORS.items()},
    "10.0": {arch: os.path.join(QEMU_10_BIN, name) for arch, name in EMULATORS.items()},
}


def run(*args, env=None):
    r = subprocess.run([GUESTADDR, *args], capture_output=True, env=env, timeout=120)
    return r.returncode, r.stdout, r.stderr


def arch_of(path):
    with open(path, "rb") as f:
        m = re.search(rb"<type[^>]*\barch=['\"]([^'\"]+)", f.read())
    return m.group(1).decode() if m else "x86_64"


def compare(version, cases, env):
    runnable = [(case, BINARIES[version].get(arch_of(case))) for case in cases]
    runnable = [(case, binary) for case, binary in runnable if binary and os.access(binary, os.X_OK)]
    skipped = len(cases) - len(runnable)
    for binary in sorted({binary for _, binary in runnable}):  # probe each binary once, before the threads
        run("assign", runnable[0][0], "--qemu", binary, env=env)

    def agrees(item):
        case, binary = item
        return run("assign", case, "--qemu", binary, env=env) == run("assign", case, "--qemu", version, env=env)

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(agrees, runnable))
    same = results.count(True)
    differ = [case for (case, _), ok in zip(runnable, results) if not ok]
    print(f"QEMU {version}: {same} cases the same, {len(differ)} differ, {skipped} of arches not installed")
    for case in differ[:20]:
        print(f"  differs: {case}")
    return same, differ


def count_starts(env, workdir):
    """A wrapper that logs every start: two runs, one QEMU start."""
    log = os.path.join(workdir, "starts.log")
    wrapper = os.path.join(workdir, "qemu-system-x86_64")
    with open(wrapper, "w") as f:
        f.write(f"#!/bin/sh\necho started >> {log}\nexec /usr/bin/qemu-system-x86_64 \"$@\"\n")
    os.chmod(wrapper, 0o755)
    case = os.path.join(workdir, "guest.xml")
    with open(case, "w") as f:
        f.write("<domain type='qemu'><name>g</name><memory>65536</memory>"
                "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>")
    first = run("assign", case, "--qemu", wrapper, env=env)
    second = run("assign", case, "--qemu", wrapper, env=env)
    with open(log) as f:
        starts = len(f.readlines())
    print(f"cache: {starts} QEMU start(s) for two runs")
    return first == second and first[0] == 0 and starts == 1


def nospice_refusals(env, workdir):
    """Debian's QEMU 10.0 without qemu-system-modules-spice, as libvirt 11.3 refuses on it."""
    expected = {
        "<video><model type='qxl'/></video>": "domain configuration does not support video model 'qxl'",
        "<graphics type='spice'/>": "spice graphics are not supported with this QEMU",
    }
    ok = True
    for devices, words in expected.items():
        case = os.path.join(workdir, "nospice.xml")
        with open(case, "w") as f:
            f.write("<domain type='qemu'><name>g</name><memory>65536</memory>"
                    f"<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>{devices}</devices></domain>")
        rc, out, err = run("assign", case, "--qemu", QEMU_10_NOSPICE, "--libvirt", "11.3", env=env)
        good = rc == 1 and out == b"" and words in err.decode()
        rc_full = run("assign", case, "--qemu", QEMU_10, "--libvirt", "11.3", env=env)[0]
        print(f"without SPICE module: {devices} -> exit {rc}: {err.decode().strip()}; with it: exit {rc_full}")
        ok = ok and good and rc_full == 0
    return ok


def main():
    if not os.access(BINARIES["7.2"]["x86_64"], os.X_OK):
        print("skipped: qemu-system-x86_64 is not installed")
        return 77
    cases = sorted(p for corpus in CORPORA for p in glob.glob(os.path.join(corpus, "**", "input.xml"), recursive=True))
    if not cases:
        print("skipped: no corpus")
        return 77
    with tempfile.TemporaryDirectory() as workdir:
        env = dict(os.environ, XDG_CACHE_HOME=workdir)
        ok = True
        missing = []
        for version in ("7.2", "10.0"):
            if not os.access(BINARIES[version]["x86_64"], os.X_OK):
                print(f"QEMU {version} is not installed (tests/qemu/install-qemu-10.sh): not compared")
                missing.append(version)
                continue
            same, differ = compare(version, cases, env)
            ok = ok and same > 0 and not differ
        ok = count_starts(env, workdir) and ok
        if os.access(QEMU_10_NOSPICE, os.X_OK):
            ok = nospice_refusals(env, workdir) and ok
    if ok and missing:
        print(f"skipped: QEMU {', '.join(missing)} not installed (run tests/qemu/install-qemu-10.sh as root); "
              "what could run passed")
        return 77
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
