#!/usr/bin/env python3
"""The rule stamp, --libvirt/--qemu/--restamp/--verbose and upgrade-check.

Usage: rules_test.py GUESTADDR SHARED_DIR. Prints 'N passed, M failed'.
"""
import json
import os
import subprocess
import sys
import tempfile

GUESTADDR = sys.argv[1]
SHARED = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")

Q35 = """<domain type='kvm'><name>g</name><uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid><memory>1048576</memory>
<os><type arch='x86_64' machine='q35'>hvm</type></os>
<devices><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>
<serial type='pty'/><console type='pty'><target type='virtio'/></console></devices></domain>"""

results = []


def run(*args, stdin=None):
    return subprocess.run([GUESTADDR, *args], input=stdin, capture_output=True, text=True)


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


with tempfile.TemporaryDirectory() as tmp:
    src = write(tmp, "in.xml", Q35)
    # First assign writes the stamp of the rules and QEMU it used.
    r = run("assign", "--libvirt", "9.0", "--qemu", "7.2", src)
    check("first assign stamps 9.0/7.2", r.returncode == 0 and "<guestaddr:rules libvirt='9.0' qemu='7.2'/>" in r.stdout
          and "pc-q35-7.2" in r.stdout and "itco" not in r.stdout, r.stderr + r.stdout[:400])
    old = write(tmp, "old.xml", r.stdout)
    # Later runs follow the stamp, whatever the defaults are.
    r = run("assign", old)
    check("stamp honoured without flags", r.returncode == 0 and "pc-q35-7.2" in r.stdout and "itco" not in r.stdout,
          r.stderr)
    r = run("assign", "--qemu", "10.0", old, "--verbose")
    check("stamp's rules with another QEMU, and --verbose says why",
          r.returncode == 0 and "itco" not in r.stdout and "libvirt 9.0, from the definition's stamp" in r.stderr
          and "QEMU 10.0" in r.stderr, r.stderr)
    # Another --libvirt is refused without --restamp.
    r = run("assign", "--libvirt", "11.3", old)
    check("other --libvirt refused", r.returncode == 1 and r.stdout == "" and "--restamp" in r.stderr, r.stderr)
    nic = write(tmp, "nic.xml", "<interface type='user'><mac address='52:54:00:00:00:09'/><model type='virtio'/></interface>")
    r = run("attach", "--libvirt", "11.3", old, nic)
    check("attach refuses other --libvirt", r.returncode == 1 and "--restamp" in r.stderr, r.stderr)
    r = run("attach", old, nic)
    check("attach follows the stamp", r.returncode == 0 and "libvirt='9.0'" in r.stdout and "itco" not in r.stdout,
          r.stderr)
    # --restamp moves it and reports every guest-visible change.
    r = run("assign", "--libvirt", "11.3", "--qemu", "10.0", "--restamp", old)
    check("restamp moves and reports", r.returncode == 0 and "libvirt='11.3' qemu='10.0'" in r.stdout
          and "guest-visible change" in r.stderr and "watchdog" in r.stderr and "target port 0 becomes 1" in r.stderr,
          r.stderr)
    # A fresh q35 guest under 11.3: pc-q35-10.0 and the iTCO watchdog.
    r = run("assign", "--libvirt", "11.3", "--qemu", "10.0", src)
    check("11.3 rules on 10.0", r.returncode == 0 and "pc-q35-10.0" in r.stdout and "model='itco'" in r.stdout, r.stderr)
    r = run("assign", "--libvirt", "10.1", src)
    check("unknown libvirt refused", r.returncode == 1 and "10.1" in r.stderr and "9.0, 11.3" in r.stderr, r.stderr)
    r = run("assign", "--qemu", "8.2", src)
    check("unknown QEMU version refused", r.returncode == 1 and "8.2" in r.stderr, r.stderr)
    # upgrade-check: one line per change, a summary, exit status and JSON.
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", old)
    check("upgrade-check lists changes", r.returncode == 1 and "guest-visible change" in r.stdout
          and "1 definitions for libvirt 11.3 + QEMU 10.0: 0 unchanged, 1 changed, 0 refused" in r.stdout, r.stdout)
    r = run("upgrade-check", "--libvirt", "9.0", "--qemu", "7.2", old)
    check("upgrade-check to the same host: no change", r.returncode == 0 and "no guest-visible change" in r.stdout,
          r.stdout)
    empty_usb = write(tmp, "usb.xml", Q35.replace("<serial", "<disk type='file' device='disk'><target dev='sda' bus='usb'/></disk><serial"))
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json", empty_usb, old)
    try:
        j = json.loads(r.stdout)
        ok = r.returncode == 1 and j["summary"] == {"unchanged": 0, "changed": 1, "refused": 1} \
            and not j["definitions"][1]["accepted"] and "USB disk" in j["definitions"][1]["refusal"]
    except (ValueError, KeyError, IndexError):
        ok = False
    check("upgrade-check --json, a refusal", ok, r.stdout)

# upgrade-check's verdicts over what libvirt 9.0 stored, against libvirt 11.3's.
for folder in ("stored-9.0-x86", "stored-9.0-other"):
    corpus = os.path.join(SHARED, "conformance-next", folder)
    if not os.path.isdir(corpus):
        continue
    cases = sorted(n for n in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, n, "input.xml")))
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json",
            *[os.path.join(corpus, n, "input.xml") for n in cases])
    verdicts = json.loads(r.stdout)["definitions"]
    agree = sum(v["accepted"] == os.path.isfile(os.path.join(corpus, n, "expected.xml")) for n, v in zip(cases, verdicts))
    check(f"upgrade-check agrees with libvirt 11.3 on {folder} ({agree}/{len(cases)})", agree >= 0.98 * len(cases),
          f"{agree}/{len(cases)}")

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
