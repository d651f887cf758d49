#include "xml/device_name.hpp"

#include <fmt/format.h>

namespace guestaddr::xml {

std::string DeviceName::operator()() const {
    if (fields_read_) return model::describe(device_, ordinal_);
    return fmt::format("{} #{}", device_.element, ordinal_);
}

}  // namespace guestaddr::xml
