// Who a message is about, named only when a message is written: naming
// each of 10,000 devices up front costs more than placing them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "model/domain.hpp"

namespace guestaddr::model {

class DeviceLabel {
public:
    // A part of the machine that is no device of the definition.
    DeviceLabel(const char* fixed) : fixed_(fixed) {}
    DeviceLabel(const Domain& domain, std::size_t index) : domain_(&domain), index_(index) {}

    std::string operator()() const { return domain_ != nullptr ? domain_->describe(index_) : fixed_; }
    // The index of the device it names, if it names one.
    std::optional<std::size_t> device() const {
        return domain_ != nullptr ? std::optional<std::size_t>(index_) : std::nullopt;
    }

private:
    const char* fixed_ = "";
    const Domain* domain_ = nullptr;
    std::size_t index_ = 0;
};

}  // namespace guestaddr::model
