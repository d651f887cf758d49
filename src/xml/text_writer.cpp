#include "xml/text_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>

#include "xml/number_text.hpp"

namespace guestaddr::xml {
namespace {

enum class Escape { Text, Attribute };

// Which bytes need a reference: '&' and '<' everywhere; '>' in text; the
// quote, tabs and line breaks in single-quoted attribute values (a parser
// would read them raw as spaces). No other control character can be here:
// XML 1.0 cannot carry one, raw or as a reference, and check_text refuses
// every input that holds one.
using EscapeTable = std::array<bool, 256>;

constexpr EscapeTable escape_table(Escape escape) {
    EscapeTable table{};
    table['\t'] = table['\n'] = table['\r'] = escape == Escape::Attribute;
    table['&'] = table['<'] = true;
    table['>'] = escape == Escape::Text;
    table['\''] = escape == Escape::Attribute;
    return table;
}

constexpr EscapeTable kTextEscapes = escape_table(Escape::Text);
constexpr EscapeTable kAttributeEscapes = escape_table(Escape::Attribute);

// A tab or line break as a reference of two digits, as pugixml writes them.
struct ControlReference {
    std::array<char, 5> text;
    operator std::string_view() const { return {text.data(), text.size()}; }
};

ControlReference control_reference(unsigned char c) {
    return {{'&', '#', static_cast<char>('0' + c / 10), static_cast<char>('0' + c % 10), ';'}};
}

bool is_text(pugi::xml_node node) { return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata; }

bool is_address(pugi::xml_node node) {
    return node.type() == pugi::node_element && std::string_view(node.name()) == "address";
}

class TextWriter {
public:
    // Gives the text to `sink` whenever a chunk of it is ready.
    // A chunk and room to finish the piece that crosses its end: only an
    // attribute value of more than a chunk makes the buffer grow. Left
    // uninitialised: the memory is touched only as the text fills it, so a
    // small definition costs a few pages, not the whole buffer.
    TextWriter(const AddressOverlay& addresses, const TextSink& sink)
        : addresses_(addresses), sink_(sink), out_(std::make_unique_for_overwrite<char[]>(2 * kChunk)),
          capacity_(2 * kChunk) {}

    void element(pugi::xml_node e, std::size_t depth, bool is_device);
    void flush() {
        if (pending_line_) put('\n');
        hand_over();
    }

    // <address>, from the model. A visitor of Address.
    void operator()(std::monostate) {}
    void operator()(const PciAddress& a);
    void operator()(const DriveAddress& a);
    void operator()(const UsbAddress& a);
    void operator()(const VirtioSerialAddress& a);
    void operator()(const CcidAddress& a);
    void operator()(const OtherAddress& a);

private:
    // The text grows by hand rather than by std::string's appends: their
    // checks cost more than the copying, a few bytes at a time.
    char* room(std::size_t n) {
        if (used_ >= kChunk) hand_over();
        if (used_ + n > capacity_) grow(used_ + n + kChunk);
        return out_.get() + used_;
    }
    void grow(std::size_t capacity) {
        auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
        std::memcpy(bigger.get(), out_.get(), used_);
        out_ = std::move(bigger);
        capacity_ = capacity;
    }
    void hand_over() {
        sink_(std::string_view(out_.get(), used_));
        used_ = 0;
    }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        used_ += s.size();
    }
    void put(char c) {
        *room(1) = c;
        ++used_;
    }
    void new_line(std::size_t depth) {
        char* at = room(1 + 2 * depth);
        *at = '\n';
        std::memset(at + 1, ' ', 2 * depth);
        used_ += 1 + 2 * depth;
    }
    void open(std::string_view name, std::size_t depth);
    void close(std::string_view name, std::size_t depth);
    void attribute(std::string_view name, std::string_view value);
    void text(pugi::xml_node node);
    void escaped(std::string_view text);
    void address(const Address& a, std::size_t depth);
    void write_multifunction(const PciAddress& a);

    static constexpr std::size_t kChunk = 64 * 1024;

