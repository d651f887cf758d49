#include "qemu/general_options.hpp"

#include <fmt/format.h>

#include "qemu/backends.hpp"
#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::DeviceClass;
using model::Element;

std::string_view text_of(const Element* e) { return e == nullptr ? std::string_view() : std::string_view(e->text); }

std::string_view feature_state(const Source& source, std::string_view feature) {
    const Element* f = source.header.find("features/" + std::string(feature));
    return f == nullptr ? "absent" : f->attribute_or("state", "on");
}

bool has_numa(const Source& source) { return source.header.find("cpu/numa") != nullptr; }

bool has_device(const Source& source, DeviceClass cls, std::string_view model) {
    for (std::size_t i : source.domain.of_class(cls))
        if (source.device(i).model == model) return true;
    return false;
}

// The chipset's power-management device, which carries the S3/S4 switches.
std::string_view pm_device(const Source& source) {
    return source.machine.chipset == machine::Chipset::Q35 ? "ICH9-LPC" : "PIIX4_PM";
}

std::string machine_value(const Source& source) {
    std::string value = source.machine.canonical + ",usb=off" + std::string(source.arch.machine_extra);
    if (feature_state(source, "vmport") == "off") value += ",vmport=off";
    if (const Element* ioapic = source.header.find("features/ioapic"); ioapic && ioapic->attribute_or("driver", "") == "qemu")
        value += ",kernel_irqchip=split";
    value += ",dump-guest-core=off";
    if (!has_numa(source)) value += fmt::format(",memory-backend={}", source.arch.ram_id);
    if (has_device(source, DeviceClass::Memory, "nvdimm")) value += ",nvdimm=on";
    return value;
}

std::string cpu_value(const Source& source) {
    const Element* cpu = source.header.child("cpu");
    const std::string_view mode = cpu ? cpu->attribute_or("mode", "custom") : "custom";
    if (mode == "host-passthrough" || mode == "maximum") return "host,migratable=on";
    const std::string_view model = text_of(cpu ? cpu->child("model") : nullptr);
    if (!model.empty()) return std::string(model);
    return std::string(source.arch.default_cpu);
}

// libvirt rounds guest memory up to whole MiB, per NUMA cell when there
// are cells (the total is then their sum).
unsigned long long align_mib(unsigned long long kib) { return (kib + 1023) / 1024 * 1024; }

unsigned long long cell_kib(const Element& cell) {
    Element size{"memory", {{"unit", std::string(cell.attribute_or("unit", "KiB"))}}, {},
                 std::string(cell.attribute_or("memory", "0"))};
    return align_mib(size_in_kib(&size));
}

unsigned long long memory_kib(const Source& source) {
    const Element* numa = source.header.find("cpu/numa");
    if (numa == nullptr) return align_mib(size_in_kib(source.header.child("memory")));
    unsigned long long total = 0;
    for (const Element& cell : numa->children)
        if (cell.name == "cell") total += cell_kib(cell);
    return total;
}

// -m in MiB, or with hotplug slots when <maxMemory> is set.
Option memory_option(const Source& source) {
    if (const Element* max = source.header.child("maxMemory"))
        return text_option("-m", fmt::format("size={}k,slots={},maxmem={}k", memory_kib(source),
                                             max->attribute_or("slots", "0"), size_in_kib(max)));
    return text_option("-m", std::to_string(memory_kib(source) / 1024));
}

std::string smp_value(const Source& source) {
    const unsigned vcpus = source.domain.vcpus;
    const Element* topology = source.header.find("cpu/topology");
    if (topology == nullptr) return fmt::format("{},sockets={},cores=1,threads=1", vcpus, vcpus);
    std::string value = fmt::format("{},sockets={}", vcpus, topology->attribute_or("sockets", "1"));
    if (topology->attribute("dies")) value += fmt::format(",dies={}", *topology->attribute("dies"));
    return value + fmt::format(",cores={},threads={}", topology->attribute_or("cores", "1"),
                               topology->attribute_or("threads", "1"));
}

// Each NUMA cell: its RAM object, then the node.
void add_numa(const Source& source, std::vector<Option>& out) {
    const Element* numa = source.header.find("cpu/numa");
    if (numa == nullptr) return;
    unsigned n = 0;
    for (const Element& cell : numa->children) {
        if (cell.name != "cell") continue;
        const std::string id = fmt::format("ram-node{}", n);
        out.push_back(memory_backend(source, nullptr, id, cell_kib(cell)));
        out.push_back(text_option("-numa", fmt::format("node,nodeid={},cpus={},memdev={}", cell.attribute_or("id", "0"),
                                                       cell.attribute_or("cpus", "0"), id)));
        ++n;
    }
}

const Element* timer(const Source& source, std::string_view name) {
    const Element* clock = source.header.child("clock");
    if (clock == nullptr) return nullptr;
    for (const Element& t : clock->children)
        if (t.name == "timer" && t.attribute_or("name", "") == name) return &t;
    return nullptr;
}

}  // namespace

