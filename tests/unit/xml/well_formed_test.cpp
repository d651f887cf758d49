// The input checks of src/xml/input_checks.cpp through parse: every document
// that is not well-formed XML 1.0 is refused with its line and column (the
// whole catalogue of malformations, with libxml2's verdicts, is in
// tests/hostile/catalogue.py); well-formed ones are read.
#include <gtest/gtest.h>

#include "guestaddr/hotplug.hpp"
#include "support.hpp"
#include "xml/input_checks.hpp"

namespace guestaddr::testing {
namespace {

std::string refusal(const std::string& xml) {
    auto parsed = parse(xml);
    if (parsed.ok()) return "accepted";
    const Error& e = parsed.errors().front();
    return e.kind == ErrorKind::MalformedXml ? e.message : "not MalformedXml: " + e.message;
}

std::string with_name(const std::string& name) {
    return "<domain type='kvm'>\n  <name>" + name + "</name>\n  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n</domain>";
}

TEST(WellFormed, NamesTheLineAndColumnOfTheProblem) {
    EXPECT_EQ(refusal(with_name("a & b")),
              "malformed XML at line 2, column 11: '&' must start an entity or character reference such as &amp; "
              "(a bare '&' is not XML)");
}

TEST(WellFormed, CountsColumnsInCharactersNotBytes) {
    EXPECT_EQ(refusal(with_name("\xc3\xa9\xc3\xa9&#0;")),
              "malformed XML at line 2, column 11: character reference '&#0;' names a character XML 1.0 does not allow");
}

TEST(WellFormed, CountsCarriageReturnsAsLineBreaks) {
    EXPECT_EQ(refusal("<domain>\r\n<name>x</name>\r<a b='1' b='2'/></domain>"),
              "malformed XML at line 3, column 10: attribute 'b' is given twice in <a>");
}

TEST(WellFormed, RefusesAnAttributeGivenTwice) {
    const std::string twice = "<domain type='kvm' type='qemu'><name>x</name></domain>";
    EXPECT_EQ(refusal(twice), "malformed XML at line 1, column 20: attribute 'type' is given twice in <domain>");
}

TEST(WellFormed, RefusesAnAttributeGivenTwiceAmongHundreds) {
    std::string many = "<domain";
    for (int i = 0; i < 500; ++i) many += " a" + std::to_string(i) + "='x'";
    const std::string message = refusal(many + " a250='y'><name>x</name></domain>");
    EXPECT_TRUE(message.starts_with("malformed XML at line 1, column ")) << message;
    EXPECT_TRUE(message.ends_with(": attribute 'a250' is given twice in <domain>")) << message;
}

TEST(WellFormed, RefusesARawControlCharacter) {
    EXPECT_EQ(refusal(with_name("a\x01")),
              "malformed XML at line 2, column 10: character U+0001 is not allowed in XML 1.0 (not even as a reference)");
}

TEST(WellFormed, RefusesContentAfterTheRoot) {
    EXPECT_EQ(refusal(with_name("x") + "\n<!-- fine --> tail"),
              "malformed XML at line 5, column 15: content after the root element (only comments and processing "
              "instructions may follow it)");
}

TEST(WellFormed, RefusesAMismatchedTag) {
    // A plain text: pugixml finds it.
    EXPECT_EQ(refusal("<domain>\n<name>x</nam>\n</domain>"),
              "malformed XML at line 2, column 10: the closing tag does not match the element it closes");
    // Any other: WellFormed, which also says where the element opened.
    EXPECT_EQ(refusal("<domain>\n<name>&amp;</nam>\n</domain>"),
              "malformed XML at line 2, column 12: closing tag </nam> does not match <name> (opened at line 2, column 1)");
}

TEST(WellFormed, RefusesAnEncodingOtherThanUtf8) {
    EXPECT_EQ(refusal("<?xml version='1.0' encoding='latin1'?>" + with_name("x")),
              "malformed XML at line 1, column 21: encoding 'latin1' is not supported: guestaddr reads UTF-8 only");
}

TEST(WellFormed, ReadsWhatXmlAllows) {
    for (const std::string& xml :
         {"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\" standalone='no' ?>\n<!-- c --><?pi x?>" + with_name("x") +
              "\n<!-- after -->\n",
          with_name("&#x9;&#233;&lt;]]&gt;<![CDATA[<&]]>\xc2\x85"),
          std::string("<domain a='&quot;>&apos;' b=\"'\"><name>x</name></domain >")})
        EXPECT_EQ(refusal(xml), "accepted") << xml;
}

TEST(WellFormed, AppliesToADeviceToAttachToo) {
    auto parsed = parse(domain_xml("pc", ""));
    ASSERT_TRUE(parsed.ok());
    auto found = find_device(*parsed, "<interface type='user' type='user'/>");
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.errors().front().message,
              "malformed XML at line 1, column 24: attribute 'type' is given twice in <interface>");
}

// The plain path (pugixml and a walk of its tree) and WellFormed give the
// same verdict: every printable ASCII character, tab and line feed put at
// each place of a small plain document, once and twice.
TEST(WellFormed, BothPathsAgree) {
    const std::string base = "<domain a='1' b=\"2\">\n <name>x</name><c d='e'/></domain>";
    std::string characters = "\t\n";
    for (char c = 0x20; c < 0x7f; ++c) characters += c;
    std::size_t refused = 0;
    for (std::size_t at = 0; at <= base.size(); ++at) {
        for (const char c : characters) {
            for (const std::string& insert : {std::string(1, c), std::string(2, c)}) {
                const std::string text = base.substr(0, at) + insert + base.substr(at);
                bool strict = true;
                try {
                    xml::check_text(text);
                } catch (const Failure&) {
                    strict = false;
                }
                std::string copy = text;
                pugi::xml_document tree;
                bool plain = true;
                try {
                    xml::load_well_formed(tree, copy);
                } catch (const Failure&) {
                    plain = false;
                }
                EXPECT_EQ(strict, plain) << text;
                refused += strict ? 0 : 1;
            }
        }
    }
    EXPECT_GT(refused, 1000u);
}

}  // namespace
}  // namespace guestaddr::testing
