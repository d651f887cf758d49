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
    # Nothing the guest sees moves: its devices have addresses, its machine
    # type is kept, and q35's iTCO watchdog, now written out, was always
    # part of its chipset.
    check("restamp moves and reports", r.returncode == 0 and "libvirt='11.3' qemu='10.0'" in r.stdout
          and "model='itco'" in r.stdout and "restamp: 0 guest-visible change(s)" in r.stderr, r.stderr)
    # A fresh q35 guest under 11.3: pc-q35-10.0 and the iTCO watchdog.
    r = run("assign", "--libvirt", "11.3", "--qemu", "10.0", src)
    check("11.3 rules on 10.0", r.returncode == 0 and "pc-q35-10.0" in r.stdout and "model='itco'" in r.stdout, r.stderr)
    # tree, explain and check-abi choose as assign does: the stamp, the flags,
    # (the host: below), the newest pair.
    for command in (["tree"], ["explain"], ["check-abi"]):
        def args(path):
            return [*command, path, "52:54:00:00:00:01"] if command == ["explain"] else \
                [*command, path, path] if command == ["check-abi"] else [*command, path]
        r = run(*args(old), "--verbose")
        check(f"{command[0]} follows the stamp", r.returncode == 0 and "libvirt 9.0, from the definition's stamp"
              in r.stderr, r.stderr)
        r = run(*args(src), "--verbose")
        check(f"{command[0]} without a stamp: the newest pair", r.returncode == 0
              and "rules: libvirt 11.3, from the newest built-in rules" in r.stderr, r.stderr)
        r = run(*args(src), "--libvirt", "9.0", "--qemu", "7.2", "--verbose")
        check(f"{command[0]} --libvirt 9.0 --qemu 7.2", r.returncode == 0 and "rules: libvirt 9.0, from --libvirt"
              in r.stderr and "capabilities: QEMU 7.2 (built-in table), from --qemu" in r.stderr, r.stderr)
        r = run(*args(old), "--libvirt", "11.3")
        check(f"{command[0]}: another --libvirt than the stamp's is refused", r.returncode == 1
              and "--restamp" in r.stderr, r.stderr)
    r = run("assign", "--libvirt", "10.1", src)
    check("unknown libvirt refused", r.returncode == 1 and "10.1" in r.stderr and "9.0, 11.3" in r.stderr, r.stderr)
    r = run("assign", "--qemu", "8.2", src)
    check("unknown QEMU version refused", r.returncode == 1 and "8.2" in r.stderr, r.stderr)
    # upgrade-check: one line per change, a summary, exit status and JSON.
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", old)
    check("upgrade-check: an addressed guest keeps everything", r.returncode == 0
          and "ok, no guest-visible change" in r.stdout, r.stdout)
    # An unaddressed definition (no stamp): its machine type alias resolves anew.
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", src)
    check("upgrade-check lists changes", r.returncode == 1 and "machine type 'pc-q35-7.2' becomes 'pc-q35-10.0'" in r.stdout
          and "1 definitions for libvirt 11.3 + QEMU 10.0: 0 unchanged, 1 changed, 0 refused" in r.stdout, r.stdout)
    r = run("upgrade-check", "--libvirt", "9.0", "--qemu", "7.2", old)
    check("upgrade-check to the same host: no change", r.returncode == 0 and "no guest-visible change" in r.stdout,
          r.stdout)
    empty_usb = write(tmp, "usb.xml", Q35.replace("<serial", "<disk type='file' device='cdrom'><target dev='sda' bus='usb'/><readonly/></disk><serial"))
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json", empty_usb, src)
    try:
        j = json.loads(r.stdout)
        ok = r.returncode == 1 and j["summary"] == {"unchanged": 0, "changed": 1, "refused": 1, "skipped": 0, "not_read": 0} \
            and not j["definitions"][0]["accepted"] and "USB disk" in j["definitions"][0]["refusal"] \
            and j["definitions"][1]["accepted"] and bool(j["definitions"][1]["changes"])
    except (ValueError, KeyError, IndexError):
        ok = False
    check("upgrade-check --json, a refusal", ok, r.stdout)
    # A folder, as /etc/libvirt/qemu: its *.xml in name order, nothing else.
    etc = os.path.join(tmp, "etc-libvirt-qemu")
    os.makedirs(os.path.join(etc, "autostart"))
    for name, path in (("a-stamped.xml", old), ("b-new.xml", src), ("c-empty-usb.xml", empty_usb)):
        with open(path) as f:
            write(etc, name, f.read())
    write(etc, "notes.txt", "not a definition")
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", etc)
    lines = r.stdout.splitlines()
    check("upgrade-check of a folder: one verdict per definition, a summary, exit 1",
          r.returncode == 1 and len([l for l in lines if l.startswith(etc)]) == 3
          and lines[0] == os.path.join(etc, "a-stamped.xml") + ": ok, no guest-visible change"
          and any(l.startswith(os.path.join(etc, "c-empty-usb.xml") + ": REFUSED: ") for l in lines)
          and lines[-1] == "3 definitions for libvirt 11.3 + QEMU 10.0: 1 unchanged, 1 changed, 1 refused", r.stdout)
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json", etc)
    try:
        j = json.loads(r.stdout)
        ok = r.returncode == 1 and [os.path.basename(d["path"]) for d in j["definitions"]] == \
            ["a-stamped.xml", "b-new.xml", "c-empty-usb.xml"] and [d["accepted"] for d in j["definitions"]] == \
            [True, True, False] and j["definitions"][0]["changes"] == [] and j["libvirt"] == "11.3" and j["qemu"] == "10.0"
    except (ValueError, KeyError, IndexError):
        ok = False
    check("upgrade-check --json of a folder", ok, r.stdout)
    os.remove(os.path.join(etc, "b-new.xml"))
    os.remove(os.path.join(etc, "c-empty-usb.xml"))
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", etc)
    check("upgrade-check: every definition accepted unchanged is exit 0", r.returncode == 0
          and r.stdout.endswith("1 definitions for libvirt 11.3 + QEMU 10.0: 1 unchanged, 0 changed, 0 refused\n"), r.stdout)
    # A host's folder as it is: autostart/ links to the guests' own files
    # (one verdict per guest), networks/ with <network> documents (skipped,
    # said), a link to a guest since undefined, a guest in a subfolder.
    os.symlink("../a-stamped.xml", os.path.join(etc, "autostart", "a-stamped.xml"))
    os.symlink("../gone.xml", os.path.join(etc, "autostart", "gone.xml"))
    os.makedirs(os.path.join(etc, "networks", "autostart"))
    network = write(os.path.join(etc, "networks"), "default.xml",
                    "<network><name>default</name><forward mode='nat'/><ip address='192.168.122.1'/></network>")
    os.symlink("../default.xml", os.path.join(etc, "networks", "autostart", "default.xml"))
    os.makedirs(os.path.join(etc, "more"))
    with open(src) as f:
        write(os.path.join(etc, "more"), "d-new.xml", f.read())
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", etc)
    lines = r.stdout.splitlines()
    check("upgrade-check of a host folder: subfolders, each guest once, other documents skipped",
          r.returncode == 1 and lines[0] == os.path.join(etc, "a-stamped.xml") + ": ok, no guest-visible change"
          and lines[1].startswith(os.path.join(etc, "more", "d-new.xml") + ": ok, ")
          and "skipped " + network + ": a <network> definition, not a domain" in lines
          and "skipped " + os.path.join(etc, "autostart", "gone.xml") + ": a link to nothing" in lines
          and not any("autostart" in l and ": ok" in l for l in lines)
          and lines[-1] == "2 definitions for libvirt 11.3 + QEMU 10.0: 1 unchanged, 1 changed, 0 refused, 2 skipped",
          r.stdout + r.stderr)
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", os.path.join(etc, "autostart", "a-stamped.xml"),
            os.path.join(etc, "a-stamped.xml"))
    check("upgrade-check: one guest named twice, through a link, is checked once under its own name",
          r.returncode == 0 and r.stdout.splitlines()[0] == os.path.join(etc, "a-stamped.xml")
          + ": ok, no guest-visible change" and r.stdout.count(": ok") == 1, r.stdout + r.stderr)
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json", etc)
    try:
        j = json.loads(r.stdout)
        ok = r.returncode == 1 and len(j["definitions"]) == 2 and j["summary"]["skipped"] == 2 \
            and j["summary"]["not_read"] == 0 and j["errors"] == [] and len(j["skipped"]) == 2
    except (ValueError, KeyError, IndexError):
        ok = False
    check("upgrade-check --json: skipped documents", ok, r.stdout)
    # A file that cannot be read is no verdict on a guest: the check itself
    # failed (exit 2, as for `assign`), said on stderr, the rest still checked.
    missing = os.path.join(tmp, "missing.xml")
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", missing, old)
    check("upgrade-check: a definition that cannot be read is exit 2, not a refusal",
          r.returncode == 2 and "REFUSED" not in r.stdout and missing in r.stderr
          and r.stdout.startswith(old + ": ok") and r.stdout.endswith(", 1 not read\n"), r.stdout + r.stderr)
    r = run("upgrade-check", "--libvirt", "11.3", "--qemu", "10.0", "--json", missing)
    try:
        j = json.loads(r.stdout)
        ok = r.returncode == 2 and j["definitions"] == [] and len(j["errors"]) == 1 and missing in j["errors"][0]
    except (ValueError, KeyError, IndexError):
        ok = False
    check("upgrade-check --json: a file not read", ok, r.stdout + r.stderr)

