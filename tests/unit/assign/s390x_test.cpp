// s390-ccw-virtio: CCW device numbers, zPCI ids, and what libvirt adds.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string s390x_xml(const std::string& devices, const std::string& machine = "s390-ccw-virtio") {
    return fmt::format(
        "<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>"
        "<os><type arch='s390x' machine='{}'>hvm</type></os><devices>{}</devices></domain>",
        machine, devices);
}

Result<Definition> assign_s390x(const std::string& devices) {
    auto parsed = parse(s390x_xml(devices));
    if (!parsed) return parsed.errors();
    return assign(std::move(*parsed), libvirt_9_0_rules());
}

Definition assigned_s390x(const std::string& devices) {
    auto result = assign_s390x(devices);
    if (!result) throw std::runtime_error("assign failed: " + result.errors().front().to_string());
    return std::move(*result);
}

Error refusal(const std::string& devices) {
    auto result = assign_s390x(devices);
    if (result) throw std::runtime_error("assign accepted it");
    return result.errors().front();
}

// "fe.0.0001" for a device with a CCW address, "" otherwise.
std::string ccw_of(const Definition& d, const std::string& who) {
    const auto* a = std::get_if<OtherAddress>(&device(d, who).address);
    if (a == nullptr || a->type != "ccw") return "";
    return fmt::format("{}.{}.{}", *a->attribute("cssid"), *a->attribute("ssid"), *a->attribute("devno"));
}

const std::string kVda = "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/>";
std::string nic(int n, const std::string& rest = "<model type='virtio'/>") {
    return fmt::format("<interface type='user'><mac address='52:54:00:00:00:0{}'/>{}</interface>", n, rest);
}

TEST(S390x, AliasAndAbsentMachineBecomeTheVersionedDefault) {
    EXPECT_EQ(assigned_s390x("").domain().machine, "s390-ccw-virtio-7.2");
    auto parsed = parse(
        "<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x'>hvm</type></os></domain>");
    ASSERT_TRUE(parsed);
    auto result = assign(std::move(*parsed), libvirt_9_0_rules());
    ASSERT_TRUE(result);
    EXPECT_EQ(result->domain().machine, "s390-ccw-virtio-7.2");
}

TEST(S390x, ImplicitDevicesArePciRootBalloonAndPanicOnly) {
    Definition d = assigned_s390x("");
    EXPECT_EQ(device(d, "controller pci 0").model, "pci-root");
    EXPECT_EQ(device(d, "memballoon #0").model, "virtio");
    EXPECT_EQ(device(d, "panic #0").model, "s390");
    EXPECT_THROW(device(d, "controller usb 0"), std::runtime_error);
    EXPECT_THROW(device(d, "input #0"), std::runtime_error);
}

TEST(S390x, VirtioIsTheDefaultModelAndBus) {
    Definition d = assigned_s390x(nic(1, "") + "<input type='mouse'/><graphics type='vnc'/>"
                                  "<disk type='file'><source file='/a'/><target dev='sda'/></disk><serial type='pty'/>");
    EXPECT_EQ(device(d, "interface 52:54:00:00:00:01").model, "virtio");
    EXPECT_EQ(device(d, "input #0").bus, "virtio");
    EXPECT_EQ(device(d, "video #0").model, "virtio");
    EXPECT_EQ(device(d, "controller scsi 0").model, "virtio-scsi");
    EXPECT_EQ(device(d, "serial #0").target_type, "sclp-serial");
    EXPECT_EQ(device(d, "serial #0").extras().target_model, "sclpconsole");
    EXPECT_EQ(device(d, "console #0").target_type, "serial");
}

TEST(S390x, DevnosFollowLibvirtsDeviceOrderNotTheDocument) {
    Definition d = assigned_s390x("<memballoon model='virtio'/><controller type='scsi' model='virtio-scsi'/>"
                                  "<video><model type='virtio'/></video>" + nic(1) + kVda + "</disk>");
    EXPECT_EQ(ccw_of(d, "disk 'vda'"), "0xfe.0x0.0x0000");
    EXPECT_EQ(ccw_of(d, "interface 52:54:00:00:00:01"), "0xfe.0x0.0x0001");
    EXPECT_EQ(ccw_of(d, "video #0"), "0xfe.0x0.0x0002");
    EXPECT_EQ(ccw_of(d, "controller scsi 0"), "0xfe.0x0.0x0003");
    EXPECT_EQ(ccw_of(d, "memballoon #0"), "0xfe.0x0.0x0004");
}

