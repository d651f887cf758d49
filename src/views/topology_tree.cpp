#include "views/topology_tree.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "assign/drive_assigner.hpp"
#include "assign/pci_chipset.hpp"
#include "assign/usb_assigner.hpp"
#include "topology/controller_rules.hpp"

namespace guestaddr::views {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;
using Node = TreeNode;

// The ports a virtio-serial controller has when it does not say (QEMU's
// default); port 0 is the console's.
constexpr unsigned kVirtioSerialPorts = 31;

bool is_scsi_hostdev(const Device& d) {
    return d.cls == DeviceClass::Hostdev && d.device_kind == "subsystem" && d.type == "scsi";
}

// The controller type whose drive buses a device with a drive address is on.
std::string_view drive_controller_type(const Device& d) { return is_scsi_hostdev(d) ? "scsi" : d.bus.view(); }

// Where every device sits, by address type: found once, so that building
// the tree is linear in the number of devices.
struct Placement {
    std::map<unsigned, std::vector<std::size_t>> pci;  // by bus (the index of its controller)
    std::map<std::pair<std::string, unsigned>, std::vector<std::size_t>> drive;  // by controller type and index
    std::map<unsigned, std::vector<std::size_t>> usb;     // by bus
    std::map<unsigned, std::vector<std::size_t>> serial;  // virtio-serial, by controller
    std::map<unsigned, std::vector<std::size_t>> ccid;    // by controller
    std::map<std::string, std::vector<std::size_t>> other;  // by address type
    std::vector<std::size_t> none;
};

Placement place_devices(const Domain& domain) {
    Placement p;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if (d.discarded) continue;
        std::visit(
            [&](const auto& a) {
                using A = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<A, PciAddress>) p.pci[a.bus].push_back(i);
                else if constexpr (std::is_same_v<A, DriveAddress>)
                    p.drive[{std::string(drive_controller_type(d)), a.controller}].push_back(i);
                else if constexpr (std::is_same_v<A, UsbAddress>) p.usb[a.bus].push_back(i);
                else if constexpr (std::is_same_v<A, VirtioSerialAddress>) p.serial[a.controller].push_back(i);
                else if constexpr (std::is_same_v<A, CcidAddress>) p.ccid[a.controller].push_back(i);
                else if constexpr (std::is_same_v<A, OtherAddress>) p.other[a.type].push_back(i);
                else p.none.push_back(i);
            },
            d.address);
    }
    return p;
}

}  // namespace

std::string device_summary(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Disk: return fmt::format("{}, {}", d.device_kind.empty() ? "disk" : d.device_kind.view(), d.bus);
    case DeviceClass::Input: return fmt::format("{}, {}", d.type, d.bus);
    case DeviceClass::Serial:
    case DeviceClass::Console:
    case DeviceClass::Channel: return d.target_type.str();
    case DeviceClass::Controller: return d.model.str();  // its type is in its name
    default: return !d.model.empty() ? d.model.str() : d.type.str();
    }
}

namespace {

// "0x03-0x1e", "0x05" for slots; "2-4", "7" for ports and units.
std::string range_text(unsigned first, unsigned last, bool hex) {
    if (first == last) return hex ? fmt::format("{:#04x}", first) : fmt::format("{}", first);
    return hex ? fmt::format("{:#04x}-{:#04x}", first, last) : fmt::format("{}-{}", first, last);
}

class Builder {
public:
    Builder(const Domain& domain, const std::vector<bool>& written, const machine::MachineProfile& machine)
        : domain_(domain), written_(written), machine_(machine), placed_(place_devices(domain)) {}

