// The guest ABI check: what libvirt compares between a running guest's
// definition and the one offered to replace it (a migration's destination,
// a restore's), learnt from its verdicts (tests/abi-cases). libvirt compares
// its device lists place by place and stops at the first difference; here
// devices are matched by what names them, so that one added device is one
// difference, not a shift of every later one, and every difference is told.
#include "guestaddr/abi.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <future>
#include <map>
#include <unordered_map>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/definition_impl.hpp"
#include "model/device_label.hpp"
#include "model/domain.hpp"
#include "model/element.hpp"
#include "xml/document.hpp"

namespace guestaddr {

std::string AbiDifference::to_string() const {
    const std::string subject = device.empty() ? "" : device + ": ";
    if (what == "added") return subject + "in NEW only";
    if (what == "removed") return subject + "in OLD only";
    auto shown = [](const std::string& v) { return v.empty() ? std::string("none") : v; };
    return fmt::format("{}{} {} in OLD, {} in NEW", subject, what, shown(old_value), shown(new_value));
}

namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

// One definition as the check reads it.
struct Side {
    const Domain& domain;
    const xml::Document& document;
    // The devices the definition as given left without an address, by index.
    const std::vector<bool>& unaddressed;
};

using Differences = std::vector<AbiDifference>;

void differ(Differences& out, std::string device, std::string what, std::string old_value, std::string new_value) {
    if (old_value != new_value)
        out.push_back({std::move(device), std::move(what), std::move(old_value), std::move(new_value)});
}

// ---------------------------------------------------------------- the domain

// A size in KiB from an element with libvirt's unit attribute.
std::string kibibytes(const model::Element* e) {
    if (e == nullptr) return "";
    static const std::map<std::string, unsigned long long, std::less<>> kUnits{
        {"b", 1},           {"bytes", 1},          {"KB", 1000},         {"k", 1024},
        {"KiB", 1024},      {"MB", 1000000},       {"M", 1048576},       {"MiB", 1048576},
        {"GB", 1000000000}, {"G", 1073741824},     {"GiB", 1073741824},  {"TB", 1000000000000},
        {"T", 1099511627776}, {"TiB", 1099511627776},
    };
    const auto unit = kUnits.find(e->attribute_or("unit", "KiB"));
    unsigned long long n = 0;
    const char* end = e->text.data() + e->text.size();
    if (unit == kUnits.end() || std::from_chars(e->text.data(), end, n).ptr != end) return e->text;
    return std::to_string(n * unit->second / 1024);
}

std::string text_of(const model::Element* e) { return e ? e->text : ""; }

std::string attribute_of(const model::Element* e, std::string_view name, std::string_view fallback = "") {
    return e ? std::string(e->attribute_or(name, fallback)) : std::string(fallback);
}

// <features>: each feature with its settings ("acpi", "hyperv relaxed=on").
std::string features(const model::Element& header) {
    const model::Element* f = header.child("features");
    if (f == nullptr) return "";
    std::vector<std::string> names;
    for (const model::Element& c : f->children) {
        std::string one = c.name;
        for (const auto& [key, value] : c.attributes) one += fmt::format(" {}={}", key, value);
        for (const model::Element& sub : c.children) one += fmt::format(" {}={}", sub.name, sub.attribute_or("state", "on"));
        names.push_back(std::move(one));
    }
    std::sort(names.begin(), names.end());
    return fmt::format("{}", fmt::join(names, ", "));
}

void compare_domains(const Side& a, const Side& b, Differences& out) {
    const model::Element ha = xml::copy_header(a.document), hb = xml::copy_header(b.document);
    const Domain &da = a.domain, &db = b.domain;
    differ(out, "", "virt type", da.virt_type, db.virt_type);
    differ(out, "", "os type", text_of(ha.find("os/type")), text_of(hb.find("os/type")));
    differ(out, "", "arch", da.arch, db.arch);
    differ(out, "", "machine", da.machine, db.machine);
    differ(out, "", "vcpus", std::to_string(da.vcpus), std::to_string(db.vcpus));
    differ(out, "", "current vcpus", attribute_of(ha.child("vcpu"), "current", text_of(ha.child("vcpu"))),
           attribute_of(hb.child("vcpu"), "current", text_of(hb.child("vcpu"))));
    differ(out, "", "iothreads", text_of(ha.child("iothreads")), text_of(hb.child("iothreads")));
    const std::string ma = kibibytes(ha.child("memory")), mb = kibibytes(hb.child("memory"));
    differ(out, "", "memory", ma, mb);
    // An absent <currentMemory> is all of the memory.
    const std::string ca = ha.child("currentMemory") ? kibibytes(ha.child("currentMemory")) : ma;
    const std::string cb = hb.child("currentMemory") ? kibibytes(hb.child("currentMemory")) : mb;
    differ(out, "", "current memory", ca, cb);
    differ(out, "", "maximum memory", kibibytes(ha.child("maxMemory")), kibibytes(hb.child("maxMemory")));
    differ(out, "", "memory slots", attribute_of(ha.child("maxMemory"), "slots"), attribute_of(hb.child("maxMemory"), "slots"));
    differ(out, "", "features", features(ha), features(hb));
}

// ---------------------------------------------------------------- devices

// The kinds of device libvirt compares, each list on its own. (It does not
// compare graphics, audio or leases: they are not guest hardware.)
constexpr std::array kCompared{
    DeviceClass::Disk,      DeviceClass::Controller, DeviceClass::Filesystem, DeviceClass::Interface,
    DeviceClass::Input,     DeviceClass::Sound,      DeviceClass::Video,      DeviceClass::Hostdev,
    DeviceClass::Redirdev,  DeviceClass::Smartcard,  DeviceClass::Serial,     DeviceClass::Parallel,
    DeviceClass::Channel,   DeviceClass::Console,    DeviceClass::Hub,        DeviceClass::Watchdog,
    DeviceClass::Memballoon, DeviceClass::Rng,       DeviceClass::Nvram,      DeviceClass::Panic,
    DeviceClass::Shmem,     DeviceClass::Tpm,        DeviceClass::Memory,     DeviceClass::Iommu,
    DeviceClass::Vsock,
};

// What names a device across the two definitions; devices of kinds with no
// name of their own are matched by their place in the list.
std::string identity(const Device& d, std::size_t place) {
    switch (d.cls) {
    case DeviceClass::Disk: return d.target_dev.str();
    case DeviceClass::Interface:
        if (!d.mac.empty()) return d.mac.str();
        break;
    case DeviceClass::Controller:
        // ICH9 USB companions share their master's index.
        return fmt::format("{} {} {}", d.type.view(), d.index.value_or(0),
                           model::is_ich9_usb_companion(d) ? d.model.view() : "");
    case DeviceClass::Hostdev: return d.extras().source_key.str();
    case DeviceClass::Channel:
        if (!d.target_name.empty()) return d.target_name.str();
        break;
    case DeviceClass::Filesystem:
    case DeviceClass::Shmem: return d.target_name.str();
    default: break;
    }
    return fmt::format("#{}", place);
}

// The address as libvirt compares it: its type always; the place for the
// types it checks (USB ports, CCW and spapr-vio registers it does not).
std::string address_text(const Address& address) {
    const std::string type = address_type_name(address);
    if (const auto* p = std::get_if<PciAddress>(&address)) return "pci " + p->to_string();
    if (const auto* d = std::get_if<DriveAddress>(&address))
        return fmt::format("drive {}:{}:{}:{}", d->controller, d->bus, d->target, d->unit);
    if (const auto* v = std::get_if<VirtioSerialAddress>(&address))
        return fmt::format("virtio-serial {}:{}:{}", v->controller, v->bus, v->port);
    if (const auto* c = std::get_if<CcidAddress>(&address)) return fmt::format("ccid {}:{}", c->controller, c->slot);
    if (const auto* o = std::get_if<OtherAddress>(&address); o && (o->type == "isa" || o->type == "dimm")) {
        std::string out = o->type;
        for (const auto& [key, value] : o->attributes) out += fmt::format(" {}={}", key, value);
        return out;
    }
    return type.empty() ? "none" : type;
}

std::string value(const Side& s, const Device& d, std::string_view path, std::string_view attr,
                  std::string_view fallback = "") {
    return std::string(xml::device_value(s.document, d, path, attr).value_or(fallback));
}

// libvirt's video memory defaults (KiB) per model, which it writes out.
std::string video_vram(const Side& s, const Device& d) {
    const bool vga_like = d.model == "vga" || d.model == "cirrus" || d.model == "vmvga" || d.model == "bochs";
    return value(s, d, "model", "vram", d.model == "qxl" ? "65536" : vga_like ? "16384" : "");
}

// Where a guestfwd channel forwards to (a virtio channel is named instead).
std::string guestfwd_target(const Side& s, const Device& d) {
    if (d.target_type != "guestfwd") return "";
    return value(s, d, "target", "address") + ":" + value(s, d, "target", "port");
}

// A property of one kind of device, read from either side.
struct Property {
    const char* what;
    std::string (*read)(const Side&, const Device&);
};

const std::vector<Property>& properties(DeviceClass cls) {
    using S = const Side&;
    using D = const Device&;
    using Props = std::vector<Property>;
    static const Property kModel{"model", +[](S, D d) { return d.model.str(); }};
    static const std::map<DeviceClass, std::vector<Property>> kTable{
        {DeviceClass::Disk,
         Props{{"device", +[](S, D d) { return d.device_kind.str(); }},
          {"bus", +[](S, D d) { return d.bus.str(); }},
          kModel,
          {"serial", +[](S s, D d) { return value(s, d, "serial", ""); }},
          {"wwn", +[](S s, D d) { return value(s, d, "wwn", ""); }},
          {"vendor", +[](S s, D d) { return value(s, d, "vendor", ""); }},
          {"product", +[](S s, D d) { return value(s, d, "product", ""); }}}},
        {DeviceClass::Controller,
         Props{{"type", +[](S, D d) { return d.type.str(); }},
          kModel,
          {"ports", +[](S, D d) { return d.extras().ports ? std::to_string(*d.extras().ports) : ""; }},
          {"vectors", +[](S s, D d) { return value(s, d, "", "vectors"); }},
          {"queues", +[](S s, D d) { return value(s, d, "driver", "queues"); }}}},
        {DeviceClass::Filesystem,
         Props{kModel, {"readonly", +[](S s, D d) { return std::string(xml::device_value(s.document, d, "readonly", "") ? "yes" : ""); }}}},
        {DeviceClass::Interface, Props{kModel, {"mtu", +[](S s, D d) { return value(s, d, "mtu", "size"); }}}},
        {DeviceClass::Input,
         Props{{"type", +[](S, D d) { return d.type.str(); }}, {"bus", +[](S, D d) { return d.bus.str(); }},
          {"model", +[](S s, D d) { return value(s, d, "", "model"); }}}},
        {DeviceClass::Sound, Props{kModel}},
        {DeviceClass::Video,
         Props{kModel,
          {"vram", video_vram},
          {"ram", +[](S s, D d) { return value(s, d, "model", "ram", d.model == "qxl" ? "65536" : ""); }},
          {"vgamem", +[](S s, D d) { return value(s, d, "model", "vgamem", d.model == "qxl" ? "16384" : ""); }},
          {"vram64", +[](S s, D d) { return value(s, d, "model", "vram64"); }},
          {"heads", +[](S s, D d) { return value(s, d, "model", "heads", d.model == "none" ? "" : "1"); }}}},
        {DeviceClass::Hostdev,
         Props{{"mode", +[](S, D d) { return d.device_kind.str(); }}, {"type", +[](S, D d) { return d.type.str(); }}}},
        {DeviceClass::Redirdev, Props{{"bus", +[](S, D d) { return d.bus.str(); }}}},
        {DeviceClass::Serial,
         Props{{"target type", +[](S, D d) { return d.target_type.str(); }},
          {"port", +[](S, D d) { return d.target_port ? std::to_string(*d.target_port) : ""; }}}},
        {DeviceClass::Parallel, Props{{"port", +[](S, D d) { return d.target_port ? std::to_string(*d.target_port) : ""; }}}},
        {DeviceClass::Console,
         Props{{"target type", +[](S, D d) { return d.target_type.str(); }},
          {"port", +[](S, D d) { return d.target_port ? std::to_string(*d.target_port) : ""; }}}},
        {DeviceClass::Channel,
         Props{{"target type", +[](S, D d) { return d.target_type.str(); }},
          {"target address", +[](S s, D d) { return guestfwd_target(s, d); }}}},
        {DeviceClass::Hub, Props{{"type", +[](S, D d) { return d.type.str(); }}}},
        {DeviceClass::Watchdog, Props{kModel}},
        {DeviceClass::Memballoon, Props{kModel}},
        {DeviceClass::Rng, Props{kModel}},
        {DeviceClass::Panic, Props{kModel}},
        {DeviceClass::Shmem, Props{kModel, {"size", +[](S s, D d) { return value(s, d, "size", ""); }}}},
        {DeviceClass::Tpm, Props{kModel, {"version", +[](S s, D d) { return value(s, d, "backend", "version"); }}}},
        {DeviceClass::Memory, Props{kModel, {"size", +[](S s, D d) { return value(s, d, "target/size", ""); }}}},
        {DeviceClass::Iommu, Props{kModel}},
        {DeviceClass::Vsock, Props{kModel}},
    };
    // By class in an array: it is asked once for each device compared.
    static const auto kByClass = [] {
        std::array<std::vector<Property>, model::kDeviceClassCount> by_class;
        for (const auto& [c, props] : kTable) by_class[static_cast<std::size_t>(c)] = props;
        return by_class;
    }();
    return kByClass[static_cast<std::size_t>(cls)];
}

// libvirt gives USB ports only to a new definition, not to one that replaces
// a running guest's: in NEW, a USB device written without an address has none.
bool usb_left_unaddressed(const Side& s, const Device& d, std::size_t index) {
    return index < s.unaddressed.size() && s.unaddressed[index] && std::holds_alternative<UsbAddress>(d.address);
}

std::string address_as_given(const Side& s, const Device& d, std::size_t index) {
    return usb_left_unaddressed(s, d, index) ? "none" : address_text(d.address);
}

// The same address as far as libvirt compares it; cheaper than its text.
bool same_address(const Address& a, const Address& b) {
    if (a.index() != b.index()) return false;
    if (const auto* o = std::get_if<OtherAddress>(&a)) {
        const auto& p = std::get<OtherAddress>(b);
        return o->type != p.type ? false : (o->type == "isa" || o->type == "dimm") ? *o == p : true;
    }
    return std::holds_alternative<UsbAddress>(a) || a == b;
}

// Names the device only once it differs: naming 10,000 devices costs more
// than comparing them.
void compare_pair(const Side& a, std::size_t ia, const Side& b, std::size_t ib, Differences& out) {
    const Device& da = a.domain.devices[ia];
    const Device& db = b.domain.devices[ib];
    const model::DeviceLabel name(a.domain, ia);
    if (!same_address(da.address, db.address) || usb_left_unaddressed(b, db, ib))
        differ(out, name(), "address", address_text(da.address), address_as_given(b, db, ib));
    for (const Property& p : properties(da.cls)) {
        std::string old_value = p.read(a, da), new_value = p.read(b, db);
        if (old_value != new_value) differ(out, name(), p.what, std::move(old_value), std::move(new_value));
    }
}

// The devices of one kind, in libvirt's list order, and what names each.
struct Listed {
    std::vector<std::size_t> order;
    std::vector<std::string> keys;
};

Listed list_of(const Domain& domain, DeviceClass cls) {
    Listed l;
    for (std::size_t i : domain.of_class(cls)) {
        if (domain.devices[i].discarded) continue;
        l.keys.push_back(identity(domain.devices[i], l.order.size()));
        l.order.push_back(i);
    }
    return l;
}

using Places = std::unordered_map<std::string_view, std::size_t>;

Places places(const Listed& l) {
    Places out;
    out.reserve(l.keys.size());
    for (std::size_t p = 0; p < l.keys.size(); ++p) out.emplace(l.keys[p], p);
    return out;
}

std::string ordinal(std::size_t n) { return std::to_string(n + 1); }

// Lists that name different devices, or the same in another order.
void compare_changed_lists(const Side& a, const Listed& la, const Side& b, const Listed& lb, DeviceClass cls,
                           Differences& out) {
    const Places in_a = places(la), in_b = places(lb);
    // The devices both have must come in the same order: libvirt compares
    // the lists place by place.
    std::vector<std::size_t> sorted;
    for (const std::string& key : la.keys)
        if (auto it = in_b.find(key); it != in_b.end()) sorted.push_back(it->second);
    std::sort(sorted.begin(), sorted.end());
    std::size_t rank = 0;
    for (std::size_t pa = 0; pa < la.order.size(); ++pa) {
        const model::DeviceLabel name(a.domain, la.order[pa]);
        const auto it = in_b.find(la.keys[pa]);
        if (it == in_b.end()) {
            out.push_back({name(), "removed", "", ""});
            continue;
        }
        // libvirt keeps its controllers sorted by type and index: their
        // order follows from what they are.
        if (cls != DeviceClass::Controller && sorted[rank] != it->second)
            out.push_back({name(), "order", ordinal(pa), ordinal(it->second)});
        ++rank;
        compare_pair(a, la.order[pa], b, lb.order[it->second], out);
    }
    for (std::size_t pb = 0; pb < lb.order.size(); ++pb)
        if (!in_a.contains(lb.keys[pb])) out.push_back({b.domain.describe(lb.order[pb]), "added", "", ""});
}

void compare_kind(const Side& a, const Listed& la, const Side& b, const Listed& lb, DeviceClass cls, Differences& out) {
    // Mostly the same devices in the same order: then place by place.
    if (la.keys != lb.keys) return compare_changed_lists(a, la, b, lb, cls, out);
    for (std::size_t p = 0; p < la.order.size(); ++p) compare_pair(a, la.order[p], b, lb.order[p], out);
}

}  // namespace

