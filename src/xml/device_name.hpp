// Who a message about the device being read is about. The name is made only
// for a message: naming each of 10,000 devices up front costs more than
// reading them.
#pragma once

#include <cstddef>
#include <string>

#include "model/device.hpp"

namespace guestaddr::xml {

class DeviceName {
public:
    DeviceName(const model::Device& device, std::size_t ordinal) : device_(device), ordinal_(ordinal) {}

    // From now on the device's own fields name it ("disk 'vda'"); until then
    // its element and position do ("disk #2"), as the fields are being read.
    void use_fields() { fields_read_ = true; }
    std::string operator()() const;

private:
    const model::Device& device_;
    std::size_t ordinal_;
    bool fields_read_ = false;
};

}  // namespace guestaddr::xml