    Tree build() {
        Tree tree;
        tree.root.kind = Node::Kind::Guest;
        tree.root.name = domain_.name.empty() ? "guest" : domain_.name;
        tree.root.detail = fmt::format("{}, {}", domain_.machine, domain_.arch);
        add_pci_roots(tree.root);
        for (const auto& [type, members] : placed_.other) add_group(tree.root, group_title(type), members);
        add_group(tree.root, "no address", placed_.none);
        for (const auto& [kind, count] : capacity_) tree.hotplug.push_back(HotplugCapacity{kind, count});
        const model::Policy& policy = domain_.intent.policy;
        if (policy.keep_free_hotplug)
            tree.kept_free.push_back({machine_.has_pcie_root() ? "PCI Express slot" : "PCI slot",
                                      *policy.keep_free_hotplug, "keep-free-hotplug"});
        if (policy.keep_free_hotplug_pci)
            tree.kept_free.push_back({"PCI slot", *policy.keep_free_hotplug_pci, "keep-free-hotplug-pci"});
        return tree;
    }

private:
    static std::string group_title(const std::string& type) {
        if (type == "ccw") return "CCW (channel subsystem)";
        if (type == "spapr-vio") return "spapr-vio";
        return type;
    }

    // PCI controllers on no PCI bus are roots: pci-root, pcie-root, pSeries PHBs.
    void add_pci_roots(Node& root) {
        for (std::size_t i : domain_.controller_order) {
            const Device& c = domain_.devices[i];
            if (c.type == "pci" && !c.has_address()) root.children.push_back(device_node(i, ""));
        }
    }

    void add_group(Node& root, std::string title, const std::vector<std::size_t>& members) {
        std::vector<std::size_t> on_their_own;
        for (std::size_t i : members)
            if (!is_pci_root(domain_.devices[i])) on_their_own.push_back(i);
        if (on_their_own.empty()) return;
        Node group;
        group.kind = Node::Kind::Group;
        group.name = std::move(title);
        for (std::size_t i : on_their_own) group.children.push_back(device_node(i, other_place(domain_.devices[i])));
        root.children.push_back(std::move(group));
    }

    static bool is_pci_root(const Device& d) {
        return d.cls == DeviceClass::Controller && d.type == "pci" && !d.has_address();
    }

    static std::string other_place(const Device& d) {
        const auto* a = std::get_if<OtherAddress>(&d.address);
        if (a == nullptr) return "";
        std::string place;
        for (const auto& [key, value] : a->attributes) place += fmt::format("{}{}={}", place.empty() ? "" : " ", key, value);
        return place;
    }

    Node device_node(std::size_t i, std::string place) {
        const Device& d = domain_.devices[i];
        Node n;
        n.kind = Node::Kind::Device;
        n.place = std::move(place);
        n.name = domain_.describe(i);
        n.detail = device_summary(d);
        n.device = i;
        n.added = d.implicit;
        n.chosen = d.has_address() && (i >= written_.size() || !written_[i]);
        if (d.cls == DeviceClass::Controller) add_controller_children(n, d);
        return n;
    }

    void add_controller_children(Node& n, const Device& c) {
        const unsigned index = c.index.value_or(0);
        if (c.type == "pci") return add_pci_bus(n, c, index);
        if (c.type == "usb") return add_usb_bus(n, c, index);
        if (c.type == "virtio-serial") return add_serial_ports(n, c, index);
        if (c.type == "ccid") return add_ccid_slots(n, index);
        if (const assigners::DriveLayout* layout = assigners::drive_layout(c.type.view()))
            return add_drive_buses(n, *layout, index);
    }

    // ---- PCI ----

