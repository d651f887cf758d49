#include "model/text.hpp"

#include <limits>
#include <stdexcept>

namespace guestaddr::model {

void Text::assign(std::string_view s) {
    if (s.size() < kTag) {
        std::memcpy(bytes_.data(), s.data(), s.size());
        bytes_[kTag] = static_cast<char>(s.size());
        return;
    }
    // No definition guestaddr reads holds a value of 4 GiB; saying so beats
    // a size that wraps.
    if (s.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("a text of 4 GiB or more");
    char* p = new char[s.size()];
    std::memcpy(p, s.data(), s.size());
    const auto n = static_cast<std::uint32_t>(s.size());
    std::memcpy(bytes_.data(), &p, sizeof p);
    std::memcpy(bytes_.data() + sizeof p, &n, sizeof n);
    bytes_[kTag] = kOnHeap;
}

}  // namespace guestaddr::model
