#include "xml/input_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

// A hand-written checker rather than a second parser: libxml2 or expat would
// read every document twice (once for the verdict, once by pugixml for the
// tree) at several times this pass's cost. Without a DTD (refused) XML 1.0's
// grammar and well-formedness constraints are small: this file is all of them
// (Char, S, Name, the XML declaration, Misc, elements and attributes,
// references, comments, PIs, CDATA; Unique Att Spec, Element Type Match,
// Legal Character, No < in Attribute Values, Entity Declared). Namespace
// errors are not checked: libxml2 only reports them and takes the document.

namespace guestaddr::xml {
namespace {

// Byte classes of ASCII, so that the common runs (names, values, text) cost
// one table look-up a byte.
enum : std::uint8_t {
    kChar = 1,        // a Char of XML 1.0
    kNameStart = 2,   // a NameStartChar
    kName = 4,        // a NameChar
    kPlainText = 8,   // a Char that needs no further look in character data
    kPlainValue = 16, // a Char that needs no further look in an attribute value
};

constexpr std::array<std::uint8_t, 256> make_classes() {
    std::array<std::uint8_t, 256> classes{};
    for (unsigned c = 0; c < 0x80; ++c) {
        const bool is_char = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
        const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        const bool name = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
        classes[c] = static_cast<std::uint8_t>((is_char ? kChar : 0) | (start ? kNameStart : 0) | (name ? kName : 0) |
                                               (is_char && c != '<' && c != '&' && c != ']' ? kPlainText : 0) |
                                               (is_char && c != '<' && c != '&' && c != '\'' && c != '"' ? kPlainValue : 0));
    }
    return classes;
}

constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

bool has_class(unsigned char byte, std::uint8_t cls) { return (kClasses[byte] & cls) != 0; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_xml_char(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

// NameStartChar and NameChar beyond ASCII (XML 1.0 fifth edition, as libxml2).
bool is_name_start(char32_t c) {
    return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
           (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool is_name_char(char32_t c) {
    return is_name_start(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

struct Decoded {
    char32_t code = 0;
    std::size_t length = 0;  // 0: not UTF-8
};

// The UTF-8 sequence of more than one byte at text[i] (overlong forms,
// surrogates and values past U+10FFFF are not UTF-8).
Decoded decode(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    const std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (length == 0 || b > 0xF4 || i + length > text.size()) return {};
    char32_t code = b & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {};
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return {};
    return {code, length};
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
           });
}

bool is_version_number(std::string_view v) {
    return v.size() > 2 && v.starts_with("1.") &&
           std::all_of(v.begin() + 2, v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_encoding_name(std::string_view v) {
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    return !v.empty() && letter(v.front()) && std::all_of(v.begin(), v.end(), [&](char c) {
               return letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
           });
}

struct Open {
    std::string_view name;
    std::size_t at;  // offset of its '<'
};

struct Attribute {
    std::string_view name;
    std::size_t at;
};

class WellFormed {
public:
    explicit WellFormed(std::string_view text) : t_(text) {}

    void document();

private:
    [[noreturn]] void refuse_at(std::size_t at, const std::string& problem) const;
    std::string line_of(std::size_t at) const;

    bool done() const { return p_ >= t_.size(); }
    char peek() const { return done() ? '\0' : t_[p_]; }
    bool at(std::string_view s) const { return t_.compare(p_, s.size(), s) == 0; }
    bool space();
    void expect(char c, std::string_view where);

    void character();
    void characters_to(std::size_t end);
    bool name_character(bool first);
    std::string_view name(std::string_view what);

    void xml_declaration();
    std::string_view declaration_value(std::string_view key);
    void misc();
    void element();
    void start_tag();
    void attribute(std::string_view element);
    void attribute_value(char quote, std::string_view attribute);
    void unique_attributes(std::string_view element);
    void end_tag();
    void text();
    void reference();
    void character_reference(std::size_t start);
    void comment();
    void processing_instruction();
    void cdata();

    std::string_view t_;
    std::size_t p_ = 0;
    std::vector<Open> open_;
    std::vector<Attribute> attributes_;
};

std::string WellFormed::line_of(std::size_t at) const {
    at = std::min(at, t_.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
        if (t_[i] == '\n' || (t_[i] == '\r' && (i + 1 == t_.size() || t_[i + 1] != '\n'))) {
            ++line;
            line_start = i + 1;
        }
    }
    // Columns count characters, not bytes.
    const std::size_t column = 1 + static_cast<std::size_t>(std::count_if(
                                       t_.begin() + static_cast<std::ptrdiff_t>(line_start),
                                       t_.begin() + static_cast<std::ptrdiff_t>(at),
                                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    return fmt::format("line {}, column {}", line, column);
}

void WellFormed::refuse_at(std::size_t at, const std::string& problem) const {
    throw Failure(Error{ErrorKind::MalformedXml, "", fmt::format("malformed XML at {}: {}", line_of(at), problem)});
}

bool WellFormed::space() {
    const std::size_t start = p_;
    while (!done() && is_space(t_[p_])) ++p_;
    return p_ != start;
}

void WellFormed::expect(char c, std::string_view where) {
    if (peek() != c) refuse_at(p_, fmt::format("'{}' expected {}", c, where));
    ++p_;
}

// One character, which must be a Char of XML 1.0 in UTF-8.
void WellFormed::character() {
    const auto b = static_cast<unsigned char>(t_[p_]);
    if (b < 0x80) {
        if (!has_class(b, kChar))
            refuse_at(p_, fmt::format("character U+{:04X} is not allowed in XML 1.0 (not even as a reference)",
                                      static_cast<unsigned>(b)));
        ++p_;
        return;
    }
    const Decoded d = decode(t_, p_);
    if (d.length == 0) refuse_at(p_, fmt::format("the input is not UTF-8 (byte {:#04x})", static_cast<unsigned>(b)));
    if (!is_xml_char(d.code))
        refuse_at(p_, fmt::format("character U+{:04X} is not allowed in XML 1.0", static_cast<unsigned>(d.code)));
    p_ += d.length;
}

// The characters up to `end` (an ASCII delimiter already found).
void WellFormed::characters_to(std::size_t end) {
    while (p_ < end) {
        if (has_class(static_cast<unsigned char>(t_[p_]), kChar)) ++p_;
        else character();
    }
}

// Steps over one name character (a start character if `first`), if there is one.
bool WellFormed::name_character(bool first) {
    if (done()) return false;
    const auto b = static_cast<unsigned char>(t_[p_]);
    if (b < 0x80) {
        if (!has_class(b, first ? kNameStart : kName)) return false;
        ++p_;
        return true;
    }
    const Decoded d = decode(t_, p_);
    if (d.length == 0) refuse_at(p_, fmt::format("the input is not UTF-8 (byte {:#04x})", static_cast<unsigned>(b)));
    if (!(first ? is_name_start(d.code) : is_name_char(d.code))) return false;
    p_ += d.length;
    return true;
}

std::string_view WellFormed::name(std::string_view what) {
    const std::size_t start = p_;
    if (!name_character(true)) refuse_at(p_, fmt::format("{} expected (a name: a letter, '_' or ':' first)", what));
    while (name_character(false)) {
    }
    return t_.substr(start, p_ - start);
}

void WellFormed::document() {
    if (at("\xEF\xBB\xBF")) p_ += 3;  // a UTF-8 byte order mark
    if (at("<?xml") && (p_ + 5 == t_.size() || is_space(t_[p_ + 5]) || t_[p_ + 5] == '?')) xml_declaration();
    misc();
    if (at("<!DOCTYPE"))
        refuse_at(p_, "a DOCTYPE declaration is not allowed in a domain definition (no DTDs or entities are read)");
    if (done()) refuse_at(p_, "no root element (the document is empty)");
    if (peek() != '<') refuse_at(p_, "the root element expected ('<')");
    element();
    misc();
    if (!done()) refuse_at(p_, "content after the root element (only comments and processing instructions may follow it)");
}

// XMLDecl: version, then encoding and standalone if given, in that order.
void WellFormed::xml_declaration() {
    p_ += 5;
    bool spaced = space();
    if (!spaced || !at("version")) refuse_at(p_, "the XML declaration must start with version='1.0'");
    const std::size_t version_at = p_;
    const std::string_view version = declaration_value("version");
    if (!is_version_number(version)) refuse_at(version_at, fmt::format("XML version '{}' is not 1.x", version));
    spaced = space();
    if (spaced && at("encoding")) {
        const std::size_t encoding_at = p_;
        const std::string_view encoding = declaration_value("encoding");
        if (!is_encoding_name(encoding)) refuse_at(encoding_at, fmt::format("'{}' is not an encoding name", encoding));
        if (!equals_ignoring_case(encoding, "UTF-8") && !equals_ignoring_case(encoding, "UTF8"))
            refuse_at(encoding_at, fmt::format("encoding '{}' is not supported: guestaddr reads UTF-8 only", encoding));
        spaced = space();
    }
    if (spaced && at("standalone")) {
        const std::size_t standalone_at = p_;
        const std::string_view standalone = declaration_value("standalone");
        if (standalone != "yes" && standalone != "no")
            refuse_at(standalone_at, fmt::format("standalone='{}': only 'yes' or 'no'", standalone));
        space();
    }
    if (!at("?>")) refuse_at(p_, "the XML declaration must end with '?>' after version, encoding and standalone, in that order");
    p_ += 2;
}

std::string_view WellFormed::declaration_value(std::string_view key) {
    p_ += key.size();
    space();
    expect('=', fmt::format("after '{}' in the XML declaration", key));
    space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') refuse_at(p_, fmt::format("the value of '{}' must be quoted", key));
    const std::size_t start = ++p_;
    const std::size_t end = t_.find(quote, start);
    if (end == std::string_view::npos) refuse_at(start - 1, fmt::format("the value of '{}' is not closed", key));
    characters_to(end);
    ++p_;
    return t_.substr(start, end - start);
}

void WellFormed::misc() {
    for (;;) {
        space();
        if (at("<!--")) comment();
        else if (at("<?")) processing_instruction();
        else return;
    }
}

// The root element and everything in it, without recursion: the nesting
// is checked only once a start tag is read.
void WellFormed::element() {
    start_tag();
    while (!open_.empty()) {
        text();
        if (done()) refuse_at(open_.back().at, fmt::format("<{}> is not closed", open_.back().name));
        if (at("</")) end_tag();
        else if (at("<!--")) comment();
        else if (at("<![CDATA[")) cdata();
        else if (at("<?")) processing_instruction();
        else if (at("<!")) refuse_at(p_, "a declaration is not allowed inside an element");
        else start_tag();
    }
}

void WellFormed::start_tag() {
    const std::size_t start = p_++;
    if (open_.size() > kMaxDepth) refuse_at(start, fmt::format("the document is nested deeper than {} levels", kMaxDepth));
    const std::string_view element = name("an element name");
    attributes_.clear();
    for (;;) {
        const bool spaced = space();
        if (at("/>")) {
            p_ += 2;
            break;
        }
        if (peek() == '>') {
            ++p_;
            open_.push_back({element, start});
            break;
        }
        if (done()) refuse_at(start, fmt::format("the tag <{}> is not closed ('>')", element));
        if (!spaced) refuse_at(p_, fmt::format("white space, '>' or '/>' expected in the tag <{}>", element));
        attribute(element);
    }
    unique_attributes(element);
}

void WellFormed::attribute(std::string_view element) {
    const std::size_t start = p_;
    const std::string_view attribute = name(fmt::format("an attribute name in <{}>", element));
    space();
    if (peek() != '=') refuse_at(p_, fmt::format("attribute '{}' of <{}> has no value ('=' expected)", attribute, element));
    ++p_;
    space();
    const char quote = peek();
    if (quote != '\'' && quote != '"')
        refuse_at(p_, fmt::format("the value of attribute '{}' of <{}> must be quoted", attribute, element));
    ++p_;
    attribute_value(quote, attribute);
    attributes_.push_back({attribute, start});
}

void WellFormed::attribute_value(char quote, std::string_view attribute) {
    const std::size_t start = p_ - 1;
    for (;;) {
        while (!done() && has_class(static_cast<unsigned char>(t_[p_]), kPlainValue)) ++p_;
        if (done()) refuse_at(start, fmt::format("the value of attribute '{}' is not closed", attribute));
        const char c = t_[p_];
        if (c == quote) {
            ++p_;
            return;
        }
        if (c == '<') refuse_at(p_, fmt::format("'<' is not allowed in the value of attribute '{}' (write &lt;)", attribute));
        if (c == '&') reference();
        else character();
    }
}

// Unique Att Spec. Elements have a few attributes: pairs are compared, unless
// there are many (a hostile input can have 100,000).
void WellFormed::unique_attributes(std::string_view element) {
    constexpr std::size_t kFew = 16;
    const auto twice = [&](const Attribute& a) {
        refuse_at(a.at, fmt::format("attribute '{}' is given twice in <{}>", a.name, element));
    };
    if (attributes_.size() <= kFew) {
        for (std::size_t i = 1; i < attributes_.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (attributes_[i].name == attributes_[j].name) twice(attributes_[i]);
        return;
    }
    std::stable_sort(attributes_.begin(), attributes_.end(),
                     [](const Attribute& a, const Attribute& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < attributes_.size(); ++i)
        if (attributes_[i].name == attributes_[i - 1].name) twice(attributes_[i]);
}

// Element Type Match.
void WellFormed::end_tag() {
    const std::size_t start = p_;
    p_ += 2;
    const std::string_view closing = name("an element name after '</'");
    space();
    expect('>', fmt::format("to end the closing tag </{}>", closing));
    const Open& open = open_.back();
    if (closing != open.name)
        refuse_at(start, fmt::format("closing tag </{}> does not match <{}> (opened at {})", closing, open.name,
                                     line_of(open.at)));
    open_.pop_back();
}

// Character data up to the next '<' (or the end).
void WellFormed::text() {
    for (;;) {
        while (!done() && has_class(static_cast<unsigned char>(t_[p_]), kPlainText)) ++p_;
        if (done() || t_[p_] == '<') return;
        if (t_[p_] == '&') {
            reference();
        } else if (t_[p_] == ']') {
            if (at("]]>")) refuse_at(p_, "']]>' is not allowed in text (write ]]&gt;)");
            ++p_;
        } else {
            character();
        }
    }
}

// Entity Declared: with no DTD only XML's five entities are; and a bare '&'
// is no reference at all.
void WellFormed::reference() {
    const std::size_t start = p_++;
    if (peek() == '#') return character_reference(start);
    const std::size_t name_start = p_;
    while (name_character(name_start == p_)) {
    }
    const std::string_view entity = t_.substr(name_start, p_ - name_start);
    if (entity.empty() || peek() != ';')
        refuse_at(start, "'&' must start an entity or character reference such as &amp; (a bare '&' is not XML)");
    ++p_;
    static constexpr std::array<std::string_view, 5> kPredefined{"lt", "gt", "amp", "apos", "quot"};
    if (std::find(kPredefined.begin(), kPredefined.end(), entity) == kPredefined.end())
        refuse_at(start, fmt::format("entity '&{};' is not defined (guestaddr expands no entities)", entity));
}

// Legal Character: &#N; and &#xN; must name a Char.
void WellFormed::character_reference(std::size_t start) {
    ++p_;
    const bool hex = peek() == 'x';
    if (hex) ++p_;
    const std::size_t digits = p_;
    std::uint32_t value = 0;
    for (; !done(); ++p_) {
        const char c = t_[p_];
        const int digit = c >= '0' && c <= '9'               ? c - '0'
                          : hex && c >= 'a' && c <= 'f'      ? c - 'a' + 10
                          : hex && c >= 'A' && c <= 'F'      ? c - 'A' + 10
                                                             : -1;
        if (digit < 0) break;
        value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit), 0x110000);
    }
    if (p_ == digits || peek() != ';')
        refuse_at(start, fmt::format("malformed character reference (&#N; or &#xN; expected)"));
    ++p_;
    if (!is_xml_char(value))
        refuse_at(start, fmt::format("character reference '{}' names a character XML 1.0 does not allow",
                                     t_.substr(start, p_ - start)));
}

void WellFormed::comment() {
    const std::size_t start = p_;
    p_ += 4;
    const std::size_t dashes = t_.find("--", p_);
    if (dashes == std::string_view::npos) refuse_at(start, "the comment is not closed ('-->')");
    characters_to(dashes);
    if (dashes + 2 == t_.size() || t_[dashes + 2] != '>') refuse_at(dashes, "'--' is not allowed inside a comment");
    p_ = dashes + 3;
}

void WellFormed::processing_instruction() {
    const std::size_t start = p_;
    p_ += 2;
    const std::string_view target = name("a processing instruction name");
    if (equals_ignoring_case(target, "xml"))
        refuse_at(start, "an XML declaration (<?xml ...?>) is only allowed at the very start of the document");
    const std::size_t end = t_.find("?>", p_);
    if (end == std::string_view::npos) refuse_at(start, fmt::format("the processing instruction <?{} is not closed ('?>')", target));
    if (end != p_ && !space()) refuse_at(p_, fmt::format("white space expected after <?{}", target));
    characters_to(end);
    p_ = end + 2;
}

void WellFormed::cdata() {
    const std::size_t start = p_;
    p_ += 9;
    const std::size_t end = t_.find("]]>", p_);
    if (end == std::string_view::npos) refuse_at(start, "the CDATA section is not closed (']]>')");
    characters_to(end);
    p_ = end + 3;
}

}  // namespace

void check_text(std::string_view text) { WellFormed(text).document(); }

}  // namespace guestaddr::xml
