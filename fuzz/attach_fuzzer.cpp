// libFuzzer target: any bytes as the device of `guestaddr attach`, cold and
// live, into small addressed pc and q35 guests, then `detach` of it.
//
// Besides "no crash, no sanitizer report, no hang": an accepted attach
// prints a definition that parses again, and no device that was there
// before moved; detaching the new device gives a definition that parses.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guestaddr/guestaddr.hpp"
#include "guestaddr/hotplug.hpp"
#include "model/domain.hpp"

namespace {

[[noreturn]] void broken(const char* property, const std::string& detail) {
    std::fprintf(stderr, "attach_fuzzer: %s\n%s\n", property, detail.c_str());
    std::abort();
}

std::string guest(const char* machine) {
    const std::string xml = std::string("<domain type='kvm'><name>f</name><memory unit='MiB'>512</memory>") +
                            "<os><type arch='x86_64' machine='" + machine + "'>hvm</type></os><features><acpi/></features><devices>"
                            "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"
                            "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"
                            "<interface type='network'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>"
                            "<controller type='pci' index='1' model='" +
                            (std::string(machine) == "q35" ? "pcie-root-port" : "pci-bridge") +
                            "'/><input type='tablet' bus='usb'/><channel type='unix'><target type='virtio' name='a'/></channel>"
                            "</devices></domain>";
    return guestaddr::format(std::move(*guestaddr::assign(std::move(*guestaddr::parse(xml)))));
}

void check_attach(const std::string& base, std::string_view device, guestaddr::Plug plug) {
    auto before = guestaddr::parse(base);
    const guestaddr::model::Domain original = before->domain();
    auto attached = guestaddr::attach(std::move(*before), device, plug);
    if (!attached) return;
    const std::string printed = guestaddr::format(attached->definition);
    auto reparsed = guestaddr::parse(printed);
    if (!reparsed) broken("attach printed a definition it cannot parse", printed);
    for (std::size_t i = 0; i < original.devices.size(); ++i) {
        const auto& was = original.devices[i];
        const auto& now = attached->definition.domain().devices[i];
        if (was.has_address() && !(was.address == now.address))
            broken("attach moved a device", original.describe(i) + "\n" + printed);
    }
    auto detached = guestaddr::detach(std::move(attached->definition), attached->device);
    if (detached && !guestaddr::parse(guestaddr::format(*detached)))
        broken("detach printed a definition it cannot parse", guestaddr::format(*detached));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string pc = guest("pc");
    static const std::string q35 = guest("q35");
    const std::string_view device(reinterpret_cast<const char*>(data), size);
    for (const std::string* base : {&pc, &q35})
        for (guestaddr::Plug plug : {guestaddr::Plug::Cold, guestaddr::Plug::Live}) check_attach(*base, device, plug);
    return 0;
}