std::vector<Option> leading_options(const Source& source) {
    const std::string name(text_of(source.header.child("name")));
    const std::string dir = domain_dir(source);
    std::vector<Option> out{
        text_option("-name", fmt::format("guest={},debug-threads=on", name)),
        flag_only("-S"),
        json_option("-object", Json{{"qom-type", "secret"}, {"id", "masterKey0"}, {"format", "raw"},
                                    {"file", dir + "/master-key.aes"}}),
        text_option("-machine", machine_value(source)),
        text_option("-accel", source.domain.virt_type == "kvm" ? "kvm" : "tcg"),
    };
    if (std::string cpu = cpu_value(source); !cpu.empty()) out.push_back(text_option("-cpu", std::move(cpu)));
    out.push_back(memory_option(source));
    if (!has_numa(source)) out.push_back(memory_backend(source, nullptr, std::string(source.arch.ram_id), memory_kib(source)));
    out.push_back(text_option("-overcommit", "mem-lock=off"));
    out.push_back(text_option("-smp", smp_value(source)));
    add_numa(source, out);
    if (const Element* uuid = source.header.child("uuid")) out.push_back(text_option("-uuid", uuid->text));
    if (source.domain.of_class(DeviceClass::Graphics).empty()) out.push_back(text_option("-display", "none"));
    out.push_back(flag_only("-no-user-config"));
    out.push_back(flag_only("-nodefaults"));
    out.push_back(key_value_option("-chardev", {{"", "socket"}, {"id", "charmonitor"}, {"path", dir + "/monitor.sock"},
                                                {"server", "on"}, {"wait", "off"}}));
    out.push_back(text_option("-mon", "chardev=charmonitor,id=monitor,mode=control"));
    return out;
}

std::vector<Option> platform_options(const Source& source) {
    const Element* clock = source.header.child("clock");
    std::string rtc = fmt::format("base={}", clock ? clock->attribute_or("offset", "utc") : "utc");
    if (const Element* t = timer(source, "rtc"); t && t->attribute_or("tickpolicy", "") == "catchup") rtc += ",driftfix=slew";
    std::vector<Option> out{text_option("-rtc", rtc)};
    const bool pc = source.arch.pc_platform;
    if (const Element* t = timer(source, "pit"); pc && t && t->attribute_or("tickpolicy", "") == "delay")
        out.push_back(text_option("-global", "kvm-pit.lost_tick_policy=delay"));
    if (const Element* t = timer(source, "hpet"); pc && t && t->attribute_or("present", "yes") == "no")
        out.push_back(flag_only("-no-hpet"));
    out.push_back(flag_only("-no-shutdown"));
    if (source.arch.acpi_switch && source.header.find("features/acpi") == nullptr) out.push_back(flag_only("-no-acpi"));
    for (const auto& [element, state] : {std::pair{"pm/suspend-to-mem", "s3"}, std::pair{"pm/suspend-to-disk", "s4"}})
        if (const Element* s = source.header.find(element); pc && s && s->attribute_or("enabled", "") == "no")
            out.push_back(text_option("-global", fmt::format("{}.disable_{}=1", pm_device(source), state)));
    const Element* menu = source.header.find("os/bootmenu");
    const std::string_view enable = menu ? menu->attribute_or("enable", "") : "";
    out.push_back(text_option("-boot", enable.empty() ? "strict=on" : fmt::format("menu={},strict=on", enable == "yes" ? "on" : "off")));
    return out;
}

std::vector<Option> display_options(const Source& source) {
    std::vector<Option> out;
    bool spice = false;
    for (std::size_t i : source.domain.of_class(DeviceClass::Graphics)) spice |= source.device(i).type == "spice";
    out.push_back(json_option("-audiodev", Json{{"id", "audio1"}, {"driver", spice ? "spice" : "none"}}));
    for (std::size_t i : source.domain.of_class(DeviceClass::Graphics)) {
        const Element& g = source.element(i);
        const std::string_view listen = g.attribute_or("listen", "127.0.0.1");
        const long port = std::stol(std::string(g.attribute_or("port", "5900")));
        if (source.device(i).type == "vnc")
            out.push_back(text_option("-vnc", fmt::format("{}:{},audiodev=audio1", listen, port < 5900 ? 0 : port - 5900)));
        if (source.device(i).type == "spice")
            out.push_back(text_option("-spice", fmt::format("port={},addr={},disable-ticketing=on,seamless-migration=on",
                                                            port < 0 ? 5900 : port, listen)));
        if (g.attribute("keymap")) out.push_back(text_option("-k", std::string(*g.attribute("keymap"))));
    }
    return out;
}

std::vector<Option> sandbox_options() {
    return {text_option("-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny")};
}

}  // namespace guestaddr::qemu
