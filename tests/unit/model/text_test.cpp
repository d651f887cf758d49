#include "model/text.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "model/device.hpp"

namespace guestaddr::model {
namespace {

// Lengths on both sides of the inline limit (15 bytes), and a long one.
const std::vector<std::string> kSamples{"", "a", "virtio", std::string(14, 'x'), std::string(15, 'y'),
                                        std::string(16, 'z'), "org.qemu.guest_agent.0", std::string(5000, 'q')};

TEST(Text, KeepsEveryLengthAndByte) {
    for (const std::string& s : kSamples) {
        const Text t(s);
        EXPECT_EQ(t.view(), s);
        EXPECT_EQ(t.size(), s.size());
        EXPECT_EQ(t.empty(), s.empty());
        EXPECT_EQ(t.str(), s);
    }
    const std::string with_nul("a\0b", 3);
    EXPECT_EQ(Text(with_nul).view(), with_nul);
}

TEST(Text, CopiesAreIndependentAndMovesEmptyTheSource) {
    for (const std::string& s : kSamples) {
        Text original(s);
        Text copy(original);
        original = Text("changed");
        EXPECT_EQ(copy.view(), s);
        Text moved(std::move(copy));
        EXPECT_EQ(moved.view(), s);
        EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from Text is empty
        Text assigned;
        assigned = moved;
        const Text& self = assigned;
        assigned = self;  // assigning a Text to itself keeps the value
        EXPECT_EQ(assigned.view(), s);
    }
}

TEST(Text, ComparesWithEveryStringKind) {
    const Text t("pcie-root-port");
    EXPECT_TRUE(t == "pcie-root-port");
    EXPECT_TRUE(t == std::string("pcie-root-port"));
    EXPECT_TRUE(t == std::string_view("pcie-root-port"));
    EXPECT_TRUE(t != "pci-bridge");
    EXPECT_TRUE(t.starts_with("pcie-"));
    EXPECT_TRUE(t.ends_with("-port"));
    EXPECT_LT(Text("sda"), Text("sdb"));
    EXPECT_EQ(fmt::format("'{}'", t), "'pcie-root-port'");
}

TEST(Text, IsHalfAStdString) { EXPECT_EQ(sizeof(Text), sizeof(std::string) / 2); }

TEST(DeviceExtras, ReadingThemAddsNoneAndCopiesKeepThem) {
    Device d;
    EXPECT_FALSE(d.extras().ports.has_value());
    EXPECT_TRUE(d.extras().alias.empty());
    d.edit_extras().alias = "ua-disk0";
    Device copy = d;
    d.edit_extras().alias = "ua-other";
    EXPECT_EQ(copy.extras().alias, "ua-disk0");
    EXPECT_EQ(Device().extras().alias, "");
}

}  // namespace
}  // namespace guestaddr::model
