#include "views/explain.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "api/definition_impl.hpp"
#include "guestaddr/devices.hpp"
#include "assign/pipeline.hpp"
#include "machine/machine.hpp"
#include "topology/controller_rules.hpp"
#include "topology/device_rules.hpp"
#include "views/topology_tree.hpp"

namespace guestaddr::views {
namespace {

using model::Device;
using model::Domain;

// An address as a type and its numbers, which a query is compared with.
struct AddressKey {
    std::string type;
    std::vector<std::uint64_t> numbers;
    bool operator==(const AddressKey&) const = default;
};

std::optional<std::uint64_t> number(std::string_view text, int base) {
    if (text.starts_with("0x") || text.starts_with("0X")) {
        text.remove_prefix(2);
        base = 16;
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<AddressKey> key_of(const Address& address) {
    return std::visit(
        [](const auto& a) -> std::optional<AddressKey> {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, PciAddress>) return AddressKey{"pci", {a.domain, a.bus, a.slot, a.function}};
            else if constexpr (std::is_same_v<A, DriveAddress>)
                return AddressKey{"drive", {a.controller, a.bus, a.target, a.unit}};
            else if constexpr (std::is_same_v<A, UsbAddress>) {
                AddressKey k{"usb", {a.bus}};
                k.numbers.insert(k.numbers.end(), a.port.begin(), a.port.end());
                return k;
            } else if constexpr (std::is_same_v<A, VirtioSerialAddress>)
                return AddressKey{"virtio-serial", {a.controller, a.bus, a.port}};
            else if constexpr (std::is_same_v<A, CcidAddress>) return AddressKey{"ccid", {a.controller, a.slot}};
            else if constexpr (std::is_same_v<A, OtherAddress>) {
                AddressKey k{a.type, {}};
                for (const auto& [attribute, value] : a.attributes) {
                    std::optional<std::uint64_t> n = number(value, 10);
                    if (!n) return std::nullopt;
                    k.numbers.push_back(*n);
                }
                return k;
            } else
                return std::nullopt;
        },
        address);
}

// Whether the text is a PCI address without its type: "0000:00:03.0" or "00:03.0".
bool looks_like_pci(std::string_view q) {
    const bool full = q.size() == 12 && q[4] == ':' && q[7] == ':' && q[10] == '.';
    const bool short_form = q.size() == 7 && q[2] == ':' && q[5] == '.';
    return full || short_form;
}

// "pci:0000:00:03.0", "drive:0.0.0.1", "usb:0:1.2", "ccw:fe.0.0002", ...:
// the numbers split at ':' and '.'. PCI and CCW numbers are hexadecimal,
// as libvirt writes them; others decimal unless they start with 0x.
std::optional<AddressKey> parse_query_address(std::string_view q) {
    if (looks_like_pci(q)) return parse_query_address(std::string("pci:") + (q.size() == 7 ? "0000:" : "") + std::string(q));
    const std::size_t colon = q.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    AddressKey key{std::string(q.substr(0, colon)), {}};
    std::string_view rest = q.substr(colon + 1);
    if (key.type == "pci" && rest.size() == 7) key.numbers.push_back(0);  // "pci:00:03.0"
    const int base = key.type == "pci" || key.type == "ccw" ? 16 : 10;
    while (!rest.empty()) {
        const std::size_t end = rest.find_first_of(":.");
        std::optional<std::uint64_t> n = number(rest.substr(0, end), base);
        if (!n) return std::nullopt;
        key.numbers.push_back(*n);
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return key;
}

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool names(const Domain& domain, std::size_t i, std::string_view q, const std::optional<AddressKey>& address) {
    const Device& d = domain.devices[i];
    if (!d.extras().alias.empty() && d.extras().alias == q) return true;
    if (!d.mac.empty() && same_text_ignoring_case(d.mac, q)) return true;
    if (!d.target_dev.empty() && d.target_dev == q) return true;
    if (address && key_of(d.address) == address) return true;
    return domain.describe(i) == q;
}

std::string address_text(const Address& address) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, PciAddress>) {
                std::string text = "pci " + a.to_string();
                if (a.zpci_uid) text += fmt::format(" (zPCI uid {:#06x}, fid {:#010x})", *a.zpci_uid, a.zpci_fid.value_or(0));
                return text;
            } else if constexpr (std::is_same_v<A, DriveAddress>)
                return fmt::format("drive controller {} bus {} target {} unit {}", a.controller, a.bus, a.target, a.unit);
            else if constexpr (std::is_same_v<A, UsbAddress>)
                return a.port.empty() ? fmt::format("usb bus {}", a.bus) : fmt::format("usb bus {} port {}", a.bus, a.port_string());
            else if constexpr (std::is_same_v<A, VirtioSerialAddress>)
                return fmt::format("virtio-serial controller {} bus {} port {}", a.controller, a.bus, a.port);
            else if constexpr (std::is_same_v<A, CcidAddress>) return fmt::format("ccid controller {} slot {}", a.controller, a.slot);
            else if constexpr (std::is_same_v<A, OtherAddress>) {
                std::string text = a.type;
                for (const auto& [attribute, value] : a.attributes) text += fmt::format(" {}={}", attribute, value);
                return text;
            } else
                return "";
        },
        address);
}

