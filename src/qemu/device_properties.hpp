// The per-class builders behind device_options(): each turns one device
// into its -device properties and backends, in libvirt 9.0's form.
#pragma once

#include <cstddef>
#include <string>

#include "model/device.hpp"
#include "model/element.hpp"
#include "qemu/device_options.hpp"

namespace guestaddr::qemu {

struct Source;

// One device being built.
struct DeviceBuild {
    const Source& source;
    std::size_t index;
    const model::Device& device;
    const model::Element& element;  // empty for an implicit device
    const std::string& id;
    std::string driver;             // "" when the device has no -device
    Json props;                     // the -device being built
    DeviceOptions out;

    // Starts the -device: {"driver": ...}.
    void start();
    // Adds the placement properties (placement.hpp).
    void place();
    void add_id() { props["id"] = id; }
    // Appends the -device built so far to out.devices.
    void finish();
    void backend(Option option) { out.backends.push_back(std::move(option)); }
    // The chardev this device's id names ("char" + id), added as a backend.
    std::string add_chardev();
};

// Controllers QEMU creates itself: the PCI roots, the PIIX IDE, the ICH9 AHCI.
bool is_builtin_controller(const Source& source, const model::Device& device);

void build_controller(DeviceBuild& b);
void build_disk(DeviceBuild& b);
void build_interface(DeviceBuild& b);
void build_hostdev(DeviceBuild& b);
void build_video(DeviceBuild& b);
void build_sound(DeviceBuild& b);
void build_input(DeviceBuild& b);
void build_smartcard(DeviceBuild& b);
void build_serial(DeviceBuild& b);
void build_channel(DeviceBuild& b);
void build_chardev_device(DeviceBuild& b);  // redirdev, parallel, console: a chardev and a device using it
void build_plain(DeviceBuild& b);           // driver, id, placement
void build_watchdog(DeviceBuild& b);
void build_memballoon(DeviceBuild& b);
void build_rng(DeviceBuild& b);
void build_panic(DeviceBuild& b);
void build_shmem(DeviceBuild& b);
void build_memory(DeviceBuild& b);
void build_iommu(DeviceBuild& b);
void build_vsock(DeviceBuild& b);
void build_filesystem(DeviceBuild& b);
void build_tpm(DeviceBuild& b);
void build_nvram(DeviceBuild& b);

}  // namespace guestaddr::qemu
