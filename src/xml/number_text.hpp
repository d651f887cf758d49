// A number as text, without allocating: formatting is much of the work of
// writing 10,000 addresses.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace guestaddr::xml {

class NumberText {
public:
    // Decimal.
    explicit NumberText(unsigned v) { end_ = std::to_chars(text_.data(), text_.data() + text_.size(), v).ptr; }
    // "0x" and at least `digits` lower-case hex digits, as libvirt writes PCI numbers.
    NumberText(unsigned v, int digits) {
        char hex[8];
        const char* hex_end = std::to_chars(hex, hex + sizeof hex, v, 16).ptr;
        char* out = text_.data();
        *out++ = '0';
        *out++ = 'x';
        for (auto n = hex_end - hex; n < digits; ++n) *out++ = '0';
        end_ = std::copy(static_cast<const char*>(hex), hex_end, out);
    }
    operator std::string_view() const { return {text_.data(), static_cast<std::size_t>(end_ - text_.data())}; }

private:
    std::array<char, 16> text_{};
    char* end_;
};

}  // namespace guestaddr::xml
