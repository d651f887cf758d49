// How a PCI device connects, and what a PCI bus accepts: one typed bitset for
// both, so that "can this device plug in here" is an intersection.
#pragma once

#include <cstdint>

namespace guestaddr::topology {

enum class Connect : std::uint32_t {
    // Properties.
    Hotpluggable = 1u << 0,   // device: must be hot-pluggable; bus: supports hotplug
    AggregateSlot = 1u << 1,  // may share a slot with siblings on functions 0-7
    AutoAssign = 1u << 2,     // device: placed automatically; bus: takes automatic placements
    Integrated = 1u << 3,     // device: must sit on bus 0
    // Connection types.
    PciDevice = 1u << 4,
    PcieDevice = 1u << 5,
    PcieRootPort = 1u << 6,
    SwitchUpstreamPort = 1u << 7,
    SwitchDownstreamPort = 1u << 8,
    DmiToPciBridge = 1u << 9,
    PcieToPciBridge = 1u << 10,
    PciExpanderBus = 1u << 11,
    PcieExpanderBus = 1u << 12,
    PciBridge = 1u << 13,
};

class ConnectFlags {
public:
    constexpr ConnectFlags() = default;
    constexpr ConnectFlags(Connect c) : bits_(static_cast<std::uint32_t>(c)) {}

    constexpr bool has(Connect c) const { return (bits_ & static_cast<std::uint32_t>(c)) != 0; }
    constexpr bool any() const { return bits_ != 0; }
    constexpr ConnectFlags types() const { return ConnectFlags(bits_ & kTypeMask); }
    constexpr bool shares_type_with(ConnectFlags o) const { return (bits_ & o.bits_ & kTypeMask) != 0; }
    constexpr bool is_endpoint() const { return (bits_ & kEndpointMask) != 0; }
    constexpr ConnectFlags with_endpoints() const { return ConnectFlags(bits_ | kEndpointMask); }
    constexpr std::uint32_t bits() const { return bits_; }

    constexpr ConnectFlags operator|(ConnectFlags o) const { return ConnectFlags(bits_ | o.bits_); }
    constexpr ConnectFlags& operator|=(ConnectFlags o) { bits_ |= o.bits_; return *this; }
    constexpr ConnectFlags without(Connect c) const { return ConnectFlags(bits_ & ~static_cast<std::uint32_t>(c)); }
    constexpr bool operator==(const ConnectFlags&) const = default;

private:
    constexpr explicit ConnectFlags(std::uint32_t bits) : bits_(bits) {}
    static constexpr std::uint32_t kTypeMask = ~0u << 4;
    static constexpr std::uint32_t kEndpointMask =
        static_cast<std::uint32_t>(Connect::PciDevice) | static_cast<std::uint32_t>(Connect::PcieDevice);
    std::uint32_t bits_ = 0;
};

constexpr ConnectFlags operator|(Connect a, Connect b) { return ConnectFlags(a) | ConnectFlags(b); }

}  // namespace guestaddr::topology