namespace {

std::vector<bool> unaddressed(const Definition& definition) {
    std::vector<bool> out;
    out.reserve(definition.domain().devices.size());
    for (const Device& d : definition.domain().devices) out.push_back(!d.has_address());
    return out;
}

// One side filled in, with its lists of each compared kind: both made on
// the side's own thread.
struct Prepared {
    Result<Definition> definition;
    std::vector<Listed> lists;  // in kCompared's order
};

Prepared prepare(Definition definition) {
    Prepared p{assign(std::move(definition)), {}};
    if (!p.definition) return p;
    p.lists.reserve(kCompared.size());
    for (DeviceClass cls : kCompared) p.lists.push_back(list_of(p.definition->domain(), cls));
    return p;
}

// The errors of one side, naming it.
std::vector<Error> of_side(std::vector<Error> errors, const char* side) {
    for (Error& e : errors) e.device = e.device.empty() ? side : fmt::format("{} {}", side, e.device);
    return errors;
}

}  // namespace

Result<std::vector<AbiDifference>> check_abi(Definition old_definition, Definition new_definition) {
    const std::vector<bool> new_unaddressed = unaddressed(new_definition);
    // The two sides share nothing until they are compared: OLD is filled in
    // on a thread of its own, which halves the wait on a large guest.
    std::future<Prepared> old_pending =
        std::async(std::launch::async, [&old_definition] { return prepare(std::move(old_definition)); });
    Prepared new_side = prepare(std::move(new_definition));
    Prepared old_side = old_pending.get();
    if (!old_side.definition) return of_side(old_side.definition.errors(), "OLD");
    if (!new_side.definition) return of_side(new_side.definition.errors(), "NEW");
    const std::vector<bool> none;
    const Side a{old_side.definition->domain(), old_side.definition->impl().document, none};
    const Side b{new_side.definition->domain(), new_side.definition->impl().document, new_unaddressed};
    Differences out;
    compare_domains(a, b, out);
    for (std::size_t k = 0; k < kCompared.size(); ++k)
        compare_kind(a, old_side.lists[k], b, new_side.lists[k], kCompared[k], out);
    return out;
}

}  // namespace guestaddr
