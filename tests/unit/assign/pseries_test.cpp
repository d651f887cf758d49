// pSeries (ppc64) guests: machine type, implicit devices, PHBs, spapr-vio.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string pseries_xml(const std::string& devices, const std::string& arch = "ppc64") {
    return fmt::format(
        "<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>"
        "<os><type arch='{}' machine='pseries'>hvm</type></os><devices>{}</devices></domain>",
        arch, devices);
}

Definition pseries(const std::string& devices, const std::string& arch = "ppc64") {
    auto parsed = parse(pseries_xml(devices, arch));
    if (!parsed) throw std::runtime_error("parse failed: " + parsed.errors().front().to_string());
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    if (!result) throw std::runtime_error("assign failed: " + result.errors().front().to_string());
    return std::move(*result);
}

std::vector<Error> pseries_errors(const std::string& devices) {
    auto parsed = parse(pseries_xml(devices));
    if (!parsed) return parsed.errors();
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    return result ? std::vector<Error>{} : result.errors();
}

std::string spapr_reg(const Definition& d, const std::string& who) {
    const auto* a = std::get_if<OtherAddress>(&device(d, who).address);
    if (a == nullptr || a->type != "spapr-vio") return "";
    return std::string(a->attribute("reg").value_or(""));
}

std::string nics(int count, const std::string& model = "virtio") {
    std::string xml;
    for (int i = 0; i < count; ++i)
        xml += fmt::format("<interface type='user'><mac address='52:54:00:00:00:{:02x}'/><model type='{}'/></interface>",
                           i, model);
    return xml;
}

TEST(Pseries, AliasAndBothEndiansBecomePseries72) {
    EXPECT_EQ(pseries("").domain().machine, "pseries-7.2");
    EXPECT_EQ(pseries("", "ppc64le").domain().machine, "pseries-7.2");
}

TEST(Pseries, ImplicitDevicesArePhb0XhciBalloonAndPanic) {
    Definition d = pseries("");
    const model::Device& phb = device(d, "controller pci 0");
    EXPECT_EQ(phb.model, "pci-root");
    EXPECT_EQ(phb.extras().model_name, "spapr-pci-host-bridge");
    EXPECT_EQ(phb.extras().ctarget.index, 0u);
    EXPECT_EQ(device(d, "controller usb 0").model, "qemu-xhci");
    EXPECT_EQ(pci_of(d, "controller usb 0"), "0000:00:01.0");
    EXPECT_EQ(pci_of(d, "memballoon #0"), "0000:00:02.0");
    EXPECT_EQ(device(d, "panic #0").model, "pseries");
    EXPECT_THROW(device(d, "input #0"), std::runtime_error);  // no PS/2 on pSeries
}

TEST(Pseries, GraphicsGetUsbKeyboardMouseAndVga) {
    Definition d = pseries("<graphics type='vnc'/>");
    EXPECT_EQ(device(d, "input #0").type, "keyboard");
    EXPECT_EQ(device(d, "input #0").bus, "usb");
    EXPECT_EQ(device(d, "input #1").type, "mouse");
    EXPECT_EQ(device(d, "video #0").model, "vga");
}

TEST(Pseries, SerialPortIsASpaprVtyWithItsConsole) {
    Definition d = pseries("<serial type='pty'/>");
    EXPECT_EQ(device(d, "serial #0").target_type, "spapr-vio-serial");
    EXPECT_EQ(device(d, "serial #0").extras().target_model, "spapr-vty");
    EXPECT_EQ(spapr_reg(d, "serial #0"), "0x30000000");
    EXPECT_EQ(spapr_reg(d, "console #0"), "0x30000000");
}

TEST(Pseries, SpaprVioRegistersGoNicsFirstThenControllers) {
    // The second NIC moves on to 0x2000, where the vscsi controller starts.
    Definition d = pseries("<controller type='scsi' index='0'/>" + nics(2, "spapr-vlan") + "<nvram/>");
    EXPECT_EQ(device(d, "controller scsi 0").model, "ibmvscsi");
    EXPECT_EQ(spapr_reg(d, "interface 52:54:00:00:00:00"), "0x00001000");
    EXPECT_EQ(spapr_reg(d, "interface 52:54:00:00:00:01"), "0x00002000");
    EXPECT_EQ(spapr_reg(d, "controller scsi 0"), "0x00003000");
    EXPECT_EQ(spapr_reg(d, "nvram #0"), "0x00004000");
}

TEST(Pseries, GrowthAddsAPhbNotABridge) {
    // 29 NICs, USB and balloon leave no spare slot on PHB 0: a PHB is added
    // (and, the spare slot gone in the second pass, stays empty).
    Definition d = pseries(nics(29));
    const model::Device& phb = device(d, "controller pci 1");
    EXPECT_EQ(phb.model, "pci-root");
    EXPECT_EQ(phb.extras().ctarget.index, 1u);
    EXPECT_FALSE(phb.has_address());
    EXPECT_EQ(pci_of(d, "memballoon #0"), "0000:00:1f.0");
}

TEST(Pseries, PhbTargetIndexIsTheLowestFree) {
    Definition d = pseries(
        "<controller type='pci' index='1' model='pci-root'><target index='1'/></controller>"
        "<controller type='pci' index='2' model='pci-root'/>");
    EXPECT_EQ(device(d, "controller pci 2").extras().ctarget.index, 2u);
}

TEST(Pseries, RefusesPhbTargetIndexOutOfRangeOrMisplacedZero) {
    EXPECT_FALSE(pseries_errors("<controller type='pci' index='1' model='pci-root'><target index='31'/></controller>").empty());
    EXPECT_FALSE(pseries_errors("<controller type='pci' index='1' model='pci-root'><target index='0'/></controller>").empty());
}

TEST(Pseries, RefusesWhatQemuPpc64LacksAndIsaPanic) {
    EXPECT_FALSE(pseries_errors("<controller type='ide'/>").empty());
    EXPECT_FALSE(pseries_errors("<video><model type='qxl'/></video>").empty());
    EXPECT_FALSE(pseries_errors("<panic model='isa'/>").empty());
}

}  // namespace
}  // namespace guestaddr::testing
