#include "qemu/device_properties.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "qemu/backends.hpp"
#include "qemu/placement.hpp"
#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Element;

// <iommu><driver> attributes and the intel-iommu properties they set.
struct IommuOption {
    std::string_view xml;
    std::string_view qemu;
};
constexpr IommuOption kIommuOptions[]{
    {"intremap", "intremap"}, {"caching_mode", "caching-mode"}, {"eim", "eim"},
    {"iotlb", "device-iotlb"}, {"aw_bits", "aw-bits"},
};

// libvirt 9.0 creates one audio backend, "audio1", for every sound device.
constexpr const char* kAudiodev = "audio1";

unsigned long long number(std::string_view text, unsigned long long fallback) {
    return text.empty() ? fallback : std::stoull(std::string(text), nullptr, 0);
}

// An attribute of a child element as a number ("<model vram='16384'>").
unsigned long long child_number(const Element& e, std::string_view path, std::string_view key,
                                unsigned long long fallback) {
    const Element* c = e.find(path);
    return c == nullptr ? fallback : number(c->attribute_or(key, ""), fallback);
}

// 9p access modes: libvirt's 'squash' is QEMU's 'none'.
std::string security_model(std::string_view accessmode) {
    return accessmode == "squash" ? "none" : std::string(accessmode);
}

void add_bootindex(DeviceBuild& b) {
    if (const Element* boot = b.element.child("boot"))
        b.props["bootindex"] = number(boot->attribute_or("order", ""), 0);
    else if (const unsigned index = b.source.boot_indexes[b.index]; index != 0)
        b.props["bootindex"] = index;
}

// "0000:06:12.5" from a <source><address domain bus slot function>.
std::string host_pci_address(const Element* a) {
    if (a == nullptr) return {};
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", number(a->attribute_or("domain", ""), 0),
                       number(a->attribute_or("bus", ""), 0), number(a->attribute_or("slot", ""), 0),
                       number(a->attribute_or("function", ""), 0));
}

// Video memory as each display device takes it: qxl in bytes and MiB, VGA
// in MiB, bochs in bytes; sizes in the XML are KiB (libvirt's defaults).
void add_video_memory(DeviceBuild& b) {
    const Element& e = b.element;
    const unsigned long long heads = child_number(e, "model", "heads", 1);
    if (b.driver == "qxl" || b.driver == "qxl-vga") {
        b.props["max_outputs"] = heads;
        b.props["ram_size"] = child_number(e, "model", "ram", 65536) * 1024;
        b.props["vram_size"] = child_number(e, "model", "vram", 65536) * 1024;
        b.props["vram64_size_mb"] = child_number(e, "model", "vram64", 0) / 1024;
        b.props["vgamem_mb"] = child_number(e, "model", "vgamem", 16384) / 1024;
    } else if (b.driver == "VGA") {
        b.props["vgamem_mb"] = child_number(e, "model", "vram", 16384) / 1024;
    } else if (b.driver == "bochs-display") {
        b.props["vgamem"] = child_number(e, "model", "vram", 16384) * 1024;
    } else if (b.driver.starts_with("virtio-")) {
        b.props["max_outputs"] = heads;
    }
}

// An HDA controller's codecs, "<card>-codec<N>" on the card's bus; a card
// written without codecs gets a duplex one.
void add_hda_codecs(DeviceBuild& b) {
    std::vector<std::string_view> codecs;
    for (const Element& c : b.element.children)
        if (c.name == "codec") codecs.push_back(c.attribute_or("type", "duplex"));
    if (codecs.empty()) codecs.push_back("duplex");
    for (std::size_t n = 0; n < codecs.size(); ++n) {
        b.props = Json{{"driver", fmt::format("hda-{}", codecs[n])}, {"id", fmt::format("{}-codec{}", b.id, n)},
                       {"bus", b.id + ".0"}, {"cad", n}, {"audiodev", kAudiodev}};
        b.finish();
    }
}

}  // namespace

void DeviceBuild::start() { props = Json{{"driver", driver}}; }

void DeviceBuild::place() { add_placement(source, index, props); }

void DeviceBuild::finish() { out.devices.push_back(std::move(props)); props = Json(); }

std::string DeviceBuild::add_chardev() {
    std::string chardev_id = "char" + id;
    backend(chardev(source, element, chardev_id));
    return chardev_id;
}

