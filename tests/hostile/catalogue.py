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
    text: Union[str, bytes, None] = None
    setup: Optional[Callable[[str], str]] = None   # makes the input in a temp dir, returns the path
    args: tuple = ("assign",)
    stdin: bool = False
    timeout: float = 30.0
    libvirt: str = ""          # libvirt 9.0's message, where it refuses the same input
    notes: str = ""


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
         text=many_channels(20000), timeout=60),
    # libvirt adds pci-bridges to pc only on bus 0: past ~900 PCI devices it gives up.
    Case("5000-nics-pc", Refused(1, r"controller pci \d+", r"a PCI slot is needed to connect a PCI controller model='pci-bridge'"),
         text=many_nics(5000), timeout=60,
         libvirt="a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available, and it cannot be automatically added"),
    Case("20000-nics-pc", Refused(1, r"controller pci \d+", r"a PCI slot is needed to connect a PCI controller model='pci-bridge'"),
         text=many_nics(20000), timeout=60,
         libvirt="a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available, and it cannot be automatically added"),
    Case("20000-nics-pc-with-bridges", Refused(1, r"(interface 52:54:00:\w\w:\w\w:\w\w|controller pci \d+)", r"PCI|slot|bus"),
         text=domain("".join(f"<controller type='pci' index='{i}' model='pci-bridge'/>" for i in range(1, 256))
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
         text=s390x(disk("vda", "virtio") + "".join(nic(i) for i in range(65535))), timeout=60,
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
    Case("s390x-argv-refused", Refused(1, "", r"only made for x86 guests"), text=s390x(nic(1)), args=("argv",)),
]

CATALOGUE = FILES + DOCTYPE + SHAPE + number_cases() + RANGE + DUPLICATES + MODELS + TOPOLOGY + MANY + S390X
