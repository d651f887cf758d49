// Guest device addresses as values: one struct per libvirt address type.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "guestaddr/export.hpp"

namespace guestaddr {

enum class Multifunction { Absent, On, Off };

// A PCI function: `bus` names the index of the PCI controller the device
// plugs into, not the guest-visible bus number.
struct PciAddress {
    unsigned domain = 0;
    unsigned bus = 0;
    unsigned slot = 0;
    unsigned function = 0;
    Multifunction multifunction = Multifunction::Absent;
    // The zPCI identity of the function on s390x (<zpci uid fid>), which the
    // guest sees instead of bus, slot and function; absent elsewhere.
    std::optional<unsigned> zpci_uid = std::nullopt;
    std::optional<unsigned> zpci_fid = std::nullopt;

    // An all-zero domain/bus/slot means "assign one for me" (libvirt's rule).
    bool is_empty() const { return domain == 0 && bus == 0 && slot == 0; }
    bool same_function(const PciAddress& o) const {
        return domain == o.domain && bus == o.bus && slot == o.slot && function == o.function;
    }
    // multifunction is not part of an address's identity (as in libvirt).
    bool operator==(const PciAddress& o) const { return same_function(o); }
    // 0000:00:1f.2
    GUESTADDR_API std::string to_string() const;
};

struct DriveAddress {
    unsigned controller = 0;
    unsigned bus = 0;
    unsigned target = 0;
    unsigned unit = 0;
    auto operator<=>(const DriveAddress&) const = default;
};

// A USB port: the controller index and the hub path ("1.2" = port 2 of the
// hub on root port 1). An empty path means "any port on this bus".
struct UsbAddress {
    unsigned bus = 0;
    std::vector<unsigned> port;
    auto operator<=>(const UsbAddress&) const = default;
    GUESTADDR_API std::string port_string() const;
};

struct VirtioSerialAddress {
    unsigned controller = 0;
    unsigned bus = 0;
    unsigned port = 0;
    auto operator<=>(const VirtioSerialAddress&) const = default;
};

struct CcidAddress {
    unsigned controller = 0;
    unsigned slot = 0;
    auto operator<=>(const CcidAddress&) const = default;
};

// Address types guestaddr keeps as written (isa, dimm, spapr-vio, ccw,
// virtio-mmio, unassigned, ...): attributes in document order.
struct OtherAddress {
    std::string type;
    std::vector<std::pair<std::string, std::string>> attributes;
    bool operator==(const OtherAddress&) const = default;
    // The value of an attribute, or nullopt.
    std::optional<std::string_view> attribute(std::string_view name) const {
        for (const auto& [key, value] : attributes)
            if (key == name) return value;
        return std::nullopt;
    }
};

using Address = std::variant<std::monostate, PciAddress, DriveAddress, UsbAddress,
                             VirtioSerialAddress, CcidAddress, OtherAddress>;

// The libvirt name of an address's type ("pci", "drive", ...); "" for none.
GUESTADDR_API std::string address_type_name(const Address& address);

}  // namespace guestaddr
