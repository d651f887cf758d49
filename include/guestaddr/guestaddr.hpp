// guestaddr: stable, libvirt-compatible device addresses for QEMU/KVM guests.
//
// The whole public API: parse a libvirt domain definition, assign every
// device an address, validate a definition, and format it back.
#pragma once

#include <functional>
#include <memory>
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

// Canonicalises the machine type, adds the implicit devices and gives every
// device an address, keeping every address already present.
GUESTADDR_API Result<Definition> assign(Definition definition);

// Checks a definition without changing it: every problem found, empty when
// the definition is complete (every device addressed) and consistent.
GUESTADDR_API std::vector<Error> validate(const Definition& definition);

// The definition as XML, in libvirt's formatting.
GUESTADDR_API std::string format(const Definition& definition);
// The same text, given to `write` a piece at a time (pieces of about
// 64 KiB): the text of a large definition is never whole in memory.
GUESTADDR_API void format(const Definition& definition, const std::function<void(std::string_view)>& write);

}  // namespace guestaddr