// What kind of place a device needs, for a device not on PCI.
std::string place_kind(const Device& d) {
    if (std::holds_alternative<DriveAddress>(d.address))
        return fmt::format("a unit on a {} controller's drive bus", d.bus.empty() ? std::string("SCSI") : d.bus.str());
    if (std::holds_alternative<UsbAddress>(d.address)) return "a USB port";
    if (std::holds_alternative<VirtioSerialAddress>(d.address)) return "a virtio-serial port";
    if (std::holds_alternative<CcidAddress>(d.address)) return "a CCID slot";
    if (const auto* other = std::get_if<OtherAddress>(&d.address)) return fmt::format("a {} address", other->type);
    return "no bus";
}

bool slot_has_other_functions(const Domain& domain, std::size_t i, const PciAddress& a) {
    for (std::size_t j = 0; j < domain.devices.size(); ++j) {
        const PciAddress* b = domain.devices[j].pci();
        if (j != i && b && b->bus == a.bus && b->slot == a.slot && b->domain == a.domain) return true;
    }
    return false;
}

Explanation::Needs needs_of(const Domain& domain, std::size_t i, const machine::MachineProfile& machine) {
    const Device& d = domain.devices[i];
    Explanation::Needs needs;
    const PciAddress* a = d.pci();
    const std::optional<topology::ConnectFlags> flags = topology::connect_flags(d, machine);
    if (a == nullptr || !flags) {
        needs.connection = place_kind(d);
        return needs;
    }
    needs.pci = true;
    needs.connection = std::string(topology::connect_description(*flags));
    needs.hotplug = flags->has(topology::Connect::Hotpluggable);
    needs.integrated = flags->has(topology::Connect::Integrated);
    needs.shares_slots = flags->has(topology::Connect::AggregateSlot);
    needs.multifunction = a->multifunction == Multifunction::On || slot_has_other_functions(domain, i, *a);
    if (const Device* bus = domain.find_controller("pci", a->bus))
        if (const topology::ControllerRule* rule = topology::controller_rule(bus->model))
            needs.place_takes_hotplug =
                rule->accepts.has(topology::Connect::Hotpluggable) && bus->extras().ctarget.hotplug.value_or(true);
    return needs;
}

// Who gave devices[i] its address, comparing the input with the result.
std::string origin_of(const Device& now, const Address* before, bool written) {
    if (!now.has_address()) return "none";
    if (now.implicit) return "added";
    if (!written) return "chosen";
    return before != nullptr && *before == now.address ? "written" : "completed";
}

void fill_rule(Explanation& e, const model::Provenance& why) {
    if (e.origin == "written") {
        e.rule = "written";
        e.rule_text = "the definition gives this address; guestaddr keeps it, having checked it against the bus's rules";
    } else if (const model::Provenance::Note* note = why.placement(e.device)) {
        e.rule = note->rule;
        e.rule_text = note->text;
    } else if (e.origin == "none") {
        e.rule = "no-address";
        e.rule_text = "the device sits on no bus libvirt addresses; QEMU places it by itself";
    } else {
        e.rule = "kept";
        e.rule_text = "the address the device has after libvirt's defaults are filled in";
    }
}

Explanation::Addition addition(const Domain& domain, std::size_t i, const model::Provenance::Note* note) {
    if (note == nullptr)
        return {domain.describe(i), "implicit", "libvirt adds it to every definition that has none"};
    return {domain.describe(i), note->rule, note->text};
}

Explanation explain_device(const Domain& domain, std::size_t i, const std::vector<Address>& before,
                           const std::vector<bool>& written, const model::Provenance& why,
                           const machine::MachineProfile& machine) {
    const Device& d = domain.devices[i];
    Explanation e;
    e.device = i;
    e.name = domain.describe(i);
    e.element = d.element.str();
    e.summary = device_summary(d);
    e.address = d.address;
    e.address_text = address_text(d.address);
    const bool was_written = i < written.size() && written[i];
    e.origin = origin_of(d, i < before.size() ? &before[i] : nullptr, was_written);
    if (was_written) e.written_text = address_text(before[i]);
    e.needs = needs_of(domain, i, machine);
    fill_rule(e, why);
    for (const model::Provenance::Note& note : why.policies(i)) e.policies.push_back({note.rule, note.text});
    if (d.implicit) e.added = addition(domain, i, why.addition(i));
    for (std::size_t j : why.added_for(i)) e.added_for_it.push_back(addition(domain, j, why.addition(j)));
    return e;
}

}  // namespace

