// Reading integers from XML attributes the way libvirt does.
#pragma once

#include <optional>
#include <string_view>

namespace guestaddr::xml {

enum class Radix {
    Auto,     // C literal: decimal, 0x hex, leading 0 octal
    Decimal,  // base 10 only
    Hex,      // base 16, 0x prefix optional
};

// The value, or nullopt if the text is not a number in that radix or does
// not fit in 32 bits.
std::optional<unsigned> parse_unsigned(std::string_view text, Radix radix);

}  // namespace guestaddr::xml
