#!/usr/bin/env python3
"""cmake --install into a temporary prefix, then a program built against the
installed library alone, with CMake's find_package and with pkg-config.

Usage: install_test.py BUILD_DIR SOURCE_DIR CXX VERSION SOVERSION [SANITIZE_FLAGS]

Checks what was installed (the command, libguestaddr.so with its SONAME, the
public headers and nothing else, each header compiling on its own, the CMake
package, the pkg-config file, the man pages, the bash completion); builds
tests/install/consumer both ways; runs it on examples/web-server.xml and holds
its listing to the definition the installed `guestaddr assign` writes.
SANITIZE_FLAGS ("-fsanitize=address,undefined" in a sanitizer build): the
consumer is built with them too, as a program linking a sanitized library must.
No network, no libvirt.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BUILD, SOURCE, CXX, VERSION, SOVERSION = sys.argv[1:6]
SANITIZE = sys.argv[6].split() if len(sys.argv) > 6 else []
del sys.argv[1:7]
EXAMPLE = os.path.join(SOURCE, "examples", "web-server.xml")
CONSUMER = os.path.join(SOURCE, "tests", "install", "consumer")


def read(path):
    with open(path) as f:
        return f.read()


def run(*args, env=None, cwd=None):
    r = subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="guestaddr-install-")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        run("cmake", "--install", BUILD, "--prefix", cls.prefix)
        libs = glob.glob(os.path.join(cls.prefix, "lib*", "**", "libguestaddr.so"), recursive=True)
        assert len(libs) == 1, libs
        cls.libdir = os.path.dirname(libs[0])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_command_runs_from_the_prefix(self):
        guestaddr = os.path.join(self.prefix, "bin", "guestaddr")
        self.assertEqual(run(guestaddr, "--version").strip(), f"guestaddr {VERSION}")

    def test_the_library_is_shared_with_a_versioned_soname(self):
        real = os.path.join(self.libdir, f"libguestaddr.so.{VERSION}")
        self.assertTrue(os.path.isfile(real) and not os.path.islink(real))
        self.assertEqual(os.readlink(os.path.join(self.libdir, f"libguestaddr.so.{SOVERSION}")), f"libguestaddr.so.{VERSION}")
        self.assertEqual(os.readlink(os.path.join(self.libdir, "libguestaddr.so")), f"libguestaddr.so.{SOVERSION}")
        dynamic = run("readelf", "-d", real)
        self.assertIn(f"Library soname: [libguestaddr.so.{SOVERSION}]", dynamic)
        self.assertEqual(glob.glob(os.path.join(self.libdir, "*.a")), [], "no static library is installed")

    def test_the_public_headers_and_no_other(self):
        include = os.path.join(self.prefix, "include")
        self.assertEqual(os.listdir(include), ["guestaddr"])
        installed = sorted(os.listdir(os.path.join(include, "guestaddr")))
        public = sorted(os.listdir(os.path.join(SOURCE, "include", "guestaddr")))
        self.assertEqual(installed, public)
        for header in installed:  # each stands alone, with only the installed ones beside it
            source = os.path.join(self.tmp, "include-" + header + ".cpp")
            with open(source, "w") as f:
                f.write(f"#include <guestaddr/{header}>\n")
            run(CXX, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I", include, source)
            text = read(os.path.join(include, "guestaddr", header))
            for line in re.findall(r'#include\s+"([^"]+)"', text):
                self.assertTrue(line.startswith("guestaddr/"), f"{header} includes {line}")

    def test_the_man_pages(self):
        man1 = os.path.join(self.prefix, "share", "man", "man1")
        pages = sorted(os.listdir(man1))
        self.assertIn("guestaddr.1", pages)
        subcommands = re.findall(r"^  ([a-z][a-z-]*) ", run(os.path.join(self.prefix, "bin", "guestaddr"), "--help")
                                 .split("Subcommands:")[1], re.M)
        self.assertIn("assign", subcommands)
        self.assertEqual(pages, sorted(["guestaddr.1"] + [f"guestaddr-{s}.1" for s in subcommands]))
        main = read(os.path.join(man1, "guestaddr.1"))
        self.assertIn('.TH GUESTADDR "1"', main)
        self.assertIn(VERSION, main)
        assign = read(os.path.join(man1, "guestaddr-assign.1"))
        self.assertIn('.TH GUESTADDR-ASSIGN "1"', assign)
        self.assertIn("guestaddr-assign \\- ", assign)
        self.assertIn("\\-\\-output", assign)  # its own options, from `guestaddr assign --help`
        # EXAMPLES: the README's command lines, each on its subcommand's page, all on guestaddr(1).
        readme = read(os.path.join(SOURCE, "README.md"))
        self.assertIn(".SH EXAMPLES", assign)
        self.assertIn("\\fBguestaddr assign guest.xml \\-o out.xml\\fR\nwrite it to a file, atomically\n", assign)
        self.assertIn("guestaddr assign guest.xml -o out.xml   # write it to a file, atomically", readme)
        self.assertNotIn("guestaddr tree", assign)
        check_abi = read(os.path.join(man1, "guestaddr-check-abi.1"))
        self.assertIn("\\fBguestaddr check\\-abi running.xml candidate.xml\\fR", check_abi)
        self.assertIn("\\fBguestaddr tree guest.xml\\fR", main)
        self.assertIn("\\fBguestaddr assign guest.xml\\fR", main)

    def test_the_bash_completion(self):
        script = os.path.join(self.prefix, "share", "bash-completion", "completions", "guestaddr")
        self.assertIn("complete -o filenames -F _guestaddr guestaddr", read(script))

    def consumer_output(self, exe):
        out = run(exe, EXAMPLE)
        rows = [line.split("\t") for line in out.splitlines()]
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(len(row), 8, row)
        return out, rows

    def check_listing(self, rows):
        # The definition the installed command writes for the same guest,
        # under the rules the library's assign() follows without options: the
        # newest built-in pair (the command would otherwise look at the host).
        assigned = ET.fromstring(run(os.path.join(self.prefix, "bin", "guestaddr"), "assign", "--libvirt", "11.3",
                                     "--qemu", "10.0", EXAMPLE))
        elements = list(assigned.find("devices"))
        # Every device once: the definition's in its order, then those assign added.
        self.assertEqual(sorted(r[1] for r in rows), sorted(e.tag for e in elements))
        self.assertEqual([int(r[0]) for r in rows], list(range(len(rows))))

        def text_of(address):
            if address is None:
                return ""
            a = address.attrib
            if a["type"] == "pci":
                return "pci:%04x:%02x:%02x.%x" % tuple(int(a[k], 16) for k in ("domain", "bus", "slot", "function"))
            if a["type"] == "drive":
                return "drive:%s.%s.%s.%s" % (a["controller"], a["bus"], a["target"], a["unit"])
            if a["type"] == "usb":
                return f"usb:{a['bus']}:{a['port']}" if "port" in a else f"usb:{a['bus']}"
            if a["type"] == "virtio-serial":
                return f"virtio-serial:{a['controller']}.{a['bus']}.{a['port']}"
            return a["type"] + ":" + ".".join(v for k, v in a.items() if k != "type")

        def name_of(e):  # as guestaddr names the devices that carry an identity
            if e.tag == "interface":
                return "interface " + e.find("mac").get("address")
            if e.tag == "disk":
                return f"disk '{e.find('target').get('dev')}'"
            if e.tag == "controller":
                return f"controller {e.get('type')} {e.get('index')}"
            if e.tag == "channel" and e.find("target").get("name"):
                return f"channel '{e.find('target').get('name')}'"
            return None

        listed = {r[2]: r for r in rows}
        compared = 0
        for e in elements:
            name = name_of(e)
            if name is None:
                continue
            self.assertIn(name, listed)
            row = listed[name]
            self.assertEqual(row[1], e.tag, row)
            self.assertEqual(row[6], text_of(e.find("address")), row)
            self.assertEqual(row[3], e.find("mac").get("address") if e.tag == "interface" else "", row)
            self.assertEqual(row[4], e.find("target").get("dev") if e.tag == "disk" else "", row)
            compared += 1
        self.assertGreaterEqual(compared, 10)
        names = listed
        self.assertEqual(names["interface 52:54:00:12:34:56"][7], "written")
        self.assertEqual(names["disk 'vda'"][6][:4], "pci:")
        self.assertEqual(names["controller pci 0"][7], "implicit")
        self.assertEqual(names["controller sata 0"][6], "pci:0000:00:1f.2")

    def linked_shared(self, exe):
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*)\]", run("readelf", "-d", exe))
        self.assertIn(f"libguestaddr.so.{SOVERSION}", needed)

    def test_a_program_built_with_find_package(self):
        build = os.path.join(self.tmp, "cmake-consumer")
        run("cmake", "-S", CONSUMER, "-B", build, f"-DCMAKE_PREFIX_PATH={self.prefix}", f"-DCMAKE_CXX_COMPILER={CXX}",
            "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_CXX_FLAGS={' '.join(SANITIZE)}",
            f"-DCMAKE_EXE_LINKER_FLAGS={' '.join(SANITIZE)}")
        cache = read(os.path.join(build, "CMakeCache.txt"))
        self.assertIn(f"guestaddr_DIR:PATH={self.libdir}/cmake/guestaddr", cache)
        run("cmake", "--build", build)
        exe = os.path.join(build, "list_devices")
        self.linked_shared(exe)
        out, rows = self.consumer_output(exe)
        self.check_listing(rows)

    def test_a_program_built_with_pkg_config(self):
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(self.libdir, "pkgconfig"))
        self.assertEqual(run("pkg-config", "--modversion", "guestaddr", env=env).strip(), VERSION)
        libdir = run("pkg-config", "--variable=libdir", "guestaddr", env=env).strip()
        self.assertEqual(os.path.realpath(libdir), os.path.realpath(self.libdir))
        flags = run("pkg-config", "--cflags", "--libs", "guestaddr", env=env).split()
        exe = os.path.join(self.tmp, "pkg-config-list_devices")
        # No -std of its own: the public headers need C++20, and the flags say so.
        self.assertIn("-std=c++20", flags)
        run(CXX, "-O1", *SANITIZE, os.path.join(CONSUMER, "main.cpp"), *flags, f"-Wl,-rpath,{libdir}", "-o", exe)
        self.linked_shared(exe)
        out, rows = self.consumer_output(exe)
        self.check_listing(rows)


if __name__ == "__main__":
    unittest.main(verbosity=2)
