#!/usr/bin/env python3
"""The upgrade promise on real QEMU: a guest addressed under libvirt 9.0's
rules and started on QEMU 7.2 (the host's), hot-plugged and unplugged live,
migrates live to a QEMU 10.0 started from `guestaddr argv --qemu 10.0` of the persisted
definition, with the same machine type, and QEMU 10.0 reports every device
where the definition says (`guestaddr verify`). A cold start of the same
definition on QEMU 10.0 verifies too. On pc and on q35.

QEMU 10.0 is the one tests/qemu/install-qemu-10.sh unpacks (GUESTADDR_QEMU_10
names another binary).

Usage: upgrade_test.py GUESTADDR [SHARED_DIR]. Exits 77 (skipped) without QEMU 7.2 or 10.0.
"""

import os
import sys
import unittest

import live_test  # puts tests/support on the path
from live_test import PLUGGABLE, guestaddr
from qemu_support import migration_status

QEMU_10 = os.environ.get("GUESTADDR_QEMU_10", "/opt/guestaddr/qemu-10.0/bin/qemu-system-x86_64")


def machine_type(guest):
    return guest.qmp.cmd("qom-get", path="/machine", property="type")


class Upgrade(live_test.Live):
    def migrate(self, source, destination):
        incoming = os.path.join(self.dir.name, "migrate.sock")
        source.qmp.cmd("migrate", uri=f"unix:{incoming}")
        self.assertEqual(migration_status(source.qmp, 60), "completed", source.qmp.cmd("query-migrate").get("error-desc", "") +
                         open(os.path.join(self.dir.name, "destination.log")).read())

    def upgrade(self, machine):
        definition, source = self.live_sequence(machine)  # on QEMU 7.2
        guestaddr("attach", definition, self.path("last.xml", PLUGGABLE[0][1]), "--in-place", "--qmp",
                  source.tool_socket, "--stub-backends")
        incoming = os.path.join(self.dir.name, "migrate.sock")
        destination = self.start(definition, "destination", ["-incoming", f"unix:{incoming}"], qemu=QEMU_10,
                                 argv_flags=("--qemu", "10.0"))
        self.assertEqual(destination.qmp.cmd("query-version")["qemu"]["major"], 10)
        self.assertEqual(source.qmp.cmd("query-version")["qemu"]["major"], 7)
        self.assertEqual(machine_type(destination), machine_type(source))
        self.migrate(source, destination)
        self.assertIn(destination.qmp.cmd("query-status")["status"], ("paused", "prelaunch"))
        r = guestaddr("verify", definition, "--qmp", destination.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        destination.stop()

        cold = self.start(definition, "cold", qemu=QEMU_10, argv_flags=("--qemu", "10.0"))
        self.assertEqual(machine_type(cold), machine_type(source))
        r = guestaddr("verify", definition, "--qmp", cold.tool_socket, check=False)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_pc_guest_migrates_from_qemu_7_2_to_10_0_unchanged(self):
        self.upgrade("pc")

    def test_q35_guest_migrates_from_qemu_7_2_to_10_0_unchanged(self):
        self.upgrade("q35")


# Only the upgrade tests here: the 7.2-only ones run from live_test.py
# (unittest skips attributes that are not callable).
for name in [n for n in dir(Upgrade) if n.startswith("test_") and not n.startswith(("test_pc_", "test_q35_"))]:
    setattr(Upgrade, name, None)

if __name__ == "__main__":
    for binary in (live_test.QEMU, QEMU_10):
        if not os.access(binary, os.X_OK):
            print(f"skipped: {binary} is not installed (tests/qemu/install-qemu-10.sh)")
            sys.exit(77)
    unittest.main(verbosity=2)