    const AddressOverlay& addresses_;
    const TextSink& sink_;
    std::unique_ptr<char[]> out_;  // the chunk being written
    std::size_t capacity_;         // out_'s size
    std::size_t used_ = 0;         // out_'s bytes written; the rest is room to grow into
    // Whether the next element or end tag starts a new, indented line: it
    // does after an element, not after text (which keeps mixed content as
    // it was).
    bool pending_line_ = false;
};

void TextWriter::open(std::string_view name, std::size_t depth) {
    if (pending_line_) new_line(depth);
    put('<');
    put(name);
}

void TextWriter::close(std::string_view name, std::size_t depth) {
    if (pending_line_) new_line(depth);
    put("</");
    put(name);
    put('>');
    pending_line_ = true;
}

void TextWriter::attribute(std::string_view name, std::string_view value) {
    // Room for the worst case (every byte a 6-byte reference), then one pass
    // that copies and escapes: most values are a few bytes, and a check and
    // a copy call per piece would cost more than the bytes.
    char* at = room(name.size() + 4 + 6 * value.size());
    char* const start = at;
    *at++ = ' ';
    at = std::copy(name.begin(), name.end(), at);
    *at++ = '=';
    *at++ = '\'';
    for (const char byte : value) {
        const auto c = static_cast<unsigned char>(byte);
        if (!kAttributeEscapes[c]) {
            *at++ = byte;
            continue;
        }
        const ControlReference control = control_reference(c);
        const std::string_view reference = c == '&'    ? std::string_view("&amp;")
                                           : c == '<'  ? std::string_view("&lt;")
                                           : c == '\'' ? std::string_view("&apos;")
                                                       : std::string_view(control);
        at = std::copy(reference.begin(), reference.end(), at);
    }
    *at++ = '\'';
    used_ += static_cast<std::size_t>(at - start);
}

void TextWriter::escaped(std::string_view value) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (!kTextEscapes[c]) continue;
        put(value.substr(from, i - from));
        from = i + 1;
        if (c == '&') put("&amp;");
        else if (c == '<') put("&lt;");
        else put("&gt;");
    }
    put(value.substr(from));
}

void TextWriter::text(pugi::xml_node node) {
    if (node.type() == pugi::node_pcdata) {
        escaped(node.value());
    } else {
        // "]]>" cannot be inside a CDATA section: it ends one and starts the next.
        std::string_view rest = node.value();
        put("<![CDATA[");
        for (std::size_t end = rest.find("]]>"); end != std::string_view::npos; end = rest.find("]]>")) {
            put(rest.substr(0, end + 2));
            put("]]><![CDATA[");
            rest.remove_prefix(end + 2);
        }
        put(rest);
        put("]]>");
    }
    pending_line_ = false;
}

void TextWriter::element(pugi::xml_node e, std::size_t depth, bool is_device) {
    const std::string_view name = e.name();
    open(name, depth);
    for (pugi::xml_attribute a : e.attributes()) attribute(a.name(), a.value());
    const Address* address = is_device ? addresses_.find(e) : nullptr;
    const auto shown = [&](pugi::xml_node child) { return address == nullptr || !is_address(child); };

    // None, one or more: all the layout depends on.
    std::size_t children = address == nullptr ? 0 : 1;
    pugi::xml_node first;
    for (pugi::xml_node child = e.first_child(); child && children < 2; child = child.next_sibling())
        if (shown(child) && children++ == 0) first = child;
    if (children == 0) {
        put("/>");
        pending_line_ = true;
        return;
    }
    put('>');
    if (children == 1 && first && is_text(first)) {
        text(first);
        close(name, depth);
        return;
    }
    pending_line_ = true;
    for (pugi::xml_node child : e.children()) {
        if (!shown(child)) continue;
        if (is_text(child)) text(child);
        else if (child.type() == pugi::node_element) element(child, depth + 1, addresses_.covers_children_of(e));
        // Nothing else is in the tree: the parse keeps no comments,
        // processing instructions or declarations, and refuses DOCTYPEs.
    }
    if (address != nullptr) this->address(*address, depth + 1);
    close(name, depth);
}

void TextWriter::address(const Address& a, std::size_t depth) {
    open("address", depth);
    std::visit(*this, a);
    const PciAddress* pci = std::get_if<PciAddress>(&a);
    if (pci == nullptr || !pci->zpci_uid || !pci->zpci_fid) {
        put("/>");
        pending_line_ = true;
        return;
    }
    put('>');
    pending_line_ = true;
    open("zpci", depth + 1);
    attribute("uid", NumberText(*pci->zpci_uid, 4));
    attribute("fid", NumberText(*pci->zpci_fid, 8));
    put("/>");
    pending_line_ = true;
    close("address", depth);
}

