#include "xml/numbers.hpp"

#include <charconv>
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
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (value > std::numeric_limits<unsigned>::max()) return std::nullopt;
    return static_cast<unsigned>(value);
}

}  // namespace guestaddr::xml