void build_plain(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    b.place();
    b.finish();
}

void build_disk(DeviceBuild& b) {
    std::string node;
    b.out.backends = disk_blockdevs(b.source, b.index, node);
    b.start();
    b.place();
    if (b.device.bus == "scsi") b.props["device_id"] = "drive-" + b.id;
    if (!node.empty()) b.props["drive"] = node;
    b.add_id();
    add_bootindex(b);
    if (b.device.bus == "usb") {
        const Element* target = b.element.child("target");
        b.props["removable"] = target != nullptr && target->attribute_or("removable", "") == "on";
    }
    b.finish();
}

void build_interface(DeviceBuild& b) {
    b.start();
    if (b.device.type == "hostdev") {
        b.props["host"] = host_pci_address(b.element.find("source/address"));
    } else {
        const std::string netdev_id = "host" + b.id;
        b.backend(netdev(b.element, netdev_id));
        b.props["netdev"] = netdev_id;
    }
    b.add_id();
    b.props["mac"] = b.device.mac;
    b.place();
    add_bootindex(b);
    b.finish();
}

void build_hostdev(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    const Element* a = b.element.find("source/address");
    if (b.device.type == "pci") b.props["host"] = host_pci_address(a);
    if (b.device.type == "usb" && a != nullptr)
        b.props["hostdevice"] = fmt::format("/dev/bus/usb/{:03}/{:03}", number(a->attribute_or("bus", ""), 0),
                                            number(a->attribute_or("device", ""), 0));
    b.add_id();
    b.place();
    add_bootindex(b);
    b.finish();
}

void build_video(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    add_video_memory(b);
    b.place();
    b.finish();
}

void build_sound(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    const bool hda = b.driver.ends_with("intel-hda");
    if (!hda) b.props["audiodev"] = kAudiodev;
    b.place();
    b.finish();
    if (hda) add_hda_codecs(b);
}

// An evdev input is an -object, not a device.
void build_input(DeviceBuild& b) {
    if (b.device.type == "evdev") {
        b.backend(json_option("-object", Json{{"qom-type", "input-linux"}, {"id", b.id},
                                              {"evdev", b.element.find("source") ? b.element.find("source")->attribute_or("dev", "") : ""}}));
        return;
    }
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    if (b.device.type == "passthrough")
        b.props["evdev"] = b.element.find("source") ? b.element.find("source")->attribute_or("evdev", "") : "";
    b.place();
    b.finish();
}

void build_smartcard(DeviceBuild& b) {
    b.start();
    if (b.device.device_kind == "passthrough") {
        b.props["chardev"] = b.add_chardev();
    } else {
        b.props["backend"] = b.device.device_kind == "host" ? "nss-emulated" : "certificates";
        int n = 1;
        for (const Element& c : b.element.children)
            if (c.name == "certificate") b.props[fmt::format("cert{}", n++)] = c.text;
        if (const Element* db = b.element.child("database")) b.props["db"] = db->text;
    }
    b.add_id();
    b.place();
    b.finish();
}

void build_chardev_device(DeviceBuild& b) {
    if (b.driver.empty()) return;
    const std::string chardev_id = b.add_chardev();
    b.start();
    b.props["chardev"] = chardev_id;
    b.add_id();
    b.place();
    b.finish();
}

// Serial ports that are the board's own, not devices: libvirt connects them
// with -serial (ARM virt's PL011, riscv64 virt's 16550A).
constexpr std::array<std::string_view, 2> kBoardSerials{"pl011", "16550a"};

// isa-serial also takes the port number as its "index" (COM1 = 0).
void build_serial(DeviceBuild& b) {
    if (std::find(kBoardSerials.begin(), kBoardSerials.end(), b.driver) != kBoardSerials.end()) {
        b.out.after.push_back(text_option("-serial", "chardev:" + b.add_chardev()));
        return;
    }
    build_chardev_device(b);
    if (b.driver == "isa-serial" && !b.out.devices.empty())
        b.out.devices.back()["index"] = b.device.target_port.value_or(0);
}