TEST(S390x, WrittenAddressesAreKeptInLibvirtsNotationAndSkipped) {
    Definition d = assigned_s390x(kVda + "<address type='ccw'/></disk>" +
                                  nic(2, "<model type='virtio'/><address type='ccw' cssid='254' ssid='0' devno='01'/>"));
    EXPECT_EQ(ccw_of(d, "interface 52:54:00:00:00:02"), "0xfe.0x0.0x0001");
    EXPECT_EQ(ccw_of(d, "disk 'vda'"), "0xfe.0x0.0x0000");
    EXPECT_EQ(ccw_of(d, "memballoon #0"), "0xfe.0x0.0x0002");
}

TEST(S390x, BrokenCcwAddressesAreRefusedNamingTheDevice) {
    const std::string dup = "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/>";
    Error e = refusal(kVda + dup + "</disk>" + nic(2, "<model type='virtio'/>" + dup));
    EXPECT_EQ(e.kind, ErrorKind::AddressConflict);
    EXPECT_EQ(e.device, "interface 52:54:00:00:00:02");
    for (const char* bad : {"cssid='0xfe' devno='0x0001'", "cssid='0xff' ssid='0' devno='1'", "cssid='0xfe' ssid='4' devno='1'",
                            "cssid='0xfe' ssid='0' devno='0x10000'", "cssid='0xfe' ssid='0' devno='x'"}) {
        e = refusal(kVda + fmt::format("<address type='ccw' {}/></disk>", bad));
        EXPECT_EQ(e.kind, ErrorKind::InvalidAddress) << bad;
        EXPECT_EQ(e.device, "disk 'vda'") << bad;
    }
}

TEST(S390x, PciDevicesGetZpciIdsWrittenOnesFirst) {
    Definition d = assigned_s390x(kVda + "<address type='pci'><zpci uid='2' fid='0'/></address></disk>" +
                                  nic(2, "<model type='virtio'/><address type='pci'/>") +
                                  nic(3, "<model type='virtio'/><address type='pci'><zpci uid='1'/></address>"));
    const auto zpci = [&](const std::string& who) {
        const PciAddress* a = device(d, who).pci();
        return a ? fmt::format("{}/{}/{}", a->slot, a->zpci_uid.value_or(99), a->zpci_fid.value_or(99)) : "";
    };
    EXPECT_EQ(zpci("interface 52:54:00:00:00:02"), "1/3/2");
    EXPECT_EQ(zpci("interface 52:54:00:00:00:03"), "2/1/1");
    EXPECT_EQ(zpci("disk 'vda'"), "3/2/0");
    EXPECT_NE(format(d).find("<zpci uid='0x0003' fid='0x00000002'/>"), std::string::npos);
}

TEST(S390x, DuplicateZpciIdsAreRefused) {
    Error e = refusal(kVda + "<address type='pci'><zpci uid='2' fid='0'/></address></disk>" +
                      nic(2, "<model type='virtio'/><address type='pci'><zpci uid='2' fid='1'/></address>"));
    EXPECT_EQ(e.kind, ErrorKind::AddressConflict);
    EXPECT_EQ(e.device, "interface 52:54:00:00:00:02");
}

TEST(S390x, ZpciIsRefusedOnX86) {
    auto errors = assign_errors("pc", nic(2, "<model type='virtio'/><address type='pci'><zpci uid='2' fid='1'/></address>"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].kind, ErrorKind::Unsupported);
}

TEST(S390x, X86OnlyDevicesAreRefused) {
    for (const char* bad : {"<panic model='isa'/>", "<sound model='ich9'/>", "<input type='mouse' bus='ps2'/>",
                            "<watchdog model='diag288'><address type='ccw' cssid='0xfe' ssid='0' devno='1'/></watchdog>"})
        EXPECT_NO_THROW(refusal(bad)) << bad;
    EXPECT_NO_THROW(assigned_s390x("<watchdog model='diag288'/><console type='pty'><target type='sclp'/></console>"));
}

}  // namespace
}  // namespace guestaddr::testing
