#include "support.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace guestaddr::testing {

std::string domain_xml(const std::string& machine, const std::string& devices) {
    return fmt::format(
        "<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>"
        "<os><type arch='x86_64' machine='{}'>hvm</type></os><devices>{}</devices></domain>",
        machine, devices);
}

AssignOptions libvirt_9_0_rules() {
    AssignOptions options;
    options.libvirt = "9.0";
    options.qemu = "7.2";
    return options;
}

Definition assigned(const std::string& machine, const std::string& devices) {
    auto parsed = parse(domain_xml(machine, devices));
    if (!parsed) throw std::runtime_error("parse failed: " + parsed.errors().front().to_string());
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    if (!result) throw std::runtime_error("assign failed: " + result.errors().front().to_string());
    return std::move(*result);
}

std::vector<Error> assign_errors(const std::string& machine, const std::string& devices) {
    auto parsed = parse(domain_xml(machine, devices));
    if (!parsed) return parsed.errors();
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    if (!result) return result.errors();
    return {};
}

std::size_t index_of(const Definition& definition, const std::string& who) {
    const model::Domain& d = definition.domain();
    for (std::size_t i = 0; i < d.devices.size(); ++i)
        if (d.describe(i) == who) return i;
    throw std::runtime_error("no device " + who);
}

const model::Device& device(const Definition& definition, const std::string& who) {
    return definition.domain().devices[index_of(definition, who)];
}

std::string pci_of(const Definition& definition, const std::string& who) {
    const PciAddress* a = device(definition, who).pci();
    return a ? a->to_string() : "";
}

}  // namespace guestaddr::testing
