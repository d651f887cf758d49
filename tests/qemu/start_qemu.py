#!/usr/bin/env python3
"""Start QEMU 7.2 from `guestaddr argv --stub-backends` for a sample of cases.

For each case of start_sample.txt: takes guestaddr's stubbed command line,
adds a QMP monitor on a UNIX socket in a temporary folder, starts QEMU paused
(-S, as libvirt does), negotiates QMP (qmp_capabilities), checks that
query-status answers and every -device exists (qom-get of its parent_bus),
then quits. Prints 'N passed, M failed'; exits 1 on any failure, 77 (skipped)
when QEMU or the corpus is not there.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

START_TIMEOUT = 30  # seconds for QEMU to create every device and open its monitor


def qemu_argv(lines):
    """guestaddr's lines (emulator, then 'flag value') as an argv list."""
    argv = [lines[0]]
    for line in lines[1:]:
        flag, _, value = line.partition(" ")
        argv.append(flag)
        if value:
            argv.append(value[1:-1] if value.startswith("'") else value)
    return argv


def device_ids(lines):
    ids = []
    for line in lines:
        if line.startswith("-device "):
            props = json.loads(line[len("-device "):].strip("'"))
            if "id" in props:
                ids.append(props["id"])
    return ids


class Qmp:
    def __init__(self, path):
        # QEMU creates the socket file a moment before it listens on it.
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.settimeout(START_TIMEOUT)
            try:
                self.sock.connect(path)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.file = self.sock.makefile("rw", encoding="utf-8")
        greeting = json.loads(self.file.readline())
        if "QMP" not in greeting:
            raise RuntimeError(f"no QMP greeting: {greeting}")

    def command(self, name, **arguments):
        self.file.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "event" in reply:
                continue
            if "error" in reply:
                raise RuntimeError(f"{name}: {reply['error']}")
            return reply["return"]

    def close(self):
        self.file.close()
        self.sock.close()


def wait_for(path, process):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if os.path.exists(path) or process.poll() is not None:
            return
        time.sleep(0.05)


def start_case(guestaddr, case, qemu):
    result = subprocess.run([guestaddr, "argv", "--libvirt", "9.0", "--qemu", "7.2", "--stub-backends", os.path.join(case, "input.xml")],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return f"guestaddr argv failed: {result.stderr.strip()}"
    lines = result.stdout.splitlines()
    argv = qemu_argv(lines)
    argv[0] = qemu
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "qmp.sock")
        argv += ["-chardev", f"socket,id=qmptest,path={path},server=on,wait=off",
                 "-mon", "chardev=qmptest,mode=control"]
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(path, process)
            if process.poll() is not None:
                return f"QEMU exited {process.returncode}: {process.stderr.read().strip()[-400:]}"
            qmp = Qmp(path)
            qmp.command("qmp_capabilities")
            status = qmp.command("query-status")
            if status.get("status") != "prelaunch":
                return f"unexpected status {status}"
            for dev in device_ids(lines):
                qmp.command("qom-get", path=f"/machine/peripheral/{dev}", property="parent_bus")
            qmp.command("quit")
            qmp.close()
            process.wait(timeout=START_TIMEOUT)
            return None
        except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            return f"{type(e).__name__}: {e}"
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestaddr", required=True)
    ap.add_argument("--conformance", required=True, help="the conformance corpora (tests/corpora/conformance)")
    ap.add_argument("--sample", required=True, help="start_sample.txt")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    args = ap.parse_args()

    qemu = shutil.which(args.qemu)
    if qemu is None:
        print(f"skipped: {args.qemu} not installed")
        return 77
    if not os.path.isdir(args.conformance):
        print(f"skipped: {args.conformance} not found")
        return 77
    with open(args.sample, encoding="utf-8") as f:
        cases = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    failed = 0
    for name in cases:
        error = start_case(args.guestaddr, os.path.join(args.conformance, name), qemu)
        print(f"{'FAIL' if error else 'PASS'} {name}" + (f": {error}" if error else ""))
        failed += error is not None
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
