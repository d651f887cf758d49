#include "xml/input_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::xml {
namespace {

[[noreturn]] void refuse(std::string message) {
    throw Failure(Error{ErrorKind::MalformedXml, "", "malformed XML: " + std::move(message)});
}

// Length of the UTF-8 sequence starting at text[i], or 0 if it is invalid
// (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) return 1;
    std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (length == 0 || b > 0xF4 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char second = byte(i + 1);
    if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) || (b == 0xF0 && second < 0x90) ||
        (b == 0xF4 && second > 0x8F))
        return 0;
    return length;
}

// Whether the 8 bytes at text[i] are all ASCII: definitions are nearly all
// ASCII, and testing 8 bytes at once keeps the check off the profile.
bool ascii_word(std::string_view text, std::size_t i) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    return (word & 0x8080808080808080u) == 0;
}

void check_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (i + 8 <= text.size() && ascii_word(text, i)) {
            i += 8;
            continue;
        }
        const std::size_t length = utf8_sequence(text, i);
        if (length == 0) refuse(fmt::format("the input is not UTF-8 (invalid byte at offset {})", i));
        i += length;
    }
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
}

void check_entities(std::string_view text) {
    static constexpr std::array<std::string_view, 5> kPredefined{"lt", "gt", "amp", "apos", "quot"};
    for (std::size_t at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
        std::size_t end = at + 1;
        while (end < text.size() && is_name_char(text[end])) ++end;
        const std::string_view name = text.substr(at + 1, end - at - 1);
        if (end < text.size() && text[end] == ';' && !name.empty() &&
            std::find(kPredefined.begin(), kPredefined.end(), name) == kPredefined.end())
            refuse(fmt::format("entity '&{};' is not defined (guestaddr expands no entities)", name));
    }
}

// Looks for '!' (rare) rather than '<' (in every tag).
bool has_doctype(std::string_view text) {
    for (std::size_t at = text.find("!DOCTYPE"); at != std::string_view::npos; at = text.find("!DOCTYPE", at + 1))
        if (at > 0 && text[at - 1] == '<') return true;
    return false;
}

}  // namespace

void check_text(std::string_view text) {
    check_utf8(text);
    if (has_doctype(text))
        refuse("a DOCTYPE declaration is not allowed in a domain definition (no DTDs or entities are read)");
    check_entities(text);
}

void check_depth(const pugi::xml_node& root) {
    std::size_t depth = 0;
    pugi::xml_node node = root;
    // Iterative walk: the document may be nested far too deep to recurse.
    while (node) {
        if (node.first_child()) {
            node = node.first_child();
            if (++depth > kMaxDepth) refuse(fmt::format("the document is nested deeper than {} levels", kMaxDepth));
            continue;
        }
        while (node && !node.next_sibling() && node != root) {
            node = node.parent();
            --depth;
        }
        if (!node || node == root) break;
        node = node.next_sibling();
    }
}

}  // namespace guestaddr::xml
