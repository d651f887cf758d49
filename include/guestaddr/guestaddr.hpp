// guestaddr: stable, libvirt-compatible device addresses for QEMU/KVM guests.
//
// The whole public API: parse a libvirt domain definition, assign every
// device an address, validate a definition, and format it back.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "guestaddr/address.hpp"
#include "guestaddr/error.hpp"
#include "guestaddr/export.hpp"

namespace guestaddr {

namespace model {
struct Domain;
}

// A parsed domain definition: the original document (kept for round-tripping
// everything addressing does not touch) plus the device model.
class Definition {
public:
    GUESTADDR_API Definition(Definition&&) noexcept;
    GUESTADDR_API Definition& operator=(Definition&&) noexcept;
    GUESTADDR_API ~Definition();

    // The internal model, for guestaddr's own tools (not exported by the
    // shared library: programs use devices(), guestaddr/devices.hpp).
    const model::Domain& domain() const;
    model::Domain& domain();

    struct Impl;
    explicit Definition(std::unique_ptr<Impl> impl);
    Impl& impl() { return *impl_; }
    const Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

// Reads a domain definition. Malformed XML, a missing <domain> or an
// unparsable address is an error naming the device.
GUESTADDR_API Result<Definition> parse(std::string_view xml);
// The same for text the definition may keep: it is parsed where it is, which
// spares a copy of a large definition.
GUESTADDR_API Result<Definition> parse_in_place(std::string xml);

// What assign follows, in two groups.
//
// Whose rules and which QEMU's capabilities apply. A definition keeps the
// libvirt rules it was first addressed under in its <metadata> (the stamp):
// they apply whatever the options say, unless `restamp`. When none of these
// is set, rules already chosen for the definition (choose_rules) are kept.
//
// The library never looks at the host: a front end that does (the CLI
// runs `libvirtd --version` and finds the QEMU of the guest) says what it
// found in host_libvirt and host_qemu. Without either, and without a stamp
// or a version named, the newest built-in pair applies (libvirt 11.3 with
// QEMU 10.0), as it does for the CLI on a host where it finds neither.
//
// Policies assign sets on the guest (stored in its <metadata>, so that
// every later assign, attach and detach follows them); unset fields keep
// what the definition says.
struct AssignOptions {
    // Rules and capabilities.
    std::string libvirt;        // "9.0", "11.3": whose address rules ("": the stamp's, else the host's, else the newest)
    std::string qemu;           // "7.2", "10.0" or a binary: whose capabilities ("": the host's, else the stamp's,
                                // else the rules' own QEMU)
    bool restamp = false;       // a libvirt other than the stamp's moves the guest to its rules
    std::string host_libvirt;   // the host's libvirt version, as the front end found it ("" for none)
    std::string host_qemu;      // the QEMU binary that will run the guest, as the front end found it ("" for none)
    bool host_looked_at = false;  // the front end looked for those two (the reasons then say "none found")

    // Policies.
    std::optional<unsigned> keep_free_hotplug;      // free hot-plug places of the machine's bus type
    std::optional<unsigned> keep_free_hotplug_pci;  // free conventional PCI hot-plug slots (q35, virt)
    std::optional<bool> stable_nic_names;           // every NIC gets an ACPI index
};

// The rules and capabilities chosen for a definition, and why (one line each).
struct RulesChoice {
    std::string libvirt;  // "11.3"
    std::string qemu;     // "10.0"
    std::vector<std::string> reasons;
};

// Chooses the rules and capabilities every later step on `definition`
// follows (assign, validate, the command line). Without a choice they
// are those of AssignOptions{}: the stamp's, else the newest built-in pair.
// An error for a version guestaddr has no table of, or for a libvirt other
// than the stamp's without restamp.
GUESTADDR_API Result<RulesChoice> choose_rules(Definition& definition, const AssignOptions& options);

// Canonicalises the machine type, adds the implicit devices and gives every
// device an address, keeping every address already present. Under the rules
// chosen for it, else as assign(definition, AssignOptions{}).
GUESTADDR_API Result<Definition> assign(Definition definition);
// The same after choose_rules(definition, options), with the options'
// policies set on the guest.
GUESTADDR_API Result<Definition> assign(Definition definition, const AssignOptions& options);

// What the guest would see change between two addressed definitions of it
// (e.g. under other rules, on another QEMU), one line each: the machine
// type, devices in one only, addresses and models.
GUESTADDR_API std::vector<std::string> guest_visible_changes(const Definition& before, const Definition& after);

// Free places that take a hot-plugged device, in an addressed definition.
struct HotplugCapacity {
    std::size_t pcie = 0;  // free root ports and downstream ports
    std::size_t pci = 0;   // free slots of conventional PCI buses that hot-plug
    // Where they are: each bus with free hot-plug places, by index.
    struct Bus {
        unsigned index = 0;            // the PCI controller's index (the bus of an address)
        std::string model;             // pcie-root-port, pcie-switch-downstream-port, pci-bridge, pci-root, ...
        bool pcie = false;             // its places take PCI Express devices (otherwise conventional PCI)
        std::size_t free = 0;          // free slots that take hot-plugged devices
        std::optional<unsigned> numa;  // the guest NUMA node of the expander bus above it
    };
    std::vector<Bus> buses;
};
GUESTADDR_API Result<HotplugCapacity> free_hotplug_capacity(const Definition& definition);

// Checks a definition without changing it: every problem found, empty when
// the definition is complete (every device addressed) and consistent, under
// the rules chosen for it, else those of AssignOptions{}.
GUESTADDR_API std::vector<Error> validate(const Definition& definition);

// The definition as XML, in libvirt's formatting.
GUESTADDR_API std::string format(const Definition& definition);
// The same text, given to `write` a piece at a time (pieces of about
// 64 KiB): the text of a large definition is never whole in memory.
GUESTADDR_API void format(const Definition& definition, const std::function<void(std::string_view)>& write);

}  // namespace guestaddr
