#include "xml/numbers.hpp"

#include <cstdint>
#include <limits>

namespace guestaddr::xml {

std::optional<unsigned> parse_unsigned(std::string_view text, Radix radix) {
    int base = 10;
    if (radix == Radix::Hex) {
        base = 16;
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
    } else if (radix == Radix::Auto) {
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
            base = 16;
            text.remove_prefix(2);
        } else if (text.size() > 1 && text[0] == '0') {
            base = 8;
            text.remove_prefix(1);
        }
    }
    if (text.empty()) return std::nullopt;
    // Digit by digit: the numbers are short, and a general conversion costs
    // more than they do (a 10,000-device guest has tens of thousands).
    std::uint64_t value = 0;
    for (const char c : text) {
        const unsigned lower = static_cast<unsigned char>(c) | 0x20u;
        const unsigned digit = c >= '0' && c <= '9'                   ? static_cast<unsigned>(c - '0')
                               : base == 16 && lower >= 'a' && lower <= 'f' ? lower - 'a' + 10
                                                                            : 16;
        if (digit >= static_cast<unsigned>(base)) return std::nullopt;
        value = value * static_cast<unsigned>(base) + digit;
        if (value > std::numeric_limits<unsigned>::max()) return std::nullopt;
    }
    return static_cast<unsigned>(value);
}

}  // namespace guestaddr::xml
