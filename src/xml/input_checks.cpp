#include "xml/input_checks.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
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
    kSpace = 32,      // S: space, tab, line feed, carriage return
};

constexpr std::array<std::uint8_t, 256> make_classes() {
    std::array<std::uint8_t, 256> classes{};
    for (unsigned c = 0; c < 0x80; ++c) {
        const bool is_char = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
        const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        const bool name = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
        classes[c] = static_cast<std::uint8_t>((is_char ? kChar : 0) | (start ? kNameStart : 0) | (name ? kName : 0) |
                                               (is_char && c != '<' && c != '&' && c != ']' ? kPlainText : 0) |
                                               (is_char && c != '<' && c != '&' && c != '\'' && c != '"' ? kPlainValue : 0) |
                                               (c == ' ' || c == '\t' || c == '\n' || c == '\r' ? kSpace : 0));
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
    bool at(std::string_view s) const { return t_.size() - p_ >= s.size() && t_.substr(p_, s.size()) == s; }
    char after(std::size_t n) const { return p_ + n < t_.size() ? t_[p_ + n] : '\0'; }
    bool space();
    // The first offset from `i` of a byte not of class `cls`. The hot loop:
    // locals only, one table look-up a byte.
    std::size_t skip(std::size_t i, std::uint8_t cls) const {
        const auto* bytes = reinterpret_cast<const unsigned char*>(t_.data());
        const std::size_t size = t_.size();
        while (i < size && has_class(bytes[i], cls)) ++i;
        return i;
    }

    void character();
    void characters_to(std::size_t end);
    bool name_character(bool first);
    std::string_view name();
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
    p_ = skip(p_, kSpace);
    return p_ != start;
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

std::string_view WellFormed::name() {
    const std::size_t start = p_;
    // Names are nearly always ASCII: a table look-up a byte, and the
    // decoding steps only where a byte is not.
    if (!done() && has_class(static_cast<unsigned char>(t_[p_]), kNameStart)) ++p_;
    else if (!name_character(true)) return {};
    for (;;) {
        p_ = skip(p_, kName);
        if (done() || static_cast<unsigned char>(t_[p_]) < 0x80 || !name_character(false)) break;
    }
    return t_.substr(start, p_ - start);
}

std::string_view WellFormed::name(std::string_view what) {
    const std::string_view n = name();
    if (n.empty()) refuse_at(p_, fmt::format("{} expected (a name: a letter, '_' or ':' first)", what));
    return n;
}

void WellFormed::document() {
    if (at("\xFF\xFE") || at("\xFE\xFF")) refuse_at(p_, "the input is UTF-16: guestaddr reads UTF-8 only");
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
    if (peek() != '=') refuse_at(p_, fmt::format("'=' expected after '{}' in the XML declaration", key));
    ++p_;
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
        const char kind = after(1);
        if (kind == '/') end_tag();
        else if (kind == '?') processing_instruction();
        else if (kind != '!') start_tag();
        else if (at("<!--")) comment();
        else if (at("<![CDATA[")) cdata();
        else refuse_at(p_, "a declaration is not allowed inside an element");
    }
}

void WellFormed::start_tag() {
    const std::size_t start = p_++;
    if (open_.size() > kMaxDepth) refuse_at(start, fmt::format("the document is nested deeper than {} levels", kMaxDepth));
    const std::string_view element = name("an element name");
    attributes_.clear();
    for (;;) {
        const bool spaced = space();
        if (peek() == '/' && after(1) == '>') {
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
    const std::string_view attribute = name();
    if (attribute.empty())
        refuse_at(p_, fmt::format("an attribute name in <{}> expected (a name: a letter, '_' or ':' first)", element));
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
        p_ = skip(p_, kPlainValue);
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
    if (peek() != '>') refuse_at(p_, fmt::format("'>' expected to end the closing tag </{}>", closing));
    ++p_;
    const Open& open = open_.back();
    if (closing != open.name)
        refuse_at(start, fmt::format("closing tag </{}> does not match <{}> (opened at {})", closing, open.name,
                                     line_of(open.at)));
    open_.pop_back();
}

// Character data up to the next '<' (or the end).
void WellFormed::text() {
    for (;;) {
        p_ = skip(p_, kPlainText);
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

// ---------------------------------------------------------------------------
// The plain path. Nearly every definition is plain: ASCII, no control
// characters but tab and line feed, no reference, comment, PI, CDATA or
// declaration ('&', "<!", "<?", "]]>"), markup from its first to its last
// byte. On such a text pugixml itself refuses every malformation but three,
// which a walk of its tree finds: an attribute given twice, '<' in an
// attribute value, and more than one root element; and the nesting limit.
// (tests/unit/xml/well_formed_test.cpp holds both paths to the same
// verdicts, and so does fuzz/assign_fuzzer.cpp.) Any other text takes
// WellFormed, about five times the cost.

constexpr std::uint64_t kOnes = 0x0101010101010101u;
constexpr std::uint64_t kHigh = 0x8080808080808080u;

// The high bit of each zero byte of `word`, exactly (no borrows).
std::uint64_t zero_bytes(std::uint64_t word) {
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Fu;
    return ~(((word & kLow7) + kLow7) | word | kLow7);
}

// Whether a byte of the 8 in `word` is a control character or not ASCII:
// cheap and exact enough to skip the words that have neither.
bool has_control_or_high(std::uint64_t word) { return ((word | ((word - 0x20 * kOnes) & ~word)) & kHigh) != 0; }

// A character found with memchr (the four are rare in definitions) that,
// with its neighbours, is markup the plain path leaves to WellFormed.
bool has_rare_markup(std::string_view t) {
    for (std::size_t at = t.find('&'); at != std::string_view::npos;) return true;
    for (const char c : {'!', '?'})
        for (std::size_t at = t.find(c); at != std::string_view::npos; at = t.find(c, at + 1))
            if (at > 0 && t[at - 1] == '<') return true;
    for (std::size_t at = t.find(']'); at != std::string_view::npos; at = t.find(']', at + 1))
        if (t.compare(at, 3, "]]>") == 0) return true;
    return false;
}

// The line breaks of a text, taken before pugixml parses it in place (and
// writes over some of them): an offset is then still a line and a column.
class Lines {
public:
    void add(std::size_t at) { breaks_.push_back(static_cast<std::uint32_t>(at)); }

    [[noreturn]] void refuse_at(std::size_t at, const std::string& problem) const {
        const auto after = std::lower_bound(breaks_.begin(), breaks_.end(), at);
        const std::size_t line_start = after == breaks_.begin() ? 0 : *(after - 1) + 1;
        throw Failure(Error{ErrorKind::MalformedXml, "",
                            fmt::format("malformed XML at line {}, column {}: {}", after - breaks_.begin() + 1,
                                        at - line_start + 1, problem)});
    }

private:
    std::vector<std::uint32_t> breaks_;
};

// Whether the bytes are ASCII with no control character but tab and line
// feed, taking the line breaks on the way; 8 bytes at a time.
bool plain_bytes(std::string_view t, Lines& lines) {
    const auto* s = reinterpret_cast<const unsigned char*>(t.data());
    std::size_t i = 0;
    for (; i + 8 <= t.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, s + i, sizeof word);
        if (!has_control_or_high(word)) continue;
        const std::uint64_t breaks = zero_bytes(word ^ ('\n' * kOnes));
        const std::uint64_t controls = zero_bytes(word & (0xE0 * kOnes)) & ~breaks & ~zero_bytes(word ^ ('\t' * kOnes));
        if (((word & kHigh) | controls) != 0) return false;
        for (std::uint64_t b = breaks; b != 0; b &= b - 1) lines.add(i + static_cast<std::size_t>(std::countr_zero(b)) / 8);
    }
    for (; i < t.size(); ++i) {
        if (s[i] == '\n') lines.add(i);
        else if ((s[i] < 0x20 && s[i] != '\t') || s[i] >= 0x80) return false;
    }
    return true;
}

// The name in the closing tag the text ends with ("" if it ends otherwise):
// pugixml drops text after the root element, so the plain path takes only
// a text whose last tag closes its root.
std::string last_closing_name(std::string_view t) {
    const std::size_t last = t.find_last_not_of(" \t\n");
    if (last == std::string_view::npos || t[last] != '>') return {};
    const std::size_t close = t.rfind("</", last);
    if (close == std::string_view::npos) return {};
    const std::size_t end = t.find_last_not_of(" \t\n", last - 1);
    const std::string_view name = t.substr(close + 2, end + 1 - (close + 2));
    const bool is_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return has_class(static_cast<unsigned char>(c), kName);
    });
    return is_name ? std::string(name) : std::string();
}

bool plain_text(std::string_view t, Lines& lines) {
    const std::size_t first = t.find_first_not_of(" \t\n");
    return first != std::string_view::npos && t[first] == '<' && t.size() < UINT32_MAX && !has_rare_markup(t) &&
           plain_bytes(t, lines);
}

// What pugixml found wrong with a plain text, in words like WellFormed's
// (pugixml has torn the text where it is, so WellFormed cannot look again).
std::string plain_failure(const pugi::xml_parse_result& parsed, std::size_t size) {
    if (static_cast<std::size_t>(parsed.offset) >= size && parsed.status != pugi::status_no_document_element)
        return "the document ends before every element is closed";
    switch (parsed.status) {
    case pugi::status_no_document_element:
        return "no root element (the document is empty)";
    case pugi::status_bad_start_element:
        return "malformed start tag: an element name, attributes, then '>' or '/>' expected";
    case pugi::status_bad_attribute:
        return "malformed attribute: name='value', each after white space, expected";
    case pugi::status_bad_end_element:
        return "malformed closing tag: '</name>' expected";
    case pugi::status_end_element_mismatch:
        return "the closing tag does not match the element it closes";
    case pugi::status_unrecognized_tag:
        return "malformed tag: an element name expected after '<'";
    default:
        return parsed.description();
    }
}

// The checks pugixml does not make, on the tree of a plain text.
class PlainTree {
public:
    PlainTree(const char* base, const Lines& lines) : base_(base), lines_(lines) {}

    void check(const pugi::xml_document& tree) const {
        const pugi::xml_node root = tree.first_child();
        if (root.next_sibling())
            lines_.refuse_at(tag_offset(root.next_sibling()),
                             "content after the root element (only comments and processing instructions may follow it)");
        std::size_t depth = 0;
        pugi::xml_node node = root;
        // Iterative: the tree may be nested far too deep to recurse.
        while (node) {
            if (node.type() == pugi::node_element) check_attributes(node);
            if (node.first_child()) {
                node = node.first_child();
                if (++depth > kMaxDepth && node.type() == pugi::node_element)
                    lines_.refuse_at(tag_offset(node), fmt::format("the document is nested deeper than {} levels", kMaxDepth));
                continue;
            }
            while (node != root && !node.next_sibling()) {
                node = node.parent();
                --depth;
            }
            if (node == root) break;
            node = node.next_sibling();
        }
    }

private:
    std::size_t offset(const char* in_text) const { return static_cast<std::size_t>(in_text - base_); }
    std::size_t tag_offset(const pugi::xml_node& e) const { return offset(e.name()) - 1; }

    // Unique Att Spec, and No < in Attribute Values.
    void check_attributes(const pugi::xml_node& e) const {
        constexpr std::size_t kFew = 16;
        std::array<const char*, kFew> names;  // filled as they are read
        std::size_t count = 0;
        for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute(), ++count) {
            const char* name = a.name();
            if (const char* lt = std::strchr(a.value(), '<'))
                lines_.refuse_at(offset(lt), fmt::format("'<' is not allowed in the value of attribute '{}' (write &lt;)", name));
            if (count >= kFew) continue;
            for (std::size_t j = 0; j < count; ++j)
                if (names[j][0] == name[0] && std::strcmp(names[j], name) == 0) twice(e, a);
            names[count] = name;
        }
        if (count > kFew) check_many_attributes(e);
    }

    void check_many_attributes(const pugi::xml_node& e) const {
        std::vector<pugi::xml_attribute> sorted(e.attributes_begin(), e.attributes_end());
        std::stable_sort(sorted.begin(), sorted.end(), [](const pugi::xml_attribute& a, const pugi::xml_attribute& b) {
            return std::strcmp(a.name(), b.name()) < 0;
        });
        for (std::size_t i = 1; i < sorted.size(); ++i)
            if (std::strcmp(sorted[i].name(), sorted[i - 1].name()) == 0) twice(e, sorted[i]);
    }

    [[noreturn]] void twice(const pugi::xml_node& e, const pugi::xml_attribute& a) const {
        lines_.refuse_at(offset(a.name()), fmt::format("attribute '{}' is given twice in <{}>", a.name(), e.name()));
    }

    const char* base_;
    const Lines& lines_;
};

}  // namespace

void check_text(std::string_view text) { WellFormed(text).document(); }

void load_well_formed(pugi::xml_document& tree, std::string& text) {
    constexpr unsigned kOptions = pugi::parse_default;
    Lines lines;
    const std::string root_closed = last_closing_name(text);
    if (root_closed.empty() || !plain_text(text, lines)) {
        check_text(text);
        const pugi::xml_parse_result parsed = tree.load_buffer_inplace(text.data(), text.size(), kOptions, pugi::encoding_utf8);
        // Not reached: pugixml reads every document WellFormed takes.
        if (!parsed) throw Failure(Error{ErrorKind::MalformedXml, "", fmt::format("malformed XML: {}", parsed.description())});
        return;
    }
    const std::size_t size = text.size();
    const pugi::xml_parse_result parsed = tree.load_buffer_inplace(text.data(), size, kOptions, pugi::encoding_utf8);
    if (!parsed) lines.refuse_at(static_cast<std::size_t>(parsed.offset), plain_failure(parsed, size));
    PlainTree(text.data(), lines).check(tree);
    if (root_closed != tree.first_child().name())
        lines.refuse_at(size, "content after the root element (only comments and processing instructions may follow it)");
}

}  // namespace guestaddr::xml
