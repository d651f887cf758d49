// The library's default rules: what assign() does without options is what
// assign(definition, AssignOptions{}) does, and what the CLI does on a host
// where it finds no QEMU and no libvirt: the stamp's rules, else the newest
// built-in pair. The library never looks at the host itself.
#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string assigned_text(const std::string& xml, const AssignOptions* options) {
    auto parsed = parse(xml);
    EXPECT_TRUE(parsed.ok());
    auto result = options ? assign(std::move(*parsed), *options) : assign(std::move(*parsed));
    EXPECT_TRUE(result.ok()) << result.errors().front().to_string();
    return result.ok() ? format(*result) : std::string();
}

TEST(LibraryDefault, WithoutOptionsTheNewestPairAsWithEmptyOptions) {
    const std::string xml = domain_xml("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>");
    const AssignOptions none;
    const std::string by_default = assigned_text(xml, nullptr);
    EXPECT_EQ(by_default, assigned_text(xml, &none));
    EXPECT_NE(by_default.find("libvirt='11.3' qemu='10.0'"), std::string::npos) << by_default;
    EXPECT_NE(by_default.find("machine='pc-q35-10.0'"), std::string::npos);
}

TEST(LibraryDefault, AStampedDefinitionKeepsItsRules) {
    const AssignOptions old_rules = libvirt_9_0_rules();
    const std::string stamped = assigned_text(domain_xml("q35", ""), &old_rules);
    const std::string again = assigned_text(stamped, nullptr);
    EXPECT_EQ(again, stamped);
    EXPECT_NE(again.find("libvirt='9.0' qemu='7.2'"), std::string::npos) << again;
}

TEST(LibraryDefault, TheReasonsSayWhetherTheHostWasLookedAt) {
    auto parsed = parse(domain_xml("q35", ""));
    ASSERT_TRUE(parsed.ok());
    auto chosen = choose_rules(*parsed, AssignOptions{});
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(chosen->libvirt, "11.3");
    EXPECT_EQ(chosen->qemu, "10.0");
    for (const std::string& reason : chosen->reasons) {
        EXPECT_EQ(reason.find("found"), std::string::npos) << reason;
        EXPECT_EQ(reason.find("on the host"), std::string::npos) << reason;
    }
    EXPECT_NE(chosen->reasons.front().find("the host not looked at"), std::string::npos) << chosen->reasons.front();

    auto looked = parse(domain_xml("q35", ""));
    ASSERT_TRUE(looked.ok());
    AssignOptions nothing_found;
    nothing_found.host_looked_at = true;
    chosen = choose_rules(*looked, nothing_found);
    ASSERT_TRUE(chosen.ok());
    EXPECT_NE(chosen->reasons.front().find("no QEMU found, no libvirt on the host"), std::string::npos)
        << chosen->reasons.front();
}

}  // namespace
}  // namespace guestaddr::testing