// A virtio channel is a virtserialport; a guestfwd channel is a user
// network backend that forwards to the channel's chardev.
void build_channel(DeviceBuild& b) {
    const std::string chardev_id = b.add_chardev();
    if (b.device.target_type == "guestfwd") {
        const Element* t = b.element.child("target");
        const std::string fwd = fmt::format("tcp:{}:{}-chardev:{}", t ? t->attribute_or("address", "") : "",
                                            t ? t->attribute_or("port", "") : "", chardev_id);
        b.backend(json_option("-netdev", Json{{"type", "user"}, {"guestfwd", Json::array({Json{{"str", fwd}}})}, {"id", b.id}}));
        return;
    }
    if (b.driver.empty()) return;
    b.start();
    b.place();
    b.props["chardev"] = chardev_id;
    b.add_id();
    if (!b.device.target_name.empty()) b.props["name"] = b.device.target_name;
    b.finish();
}

void build_watchdog(DeviceBuild& b) {
    build_plain(b);
    b.out.after.push_back(text_option("-watchdog-action", std::string(b.element.attribute_or("action", "reset"))));
}

void build_memballoon(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    if (b.element.attribute_or("autodeflate", "") == "on") b.props["deflate-on-oom"] = true;
    if (b.element.attribute_or("freePageReporting", "") == "on") b.props["free-page-reporting"] = true;
    b.place();
    b.finish();
}

// The random source is an -object "obj<id>": the host's /dev/urandom (or the
// file named), QEMU's own generator, or an EGD daemon behind a chardev.
void build_rng(DeviceBuild& b) {
    const Element* backend = b.element.child("backend");
    const std::string_view model = backend ? backend->attribute_or("model", "random") : "random";
    const std::string object_id = "obj" + b.id;
    Json object{{"qom-type", fmt::format("rng-{}", model)}, {"id", object_id}};
    if (model == "random") object["filename"] = backend && !backend->text.empty() ? backend->text : "/dev/urandom";
    if (model == "egd") {
        const std::string chardev_id = "char" + b.id;
        b.backend(chardev(b.source, *backend, chardev_id));
        object["chardev"] = chardev_id;
    }
    b.backend(json_option("-object", object));
    b.start();
    b.props["rng"] = object_id;
    b.add_id();
    if (const Element* rate = b.element.child("rate")) {
        b.props["max-bytes"] = number(rate->attribute_or("bytes", ""), 0);
        b.props["period"] = number(rate->attribute_or("period", ""), 1000);
    }
    b.place();
    b.finish();
}

// pvpanic takes its ISA port from the <address type='isa' iobase>.
void build_panic(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    if (const auto* a = std::get_if<OtherAddress>(&b.device.address))
        for (const auto& [key, value] : a->attributes)
            if (key == "iobase") b.props["ioport"] = number(value, 0);
    b.finish();
}

// ivshmem-plain maps a shared file in /dev/shm; ivshmem-doorbell talks to
// an ivshmem server over a socket.
void build_shmem(DeviceBuild& b) {
    const std::string name(b.element.attribute_or("name", ""));
    b.start();
    b.add_id();
    if (b.driver == "ivshmem-doorbell") {
        const Element* server = b.element.child("server");
        const std::string path = server ? std::string(server->attribute_or("path", "")) : "";
        Element chr{"shmem", {{"type", "unix"}}, {Element{"source", {{"mode", "connect"}, {"path", path.empty() ? fmt::format("/var/lib/libvirt/shmem-{}-sock", name) : path}}, {}, {}}}, {}};
        const std::string chardev_id = "char" + b.id;
        b.backend(chardev(b.source, chr, chardev_id));
        b.props["chardev"] = chardev_id;
        b.props["vectors"] = child_number(b.element, "msi", "vectors", 1);
        b.props["ioeventfd"] = b.element.find("msi") && b.element.find("msi")->attribute_or("ioeventfd", "") == "on";
    } else {
        const std::string memdev = "shmmem-" + b.id;
        const unsigned long long kib = b.element.child("size") ? size_in_kib(b.element.child("size")) : 4096;
        b.backend(json_option("-object", Json{{"qom-type", "memory-backend-file"}, {"id", memdev},
                                              {"mem-path", "/dev/shm/" + name}, {"size", kib * 1024}, {"share", true}}));
        b.props["memdev"] = memdev;
    }
    b.place();
    b.finish();
}

