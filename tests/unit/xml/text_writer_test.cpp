// xml::write_text lays a tree out exactly as pugixml's save does with
// guestaddr's options, " />" tightened to "/>" (text_writer.hpp), and puts
// each device's address from the model in place of the tree's.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <pugixml.hpp>

#include "xml/text_writer.hpp"

namespace guestaddr::testing {
namespace {

struct Tree {
    pugi::xml_document document;
    explicit Tree(const std::string& text) {
        const pugi::xml_parse_result parsed = document.load_string(text.c_str(), pugi::parse_default);
        if (!parsed) throw std::runtime_error(std::string("bad test XML: ") + parsed.description());
    }
};

// What pugixml itself writes, tightened as libvirt writes empty elements.
std::string pugixml_text(const pugi::xml_document& document) {
    std::ostringstream out;
    document.save(out, "  ", pugi::format_indent | pugi::format_attribute_single_quote | pugi::format_no_declaration);
    std::string text = out.str();
    for (std::size_t at = text.find(" />"); at != std::string::npos; at = text.find(" />", at)) text.erase(at, 1);
    return text;
}

xml::AddressOverlay no_addresses() { return xml::AddressOverlay(pugi::xml_node(), {}); }

void expect_pugixml_layout(const std::string& xml) {
    Tree tree(xml);
    EXPECT_EQ(xml::write_text(tree.document, no_addresses()), pugixml_text(tree.document)) << xml;
}

TEST(TextWriter, LaysOutLikePugixml) {
    for (const char* xml : {
             "<a/>",
             "<a x='1' y=\"2\"><b/><c z=''/></a>",
             "<a><b>text</b><c><d/></c></a>",
             "<a>text<b/>more<c>in</c><d><e/>tail</d></a>",
             "<a><b>x</b><![CDATA[q]]></a>",
             "<a><![CDATA[one]]>two]]&gt;<![CDATA[three]]]]><![CDATA[>four]]></a>",
             // (No other control character: XML 1.0 cannot carry one, and parse refuses it.)
             "<a>&lt;&gt;&amp;&apos;&quot;\t\n\rx</a>",
             "<a v='&lt;&gt;&amp;&apos;&quot;&#9;&#10;&#13;x'/>",
             "<a><b>  spaced  </b>\n  <c/>\n</a>",
             "<a xmlns:q='urn:q'><q:b q:c='d'>\xc3\xa9</q:b></a>",
         })
        expect_pugixml_layout(xml);
}

TEST(TextWriter, LaysOutEveryConformanceDefinitionLikePugixml) {
    const std::filesystem::path corpus = std::filesystem::path(GUESTADDR_CONFORMANCE_DIR);
    if (!std::filesystem::is_directory(corpus)) GTEST_SKIP() << corpus << " is missing";
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
        if (entry.path().extension() != ".xml") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        Tree tree(text.str());
        ASSERT_EQ(xml::write_text(tree.document, no_addresses()), pugixml_text(tree.document)) << entry.path();
        ++checked;
    }
    EXPECT_GT(checked, 300u);
}

TEST(TextWriter, TheModelAddressReplacesTheTreesAndComesLast) {
    Tree tree("<devices><disk><address type='drive' unit='9'/><target dev='sda'/><address type='pci'/></disk>"
              "<video/><serial>text</serial><rng><backend/></rng></devices>");
    pugi::xml_node devices = tree.document.document_element();
    const Address drive = DriveAddress{0, 0, 0, 1};
    const Address pci = PciAddress{0, 0, 2, 0, Multifunction::On};
    const Address usb = UsbAddress{1, {2, 3}};
    const xml::AddressOverlay overlay(devices, {{devices.child("disk").internal_object(), &drive},
                                                {devices.child("video").internal_object(), &pci},
                                                {devices.child("serial").internal_object(), &usb}});
    EXPECT_EQ(xml::write_text(tree.document, overlay),
              "<devices>\n"
              "  <disk>\n"
              "    <target dev='sda'/>\n"
              "    <address type='drive' controller='0' bus='0' target='0' unit='1'/>\n"
              "  </disk>\n"
              "  <video>\n"
              "    <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>\n"
              "  </video>\n"
              "  <serial>text<address type='usb' bus='1' port='2.3'/>\n"
              "  </serial>\n"
              "  <rng>\n"
              "    <backend/>\n"
              "  </rng>\n"
              "</devices>\n");
}

}  // namespace
}  // namespace guestaddr::testing
