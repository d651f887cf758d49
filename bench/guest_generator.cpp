#include "guest_generator.hpp"

#include <fmt/format.h>

namespace guestaddr::bench {
namespace {

constexpr std::size_t kPciShare = 5;            // one device in five is PCI
constexpr std::size_t kChannelsPerSerial = 1000;  // libvirt accepts large `ports`
constexpr std::size_t kSlotsPerBridge = 31;     // slot 0 of a pci-bridge is unusable
constexpr std::size_t kBus0Devices = 24;        // what fits on pc's bus 0 beside the built-in devices
constexpr std::size_t kDisksPerScsi = 7;        // libvirt's drive addresses: 7 units to a SCSI controller
constexpr std::size_t kChannelsPerDefaultSerial = 30;  // 31 ports, port 0 kept for a console

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

// libvirt's disk names: vda … vdz, vdaa … (bijective base 26).
std::string disk_name(std::size_t index, std::string_view prefix = "vd") {
    std::string suffix;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) suffix.insert(suffix.begin(), char('a' + (n - 1) % 26));
    return std::string(prefix) + suffix;
}

std::string virtio_model(Machine machine) { return machine == Machine::Q35 ? "virtio-transitional" : "virtio"; }

void add_nic(std::string& out, std::size_t n, Machine machine) {
    fmt::format_to(std::back_inserter(out),
                   "    <interface type='user'>\n      <mac address='52:54:00:{:02x}:{:02x}:{:02x}'/>\n"
                   "      <model type='{}'/>\n    </interface>\n",
                   (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, virtio_model(machine));
}

void add_disk(std::string& out, std::size_t n, Machine machine) {
    const std::string model = machine == Machine::Q35 ? " model='virtio-transitional'" : "";
    fmt::format_to(std::back_inserter(out),
                   "    <disk type='file' device='disk'{}>\n      <driver name='qemu' type='raw'/>\n"
                   "      <source file='/var/lib/guestaddr-bench/{}.img'/>\n"
                   "      <target dev='{}' bus='virtio'/>\n    </disk>\n",
                   model, disk_name(n), disk_name(n));
}

void add_channel(std::string& out, std::size_t n) {
    fmt::format_to(std::back_inserter(out),
                   "    <channel type='pty'>\n      <target type='virtio' name='org.guestaddr.bench.{}'/>\n"
                   "    </channel>\n",
                   n);
}

// pci-bridges from index `first` on, enough for `pci_devices` (each bridge
// takes a slot of its own, hence the spare one per bridge).
void add_bridges(std::string& out, std::size_t first, std::size_t pci_devices) {
    const std::size_t bridges = ceil_div(pci_devices, kSlotsPerBridge - 1);
    for (std::size_t i = 0; i < bridges; ++i)
        fmt::format_to(std::back_inserter(out), "    <controller type='pci' index='{}' model='pci-bridge'/>\n", first + i);
}

// libvirt adds pci-bridges to pc only on bus 0, so about 900 PCI devices at
// most; q35 gets PCIe root ports, one bus number per device. Past that the
// bridges are declared: on q35 behind pcie-root-port 1 ← pcie-to-pci-bridge 2.
void add_pci_capacity(std::string& out, Machine machine, std::size_t pci_devices) {
    if (machine == Machine::Pc) {
        if (pci_devices > kBus0Devices) add_bridges(out, 1, pci_devices);
        return;
    }
    out += "    <controller type='pci' index='1' model='pcie-root-port'/>\n";
    out += "    <controller type='pci' index='2' model='pcie-to-pci-bridge'/>\n";
    add_bridges(out, 3, pci_devices);
}

void add_serial_capacity(std::string& out, std::size_t channels) {
    // Port 0 of a virtio-serial controller is kept for a console.
    for (std::size_t i = 0; i < ceil_div(channels, kChannelsPerSerial); ++i)
        fmt::format_to(std::back_inserter(out), "    <controller type='virtio-serial' index='{}' ports='{}'/>\n", i,
                       kChannelsPerSerial + 1);
}

void add_header(std::string& out, std::string_view shape, std::size_t devices, Machine machine) {
    const char* name = machine == Machine::Q35 ? "q35" : "pc";
    fmt::format_to(std::back_inserter(out),
                   "<domain type='kvm'>\n  <name>bench-{}{}-{}</name>\n  <memory unit='KiB'>4194304</memory>\n"
                   "  <vcpu placement='static'>4</vcpu>\n  <os>\n    <type arch='x86_64' machine='{}'>hvm</type>\n"
                   "  </os>\n  <devices>\n",
                   shape, name, devices, name);
}

std::string channels_guest(std::size_t devices, Machine machine) {
    const std::size_t pci_devices = ceil_div(devices, kPciShare);
    const std::size_t channels = devices - pci_devices;
    std::string out;
    out.reserve(devices * 160 + 1024);
    add_header(out, "", devices, machine);
    add_pci_capacity(out, machine, pci_devices);
    add_serial_capacity(out, channels);
    for (std::size_t i = 0; i < pci_devices; ++i) {
        if (i % 2 == 0) add_nic(out, i / 2, machine);
        else add_disk(out, i / 2, machine);
    }
    for (std::size_t i = 0; i < channels; ++i) add_channel(out, i);
    out += "  </devices>\n</domain>\n";
    return out;
}

void add_scsi_disk(std::string& out, std::size_t n) {
    const std::string name = disk_name(n, "sd");
    fmt::format_to(std::back_inserter(out),
                   "    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n"
                   "      <source file='/var/lib/guestaddr-bench/{}.img'/>\n"
                   "      <target dev='{}' bus='scsi'/>\n    </disk>\n",
                   name, name);
}

// `count` controllers of `type`, indexes 0 on; on q35 of the transitional
// virtio model, which fits the conventional PCI slots of the pci-bridges.
void add_controllers(std::string& out, std::string_view type, std::string_view pc_model, std::size_t count,
                     Machine machine) {
    const std::string_view model = machine == Machine::Q35 ? "virtio-transitional" : pc_model;
    for (std::size_t i = 0; i < count; ++i) {
        fmt::format_to(std::back_inserter(out), "    <controller type='{}' index='{}'", type, i);
        if (!model.empty()) fmt::format_to(std::back_inserter(out), " model='{}'", model);
        out += "/>\n";
    }
}

std::string controllers_guest(std::size_t devices, Machine machine, bool declare_scsi) {
    const std::size_t disks = devices * 2 / 5;
    const std::size_t nics = devices / 10;
    const std::size_t channels = devices - disks - nics;
    const std::size_t scsi = ceil_div(disks, kDisksPerScsi);
    const std::size_t serial = ceil_div(channels, kChannelsPerDefaultSerial);
    std::string out;
    out.reserve(devices * 170 + 1024);
    add_header(out, "controllers-", devices, machine);
    add_pci_capacity(out, machine, scsi + serial + nics);
    if (declare_scsi) add_controllers(out, "scsi", "virtio-scsi", scsi, machine);
    add_controllers(out, "virtio-serial", "", serial, machine);
    for (std::size_t i = 0; i < disks; ++i) add_scsi_disk(out, i);
    for (std::size_t i = 0; i < nics; ++i) add_nic(out, i, machine);
    for (std::size_t i = 0; i < channels; ++i) add_channel(out, i);
    out += "  </devices>\n</domain>\n";
    return out;
}

}  // namespace

bool machine_from_name(std::string_view name, Machine& machine) {
    if (name == "pc") machine = Machine::Pc;
    else if (name == "q35") machine = Machine::Q35;
    else return false;
    return true;
}

bool shape_from_name(std::string_view name, Shape& shape) {
    if (name == "channels") shape = Shape::Channels;
    else if (name == "controllers") shape = Shape::Controllers;
    else if (name == "implicit-controllers") shape = Shape::ImplicitControllers;
    else return false;
    return true;
}

std::string make_guest(std::size_t devices, Machine machine, Shape shape) {
    if (shape == Shape::Channels) return channels_guest(devices, machine);
    return controllers_guest(devices, machine, shape == Shape::Controllers);
}

}  // namespace guestaddr::bench