// A memory device and its backend "mem<id>"; DIMMs and virtio-mem sit on a
// NUMA node.
void build_memory(DeviceBuild& b) {
    const std::string memdev = "mem" + b.id;
    const Element* target = b.element.child("target");
    // virtio-mem plugs its memory block by block: nothing is reserved up
    // front. An NVDIMM's file is allocated when QEMU starts.
    Json extra = Json::object();
    if (b.device.model == "virtio-mem") extra["reserve"] = false;
    if (b.device.model == "nvdimm") extra["prealloc"] = true;
    b.backend(memory_backend(b.source, &b.element, memdev, size_in_kib(target ? target->child("size") : nullptr), extra));
    b.start();
    if (b.device.model != "virtio-pmem")
        b.props["node"] = target && target->child("node") ? number(target->child("node")->text, 0) : 0;
    if (b.device.model == "virtio-mem") {
        b.props["block-size"] = size_in_kib(target ? target->child("block") : nullptr) * 1024;
        b.props["requested-size"] = size_in_kib(target ? target->child("requested") : nullptr) * 1024;
    }
    b.props["memdev"] = memdev;
    b.add_id();
    b.place();
    b.finish();
}

void build_iommu(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    b.add_id();
    if (const Element* driver = b.element.child("driver"))
        for (const auto& [key, value] : driver->attributes)
            for (const IommuOption& o : kIommuOptions)
                if (key == o.xml) b.props[std::string(o.qemu)] = value;
    b.place();
    b.finish();
}

// vhost-vsock: the guest's context id; libvirt opens /dev/vhost-vsock and
// passes the descriptor when it starts QEMU.
void build_vsock(DeviceBuild& b) {
    b.start();
    b.add_id();
    b.props["guest-cid"] = child_number(b.element, "cid", "address", 0);
    b.props["vhostfd"] = "FD";
    b.place();
    b.finish();
}

// 9p shares a host folder through an -fsdev; virtiofs talks to virtiofsd
// over a socket.
void build_filesystem(DeviceBuild& b) {
    const Element* target = b.element.child("target");
    const std::string tag(target ? target->attribute_or("dir", "") : "");
    b.start();
    b.add_id();
    if (b.driver == "vhost-user-fs-pci") {
        const std::string chardev_id = "chr-vu-" + b.id;
        b.backend(key_value_option("-chardev", {{"", "socket"}, {"id", chardev_id},
                                                {"path", fmt::format("{}/{}-fs.sock", domain_dir(b.source), b.id)}}));
        b.props["chardev"] = chardev_id;
        b.props["tag"] = tag;
    } else {
        const Element* src = b.element.child("source");
        KeyValues fsdev{{"", "local"}, {"security_model", security_model(b.element.attribute_or("accessmode", "passthrough"))},
                        {"id", "fsdev-" + b.id}, {"path", std::string(src ? src->attribute_or("dir", "") : "")}};
        if (b.element.child("readonly")) fsdev.emplace_back("readonly", "on");
        b.backend(key_value_option("-fsdev", fsdev));
        b.props["fsdev"] = "fsdev-" + b.id;
        b.props["mount_tag"] = tag;
    }
    b.place();
    b.finish();
}

// The pSeries NVRAM is the machine's own: libvirt sets only its register.
void build_nvram(DeviceBuild& b) {
    const auto* a = std::get_if<OtherAddress>(&b.device.address);
    if (b.driver.empty() || a == nullptr || !a->attribute("reg")) return;
    b.out.after.push_back(text_option("-global", fmt::format("{}.reg={:#x}", b.driver,
                                                             number(*a->attribute("reg"), 0))));
}

// A TPM's backend: the host device (passthrough) or an swtpm socket.
void build_tpm(DeviceBuild& b) {
    if (b.driver.empty()) return;
    const std::string tpmdev = "tpm-" + b.id;
    const Element* backend = b.element.child("backend");
    if (backend && backend->attribute_or("type", "") == "passthrough") {
        b.backend(key_value_option("-tpmdev", {{"", "passthrough"}, {"id", tpmdev}, {"path", "/dev/tpm0"}}));
    } else {
        b.backend(key_value_option("-chardev", {{"", "socket"}, {"id", "chrtpm"},
                                                {"path", domain_dir(b.source) + "/swtpm.sock"}}));
        b.backend(key_value_option("-tpmdev", {{"", "emulator"}, {"id", tpmdev}, {"chardev", "chrtpm"}}));
    }
    b.start();
    b.props["tpmdev"] = tpmdev;
    b.add_id();
    b.finish();
}

}  // namespace guestaddr::qemu
