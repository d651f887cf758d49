// The device model: what addressing needs to know about each device, apart
// from the XML it came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "guestaddr/address.hpp"
#include "model/text.hpp"

namespace guestaddr::model {

// One value per child element of <devices> that addressing knows about.
enum class DeviceClass : std::uint8_t {
    Disk, Controller, Lease, Filesystem, Interface, Input, Sound, Video, Hostdev,
    Redirdev, Smartcard, Serial, Parallel, Console, Channel, Hub, Watchdog,
    Memballoon, Rng, Tpm, Nvram, Panic, Shmem, Memory, Iommu, Vsock, Crypto,
    Graphics, Audio, Other,
};
inline constexpr std::size_t kDeviceClassCount = static_cast<std::size_t>(DeviceClass::Other) + 1;

// The element name of a device class ("disk", "controller", ...).
const char* element_name(DeviceClass cls);
DeviceClass device_class_from_element(std::string_view element);

// What a <controller> says about itself beyond type/index/model.
struct ControllerTarget {
    std::optional<unsigned> chassis_nr;
    std::optional<unsigned> chassis;
    std::optional<unsigned> port;
    std::optional<unsigned> bus_nr;
    std::optional<unsigned> index;
    std::optional<unsigned> node;  // <target><node>, which memory modules have too
    std::optional<bool> hotplug;
};

// What few devices have: the settings of controllers (and the NUMA node of
// memory modules), and names that only host devices, serial ports or user
// aliases carry. Kept apart, so that a device with none of them spends 8
// bytes on them: a guest can have 10,000 devices, and each megabyte of model
// costs the process about a millisecond in page faults.
struct DeviceExtras {
    Text model_name;  // controller <model name>
    ControllerTarget ctarget;
    std::optional<unsigned> ports;             // usb/virtio-serial ports attribute
    std::optional<unsigned> master_startport;  // USB companion <master startport>
    Text source_key;                           // hostdev identity (for messages)
    Text alias;                                // <alias name>
    Text target_model;                         // serial <target><model name>
    std::optional<bool> intremap;              // IOMMU <driver intremap>
    std::optional<bool> eim;                   // IOMMU <driver eim>
    std::optional<unsigned> acpi_index;        // <acpi index>: the guest's name of a NIC (enoN)
    std::optional<std::uint64_t> size_kib;     // memory device <target><size>
};

// A value on the heap that is copied with its owner: the owner stays a plain
// value type.
template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    ~Boxed() = default;

    const T* get() const { return value_.get(); }
    T& get_or_make() {
        if (!value_) value_ = std::make_unique<T>();
        return *value_;
    }

private:
    std::unique_ptr<T> value_;
};

struct Device {
    DeviceClass cls = DeviceClass::Other;
    bool primary = false;         // video primary='yes'
    bool implicit = false;        // added by guestaddr, not in the input
    bool leads_its_kind = false;  // an implicit device that goes before the others of its element
    bool discarded = false;       // an element libvirt 9.0 does not keep (it drops <crypto>)
    bool hotplugged = false;      // being plugged into a running guest: needs a hot-pluggable slot
    bool has_source = false;      // a disk's <source> names something (a file, a device, a host...)
    Text element;                 // tag name as written

    // Generic descriptors; which ones mean something depends on the class:
    Text type;         // the element's type attribute (controller type, interface type, ...)
    Text model;        // controller/sound/... model attribute, or <model type> for NICs/video
    Text bus;          // input bus; disk <target bus>
    Text device_kind;  // disk device (disk, cdrom, floppy, lun); hostdev mode
    Text target_dev;   // disk <target dev>
    std::optional<unsigned> target_index;  // the index target_dev encodes (disk_name_index)
    Text target_type;  // serial/console/channel <target type>
    std::optional<unsigned> target_port;  // serial/console <target port>
    Text target_name;  // channel <target name>; filesystem <target dir>
    Text mac;          // interface MAC
    std::optional<unsigned> index;  // controllers

    Address address;
    // 32 bits each (with the fields before them, a Device fits in 256
    // bytes, and the deque keeps two to a block).
    std::uint32_t node = kNoNode;  // the XML element it came from
    std::uint32_t ordinal = 0;     // its position among the devices of its element, for messages
    static constexpr std::uint32_t kNoNode = static_cast<std::uint32_t>(-1);

    // The device's DeviceExtras: all empty when it has none.
    const DeviceExtras& extras() const { return extras_.get() ? *extras_.get() : kNoExtras; }
    DeviceExtras& edit_extras() { return extras_.get_or_make(); }

    const PciAddress* pci() const { return std::get_if<PciAddress>(&address); }
    bool has_address() const { return !std::holds_alternative<std::monostate>(address); }
    // libvirt's "wants a PCI address": none at all, or an empty PCI one.
    bool wants_pci_address() const;

private:
    inline static const DeviceExtras kNoExtras{};
    Boxed<DeviceExtras> extras_;
};

// A device of `cls` that guestaddr adds itself (no XML element yet).
Device implicit_device(DeviceClass cls);
// An implicit <controller type=... index=... model=...>.
Device implicit_controller(std::string type, unsigned index, std::string model);

// The controllers of an ICH9 USB2 set: the EHCI master and its UHCI
// companions, which share one index.
bool is_ich9_usb_companion(const Device& d);
bool is_ich9_usb2_controller(const Device& d);

// "disk 'vdb'", "interface 52:54:00:00:00:01", "controller pci 3", "video #0".
std::string describe(const Device& device, std::size_t ordinal);

}  // namespace guestaddr::model