void TextWriter::operator()(const PciAddress& a) {
    attribute("type", "pci");
    // An empty address is left on devices that take none: libvirt writes
    // its type alone (and multifunction), whatever its function says.
    if (a.is_empty()) {
        write_multifunction(a);
        return;
    }
    attribute("domain", NumberText(a.domain, 4));
    attribute("bus", NumberText(a.bus, 2));
    attribute("slot", NumberText(a.slot, 2));
    attribute("function", NumberText(a.function, 1));
    write_multifunction(a);
}

void TextWriter::write_multifunction(const PciAddress& a) {
    if (a.multifunction != Multifunction::Absent)
        attribute("multifunction", a.multifunction == Multifunction::On ? "on" : "off");
}

void TextWriter::operator()(const DriveAddress& a) {
    attribute("type", "drive");
    attribute("controller", NumberText(a.controller));
    attribute("bus", NumberText(a.bus));
    attribute("target", NumberText(a.target));
    attribute("unit", NumberText(a.unit));
}

void TextWriter::operator()(const UsbAddress& a) {
    attribute("type", "usb");
    attribute("bus", NumberText(a.bus));
    if (!a.port.empty()) attribute("port", a.port_string());
}

void TextWriter::operator()(const VirtioSerialAddress& a) {
    attribute("type", "virtio-serial");
    attribute("controller", NumberText(a.controller));
    attribute("bus", NumberText(a.bus));
    attribute("port", NumberText(a.port));
}

void TextWriter::operator()(const CcidAddress& a) {
    attribute("type", "ccid");
    attribute("controller", NumberText(a.controller));
    attribute("slot", NumberText(a.slot));
}

void TextWriter::operator()(const OtherAddress& a) {
    attribute("type", a.type);
    for (const auto& [name, value] : a.attributes) attribute(name, value);
}

// Sorts a sequence made of ascending runs in O(n log runs), by merging
// neighbouring runs until one is left. The entries come in device order, and
// the parser allocates elements in document order a page at a time: the
// runs are the pages (wherever the allocator put them) and the elements
// added for implicit devices.
template <class T>
void sort_runs(std::vector<T>& items) {
    std::vector<std::size_t> bounds{0};
    for (std::size_t i = 1; i < items.size(); ++i)
        if (items[i] < items[i - 1]) bounds.push_back(i);
    bounds.push_back(items.size());
    const auto at = [&](std::size_t i) { return items.begin() + static_cast<std::ptrdiff_t>(i); };
    while (bounds.size() > 2) {
        std::vector<std::size_t> merged{0};
        for (std::size_t k = 2; k < bounds.size(); k += 2) {
            std::inplace_merge(at(bounds[k - 2]), at(bounds[k - 1]), at(bounds[k]));
            merged.push_back(bounds[k]);
        }
        if (bounds.size() % 2 == 0) merged.push_back(bounds.back());
        bounds = std::move(merged);
    }
}

}  // namespace

AddressOverlay::AddressOverlay(pugi::xml_node devices, std::vector<Entry> entries)
    : devices_(devices), entries_(std::move(entries)) {
    sort_runs(entries_);
}

const Address* AddressOverlay::find(pugi::xml_node device) const {
    const Key key = device.internal_object();
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const auto& entry, Key k) { return entry.first < k; });
    return it != entries_.end() && it->first == key ? it->second : nullptr;
}

void write_text(const pugi::xml_document& document, const AddressOverlay& addresses, const TextSink& sink) {
    TextWriter writer(addresses, sink);
    if (pugi::xml_node root = document.document_element()) writer.element(root, 0, false);
    writer.flush();
}

std::string write_text(const pugi::xml_document& document, const AddressOverlay& addresses, std::size_t expected_size) {
    // Room for `expected_size` is reserved, not filled: memory that is never
    // written costs nothing, and growing by copying costs twice.
    std::string text;
    text.reserve(expected_size);
    write_text(document, addresses, [&](std::string_view piece) { text += piece; });
    return text;
}

}  // namespace guestaddr::xml
