#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string channel(const std::string& name, const std::string& address = "") {
    return "<channel type='pty'><target type='virtio' name='" + name + "'/>" + address + "</channel>";
}

VirtioSerialAddress port_of(const Definition& d, const std::string& name) {
    return std::get<VirtioSerialAddress>(device(d, "channel '" + name + "'").address);
}

TEST(VirtioSerialAssigner, ChannelsStartAtPortOne) {
    Definition d = assigned("q35", channel("a") + channel("b"));
    EXPECT_EQ(port_of(d, "a"), (VirtioSerialAddress{0, 0, 1}));
    EXPECT_EQ(port_of(d, "b"), (VirtioSerialAddress{0, 0, 2}));
    EXPECT_NO_THROW(device(d, "controller virtio-serial 0"));
}

TEST(VirtioSerialAssigner, ExplicitPortsAreReservedFirst) {
    Definition d = assigned("q35", channel("a") + channel("b", "<address type='virtio-serial' controller='0' bus='0' port='1'/>"));
    EXPECT_EQ(port_of(d, "a"), (VirtioSerialAddress{0, 0, 2}));
}

TEST(VirtioSerialAssigner, ANamedControllerIsAddedWithExactlyThatIndex) {
    Definition d = assigned("q35", channel("a", "<address type='virtio-serial' controller='2'/>"));
    EXPECT_EQ(port_of(d, "a"), (VirtioSerialAddress{2, 0, 1}));
    EXPECT_THROW(device(d, "controller virtio-serial 0"), std::runtime_error);
}

TEST(VirtioSerialAssigner, PortBeyondTheControllerIsRefused) {
    auto errors = assign_errors("q35", "<controller type='virtio-serial' index='0' ports='4'/>" +
                                           channel("a", "<address type='virtio-serial' controller='0' bus='0' port='4'/>"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "channel 'a'");
}

TEST(VirtioSerialAssigner, AFullControllerGetsASuccessor) {
    Definition d = assigned("q35", "<controller type='virtio-serial' index='0' ports='2'/>" + channel("a") + channel("b"));
    EXPECT_EQ(port_of(d, "b"), (VirtioSerialAddress{1, 0, 1}));
}

}  // namespace
}  // namespace guestaddr::testing
