// Synthetic guests for the benchmarks and bench/compare.sh: the same text
// for the in-process benchmarks and for the whole-process comparison with
// libvirt, so the two sets of figures describe the same definitions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace guestaddr::bench {

enum class Machine { Pc, Q35 };

// What the guest is made of (see make_guest).
enum class Shape { Channels, Controllers, ImplicitControllers };

// "pc" / "q35"; anything else is not a machine the benchmarks know.
bool machine_from_name(std::string_view name, Machine& machine);
// "channels" / "controllers" / "implicit-controllers".
bool shape_from_name(std::string_view name, Shape& shape);

// A guest with `devices` devices that need an address: one in five is a PCI
// device (virtio NICs and disks alternately), the rest are virtio-serial
// channels. Where libvirt would not grow the guest that far by itself the
// capacity is declared: virtio-serial controllers of 1,000 channels each, and
// pci-bridges (on q35 behind a root port and a pcie-to-pci-bridge; there the
// PCI devices use the transitional virtio models so that they fit on them,
// because each PCIe endpoint would cost one of only 256 bus numbers).
//
// Shape::Controllers is a guest with many controllers, shaped as libvirt can
// place it: of every 20 devices, 8 are SCSI disks (sda, sdb, ...) on declared
// virtio-scsi controllers, 7 to a controller (libvirt's drive address of a
// SCSI disk follows from its name: controller = name index / 7), 2 are
// virtio NICs and 10 virtio-serial channels on declared virtio-serial
// controllers of libvirt's default 31 ports (30 channels each). The
// controllers and the pci-bridges they need are declared besides the
// `devices`, which count the disks, NICs and channels.
//
// Shape::ImplicitControllers is the same guest without its SCSI controllers:
// assign adds them itself, one for every 7 disks, as libvirt does (under
// libvirt 11.3's rules each joins those of its type in the controller list).
//
// No device carries an address: assign places all of them.
std::string make_guest(std::size_t devices, Machine machine, Shape shape = Shape::Channels);

}  // namespace guestaddr::bench
