#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

TEST(Validate, AnAssignedDefinitionIsComplete) {
    Definition d = assigned("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>");
    auto reparsed = parse(format(d));
    ASSERT_TRUE(reparsed.ok());
    EXPECT_TRUE(validate(*reparsed).empty());
}

TEST(Validate, ReportsEveryMissingAddressAndTheAlias) {
    auto parsed = parse(domain_xml("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"));
    ASSERT_TRUE(parsed.ok());
    std::vector<Error> problems = validate(*parsed);
    ASSERT_FALSE(problems.empty());
    bool names_nic = false;
    for (const Error& e : problems) names_nic |= e.device == "interface 52:54:00:00:00:01";
    EXPECT_TRUE(names_nic);
    EXPECT_NE(problems[0].message.find("not canonical"), std::string::npos);
}

TEST(Validate, ReportsConflicts) {
    auto parsed = parse(domain_xml("pc",
                                   "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                                   "<address type='pci' bus='0' slot='5'/></interface>"
                                   "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                                   "<address type='pci' bus='0' slot='5'/></interface>"));
    ASSERT_TRUE(parsed.ok());
    std::vector<Error> problems = validate(*parsed);
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0].kind, ErrorKind::AddressConflict);
}

}  // namespace
}  // namespace guestaddr::testing