# Defaults from the host, with controlled emulators: a folder standing for
# the host's PATH holds wrappers of a known QEMU (and a libvirtd that prints
# a known version), and a private cache folder. GUESTADDR_HOST=none (the rest
# of the suite's setting) is lifted here.
QEMU_BINARIES = {"7.2": "/usr/bin/qemu-system-x86_64",
                 "10.0": os.environ.get("GUESTADDR_QEMU_10", "/opt/guestaddr/qemu-10.0/bin/qemu-system-x86_64")}
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "web-server.xml")


def host(tmp, name, qemu=None, libvirt=None):
    """A host: its PATH folder, with qemu-system-x86_64 wrapping QEMU `qemu` and a libvirtd of `libvirt`."""
    folder = os.path.join(tmp, name)
    os.makedirs(folder)
    if qemu:
        write(folder, "qemu-system-x86_64",
              f"#!/bin/sh\nPATH=/usr/sbin:/usr/bin:/sbin:/bin exec {QEMU_BINARIES[qemu]} \"$@\"\n")
        os.chmod(os.path.join(folder, "qemu-system-x86_64"), 0o755)
    if libvirt:
        write(folder, "libvirtd", f"#!/bin/sh\necho 'libvirtd (libvirt) {libvirt}'\n")
        os.chmod(os.path.join(folder, "libvirtd"), 0o755)
    env = {k: v for k, v in os.environ.items() if k != "GUESTADDR_HOST"}
    env.update(PATH=folder, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    return env


def run_on(env, *args):
    return subprocess.run([GUESTADDR, *args], capture_output=True, text=True, env=env)


with tempfile.TemporaryDirectory() as tmp:
    src = write(tmp, "in.xml", Q35)
    have = {v: os.access(b, os.X_OK) for v, b in QEMU_BINARIES.items()}
    if have["7.2"]:
        # Debian bookworm: QEMU 7.2, no libvirt. The README's first command
        # gives exactly libvirt 9.0 + QEMU 7.2's answer.
        bookworm = host(tmp, "bookworm", qemu="7.2")
        r = run_on(bookworm, "assign", EXAMPLE, "--verbose")
        pinned = run("assign", "--libvirt", "9.0", "--qemu", "7.2", EXAMPLE)
        check("host QEMU 7.2, no libvirt: libvirt 9.0's rules, the same bytes as --libvirt 9.0 --qemu 7.2",
              r.returncode == 0 and r.stdout == pinned.stdout and "no libvirtd on PATH" in r.stderr
              and "libvirt 9.0 pairs with QEMU 7.2" in r.stderr and "qemu-system-x86_64 on PATH" in r.stderr,
              r.stderr)
        r = run_on(host(tmp, "bookworm-libvirt-11", qemu="7.2", libvirt="11.3.0"), "assign", src, "--verbose")
        check("the host's libvirt decides the rules", r.returncode == 0 and "libvirt='11.3' qemu='7.2'" in r.stdout
              and "the host's libvirt (11.3.0)" in r.stderr, r.stderr)
        r = run_on(host(tmp, "unknown-libvirt", qemu="7.2", libvirt="10.0.0"), "assign", src, "--verbose")
        check("a host libvirt without rules: the pair of the host's QEMU", r.returncode == 0
              and "libvirt='9.0' qemu='7.2'" in r.stdout and "has no rules in guestaddr" in r.stderr, r.stderr)
        nothing = host(tmp, "no-qemu")
        r = run_on(nothing, "assign", src, "--verbose")
        check("no QEMU, no libvirt: the newest pair", r.returncode == 0 and "libvirt='11.3' qemu='10.0'" in r.stdout
              and "no QEMU found" in r.stderr, r.stderr)
        r = run_on(dict(nothing, GUESTADDR_HOST="none", PATH=bookworm["PATH"]), "assign", src, "--verbose")
        check("GUESTADDR_HOST=none looks at nothing, and --verbose says so", r.returncode == 0
              and "libvirt='11.3' qemu='10.0'" in r.stdout and "GUESTADDR_HOST=none" in r.stderr
              and "the host not looked at" in r.stderr and "no QEMU found" not in r.stderr
              and "on the host" not in r.stderr, r.stderr)
        r = run_on(bookworm, "tree", src, "--verbose")
        check("tree follows the host as assign does", r.returncode == 0 and "libvirt 9.0 pairs with QEMU 7.2" in r.stderr
              and r.stdout == run("tree", "--libvirt", "9.0", "--qemu", "7.2", src).stdout, r.stderr)
        stamped = write(tmp, "stamped.xml", run("assign", "--libvirt", "9.0", "--qemu", "7.2", src).stdout)
        r = run_on(host(tmp, "upgraded", qemu="7.2", libvirt="11.3.0"), "assign", stamped, "--verbose")
        check("the stamp comes before the host's libvirt", r.returncode == 0 and "libvirt='9.0'" in r.stdout
              and "itco" not in r.stdout, r.stderr)
        starts = os.path.join(tmp, "starts.log")
        counted = host(tmp, "counted", qemu="7.2")
        write(counted["PATH"], "qemu-system-x86_64",
              f"#!/bin/sh\necho started >> {starts}\nexec {QEMU_BINARIES['7.2']} \"$@\"\n")
        outputs = [run_on(counted, "assign", src).stdout for _ in range(2)]
        with open(starts) as f:
            n = len(f.readlines())
        check("the host's QEMU is asked once, then cached", n == 1 and outputs[0] == outputs[1] != "", f"{n} starts")
        # libvirtd too, once per build of it: starting it costs more than assigning a large guest.
        asked = os.path.join(tmp, "libvirtd.log")
        libvirtd_host = host(tmp, "libvirtd-counted", qemu="7.2")
        libvirtd = write(libvirtd_host["PATH"], "libvirtd", f"#!/bin/sh\necho asked >> {asked}\necho 'libvirtd (libvirt) 11.3.0'\n")
        os.chmod(libvirtd, 0o755)
        outputs = [run_on(libvirtd_host, "assign", src).stdout for _ in range(2)]
        with open(asked) as f:
            n = len(f.readlines())
        check("the host's libvirtd is asked once, then cached", n == 1 and outputs[0] == outputs[1]
              and "libvirt='11.3'" in outputs[0], f"{n} questions")
        # An upgraded libvirtd (another file) is asked again.
        write(libvirtd_host["PATH"], "libvirtd", f"#!/bin/sh\necho asked >> {asked}\necho 'libvirtd (libvirt) 9.0.0'\n")
        os.utime(libvirtd, ns=(0, 1))
        r = run_on(libvirtd_host, "assign", src)
        with open(asked) as f:
            n = len(f.readlines())
        check("an upgraded libvirtd is asked again", n == 2 and "libvirt='9.0'" in r.stdout, f"{n} questions")
    else:
        print("skipped: host detection (no QEMU 7.2 at /usr/bin/qemu-system-x86_64)")
    if have["7.2"] and have["10.0"]:
        trixie = host(tmp, "trixie", qemu="10.0")
        r = run_on(trixie, "assign", src, "--verbose")
        check("host QEMU 10.0, no libvirt: libvirt 11.3's rules", r.returncode == 0
              and "libvirt='11.3' qemu='10.0'" in r.stdout and "pc-q35-10.0" in r.stdout, r.stderr)
        emulator = write(tmp, "emulator.xml", Q35.replace("<devices>", f"<devices><emulator>{trixie['PATH']}/qemu-system-x86_64</emulator>"))
        r = run_on(host(tmp, "emulator-first", qemu="7.2"), "assign", emulator, "--verbose")
        check("the definition's <emulator> comes before PATH", r.returncode == 0
              and "libvirt='11.3' qemu='10.0'" in r.stdout and "the definition's <emulator>" in r.stderr, r.stderr)
    else:
        print("skipped: host detection with QEMU 10.0 (tests/qemu/install-qemu-10.sh not run)")

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