    void add_pci_bus(Node& n, const Device& c, unsigned index) {
        if (!visited_buses_.insert(index).second) return;  // a bus is drawn once, even in a loop
        const topology::ControllerRule* rule = topology::controller_rule(c.model);
        if (rule == nullptr) return;
        struct Entry {
            unsigned slot, function;
            std::optional<std::size_t> device;
            const char* chipset;
        };
        std::vector<Entry> entries;
        if (auto it = placed_.pci.find(index); it != placed_.pci.end())
            for (std::size_t i : it->second) {
                const PciAddress& a = *domain_.devices[i].pci();
                entries.push_back({a.slot, a.function, i, nullptr});
            }
        if (index == 0)
            for (const assigners::ChipsetFunction& f : assigners::chipset_functions(machine_))
                entries.push_back({f.address.slot, f.address.function, std::nullopt, f.name});
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return std::tie(a.slot, a.function) < std::tie(b.slot, b.function); });
        std::array<bool, 32> used{};
        for (const Entry& e : entries) {
            const std::string place = PciAddress{0, index, e.slot, e.function}.to_string();
            if (e.slot < used.size()) used[e.slot] = true;
            if (e.device) {
                n.children.push_back(device_node(*e.device, place));
                continue;
            }
            Node chip;
            chip.kind = Node::Kind::Chipset;
            chip.place = place;
            chip.name = e.chipset;
            chip.detail = "chipset";
            n.children.push_back(std::move(chip));
        }
        const bool hotplug = rule->accepts.has(topology::Connect::Hotpluggable) && c.extras().ctarget.hotplug.value_or(true);
        const char* kind = rule->accepts.has(topology::Connect::PcieDevice) ? "PCI Express slot" : "PCI slot";
        add_free_runs(n, rule->min_slot, rule->max_slot, [&](unsigned s) { return !used[s]; }, "slot", kind, hotplug, true);
    }

    // One node per run of consecutive free places in [first, last].
    template <class IsFree>
    void add_free_runs(Node& n, unsigned first, unsigned last, IsFree is_free, const char* noun, const char* kind,
                       bool hotplug, bool hex) {
        for (unsigned p = first; p <= last; ++p) {
            if (!is_free(p)) continue;
            unsigned end = p;
            while (end < last && is_free(end + 1)) ++end;
            add_free(n, fmt::format("{}{} {}", noun, end > p ? "s" : "", range_text(p, end, hex)), end - p + 1, kind,
                     hotplug);
            p = end;
        }
    }

    void add_free(Node& n, std::string what, unsigned count, const char* kind, bool hotplug) {
        Node f;
        f.kind = Node::Kind::Free;
        f.name = "free";
        f.detail = std::move(what);
        f.free_count = count;
        f.free_kind = kind;
        f.hotplug = hotplug;
        if (hotplug) capacity_[kind] += count;
        n.children.push_back(std::move(f));
    }

    // ---- drive buses (IDE, SATA, SCSI, floppy) ----

    void add_drive_buses(Node& n, const assigners::DriveLayout& layout, unsigned index) {
        std::map<unsigned, std::vector<std::size_t>> by_bus;
        if (auto it = placed_.drive.find({std::string(layout.bus), index}); it != placed_.drive.end())
            for (std::size_t i : it->second) by_bus[std::get<DriveAddress>(domain_.devices[i].address).bus].push_back(i);
        const unsigned buses = layout.units_per_controller / layout.units_per_bus;
        for (unsigned b = 0; b < buses; ++b) by_bus[b];  // every bus of the layout, even an empty one
        // QEMU hot-plugs SCSI disks; IDE, SATA and floppy buses take none.
        const bool hotplug = layout.bus == "scsi";
        const char* kind = hotplug ? "SCSI unit" : "drive unit";
        for (auto& [bus, members] : by_bus) {
            Node b;
            b.kind = Node::Kind::Group;
            b.name = fmt::format("bus {}", bus);
            std::sort(members.begin(), members.end(), [&](std::size_t x, std::size_t y) {
                return std::get<DriveAddress>(domain_.devices[x].address) < std::get<DriveAddress>(domain_.devices[y].address);
            });
            std::set<unsigned> used;
            for (std::size_t i : members) {
                const DriveAddress& a = std::get<DriveAddress>(domain_.devices[i].address);
                if (a.target == 0) used.insert(a.unit);
                b.children.push_back(device_node(
                    i, a.target == 0 ? fmt::format("unit {}", a.unit) : fmt::format("target {} unit {}", a.target, a.unit)));
            }
            if (bus < buses)
                add_free_runs(b, 0, layout.units_per_bus - 1, [&](unsigned u) { return !used.contains(u); }, "unit",
                              kind, hotplug, false);
            n.children.push_back(std::move(b));
        }
    }

    // ---- USB ----

    void add_usb_bus(Node& n, const Device& c, unsigned index) {
        // The companions of an ICH9 USB2 set share their master's bus, which
        // the master draws.
        if (model::is_ich9_usb_companion(c) || !usb_buses_.insert(index).second) return;
        unsigned ports = 0;
        for (std::size_t i : domain_.controller_order) {
            const Device& other = domain_.devices[i];
            if (other.type == "usb" && other.index.value_or(0) == index && other.model != "none")
                ports += assigners::usb_root_ports(other);
        }
        if (c.model == "none") return;
        std::map<std::vector<unsigned>, std::size_t> at;
        if (auto it = placed_.usb.find(index); it != placed_.usb.end())
            for (std::size_t i : it->second) at.emplace(std::get<UsbAddress>(domain_.devices[i].address).port, i);
        add_usb_ports(n, {}, ports, at);
    }

    void add_usb_ports(Node& n, const std::vector<unsigned>& hub, unsigned ports,
                       const std::map<std::vector<unsigned>, std::size_t>& at) {
        std::vector<bool> taken(ports + 1, false);
        for (unsigned p = 1; p <= ports; ++p) {
            std::vector<unsigned> path = hub;
            path.push_back(p);
            auto it = at.find(path);
            if (it == at.end()) continue;
            taken[p] = true;
            Node d = device_node(it->second, "port " + UsbAddress{0, path}.port_string());
            if (assigners::is_usb_hub(domain_.devices[it->second])) add_usb_ports(d, path, assigners::kUsbHubPorts, at);
            n.children.push_back(std::move(d));
        }
        const std::string prefix = hub.empty() ? "" : UsbAddress{0, hub}.port_string() + ".";
        for (unsigned p = 1; p <= ports; ++p) {
            if (taken[p]) continue;
            unsigned end = p;
            while (end < ports && !taken[end + 1]) ++end;
            add_free(n,
                     end > p ? fmt::format("ports {}{}-{}{}", prefix, p, prefix, end) : fmt::format("port {}{}", prefix, p),
                     end - p + 1, "USB port", true);
            p = end;
        }
    }

    // ---- virtio-serial and CCID ----

    void add_serial_ports(Node& n, const Device& c, unsigned index) {
        const unsigned ports = c.extras().ports.value_or(kVirtioSerialPorts);
        std::vector<std::pair<unsigned, std::size_t>> members;
        if (auto it = placed_.serial.find(index); it != placed_.serial.end())
            for (std::size_t i : it->second) members.emplace_back(std::get<VirtioSerialAddress>(domain_.devices[i].address).port, i);
        std::sort(members.begin(), members.end());
        std::vector<bool> used(ports, false);
        for (const auto& [port, i] : members) {
            if (port < ports) used[port] = true;
            n.children.push_back(device_node(i, fmt::format("port {}", port)));
        }
        if (ports > 1)
            add_free_runs(n, 1, ports - 1, [&](unsigned p) { return !used[p]; }, "port", "virtio-serial port", true, false);
    }

    void add_ccid_slots(Node& n, unsigned index) {
        auto it = placed_.ccid.find(index);
        if (it == placed_.ccid.end()) return;
        for (std::size_t i : it->second)
            n.children.push_back(device_node(i, fmt::format("slot {}", std::get<CcidAddress>(domain_.devices[i].address).slot)));
    }

    const Domain& domain_;
    const std::vector<bool>& written_;
    const machine::MachineProfile& machine_;
    Placement placed_;
    std::set<unsigned> visited_buses_;
    std::set<unsigned> usb_buses_;
    std::map<std::string, unsigned> capacity_;
};

}  // namespace

std::vector<bool> written_addresses(const Domain& input) {
    std::vector<bool> written(input.devices.size());
    for (std::size_t i = 0; i < input.devices.size(); ++i) {
        const Device& d = input.devices[i];
        written[i] = d.has_address() && !(d.pci() && d.pci()->is_empty());
    }
    return written;
}

Tree build_tree(const Domain& domain, const std::vector<bool>& written, const machine::MachineProfile& machine) {
    return Builder(domain, written, machine).build();
}

}  // namespace guestaddr::views
