// The XML side of a definition: the original pugixml document, and the
// element each model device came from. The only place pugixml appears.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "model/domain.hpp"
#include "model/element.hpp"
#include "xml/text_writer.hpp"

namespace guestaddr::xml {

struct Document {
    // The input, when it was parsed in place: the tree's strings point into
    // it. (A Document is never moved: it lives behind Definition's pointer.)
    std::string text;
    pugi::xml_document tree;
    std::vector<pugi::xml_node> device_nodes;  // indexed by Device::node
    // The element of each device by device index, filled when formatting
    // (implicit devices get theirs then); kept aligned with the model.
    std::vector<pugi::xml_node> added_nodes;
    std::size_t input_size = 0;  // the length of the text read, to size the text written
};

// Parses the text and builds the model; throws Failure naming the device on
// malformed XML or an unparsable address.
model::Domain read_domain(std::string_view text, Document& document);
// The same, parsing the text where it is (no copy of a large definition);
// the document keeps it.
model::Domain read_domain_in_place(std::string text, Document& document);

// Reads one device element (`<disk>...</disk>`) and appends it to the
// document's <devices> and to the model; returns its index in the model.
// Throws Failure when the text is not exactly one device element.
std::size_t append_device(Document& document, model::Domain& domain, std::string_view device_xml);

// Reads one device element without adding it anywhere: for finding the
// device it names. Throws Failure like append_device.
model::Device read_device_element(std::string_view device_xml);
// The same device element as a plain copy.
model::Element copy_device_xml(std::string_view device_xml);
// devices[index]'s element: as read, or as formatted for an implicit device
// (only its name when it has not been formatted yet).
model::Element element_of_device(const Document& document, const model::Domain& domain, std::size_t index);

// A value of a device's element as the input wrote it, without copying:
// the attribute `attr` of the element at `path` below it ("model", "vram"),
// or that element's text when `attr` is empty ("serial", ""); `path` empty
// is the device's own element. nullopt when absent, and for a device
// guestaddr added (it has only the values its model holds).
std::optional<std::string_view> device_value(const Document& document, const model::Device& device,
                                             std::string_view path, std::string_view attr);

// Removes a device from the model and its element from the document.
void remove_device(Document& document, model::Domain& domain, std::size_t index);

// Plain copies of parts of the document, made on demand for front ends
// (the QEMU command line) that need more than addressing reads: a device's
// element as the input wrote it, and <domain> without its <devices>.
model::Element copy_element(const pugi::xml_node& element);
model::Element copy_device_element(const Document& document, std::size_t node);
model::Element copy_header(const Document& document);

// Writes the model's machine and devices back into the document and
// serialises it in libvirt's style (two-space indent, single quotes), each
// device with the address the model gives it (see text_writer.hpp).
std::string write_domain(Document& document, const model::Domain& domain);
// The same text, given to `sink` a piece at a time.
void write_domain(Document& document, const model::Domain& domain, const TextSink& sink);

}  // namespace guestaddr::xml
