#include "qemu/option.hpp"

#include <fmt/format.h>

namespace guestaddr::qemu {
namespace {

// QEMU's option parser splits on commas; a literal comma is written twice.
std::string escape_commas(std::string_view value) {
    std::string out;
    for (char c : value) {
        out += c;
        if (c == ',') out += ',';
    }
    return out;
}

std::string render_key_values(const KeyValues& values) {
    std::string out;
    for (const auto& [key, value] : values) {
        if (!out.empty()) out += ',';
        out += key.empty() ? escape_commas(value) : key + '=' + escape_commas(value);
    }
    return out;
}

struct ValueText {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& text) const { return text; }
    std::string operator()(const KeyValues& values) const { return render_key_values(values); }
    std::string operator()(const Json& json) const { return fmt::format("'{}'", json.dump()); }
};

}  // namespace

Option flag_only(std::string flag) { return Option{std::move(flag), std::monostate{}}; }
Option text_option(std::string flag, std::string text) { return Option{std::move(flag), std::move(text)}; }
Option json_option(std::string flag, Json value) { return Option{std::move(flag), std::move(value)}; }
Option key_value_option(std::string flag, KeyValues values) { return Option{std::move(flag), std::move(values)}; }

std::string_view key_value(const KeyValues& values, std::string_view key) {
    for (const auto& [k, v] : values)
        if (k == key) return v;
    return {};
}

std::string render(const Option& option) {
    std::string value = std::visit(ValueText{}, option.value);
    return value.empty() ? option.flag : fmt::format("{} {}", option.flag, value);
}

}  // namespace guestaddr::qemu
