#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

TEST(RoundTrip, KeepsWhatAddressingDoesNotTouch) {
    const std::string xml =
        "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>keep</name>"
        "<metadata><app:x xmlns:app='urn:x' attr=\"it's\">text &amp; more</app:x></metadata>"
        "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
        "<devices><disk type='file' device='disk' future='yes'><source file='/a b.img'/>"
        "<target dev='vda' bus='virtio'/><unknown-child/></disk></devices>"
        "<qemu:commandline><qemu:arg value='-x'/></qemu:commandline></domain>";
    auto parsed = parse(xml);
    ASSERT_TRUE(parsed.ok());
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    ASSERT_TRUE(result.ok());
    const std::string out = format(*result);
    for (const char* kept : {"future='yes'", "<unknown-child/>", "text &amp; more", "<qemu:arg value='-x'/>",
                             "attr='it&apos;s'", "source file='/a b.img'", "machine='pc-q35-7.2'"})
        EXPECT_NE(out.find(kept), std::string::npos) << kept << "\n" << out;
}

TEST(RoundTrip, FormatsLikeLibvirt) {
    const std::string out = format(assigned("pc", ""));
    EXPECT_NE(out.find("\n  <devices>\n"), std::string::npos);
    EXPECT_NE(out.find("<controller type='pci' index='0' model='pci-root'/>"), std::string::npos);
    EXPECT_NE(out.find("<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>"),
              std::string::npos);
}

TEST(RoundTrip, FormattingTwiceGivesTheSameText) {
    Definition d = assigned("q35", "<interface type='user'/>");
    EXPECT_EQ(format(d), format(d));
}

TEST(RoundTrip, MalformedXmlIsAnError) {
    for (const char* bad : {"", "<domain>", "<notdomain/>", "<domain/><domain/>", "\xff\xfe<domain/>"}) {
        auto parsed = parse(bad);
        EXPECT_FALSE(parsed.ok()) << bad;
    }
}

TEST(RoundTrip, EntitiesAreNeverExpandedFromFiles) {
    auto parsed = parse("<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                        "<domain><name>&x;</name><os><type machine='pc'/></os></domain>");
    if (parsed.ok()) {
        auto result = assign(std::move(*parsed), libvirt_9_0_rules());
        ASSERT_TRUE(result.ok());
        EXPECT_EQ(format(*result).find("root:"), std::string::npos);
    }
}

TEST(RoundTrip, FormattingInPiecesGivesTheSameTextInBoundedPieces) {
    std::string channels;
    for (int n = 0; n < 2000; ++n)
        channels += "<channel type='pty'><target type='virtio' name='org.example." + std::to_string(n) +
                    "'/></channel>";
    const Definition d = assigned("q35", channels);
    std::string joined;
    std::size_t pieces = 0;
    format(d, [&](std::string_view piece) {
        EXPECT_LE(piece.size(), 70u * 1024);
        joined += piece;
        ++pieces;
    });
    EXPECT_EQ(joined, format(d));
    EXPECT_GT(pieces, 1u);
}

TEST(RoundTrip, ParsingInPlaceReadsTheSameDefinition) {
    const std::string text =
        format(assigned("pc", "<interface type='user'/><disk type='file'><source file='/b.img'/><target dev='sdb'/></disk>"));
    auto in_place = parse_in_place(text);
    auto copied = parse(text);
    ASSERT_TRUE(in_place.ok());
    ASSERT_TRUE(copied.ok());
    EXPECT_EQ(format(*in_place), format(*copied));
    EXPECT_EQ(format(*in_place), text);
}

}  // namespace
}  // namespace guestaddr::testing
