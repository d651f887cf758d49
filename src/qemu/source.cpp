// The one file of src/qemu/ that reaches into the definition's XML document,
// and only through xml::copy_*: everything else works on plain copies.
#include "qemu/source.hpp"

#include "api/definition_impl.hpp"
#include "qemu/boot_order.hpp"
#include "qemu/device_ids.hpp"

namespace guestaddr::qemu {

std::string Source::controller_id(std::string_view type, unsigned index) const {
    const std::optional<std::size_t> i = domain.find_controller_index(type, index);
    return i ? ids[*i] : std::string();
}

Source make_source(const Definition& definition) {
    const Definition::Impl& impl = definition.impl();
    const model::Domain& domain = impl.domain;
    const ArchProfile* arch = arch_profile(domain.arch);
    if (arch == nullptr) arch = arch_profile(machine::kDefaultArch);
    Source source{domain, machine::resolve_machine(domain), *arch,
                  xml::copy_header(impl.document), {}, {}, {}, domain.controllers_by_index()};
    source.elements.reserve(domain.devices.size());
    for (const model::Device& d : domain.devices)
        source.elements.push_back(d.node == model::Device::kNoNode ? model::Element{}
                                                                   : xml::copy_device_element(impl.document, d.node));
    source.ids = device_ids(source);
    source.boot_indexes = boot_indexes(source);
    return source;
}

}  // namespace guestaddr::qemu
