// The domain model: machine, and the devices in document order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <array>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/controller_table.hpp"
#include "model/device.hpp"
#include "model/intent.hpp"
#include "model/provenance.hpp"
#include "rules/libvirt_rules.hpp"

namespace guestaddr::model {

// The rules a guest was first addressed under, kept in its definition
// (<metadata><guestaddr:guestaddr><guestaddr:rules libvirt= qemu=/>).
struct RulesStamp {
    std::string libvirt;  // "9.0"
    std::string qemu;     // "7.2"
    bool operator==(const RulesStamp&) const = default;
};

struct Domain {
    std::string name;       // <name>
    std::string uuid;       // <uuid>
    std::string virt_type;  // <domain type>
    std::string arch;       // <os><type arch>
    std::string machine;    // <os><type machine>, canonical after canonicalisation
    std::string emulator;   // <devices><emulator>: the QEMU binary the definition names ("" for none)
    unsigned vcpus = 1;
    unsigned numa_cells = 0;
    bool max_memory = false;    // <maxMemory> with a size: memory hotplug
    unsigned memory_slots = 0;  // <maxMemory slots>
    // Sizes in KiB, 0 where absent or not a size libvirt reads.
    std::uint64_t memory_kib = 0;       // <memory>
    std::uint64_t max_memory_kib = 0;   // <maxMemory>
    std::uint64_t numa_memory_kib = 0;  // the sum of the NUMA cells' memory
    bool acpi = false;  // <features><acpi/>
    // All guest memory is shared with other processes: <memoryBacking><access
    // mode='shared'/>, unless a NUMA cell says otherwise, or memAccess='shared'
    // on every cell. (vhost-user backends map the guest's memory.)
    bool shared_memory = false;
    std::string ioapic_driver;  // <features><ioapic driver>
    bool uefi = false;  // <os firmware='efi'>, or a pflash <loader>
    bool sets_sleep_states = false;  // <pm> has <suspend-to-mem> or <suspend-to-disk>
    // guestaddr's own data from <metadata>: preferences and policies.
    Intent intent;

    // The stamp the definition carries (read), and the one to write when
    // `stamp_changed` (rules::choose sets both).
    std::optional<RulesStamp> stamp;
    bool stamp_changed = false;
    // The libvirt rules and the QEMU whose capabilities this run follows:
    // chosen once (rules::choose) before the pipeline, read by every stage
    // through the machine profile. Without a choice, libvirt 9.0 and QEMU 7.2.
    const rules::LibvirtRules* libvirt = &rules::libvirt_9_0();
    std::string qemu = "7.2";
    bool rules_chosen = false;

    // Every device, in document order; implicit devices are appended. A
    // deque, as appending then never moves the devices already there.
    std::deque<Device> devices;
    // Indexes into `devices` of the controllers, in libvirt's list order
    // (grouped by type, sorted by index; see order_parsed_lists).
    std::vector<std::size_t> controller_order;

    // Indexes into `devices` of the disks in libvirt's list order (grouped by
    // bus, sorted by name; see order_parsed_lists).
    std::vector<std::size_t> disk_order;
    // The devices of each class, in document order (kept by add_*/remove).
    std::array<std::vector<std::size_t>, kDeviceClassCount> by_class;
    // How many devices of each element there are, to number new ones.
    std::map<std::string, std::size_t, std::less<>> element_counts;
    // Where the assigners note why they chose what they chose; set only
    // while explaining (not owned).
    Provenance* provenance = nullptr;

    // Devices of one class in libvirt's list order: document order, except
    // disks and controllers (their own orders), videos (primary first) and
    // devices that lead their kind.
    std::vector<std::size_t> of_class(DeviceClass cls) const;
    // The controller of this type and index, if any, and its index in
    // `devices` (of several, the first in controller_order). Constant time:
    // whoever changes a controller's type or index in place calls
    // reindex_controllers(); adding, removing and ordering devices keep the
    // table themselves.
    std::optional<std::size_t> find_controller_index(std::string_view type, unsigned index) const;
    Device* find_controller(std::string_view type, unsigned index);
    const Device* find_controller(std::string_view type, unsigned index) const;
    // The name that identifies devices[i] in messages.
    std::string describe(std::size_t i) const;

    // Adds a device read from the input; order_parsed_lists() then gives
    // controllers and disks their place in libvirt's lists. Returns its index.
    std::size_t add_parsed(Device&& device);
    // The same for a device to be read in place, given its element name: a
    // Device is large, and moving 10,000 of them costs more than reading them.
    // Until it is read, the domain holds a device with no fields.
    Device& emplace_parsed(std::string_view element);
    // Adds a device libvirt would add itself: it goes to the end of its
    // list, as libvirt appends implicit devices. Returns its index.
    std::size_t add_implicit(Device&& device);
    // Puts an implicit controller into controller_order, as the rules say.
    void enter_controller(std::size_t i);
    // Orders the parsed controllers and disks as libvirt's lists have them.
    void order_parsed_lists();
    // The controllers as the list of a definition read back from its XML
    // has them, every one with its index: by index within each type, USB
    // masters before their companions. (libvirt starts a guest from such a
    // copy, so its command line follows this order.)
    std::vector<std::size_t> controllers_by_index() const;
    // Removes devices[i]; later devices move down one index.
    void remove(std::size_t i);
    // Enters the controllers anew in the table find_controller uses.
    void reindex_controllers();

private:
    // The stretch of controller_order each controller type holds, in list
    // order, while every type holds one stretch (libvirt keeps them
    // together), so that entering an implicit controller next to those of
    // its type costs no scan of the whole list. Worked out again from
    // controller_order where it no longer matches it.
    struct ControllerRun {
        std::string type;
        std::size_t begin = 0, end = 0;
    };
    std::vector<ControllerRun> controller_runs_;
    bool controller_runs_apart_ = false;  // a type in two stretches: no runs, scan the list
    void rebuild_controller_runs();
    ControllerRun* controller_run(std::string_view type);
    bool controller_runs_match(std::string_view type);
    void note_controller_entered(std::size_t at, std::string_view type);
    std::size_t controller_place(const Device& c, std::size_t first, std::size_t last) const;

    ControllerTable controller_table_;
};

// Notes why devices[i] got its address when someone is explaining; `text`
// (a callable returning the words) runs only then.
template <class Text>
void note_placement(Domain& domain, std::size_t i, const char* rule, Text&& text) {
    if (domain.provenance != nullptr) domain.provenance->placed(i, rule, text());
}

// Notes what a policy of the guest gave devices[i] besides its address.
template <class Text>
void note_policy(Domain& domain, std::size_t i, const char* rule, Text&& text) {
    if (domain.provenance != nullptr) domain.provenance->applied(i, rule, text());
}

// Notes why guestaddr added devices[i], and for which device if one asked for it.
template <class Text>
void note_addition(Domain& domain, std::size_t i, const char* rule, Text&& text,
                   std::optional<std::size_t> for_device = std::nullopt) {
    if (domain.provenance != nullptr) domain.provenance->added(i, rule, text(), for_device);
}

}  // namespace guestaddr::model
