#!/usr/bin/env python3
"""The bash completion: sourced in bash, asked as bash asks it (COMP_WORDS,
COMP_CWORD), its answers held to what `guestaddr --help` and each
`guestaddr SUBCOMMAND --help` list, so that it cannot fall behind the command.

Usage: completion_test.py GUESTADDR SCRIPT   (SCRIPT: the built completion file)
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

GUESTADDR, SCRIPT = sys.argv[1:3]
del sys.argv[1:3]


def helptext(*args):
    return subprocess.run([GUESTADDR, *args, "--help"], capture_output=True, text=True, check=True).stdout


def section(text, title):
    """The first words of the lines of one section of CLI11's help."""
    body = text.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in body.splitlines() if line.startswith("  ") and line.strip()]


def subcommands():
    return section(helptext(), "Subcommands")


def options(sub):
    names = []
    for first in section(helptext(sub), "Options"):
        names += [n for n in first.split(",") if n.startswith("-")]
    return names


def complete(*words, cwd=None):
    """COMPREPLY for `guestaddr WORDS...`, the last word being completed."""
    line = ["guestaddr", *words]
    text = " ".join(line)
    script = (f"source {SCRIPT!r}\n"
              f"COMP_WORDS=({' '.join(repr(w) for w in line)})\n"
              f"COMP_CWORD={len(line) - 1}\n"
              f"COMP_LINE={text!r}\n"
              f"COMP_POINT={len(text)}\n"
              "_guestaddr\n"
              "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    # The script runs `guestaddr` itself for explain's DEVICE: the one under test.
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(GUESTADDR)) + os.pathsep + os.environ["PATH"])
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True, text=True, cwd=cwd,
                       timeout=30, env=env)
    if r.returncode != 0 or r.stderr:
        raise AssertionError(f"bash: {r.returncode} {r.stderr}")
    return sorted(w for w in r.stdout.splitlines() if w)


class Completion(unittest.TestCase):
    def test_the_script_is_what_the_command_writes_now(self):
        made = subprocess.run([GUESTADDR, "completion", "bash"], capture_output=True, text=True, check=True).stdout
        with open(SCRIPT) as f:
            self.assertEqual(f.read(), made)

    def test_subcommands(self):
        every = subcommands()
        self.assertTrue({"assign", "validate", "tree", "explain", "check-abi", "completion"} <= set(every))
        self.assertEqual(complete(""), sorted(every))
        self.assertEqual(complete("va"), ["validate"])
        self.assertEqual(complete("check"), ["check-abi"])

    def test_each_subcommands_options(self):
        for sub in subcommands():
            with self.subTest(sub=sub):
                expected = set(options(sub)) | {"--version"}
                self.assertEqual(set(complete(sub, "-")), {n for n in expected if n.startswith("-")})
                self.assertEqual(set(complete(sub, "--")), {n for n in expected if n.startswith("--")})
        self.assertEqual(complete("assign", "--o"), ["--output"])
        # after other words too
        self.assertEqual(complete("attach", "guest.xml", "nic.xml", "--in"), ["--in-place"])

    def test_explain_device_offers_the_names_of_the_definitions_devices(self):
        example = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "web-server.xml")
        listed = subprocess.run([GUESTADDR, "explain", example, "--names"], capture_output=True, text=True,
                                check=True).stdout
        names = sorted(line.split("\t")[0] for line in listed.splitlines())
        self.assertIn("vda", names)
        self.assertEqual(complete("explain", example, ""), names)
        self.assertEqual(complete("explain", "--libvirt", "9.0", example, "v"), [n for n in names if n.startswith("v")])
        # bash replaces what follows the word's last ':' (a MAC, an address).
        mac = next(n for n in names if re.fullmatch(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", n))
        self.assertIn(mac[mac.rfind(":") + 1:], complete("explain", example, mac[:-1]))
        self.assertNotIn(mac, complete("explain", example, mac[:-1]))
        # Not the first positional, nor after DEVICE.
        self.assertNotIn("vda", complete("explain", ""))
        self.assertNotIn("vda", complete("explain", example, "vda", ""))

    def test_top_level_options(self):
        self.assertEqual(set(complete("--")), {"--help", "--version"})

    def test_option_values(self):
        self.assertEqual(complete("tree", "g.xml", "--format", ""), ["dot", "svg", "text"])
        self.assertEqual(complete("tree", "--format", "s"), ["svg"])
        self.assertEqual(complete("completion", ""), ["bash"])

    def test_files_for_definitions(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("guest.xml", "nic.xml", "other.txt"):
                open(os.path.join(d, name), "w").close()
            self.assertEqual(complete("assign", "g", cwd=d), ["guest.xml"])
            self.assertEqual(complete("assign", "guest.xml", "-o", "n", cwd=d), ["nic.xml"])
            self.assertEqual(complete("check-abi", "guest.xml", "", cwd=d), ["guest.xml", "nic.xml", "other.txt"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
