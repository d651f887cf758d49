#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string usb_of(const Definition& d, const std::string& who) {
    const auto& a = std::get<UsbAddress>(device(d, who).address);
    return std::to_string(a.bus) + ":" + a.port_string();
}

std::string tablets(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "<input type='tablet' bus='usb'/>";
    return out;
}

TEST(UsbAssigner, DevicesTakeTheLowestFreePort) {
    Definition d = assigned("pc", tablets(2));
    EXPECT_EQ(usb_of(d, "input #0"), "0:1");
    EXPECT_EQ(usb_of(d, "input #1"), "0:2");
}

TEST(UsbAssigner, AHubIsAddedWhenDevicesOutnumberPorts) {
    Definition d = assigned("pc", tablets(3));  // piix3-uhci has 2 ports
    EXPECT_EQ(usb_of(d, "hub #0"), "0:1");
    EXPECT_EQ(usb_of(d, "input #0"), "0:2");
    EXPECT_EQ(usb_of(d, "input #1"), "0:1.1");
    EXPECT_EQ(usb_of(d, "input #2"), "0:1.2");
}

TEST(UsbAssigner, ExplicitPortsAreKept) {
    Definition d = assigned("q35", "<input type='tablet' bus='usb'><address type='usb' bus='0' port='3'/></input>" +
                                       tablets(1));
    EXPECT_EQ(usb_of(d, "input #0"), "0:3");
    EXPECT_EQ(usb_of(d, "input #1"), "0:1");
}

TEST(UsbAssigner, PortBeyondTheControllerIsRefused) {
    auto errors = assign_errors("q35", "<input type='tablet' bus='usb'><address type='usb' bus='0' port='5'/></input>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "input #0");
    EXPECT_NE(errors[0].message.find("port 5"), std::string::npos);
}

TEST(UsbAssigner, HubMustBeReservedBeforeItsChildren) {
    auto errors = assign_errors("pc",
                                "<hub type='usb'><address type='usb' bus='0' port='1.2'/></hub>"
                                "<hub type='usb'><address type='usb' bus='0' port='1'/></hub>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "hub #0");
}

TEST(UsbAssigner, SmartcardGetsACcidSlotAndItsControllerAUsbPort) {
    Definition d = assigned("pc", "<smartcard mode='host'/>");
    EXPECT_EQ(std::get<CcidAddress>(device(d, "smartcard #0").address), (CcidAddress{0, 0}));
    EXPECT_EQ(usb_of(d, "controller ccid 0"), "0:1");
}

}  // namespace
}  // namespace guestaddr::testing