Result<std::vector<Explanation>> explain(Definition definition, std::string_view query) {
    Domain& domain = definition.impl().domain;
    const std::vector<bool> written = written_addresses(domain);
    std::vector<Address> before;
    before.reserve(domain.devices.size());
    for (const Device& d : domain.devices) before.push_back(d.address);
    model::Provenance why;
    try {
        domain.provenance = &why;
        assigners::assign_all(domain);
        domain.provenance = nullptr;
    } catch (const Failure& f) {
        return f.error();
    }
    const machine::MachineProfile machine = machine::resolve_machine(domain);
    const std::optional<AddressKey> address = parse_query_address(query);
    std::vector<Explanation> out;
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (!domain.devices[i].discarded && names(domain, i, query, address))
            out.push_back(explain_device(domain, i, before, written, why, machine));
    if (out.empty())
        return Error{ErrorKind::Placement, "",
                     fmt::format("no device of the definition is '{}' (give an alias, a MAC, a disk target, an address "
                                 "such as pci:0000:00:03.0, or a name as `guestaddr tree` shows it)",
                                 query)};
    return out;
}

Result<std::vector<DeviceName>> device_names(Definition definition) {
    auto assigned = assign(std::move(definition));
    if (!assigned) return assigned.errors();
    std::vector<DeviceName> out;
    for (const DeviceInfo& d : devices(*assigned)) {
        for (const std::string* name : {&d.alias, &d.mac, &d.disk_target})
            if (!name->empty()) out.push_back({*name, d.name});
        // Only an address a query can name this device by.
        if (std::optional<AddressKey> key = key_of(d.address); key && !key->numbers.empty())
            out.push_back({address_to_string(d.address), d.name});
    }
    return out;
}

namespace {

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string needs_text(const Explanation::Needs& n) {
    if (!n.pci) return n.connection;
    std::string text = fmt::format("a slot that takes a {}", n.connection);
    if (n.integrated) text += ", on bus 0 (integrated)";
    if (n.shares_slots) text += ", sharing a slot with others like it where it can";
    text += n.hotplug ? "; hotplug: required (it is plugged into a running guest)" : "; hotplug: not required";
    if (n.place_takes_hotplug) text += fmt::format(" (its slot {} take one)", *n.place_takes_hotplug ? "can" : "cannot");
    return text + "; multifunction: " + yes_no(n.multifunction);
}

std::string origin_text(const Explanation& e) {
    if (e.origin == "written") return "written in the definition";
    if (e.origin == "completed") return fmt::format("completed by guestaddr (the definition gives {})", e.written_text);
    if (e.origin == "added") return "chosen by guestaddr, which added the device";
    if (e.origin == "chosen") return "chosen by guestaddr (the definition gives none)";
    return "none";
}

}  // namespace

std::string explanation_text(const std::vector<Explanation>& explanations) {
    std::string out;
    for (const Explanation& e : explanations) {
        if (!out.empty()) out += '\n';
        out += e.summary.empty() ? e.name + "\n" : fmt::format("{} ({})\n", e.name, e.summary);
        out += fmt::format("  address:  {}\n", e.origin == "none" ? "none" : e.address_text + ", " + origin_text(e));
        out += fmt::format("  needs:    {}\n", needs_text(e.needs));
        out += fmt::format("  rule:     {}\n", e.rule_text);
        for (const Explanation::Applied& p : e.policies) out += fmt::format("  policy:   {}\n", p.text);
        if (e.added) out += fmt::format("  added:    {}\n", e.added->text);
        for (const Explanation::Addition& a : e.added_for_it) out += fmt::format("  added for it: {}: {}\n", a.name, a.text);
    }
    return out;
}

nlohmann::json explanation_json(const std::vector<Explanation>& explanations, std::string_view query) {
    nlohmann::json devices = nlohmann::json::array();
    for (const Explanation& e : explanations) {
        auto addition = [](const Explanation::Addition& a) {
            return nlohmann::json{{"name", a.name}, {"rule", a.rule}, {"text", a.text}};
        };
        nlohmann::json needs{{"connection", e.needs.connection}, {"pci", e.needs.pci}, {"hotplug", e.needs.hotplug},
                             {"multifunction", e.needs.multifunction}, {"integrated", e.needs.integrated},
                             {"shares_slots", e.needs.shares_slots}};
        needs["place_takes_hotplug"] =
            e.needs.place_takes_hotplug ? nlohmann::json(*e.needs.place_takes_hotplug) : nlohmann::json(nullptr);
        nlohmann::json policies = nlohmann::json::array();
        for (const Explanation::Applied& p : e.policies) policies.push_back({{"id", p.rule}, {"text", p.text}});
        nlohmann::json added_for = nlohmann::json::array();
        for (const Explanation::Addition& a : e.added_for_it) added_for.push_back(addition(a));
        devices.push_back({{"index", e.device},
                           {"name", e.name},
                           {"element", e.element},
                           {"summary", e.summary},
                           {"address", e.origin == "none" ? nlohmann::json(nullptr) : nlohmann::json(e.address_text)},
                           {"address_type", address_type_name(e.address)},
                           {"origin", e.origin},
                           {"written", e.written_text.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.written_text)},
                           {"needs", needs},
                           {"rule", {{"id", e.rule}, {"text", e.rule_text}}},
                           {"policies", policies},
                           {"added", e.added ? addition(*e.added) : nlohmann::json(nullptr)},
                           {"added_for_it", added_for}});
    }
    return {{"schema", "guestaddr/explain/1"}, {"query", query}, {"devices", devices}};
}

}  // namespace guestaddr::views
