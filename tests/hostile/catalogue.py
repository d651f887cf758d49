"""The catalogue of hostile inputs: each with the exact outcome expected.

A case is an input (text, bytes, or a path made by a setup function) and an
expectation:
  - Refused(status, device, problem): the command exits with `status`, prints
    nothing on standard output, and standard error has a line
    `guestaddr: error: ...` that matches `device` and `problem` (regular
    expressions, case-insensitive);
  - Accepted(check): exit 0, and check(stdout) holds.
Every case must finish within its time limit, whatever the outcome: a hang is
a failure. Where a case is valid XML, libvirt 9.0's own verdict was taken
(tests/hostile/probe_libvirt.py) and the expectation follows it.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Union


@dataclass
class Refused:
    status: int
    device: str      # regex for the device named; "" when the error is about the whole input
    problem: str     # regex for the problem named


@dataclass
class Accepted:
    check: Callable[[str], Optional[str]]  # returns a complaint, or None


@dataclass
class Case:
    name: str
    expect: Union[Refused, Accepted]
    # The input, or a function that makes it: the large inputs are made only
    # for the case that runs (ctest runs one case per process).
    text: Union[str, bytes, Callable[[], Union[str, bytes]], None] = None
    setup: Optional[Callable[[str], str]] = None   # makes the input in a temp dir, returns the path
    args: tuple = ("assign",)
    stdin: bool = False
    timeout: float = 30.0
    libvirt: str = ""          # libvirt 9.0's message, where it refuses the same input
    xmllint: str = ""          # `xmllint --noout`'s verdict: "ok", or "LINE: message" where libxml2 refuses it
    notes: str = ""

    def data(self):
        """The input as bytes."""
        text = self.text() if callable(self.text) else self.text
        return text.encode() if isinstance(text, str) else text


def domain(devices, machine="pc", arch="x86_64", head="", prolog=""):
    return (f"{prolog}<domain type='kvm'><name>hostile</name>{head}<memory unit='KiB'>1048576</memory>\n"
            f"<os><type arch='{arch}' machine='{machine}'>hvm</type></os>\n<devices>\n{devices}\n</devices></domain>\n")


def nic(n, address="", model="virtio"):
    return (f"<interface type='user'><mac address='52:54:00:00:{n >> 8 & 0xff:02x}:{n & 0xff:02x}'/>"
            f"<model type='{model}'/>{address}</interface>")


def disk(dev, bus, address=""):
    return (f"<disk type='file' device='disk'><source file='/var/lib/hostile/{dev}.img'/>"
            f"<target dev='{dev}' bus='{bus}'/>{address}</disk>")


def pci(slot="0x05", bus="0x00", function="0x0", domain_="0x0000"):
    return f"<address type='pci' domain='{domain_}' bus='{bus}' slot='{slot}' function='{function}'/>"


def has(*patterns):
    """Accepted-check: every pattern appears in the output."""
    def check(out):
        for p in patterns:
            if not re.search(p, out):
                return f"output lacks {p!r}"
        return None
    return check


def lacks(*patterns):
    def check(out):
        for p in patterns:
            if re.search(p, out):
                return f"output has {p!r}"
        return None
    return check


def both(*checks):
    def check(out):
        for c in checks:
            complaint = c(out)
            if complaint:
                return complaint
        return None
    return check


# ---------------------------------------------------------------------------------------------
# Files and bytes

GOOD = domain(nic(1) + disk("vda", "virtio"))
SECRET = "guestaddr-hostile-secret-5f1c"


def truncated_file(d):
    return write(d, "in.xml", GOOD[: len(GOOD) // 2])


def write(d, name, content):
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)
    return p


def fifo_entity(d):
    """An external entity naming a FIFO: opening it for reading would block,
    so reading the entity shows up as a hang, not just as output."""
    pipe = os.path.join(d, "host-file")
    os.mkfifo(pipe)
    text = (f"<?xml version='1.0'?>\n<!DOCTYPE domain [ <!ENTITY host SYSTEM 'file://{pipe}'> ]>\n"
            + domain(nic(1)).replace("<name>hostile</name>", "<name>&host;</name>"))
    return write(d, "in.xml", text)


def secret_entity(d):
    secret = write(d, "secret.txt", SECRET)
    text = (f"<?xml version='1.0'?>\n<!DOCTYPE domain [ <!ENTITY host SYSTEM 'file://{secret}'> ]>\n"
            + domain(nic(1)).replace("<name>hostile</name>", "<name>&host;</name>"))
    return write(d, "in.xml", text)


def billion_laughs():
    ents = ["<!ENTITY lol0 'lol'>"]
    for i in range(1, 10):
        ents.append(f"<!ENTITY lol{i} '{('&lol%d;' % (i - 1)) * 10}'>")
    prolog = "<?xml version='1.0'?>\n<!DOCTYPE domain [ " + " ".join(ents) + " ]>\n"
    return domain(nic(1), head="<description>&lol9;</description>", prolog=prolog)


def deep_nesting(depth):
    return domain(nic(1), head="<metadata>" + "<a>" * depth + "</a>" * depth + "</metadata>")


def huge_value(size):
    return domain(nic(1) + disk("vda", "virtio").replace("/var/lib/hostile/vda.img", "/" + "x" * size))


FILES = [
    Case("empty-file", Refused(1, "", r"malformed XML|no document element|empty"), text=""),
    Case("empty-stdin", Refused(1, "", r"malformed XML|no document element|empty"), text="", stdin=True),
    Case("whitespace-only", Refused(1, "", r"malformed XML|no document element|empty"), text="  \n\t\n"),
    Case("truncated", Refused(1, "", r"malformed XML"), setup=truncated_file),
    Case("truncated-in-attribute", Refused(1, "", r"malformed XML"), text=GOOD[: GOOD.index("52:54") + 3]),
    Case("non-utf8-in-description", Refused(1, "", r"UTF-8"),
         text=domain(nic(1), head="<description>ab\xff\xfecd</description>").encode("latin-1"),
         libvirt="Input is not proper UTF-8, indicate encoding !"),
    Case("non-utf8-in-attribute", Refused(1, "", r"UTF-8"),
         text=domain(disk("vda", "virtio")).encode().replace(b"vda.img", b"vda\xc3\x28.img"),
         libvirt="Input is not proper UTF-8, indicate encoding !"),
    Case("binary-garbage", Refused(1, "", r"malformed XML"), text=bytes(range(256)) * 64),
    Case("nul-byte", Refused(1, "", r"malformed XML|NUL|character"),
         text=domain(nic(1)).encode().replace(b"hostile", b"host\x00ile"),
         libvirt="Char 0x0 out of allowed range"),
    Case("directory", Refused(2, "", r"directory"), setup=lambda d: d),
    Case("missing-path", Refused(2, "", r"No such file"), setup=lambda d: os.path.join(d, "absent.xml")),
    Case("validate-directory", Refused(2, "", r"directory"), setup=lambda d: d, args=("validate",)),
    Case("output-into-missing-directory", Refused(2, "", r"absent"), text=GOOD,
         args=("assign", "{in}", "-o", "{dir}/absent/out.xml")),
    Case("root-is-not-domain", Refused(1, "", r"root element"), text="<network><name>n</name></network>"),
    Case("two-roots", Refused(1, "", r"malformed XML|more than one root"), text=GOOD + GOOD),
    Case("no-devices", Accepted(has(r"pc-i440fx-7\.2", r"<memballoon model='virtio'>")),
         text=domain("").replace("<devices>\n\n</devices>", "")),
]

# ---------------------------------------------------------------------------------------------
# DOCTYPE and entities: never expanded, never read, always refused.

DOCTYPE = [
    Case("external-entity-fifo", Refused(1, "", r"DOCTYPE|entit"), setup=fifo_entity, timeout=20,
         notes="a FIFO blocks whoever opens it: reading the entity would hang"),
    Case("external-entity-secret", Refused(1, "", r"DOCTYPE|entit"), setup=secret_entity),
    Case("billion-laughs", Refused(1, "", r"DOCTYPE|entit"), text=billion_laughs(),
         libvirt="Detected an entity reference loop"),
    Case("undeclared-entity", Refused(1, "", r"entit"),
         text=domain(nic(1)).replace("<name>hostile</name>", "<name>&undeclared;</name>"),
         libvirt="Entity 'undeclared' not defined"),
    Case("parameter-entity", Refused(1, "", r"DOCTYPE|entit"),
         text="<?xml version='1.0'?>\n<!DOCTYPE domain [ <!ENTITY % p SYSTEM 'file:///etc/passwd'> %p; ]>\n" + GOOD),
]

# ---------------------------------------------------------------------------------------------
# Size and shape

SHAPE = [
    Case("nesting-300", Refused(1, "", r"deep|depth|nest"), text=deep_nesting(300),
         libvirt="Excessive depth in document: 256 use XML_PARSE_HUGE option"),
    Case("nesting-100000", Refused(1, "", r"deep|depth|nest"), text=deep_nesting(100_000),
         libvirt="Excessive depth in document: 256 use XML_PARSE_HUGE option"),
    Case("nesting-in-device-100000", Refused(1, "", r"deep|depth|nest"),
         text=domain(nic(1).replace("</interface>", "<x>" * 100_000 + "</x>" * 100_000 + "</interface>")),
         libvirt="Excessive depth in document: 256 use XML_PARSE_HUGE option"),
    Case("huge-attribute-4MB", Accepted(has(r"/x{4000000}'")), text=huge_value(4_000_000),
         notes="libvirt keeps values up to 10,000,000 bytes"),
    Case("huge-address-number", Refused(1, r"interface 52:54:00:00:00:01", r"slot"),
         text=domain(nic(1, pci(slot="1" * 1_000_000)))),
]

# ---------------------------------------------------------------------------------------------
# Address numbers: out of range or malformed, for every address type

BAD_NUMBERS = {"0x": "0x", "abc": "abc", "negative": "-1", "huge": "99999999999999999999", "empty": ""}


def number_cases():
    cases = []
    for label, value in BAD_NUMBERS.items():
        cases += [
            Case(f"pci-slot-{label}", Refused(1, r"interface 52:54:00:00:00:01", r"slot"),
                 text=domain(nic(1, pci(slot=value)))),
            Case(f"pci-bus-{label}", Refused(1, r"interface 52:54:00:00:00:01", r"bus"),
                 text=domain(nic(1, pci(bus=value)))),
            Case(f"pci-function-{label}", Refused(1, r"interface 52:54:00:00:00:01", r"function"),
                 text=domain(nic(1, pci(function=value)))),
            Case(f"drive-unit-{label}", Refused(1, r"disk 'sda'", r"unit"),
                 text=domain(disk("sda", "scsi", f"<address type='drive' controller='0' bus='0' target='0' unit='{value}'/>"))),
            Case(f"drive-controller-{label}", Refused(1, r"disk 'sda'", r"controller"),
                 text=domain(disk("sda", "scsi", f"<address type='drive' controller='{value}' bus='0' target='0' unit='0'/>"))),
            Case(f"usb-bus-{label}", Refused(1, r"input #0", r"bus"),
                 text=domain(f"<input type='tablet' bus='usb'><address type='usb' bus='{value}' port='1'/></input>")),
            Case(f"virtio-serial-port-{label}", Refused(1, r"channel 'c0'", r"port"),
                 text=domain(f"<channel type='pty'><target type='virtio' name='c0'/>"
                             f"<address type='virtio-serial' controller='0' bus='0' port='{value}'/></channel>")),
            Case(f"ccid-slot-{label}", Refused(1, r"smartcard #0", r"slot"),
                 text=domain(f"<smartcard mode='passthrough' type='spicevmc'>"
                             f"<address type='ccid' controller='0' slot='{value}'/></smartcard>")),
        ]
    for label, value in {"abc": "abc", "negative": "-1", "0x": "0x", "empty-step": "1..2", "dot-end": "1."}.items():
        cases.append(Case(f"usb-port-{label}", Refused(1, r"input #0", r"port"),
                          text=domain(f"<input type='tablet' bus='usb'><address type='usb' bus='0' port='{value}'/></input>")))
    return cases


RANGE = [
    Case("pci-slot-0x20", Refused(1, r"interface 52:54:00:00:00:01", r"slot"), text=domain(nic(1, pci(slot="0x20"))),
         libvirt="Invalid PCI address slot='0x20', must be <= 0x1F"),
    Case("pci-function-8", Refused(1, r"interface 52:54:00:00:00:01", r"function"), text=domain(nic(1, pci(function="8"))),
         libvirt="Invalid PCI address function=0x8, must be <= 7"),
    Case("pci-bus-0x100", Refused(1, r"interface 52:54:00:00:00:01", r"bus"), text=domain(nic(1, pci(bus="0x100"))),
         libvirt="Invalid PCI address bus='0x100', must be <= 0xFF"),
    Case("pci-domain-1", Refused(1, r"interface 52:54:00:00:00:01", r"domain"),
         text=domain(nic(1, pci(domain_="0x0001"))),
         libvirt="Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available"),
    # libvirt reads PCI numbers with base 0: a leading 0 is octal, so 010 is slot 8.
    Case("pci-slot-010-is-octal", Accepted(has(r"<mac address='52:54:00:00:00:01'/>\s*<model type='virtio'/>\s*"
                                               r"<address type='pci' domain='0x0000' bus='0x00' slot='0x08'")),
         text=domain(nic(1, pci(slot="010"))), notes="libvirt 9.0 accepts it as slot 0x08"),
    Case("pci-slot-09-not-octal", Refused(1, r"interface 52:54:00:00:00:01", r"slot"), text=domain(nic(1, pci(slot="09")))),
    # drive numbers are decimal: 010 is unit 10.
    Case("drive-unit-010-is-decimal", Accepted(has(r"<target dev='sda' bus='scsi'/>\s*<address type='drive' "
                                                   r"controller='0' bus='0' target='0' unit='10'/>")),
         text=domain("<controller type='scsi' index='0' model='virtio-scsi'/>" +
                     disk("sda", "scsi", "<address type='drive' controller='0' bus='0' target='0' unit='010'/>"))),
    Case("usb-port-depth-6", Refused(1, r"input #0", r"port"),
         text=domain("<input type='tablet' bus='usb'><address type='usb' bus='0' port='1.1.1.1.1.1'/></input>")),
]

# ---------------------------------------------------------------------------------------------
# Duplicate addresses, one case per address type

DUPLICATES = [
    Case("duplicate-pci", Refused(1, r"interface 52:54:00:00:00:02", r"0000:00:05\.0"),
         text=domain(nic(1, pci()) + nic(2, pci())), libvirt="Attempted double use of PCI Address 0000:00:05.0"),
    Case("duplicate-pci-on-bridge", Refused(1, r"interface 52:54:00:00:00:02", r"0000:01:05\.0"),
         text=domain("<controller type='pci' index='1' model='pci-bridge'/>" + nic(1, pci(bus="0x01")) + nic(2, pci(bus="0x01"))),
         libvirt="Attempted double use of PCI Address 0000:01:05.0"),
    Case("duplicate-drive", Refused(1, r"disk 'sd[ab]'", r"duplicate|already|double"),
         text=domain("<controller type='scsi' index='0' model='virtio-scsi'/>" +
                     disk("sda", "scsi", "<address type='drive' controller='0' bus='0' target='0' unit='3'/>") +
                     disk("sdb", "scsi", "<address type='drive' controller='0' bus='0' target='0' unit='3'/>")),
         libvirt="Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' target='0' unit='3'"),
    Case("duplicate-usb", Refused(1, r"input #1", r"bus 0 port 1|duplicate|already"),
         text=domain("<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>"
                     "<input type='mouse' bus='usb'><address type='usb' bus='0' port='1'/></input>"),
         libvirt="Duplicate USB address bus 0 port 1"),
    Case("duplicate-virtio-serial", Refused(1, r"channel 'c1'", r"port 1|duplicate|already|in use"),
         text=domain("<channel type='pty'><target type='virtio' name='c0'/><address type='virtio-serial' controller='0' bus='0' port='1'/></channel>"
                     "<channel type='pty'><target type='virtio' name='c1'/><address type='virtio-serial' controller='0' bus='0' port='1'/></channel>")),
    # QEMU 7.2 has one CCID controller and one smartcard: the second is refused before its slot is looked at.
    Case("duplicate-ccid", Refused(1, r"smartcard #1", r"one smartcard|multiple smartcard"),
         text=domain("<smartcard mode='passthrough' type='spicevmc'><address type='ccid' controller='0' slot='0'/></smartcard>"
                     "<smartcard mode='passthrough' type='spicevmc'><address type='ccid' controller='0' slot='0'/></smartcard>")),
    Case("duplicate-dimm", Refused(1, r"memory #1", r"slot|duplicate|already|in use"),
         text=domain("<memory model='dimm'><target><size unit='KiB'>524288</size><node>0</node></target><address type='dimm' slot='0'/></memory>"
                     "<memory model='dimm'><target><size unit='KiB'>524288</size><node>0</node></target><address type='dimm' slot='0'/></memory>",
                     head="<maxMemory slots='16' unit='KiB'>16777216</maxMemory><cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>"),
         libvirt="memory device slot '0' is already being used by another memory device"),
    Case("duplicate-pci-controller-index", Refused(1, r"controller pci 1", r"index|multiple|duplicate"),
         text=domain("<controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='1' model='pci-bridge'/>"),
         libvirt="Multiple 'pci' controllers with index '1'"),
    Case("duplicate-disk-target", Refused(1, r"disk 'sda'", r"duplicat|used by another disk"),
         text=domain(disk("sda", "sata") + disk("sda", "scsi")), libvirt="target 'sda' duplicated"),
]

# ---------------------------------------------------------------------------------------------
# Unknown models and impossible controllers

MODELS = [
    Case("unknown-controller-type", Refused(1, r"controller", r"raw"),
         text=domain("<controller type='raw' index='0'/>"),
         libvirt="Invalid value for attribute 'type' in element 'controller': 'raw'."),
    Case("unknown-scsi-model", Refused(1, r"controller scsi 0", r"megasas"),
         text=domain("<controller type='scsi' index='0' model='megasas'/>"), libvirt="Unknown model type 'megasas'"),
    Case("unknown-usb-model", Refused(1, r"controller usb 0", r"usb-ehci"),
         text=domain("<controller type='usb' index='0' model='usb-ehci'/>"), libvirt="Unknown model type 'usb-ehci'"),
    Case("unknown-pci-model", Refused(1, r"controller pci 1", r"pci-frobnicator"),
         text=domain("<controller type='pci' index='1' model='pci-frobnicator'/>")),
    Case("unknown-machine", Refused(1, "", r"pc-frob"), text=domain(nic(1), machine="pc-frob")),
    Case("pci-controller-index-256", Refused(1, r"controller pci 256", r"256"),
         text=domain("<controller type='pci' index='256' model='pci-bridge'/>"),
         libvirt="PCI controller index 256 too high, maximum is 255"),
    Case("pci-address-on-bus-256", Refused(1, r"interface 52:54:00:00:00:01", r"bus"),
         text=domain(nic(1, pci(bus="256"))), libvirt="Invalid PCI address bus='0x100', must be <= 0xFF"),
    # A disk name or drive address can ask for any number of controllers:
    # thousands are added and then run out of PCI slots, as in libvirt (found
    # by the fuzzer, when adding them was quadratic); past what any guest can
    # have it is refused at once. (libvirt 9.0 wraps 4000000000 to a negative
    # controller number and accepts the disk.)
    Case("disk-name-asking-for-13875-sata-controllers", Refused(1, r"controller pci", r"PCI slot is needed"),
         text=domain(disk("sddsdc", "sata"), machine="q35"),
         libvirt="a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available"),
    Case("drive-controller-4000000000", Refused(1, r"disk 'sda'", r"sata controller 4000000000.*65536"),
         text=domain(disk("sda", "sata", "<address type='drive' controller='4000000000' bus='0' target='0' unit='0'/>"),
                     machine="q35")),
]

# ---------------------------------------------------------------------------------------------
# Topology: bridges in loops, ports past the end

TOPOLOGY = [
    Case("bridge-into-itself", Refused(1, r"controller pci 1", r"index must be larger than bus|itself|bus"),
         text=domain("<controller type='pci' index='1' model='pci-bridge'>" + pci(bus="0x01", slot="0x01") + "</controller>"),
         libvirt="PCI controller at index 1 (0x01) has bus='0x01', but index must be larger than bus"),
    Case("bridges-in-a-cycle", Refused(1, r"controller pci [12]", r"index must be larger than bus|cycle|bus"),
         text=domain("<controller type='pci' index='1' model='pci-bridge'>" + pci(bus="0x02", slot="0x01") + "</controller>"
                     "<controller type='pci' index='2' model='pci-bridge'>" + pci(bus="0x01", slot="0x01") + "</controller>"),
         libvirt="PCI controller at index 1 (0x01) has bus='0x02', but index must be larger than bus"),
    Case("root-port-into-itself-q35", Refused(1, r"controller pci 1", r"cannot be plugged into the PCI controller with index='1'"),
         text=domain("<controller type='pci' index='1' model='pcie-root-port'>" + pci(bus="0x01", slot="0x00") + "</controller>",
                     machine="q35")),
    # libvirt 9.0 accepts switch ports plugged into each other (its own
    # placement even puts an upstream port into its own downstream port when
    # no root port is declared); guestaddr follows libvirt and keeps them.
    Case("switch-cycle-q35", Accepted(has(r"model='pcie-switch-upstream-port'")),
         text=domain("<controller type='pci' index='1' model='pcie-root-port'/>"
                     "<controller type='pci' index='2' model='pcie-switch-upstream-port'>" + pci(bus="0x03", slot="0x00") + "</controller>"
                     "<controller type='pci' index='3' model='pcie-switch-downstream-port'>" + pci(bus="0x02", slot="0x00") + "</controller>",
                     machine="q35")),
    Case("usb-port-past-piix3", Refused(1, r"input #0", r"port 3|port"),
         text=domain("<input type='tablet' bus='usb'><address type='usb' bus='0' port='3'/></input>")),
    Case("usb-hub-port-9", Refused(1, r"input #0", r"port"),
         text=domain("<hub type='usb'><address type='usb' bus='0' port='1'/></hub>"
                     "<input type='tablet' bus='usb'><address type='usb' bus='0' port='1.9'/></input>")),
    Case("usb-bus-missing", Refused(1, r"input #0", r"bus 1"),
         text=domain("<input type='tablet' bus='usb'><address type='usb' bus='1' port='1'/></input>"),
         libvirt="Missing USB bus 1"),
    Case("xhci-ports-16", Refused(1, r"controller usb 0", r"15"),
         text=domain("<controller type='usb' index='0' model='qemu-xhci' ports='16'/>"),
         libvirt="'qemu-xhci' controller only supports up to '15' ports"),
    Case("virtio-serial-port-31", Refused(1, r"channel 'c0'", r"port 31"),
         text=domain("<channel type='pty'><target type='virtio' name='c0'/><address type='virtio-serial' controller='0' bus='0' port='31'/></channel>"),
         libvirt="virtio serial controller 0 does not have port 31"),
    Case("virtio-serial-port-past-ports", Refused(1, r"channel 'c0'", r"port 4"),
         text=domain("<controller type='virtio-serial' index='0' ports='4'/><channel type='pty'><target type='virtio' name='c0'/>"
                     "<address type='virtio-serial' controller='0' bus='0' port='4'/></channel>"),
         libvirt="virtio serial controller 0 does not have port 4"),
    Case("root-port-slot-1", Refused(1, r"interface 52:54:00:00:00:01", r"slot must be <= 0|slot"),
         text=domain("<controller type='pci' index='1' model='pcie-root-port'/>" + nic(1, pci(bus="0x01", slot="0x01")), machine="q35"),
         libvirt="Invalid PCI address 0000:01:01.0. slot must be <= 0"),
    Case("bridge-slot-0", Refused(1, r"interface 52:54:00:00:00:01", r"slot must be >= 1|slot"),
         text=domain("<controller type='pci' index='1' model='pci-bridge'/>" + nic(1, pci(bus="0x01", slot="0x00", function="0x1"))),
         libvirt="Invalid PCI address 0000:01:00.1. slot must be >= 1"),
    Case("isa-serial-port-4", Refused(1, r"serial", r"4"),
         text=domain("<serial type='pty'><target type='isa-serial' port='4'/></serial>"),
         libvirt="Maximum supported number of ISA serial ports is '4'"),
]

# ---------------------------------------------------------------------------------------------
# Many devices

def many_channels(n):
    channels = "".join(f"<channel type='pty'><target type='virtio' name='c{i}'/></channel>" for i in range(n))
    return domain(f"<controller type='virtio-serial' index='0' ports='{n}'/>" + channels)


def many_nics(n):
    return domain("".join(nic(i) for i in range(n)))


def count_addresses(kind, n):
    def check(out):
        got = out.count(f"<address type='{kind}'")
        return None if got >= n else f"{got} {kind} addresses, wanted at least {n}"
    return check


MANY = [
    Case("20000-channels", Accepted(both(count_addresses("virtio-serial", 20000), has(r"name='c19998'/>\s*<address type='virtio-serial' controller='0' bus='0' port='19999'/>",
                                                                         r"name='c19999'/>\s*<address type='virtio-serial' controller='1' bus='0' port='1'/>"))),
         text=lambda: many_channels(20000), timeout=60),
    # libvirt adds pci-bridges to pc only on bus 0: past ~900 PCI devices it gives up.
    Case("5000-nics-pc", Refused(1, r"controller pci \d+", r"a PCI slot is needed to connect a PCI controller model='pci-bridge'"),
         text=lambda: many_nics(5000), timeout=60,
         libvirt="a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available, and it cannot be automatically added"),
    Case("20000-nics-pc", Refused(1, r"controller pci \d+", r"a PCI slot is needed to connect a PCI controller model='pci-bridge'"),
         text=lambda: many_nics(20000), timeout=60,
         libvirt="a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available, and it cannot be automatically added"),
    Case("20000-nics-pc-with-bridges", Refused(1, r"(interface 52:54:00:\w\w:\w\w:\w\w|controller pci \d+)", r"PCI|slot|bus"),
         text=lambda: domain("".join(f"<controller type='pci' index='{i}' model='pci-bridge'/>" for i in range(1, 256))
                             + "".join(nic(i) for i in range(20000))), timeout=60,
         notes="more PCI devices than 255 bridges of 31 slots hold"),
]

# ---------------------------------------------------------------------------------------------
# s390x: CCW device numbers and zPCI ids

def s390x(devices):
    return domain(devices, machine="s390-ccw-virtio", arch="s390x")


def ccw(cssid="0xfe", ssid="0x0", devno="0x0001"):
    return f"<address type='ccw' cssid='{cssid}' ssid='{ssid}' devno='{devno}'/>"


def zpci(attributes):
    return f"<address type='pci'><zpci {attributes}/></address>"


S390X = [
    Case("s390x-ccw-devno-past-ffff", Refused(1, r"disk 'vda'", r"invalid CCW address"),
         text=s390x(disk("vda", "virtio", ccw(devno="0x10000"))),
         libvirt="Invalid specification for virtio ccw address: cssid='0xfe' ssid='0x0' devno='0x10000'"),
    Case("s390x-ccw-devno-past-32-bits", Refused(1, r"disk 'vda'", r"invalid CCW address"),
         text=s390x(disk("vda", "virtio", ccw(devno="0x1ffffffff"))),
         libvirt="Invalid value for attribute 'devno' in element 'address': '0x1ffffffff'. Expected non-negative integer value"),
    Case("s390x-ccw-devno-negative", Refused(1, r"disk 'vda'", r"invalid CCW address"),
         text=s390x(disk("vda", "virtio", ccw(devno="-1"))),
         libvirt="Invalid value for attribute 'devno' in element 'address': '-1'. Expected non-negative integer value"),
    Case("s390x-ccw-ssid-4", Refused(1, r"disk 'vda'", r"invalid CCW address"),
         text=s390x(disk("vda", "virtio", ccw(ssid="4"))),
         libvirt="Invalid specification for virtio ccw address: cssid='0xfe' ssid='0x4' devno='0x0001'"),
    Case("s390x-ccw-partial", Refused(1, r"disk 'vda'", r"needs all of cssid, ssid and devno"),
         text=s390x(disk("vda", "virtio", "<address type='ccw' cssid='0xfe' devno='0x0001'/>")),
         libvirt="Invalid partial specification for virtio ccw address"),
    Case("s390x-ccw-duplicate", Refused(1, r"interface 52:54:00:00:00:01", r"CCW device number fe\.0\.0001 is already in use"),
         text=s390x(disk("vda", "virtio", ccw()) + nic(1, ccw())),
         libvirt="The CCW devno 'fe.0.0001' is in use already"),
    Case("s390x-ccw-devnos-run-out", Refused(1, r"memballoon #0", r"no free CCW device number"),
         text=lambda: s390x(disk("vda", "virtio") + "".join(nic(i) for i in range(65535))), timeout=60,
         notes="65,537 virtio devices with the implicit balloon: one more than devno 0x0000-0xffff"),
    Case("s390x-zpci-uid-0", Refused(1, r"disk 'vda'", r"invalid zPCI uid"),
         text=s390x(disk("vda", "virtio", zpci("uid='0x0' fid='0x5'"))),
         libvirt="Invalid PCI address uid='0x0000', must be > 0x0000 and <= 0xffff"),
    Case("s390x-zpci-uid-past-ffff", Refused(1, r"disk 'vda'", r"invalid zPCI uid"),
         text=s390x(disk("vda", "virtio", zpci("uid='0x10000'")))),
    Case("s390x-zpci-fid-past-32-bits", Refused(1, r"disk 'vda'", r"not a number"),
         text=s390x(disk("vda", "virtio", zpci("fid='0x100000000'"))),
         libvirt="Invalid value for attribute 'fid' in element 'zpci': '0x100000000'. Expected non-negative integer value"),
    Case("s390x-zpci-duplicate-fid", Refused(1, r"interface 52:54:00:00:00:01", r"zPCI fid 0x7 is already in use"),
         text=s390x(disk("vda", "virtio", zpci("fid='7'")) + nic(1, zpci("fid='0x7'"))),
         libvirt="zPCI fid 7 is already reserved"),
    Case("s390x-zpci-on-pc", Refused(1, r"interface 52:54:00:00:00:01", r"only for s390x"),
         text=domain(nic(1, "<address type='pci' domain='0' bus='0' slot='5'><zpci uid='3' fid='4'/></address>")),
         libvirt="This QEMU binary doesn't support zPCI"),
    Case("riscv64-spike-argv-refused", Refused(1, "", r"is made for x86_64 .* guests, not for riscv64 machine spike"),
         text=domain(nic(1), machine="spike", arch="riscv64"),
         args=("argv",)),
]
# ---------------------------------------------------------------------------------------------
# Well-formedness: every kind of malformation XML 1.0 names (its grammar and its well-formedness
# constraints), each with libxml2's verdict as `xmllint --noout` gives it ("LINE: message", or "ok"),
# checked against the installed xmllint by `hostile_test.py --xmllint` (ctest hostile.xmllint-verdicts).
# guestaddr refuses what xmllint refuses, at the same line; where they differ the notes say why.

def malformed(name, text, xmllint, problem, line=None, notes=""):
    """Refused as not well-formed, at xmllint's line unless `line` says otherwise (guestaddr names the
    line where an unclosed element, comment or section opens; libxml2 names the end of the input)."""
    at = line if line is not None else int(xmllint.split(":")[0])
    return Case(name, Refused(1, "", rf"malformed XML at line {at}, column \d+: .*{problem}"), text=text,
                xmllint=xmllint, notes=notes)


def well_formed(name, text, check, notes=""):
    return Case(name, Accepted(check), text=text, xmllint="ok", notes=notes)


def in_name(value):
    return domain(nic(1)).replace("<name>hostile</name>", f"<name>{value}</name>")


def in_attribute(value):
    return domain(disk("vda", "virtio").replace("/var/lib/hostile/vda.img", value))


def in_devices(markup):
    return domain(nic(1) + "\n" + markup)


DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
NIC_PCI = pci().replace("/>", " slot='0x06'/>")

WELL_FORMED = [
    # Unique Att Spec
    malformed("attribute-twice", domain(nic(1, NIC_PCI)), '4: Attribute slot redefined', r"attribute 'slot' is given twice"),
    malformed("attribute-twice-other-quotes", domain(nic(1).replace("<model type='virtio'/>", "<model type='virtio' type=\"e1000\"/>")),
              '4: Attribute type redefined', r"attribute 'type' is given twice"),
    malformed("attribute-twice-among-many", domain(nic(1).replace("<model type='virtio'/>", "<model " + " ".join(f"a{i}='{i}'" for i in range(40)) + " a17='x'/>")),
              '4: Attribute a17 redefined', r"attribute 'a17' is given twice"),
    # Entity Declared, and References
    malformed("bare-ampersand-in-text", domain(nic(1), head="<description>salt & pepper</description>"), '1: xmlParseEntityRef: no name', r"bare '&'"),
    malformed("bare-ampersand-in-attribute", in_attribute("/var/lib/a&b.img"), "4: EntityRef: expecting ';'", r"bare '&'"),
    malformed("ampersand-at-end-of-text", domain(nic(1), head="<description>a&</description>"), '1: xmlParseEntityRef: no name', r"bare '&'"),
    malformed("entity-without-semicolon", domain(nic(1), head="<description>&amp b</description>"), "1: EntityRef: expecting ';'", r"bare '&'"),
    malformed("entity-in-attribute-without-semicolon", in_attribute("/var/lib/a&lt.img"), "4: EntityRef: expecting ';'", r"bare '&'"),
    malformed("undeclared-entity-in-attribute", in_attribute("/var/lib/&nbsp;.img"), "4: Entity 'nbsp' not defined", r"entity '&nbsp;' is not defined"),
    well_formed("predefined-entities", domain(nic(1), head="<description>&lt;&gt;&amp;&apos;&quot;</description>"),
                has(r"<description>&lt;&gt;&amp;'\"</description>")),
    # Legal Character: character references
    malformed("charref-nul", in_name("a&#0;b"), '1: xmlParseCharRef: invalid xmlChar value 0', r"'&#0;' names a character XML 1.0 does not allow"),
    malformed("charref-nul-hex", in_name("a&#x0;b"), '1: xmlParseCharRef: invalid xmlChar value 0', r"'&#x0;'"),
    malformed("charref-control-1", in_name("&#1;"), '1: xmlParseCharRef: invalid xmlChar value 1', r"'&#1;'"),
    malformed("charref-control-1f", in_attribute("/a&#x1F;.img"), '4: xmlParseCharRef: invalid xmlChar value 31', r"'&#x1F;'"),
    malformed("charref-surrogate", in_name("&#xD800;"), '1: xmlParseCharRef: invalid xmlChar value 55296', r"'&#xD800;'"),
    malformed("charref-fffe", in_name("&#xFFFE;"), '1: xmlParseCharRef: invalid xmlChar value 65534', r"'&#xFFFE;'"),
    malformed("charref-ffff", in_name("&#65535;"), '1: xmlParseCharRef: invalid xmlChar value 65535', r"'&#65535;'"),
    malformed("charref-past-10ffff", in_name("&#x110000;"), '1: xmlParseCharRef: character reference out of bounds', r"'&#x110000;'"),
    malformed("charref-huge", in_name("&#99999999999999999999;"), '1: xmlParseCharRef: character reference out of bounds', r"'&#99999999999999999999;'"),
    malformed("charref-empty", in_name("&#;"), '1: xmlParseCharRef: invalid xmlChar value 0', r"malformed character reference"),
    malformed("charref-empty-hex", in_name("&#x;"), '1: xmlParseCharRef: invalid xmlChar value 0', r"malformed character reference"),
    malformed("charref-capital-x", in_name("&#X41;"), '1: CharRef: invalid decimal value', r"malformed character reference"),
    malformed("charref-hex-digit-in-decimal", in_name("&#1a;"), '1: CharRef: invalid decimal value', r"malformed character reference"),
    malformed("charref-unterminated", in_name("&#65 "), '1: CharRef: invalid decimal value', r"malformed character reference"),
    well_formed("charref-allowed", in_name("&#x9;&#10;&#xD;&#x20;&#xE9;&#x10FFFF;x"),
                has("<name>\t\n\r \u00e9\U0010ffffx</name>"), notes="tab, line break, carriage return and U+10FFFF are Chars"),
    # Char: raw characters XML 1.0 does not have
    malformed("control-1-in-name", in_name("bad\x01name"), '1: PCDATA invalid Char value 1', r"character U\+0001 is not allowed",
              notes="the input of issue 12: guestaddr wrote it back as &#01;, which no XML parser reads"),
    malformed("control-1-in-attribute", in_attribute("/var/lib/a\x01.img"), '4: invalid character in attribute value', r"character U\+0001"),
    malformed("control-vertical-tab", in_name("a\x0bb"), '1: PCDATA invalid Char value 11', r"character U\+000B"),
    malformed("control-form-feed-in-comment", domain(nic(1), head="<!-- a\x0cb -->"), '1: xmlParseComment: invalid xmlChar value 12', r"character U\+000C"),
    malformed("control-1f-in-cdata", domain(nic(1), head="<description><![CDATA[a\x1fb]]></description>"), '1: Unregistered error message', r"character U\+001F"),
    malformed("control-in-processing-instruction", domain(nic(1), head="<?pi a\x02b?>"), '1: ParsePI: PI pi never end ...', r"character U\+0002"),
    malformed("utf8-fffe", in_name("a\ufffeb"), '1: Char 0xFFFE out of allowed range', r"character U\+FFFE"),
    malformed("utf8-ffff", in_attribute("/a\uffff.img"), '4: Char 0xFFFF out of allowed range', r"character U\+FFFF"),
    well_formed("c1-controls-allowed", in_name("a\u0085\u009fb"), has("<name>a\u0085\u009fb</name>"),
                notes="XML 1.0 (not 1.1) allows U+007F-U+009F raw"),
    # Not UTF-8
    malformed("utf8-overlong", in_name("a").encode() .replace(b"<name>a", b"<name>a\xc0\xaf"), '1: Input is not proper UTF-8, indicate encoding !', r"not UTF-8"),
    malformed("utf8-encoded-surrogate", in_name("a").encode().replace(b"<name>a", b"<name>a\xed\xa0\x80"), '1: Char 0xD800 out of allowed range', r"not UTF-8"),
    malformed("utf8-past-10ffff", in_name("a").encode().replace(b"<name>a", b"<name>a\xf4\x90\x80\x80"), '1: Char 0x110000 out of allowed range', r"not UTF-8"),
    malformed("utf8-truncated-sequence", in_name("a").encode().replace(b"<name>a", b"<name>a\xe2\x82"), '1: Input is not proper UTF-8, indicate encoding !', r"not UTF-8"),
    malformed("utf8-lone-continuation", in_attribute("/a").encode().replace(b"/a'", b"/a\x80'"), '4: Input is not proper UTF-8, indicate encoding !', r"not UTF-8"),
    malformed("utf8-invalid-in-element-name", domain(nic(1)).encode().replace(b"<os>", b"<o\xffs>").replace(b"</os>", b"</o\xffs>"),
              '2: Input is not proper UTF-8, indicate encoding !', r"not UTF-8"),
    # The XML declaration (XMLDecl, VersionInfo, EncodingDecl, SDDecl)
    well_formed("declaration", DECLARATION + GOOD, has(r"^<domain type='kvm'>")),
    well_formed("declaration-utf8-lowercase", "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" + GOOD,
                has(r"^<domain type='kvm'>")),
    well_formed("declaration-version-1.1", "<?xml version='1.1'?>\n" + GOOD, has(r"^<domain type='kvm'>"),
                notes="libxml2 warns (Unsupported version '1.1') and reads it as 1.0"),
    malformed("encoding-unknown", "<?xml version='1.0' encoding='no-such-encoding'?>\n" + GOOD, '1: Unsupported encoding no-such-encoding', r"encoding 'no-such-encoding'"),
    malformed("encoding-not-a-name", "<?xml version='1.0' encoding='8bit'?>\n" + GOOD, '1: Invalid XML encoding name', r"'8bit' is not an encoding name"),
    Case("encoding-latin1", Refused(1, "", r"malformed XML at line 1, column \d+: encoding 'ISO-8859-1' is not supported: guestaddr reads UTF-8 only"),
         text="<?xml version='1.0' encoding='ISO-8859-1'?>\n" + GOOD, xmllint="ok",
         notes="well-formed, and libxml2 would convert it; guestaddr reads UTF-8 only and says so"),
    malformed("version-missing", "<?xml encoding='UTF-8'?>\n" + GOOD, '1: Malformed declaration expecting version', r"must start with version"),
    malformed("version-2.0", "<?xml version='2.0'?>\n" + GOOD, "1: Unsupported version '2.0'", r"XML version '2.0' is not 1.x"),
    malformed("version-without-minor", "<?xml version='1'?>\n" + GOOD, '1: Malformed declaration expecting version', r"XML version '1' is not 1.x"),
    malformed("version-unquoted", "<?xml version=1.0?>\n" + GOOD, '1: String not started expecting \' or "', r"must be quoted"),
    malformed("standalone-maybe", "<?xml version='1.0' standalone='maybe'?>\n" + GOOD, "1: standalone accepts only 'yes' or 'no'", r"standalone='maybe'"),
    malformed("declaration-out-of-order", "<?xml version='1.0' standalone='yes' encoding='UTF-8'?>\n" + GOOD, "1: parsing XML declaration: '?>' expected", r"in that order"),
    malformed("declaration-unknown-pseudo-attribute", "<?xml version='1.0' flavour='x'?>\n" + GOOD, "1: parsing XML declaration: '?>' expected", r"must end with '\?>'"),
    malformed("declaration-unclosed", "<?xml version='1.0'\n" + GOOD, "2: parsing XML declaration: '?>' expected", r"must end with '\?>'"),
    malformed("declaration-after-space", " " + DECLARATION + GOOD, '1: XML declaration allowed only at the start of the document', r"only allowed at the very start"),
    malformed("declaration-after-comment", "<!-- first -->" + DECLARATION + GOOD, '1: XML declaration allowed only at the start of the document', r"only allowed at the very start"),
    malformed("declaration-in-devices", in_devices(DECLARATION), '5: XML declaration allowed only at the start of the document', r"only allowed at the very start"),
    malformed("processing-instruction-named-XmL", in_devices("<?XmL x?>"), '5: Invalid PI name', r"only allowed at the very start"),
    # Byte order marks
    well_formed("bom-utf8", "\ufeff" + DECLARATION + GOOD, has(r"^<domain type='kvm'>")),
    malformed("bom-twice", "\ufeff\ufeff" + GOOD, "1: Start tag expected, '<' not found", r"root element expected"),
    Case("bom-utf16", Refused(1, "", r"UTF-16: guestaddr reads UTF-8 only"), text=("\ufeff" + GOOD).encode("utf-16-le"), xmllint="ok",
         notes="well-formed UTF-16; libvirt reads the file as a C string and refuses it too"),
    # document ::= prolog element Misc*
    malformed("text-before-root", "junk" + GOOD, "1: Start tag expected, '<' not found", r"root element expected"),
    malformed("no-root-after-declaration", DECLARATION, "2: Start tag expected, '<' not found", r"no root element"),
    malformed("only-a-comment", "<!-- nothing -->\n", "2: Start tag expected, '<' not found", r"no root element"),
    malformed("text-after-root", GOOD + "trailing", '6: Extra content at the end of the document', r"content after the root element"),
    malformed("reference-after-root", GOOD + "&amp;", '6: Extra content at the end of the document', r"content after the root element"),
    malformed("cdata-after-root", GOOD + "<![CDATA[x]]>", '6: Extra content at the end of the document', r"content after the root element"),
    malformed("element-after-root", GOOD + "<domain/>", '6: Extra content at the end of the document', r"content after the root element"),
    well_formed("misc-after-root", GOOD + "<!-- done -->\n<?pi data?>\n  ", has(r"^<domain type='kvm'>")),
    well_formed("misc-before-root", DECLARATION + "<!-- c -->\n<?xml-stylesheet href='s.xsl'?>\n" + GOOD,
                has(r"^<domain type='kvm'>"), notes="a PI whose name only starts with xml is allowed (libxml2 warns)"),
    # Element Type Match, and tags
    malformed("mismatched-tag", in_name("x").replace("</name>", "</nmae>"), '1: Opening and ending tag mismatch: name line 1 and nmae', r"closing tag (</nmae> )?does not match"),
    malformed("tags-crossed", in_devices("<interface type='user'><model type='virtio'></interface></model>"),
              '5: Opening and ending tag mismatch: model line 5 and interface', r"closing tag (</interface> )?does not match"),
    malformed("unclosed-root", GOOD.replace("</domain>", ""), '6: Premature end of data in tag domain line 1', r"closing tag does not match the element it closes", line=5,
              notes="guestaddr finds it where </devices> closes what is open: <domain>'s end tag is missing"),
    malformed("unclosed-tag-at-end", GOOD.replace("</devices></domain>\n", "</devices></domain"), "5: expected '>'", r"'>' expected"),
    malformed("start-tag-unclosed", GOOD[:GOOD.index("<devices>") + 8], "3: Couldn't find end of Start Tag devices line 3", r"the tag <devices> is not closed"),
    malformed("end-tag-with-attribute", in_name("x").replace("</name>", "</name a='1'>"), "1: expected '>'", r"malformed closing tag|'>' expected to end the closing tag"),
    malformed("end-tag-without-name", in_name("x").replace("</name>", "</>"), '1: Opening and ending tag mismatch: name line 1 and unparsable', r"an element name after '</' expected|closing tag does not match"),
    well_formed("end-tag-with-space", in_name("x").replace("</name>", "</name \n>"), has(r"<name>x</name>")),
    malformed("empty-tag-name", in_devices("<>"), '5: StartTag: invalid element name', r"an element name expected"),
    malformed("space-before-tag-name", in_devices("< interface/>"), '5: StartTag: invalid element name', r"an element name expected"),
    malformed("slash-in-wrong-place", in_devices("<interface / >"), '5: error parsing attribute name', r"white space, '>' or '/>' expected|malformed start tag"),
    # Names
    malformed("element-name-starts-with-digit", in_devices("<1disk/>"), '5: StartTag: invalid element name', r"an element name expected"),
    malformed("element-name-starts-with-hyphen", in_devices("<-disk/>"), '5: StartTag: invalid element name', r"an element name expected"),
    malformed("element-name-with-at-sign", in_devices("<di@sk/>"), '5: error parsing attribute name', r"white space, '>' or '/>' expected in the tag <di>|malformed start tag"),
    malformed("attribute-name-starts-with-digit", domain(nic(1, "<address type='pci' 1slot='0x05'/>")), '4: error parsing attribute name', r"an attribute name in <address> expected|malformed start tag"),
    well_formed("names-beyond-ascii", domain(nic(1), head="<metadata><é:ünïcode xmlns:é='urn:x' ñ·-.9='v'/></metadata>"),
                has(r"<é:ünïcode xmlns:é='urn:x' ñ·-.9='v'/>")),
    # Attributes: AttValue and No < in Attribute Values
    malformed("lt-in-attribute", in_attribute("/var/lib/a<b.img"), "4: Unescaped '<' not allowed in attributes values", r"'<' is not allowed in the value of attribute 'file'"),
    malformed("cdata-in-attribute", in_attribute("<![CDATA[x]]>"), "4: Unescaped '<' not allowed in attributes values", r"'<' is not allowed in the value"),
    malformed("attribute-unquoted", domain(nic(1, "<address type=pci/>")), '4: AttValue: " or \' expected', r"malformed attribute|must be quoted"),
    malformed("attribute-without-value", domain(nic(1, "<address type/>")), '4: Specification mandates value for attribute type', r"malformed attribute|has no value"),
    malformed("attributes-without-space", domain(nic(1, "<address type='pci'slot='5'/>")), '4: attributes construct error', r"malformed attribute|white space, '>' or '/>' expected"),
    malformed("attribute-value-unclosed", domain(nic(1, "<address type='pci/>")), "4: Unescaped '<' not allowed in attributes values", r"malformed attribute|'<' is not allowed|not closed"),
    well_formed("gt-and-quotes-in-attribute", in_attribute("/a>b\"c'.img".replace("'", "&apos;")), has(r"file='/a>b\"c&apos;\.img'")),
    # Comments
    malformed("comment-double-hyphen", domain(nic(1), head="<!-- a -- b -->"), '1: Double hyphen within comment: <!-- a', r"'--' is not allowed inside a comment"),
    malformed("comment-ending-in-three-hyphens", domain(nic(1), head="<!-- a --->"), '1: Double hyphen within comment: <!-- a', r"'--' is not allowed inside a comment"),
    malformed("comment-unclosed", domain(nic(1), head="<!-- a "), '6: Comment not terminated', r"the comment is not closed", line=1),
    well_formed("comment-with-single-hyphens", domain(nic(1), head="<!-- a - b -->"), has(r"^<domain type='kvm'>")),
    # Processing instructions
    malformed("processing-instruction-unclosed", in_devices("<?pi data"), '7: ParsePI: PI pi never end ...', r"is not closed", line=5),
    malformed("processing-instruction-without-name", in_devices("<? data?>"), '5: xmlParsePI : no target name', r"a processing instruction name expected"),
    malformed("processing-instruction-without-space", in_devices("<?pi'data'?>"), '5: ParsePI: PI pi space expected', r"white space expected after <\?pi"),
    # CDATA sections
    malformed("cdata-end-in-text", domain(nic(1), head="<description>a ]]> b</description>"), "1: Sequence ']]>' not allowed in content", r"']]>' is not allowed in text"),
    malformed("cdata-unclosed", domain(nic(1), head="<description><![CDATA[abc</description>"), '6: CData section not finished', r"the CDATA section is not closed", line=1),
    malformed("cdata-before-root", "<![CDATA[x]]>" + GOOD, '1: StartTag: invalid element name', r"root element expected|an element name expected"),
    malformed("cdata-lowercase", domain(nic(1), head="<description><![cdata[x]]></description>"), '1: StartTag: invalid element name', r"a declaration is not allowed inside an element"),
    well_formed("cdata-with-markup", domain(nic(1), head="<description><![CDATA[<a & b>]]]]></description>"),
                has(r"<description><!\[CDATA\[<a & b>\]\]\]\]></description>")),
    # Declarations: no DTD, and none inside the document
    malformed("doctype-inside-element", in_devices("<!DOCTYPE x>"), '5: StartTag: invalid element name', r"a declaration is not allowed inside an element"),
    malformed("element-declaration-inside-element", in_devices("<!ELEMENT x ANY>"), '5: StartTag: invalid element name', r"a declaration is not allowed inside an element"),
    Case("internal-entity", Refused(1, "", r"DOCTYPE"), xmllint="ok",
         text="<!DOCTYPE domain [ <!ENTITY n 'named'> ]>\n" + in_name("&n;"),
         notes="well-formed; libvirt expands internal entities, guestaddr reads no DTD and refuses it"),
    # Nesting: libxml2 refuses an element 257 levels below the root
    well_formed("nesting-255-in-metadata", deep_nesting(255), has(r"<a>\s*<a>")),
    malformed("nesting-256-in-metadata", deep_nesting(256), '1: Excessive depth in document: 256 use XML_PARSE_HUGE option', r"nested deeper than 256 levels"),
]

# A definition that is well-formed but names no guest.
NAMES = [
    Case("no-name", Refused(1, "", r"missing name information"), text=GOOD.replace("<name>hostile</name>", ""),
         libvirt="missing name information"),
    Case("empty-name", Refused(1, "", r"missing name information"), text=GOOD.replace("<name>hostile</name>", "<name></name>"),
         libvirt="missing name information"),
    Case("namespace-prefix-undeclared", Accepted(has(r"<foo:bar/>")), text=domain(nic(1), head="<metadata><foo:bar/></metadata>"),
         xmllint="ok", notes="libxml2 reports a namespace error and takes the document; so does libvirt 9.0"),
]


CATALOGUE = FILES + DOCTYPE + SHAPE + number_cases() + RANGE + DUPLICATES + MODELS + TOPOLOGY + MANY + S390X + WELL_FORMED + NAMES
