// Long random sequences of attach and detach on corpus guests: existing
// addresses never change, no two devices share an address, and every
// result is a complete, consistent definition by libvirt's rules.
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "guestaddr/hotplug.hpp"
#include "support.hpp"

namespace guestaddr::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> sample_guests(std::size_t every) {
    const fs::path corpus = fs::path(GUESTADDR_CONFORMANCE_DIR) / "generated-x86";
    std::vector<fs::path> all;
    if (!fs::is_directory(corpus)) return all;
    for (const auto& entry : fs::directory_iterator(corpus))
        if (fs::exists(entry.path() / "expected.xml")) all.push_back(entry.path() / "expected.xml");
    std::sort(all.begin(), all.end());
    std::vector<fs::path> out;
    for (std::size_t i = 0; i < all.size(); i += every) out.push_back(all[i]);
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A device to plug: a different kind each time, with a fresh identity.
std::string random_device(std::mt19937& rng, unsigned serial) {
    switch (rng() % 7) {
    case 0: return fmt::format("<interface type='user'><mac address='52:54:01:00:{:02x}:{:02x}'/><model type='virtio'/></interface>", serial >> 8, serial & 0xff);
    case 1: return fmt::format("<interface type='user'><mac address='52:54:01:01:{:02x}:{:02x}'/><model type='e1000'/></interface>", serial >> 8, serial & 0xff);
    case 2: return fmt::format("<disk type='file' device='disk'><source file='/x/{0}'/><target dev='vdzz{1}' bus='virtio'/></disk>", serial, static_cast<char>('a' + serial % 26));
    case 3: return fmt::format("<disk type='file' device='cdrom'><target dev='sdzz{0}' bus='sata'/><address type='drive' controller='{1}' bus='0' target='0' unit='{2}'/></disk>", static_cast<char>('a' + serial % 26), 7 + serial / 6, serial % 6);
    case 4: return "<input type='tablet' bus='usb'/>";
    case 5: return fmt::format("<channel type='pty'><target type='virtio' name='org.test.{}'/></channel>", serial);
    default: return "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>";
    }
}

// Address of every device with a lasting identity (not an ordinal).
std::map<std::string, Address> stable_addresses(const Definition& d) {
    std::map<std::string, Address> out;
    for (std::size_t i = 0; i < d.domain().devices.size(); ++i) {
        std::string who = d.domain().describe(i);
        if (who.find('#') == std::string::npos && d.domain().devices[i].has_address())
            out.emplace(std::move(who), d.domain().devices[i].address);
    }
    return out;
}

void expect_no_shared_address(const Definition& d, const std::string& context) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < d.domain().devices.size(); ++i) {
        const model::Device& dev = d.domain().devices[i];
        std::string key;
        if (const PciAddress* a = dev.pci()) {
            key = "pci " + a->to_string();
        } else if (const auto* drive = std::get_if<DriveAddress>(&dev.address)) {
            key = fmt::format("drive {} {} {} {} {}", dev.cls == model::DeviceClass::Hostdev ? "scsi" : dev.bus,
                              drive->controller, drive->bus, drive->target, drive->unit);
        } else if (const auto* usb = std::get_if<UsbAddress>(&dev.address)) {
            key = fmt::format("usb {} {}", usb->bus, usb->port_string());
        } else if (const auto* port = std::get_if<VirtioSerialAddress>(&dev.address);
                   port && dev.cls == model::DeviceClass::Channel) {
            key = fmt::format("vser {} {} {}", port->controller, port->bus, port->port);
        }
        if (key.empty() || (dev.cls == model::DeviceClass::Console)) continue;
        EXPECT_TRUE(seen.insert(key).second) << context << ": " << d.domain().describe(i) << " shares " << key;
    }
}

void run_sequence(const fs::path& guest, unsigned seed, int steps) {
    std::mt19937 rng(seed);
    auto parsed = parse(read_file(guest));
    ASSERT_TRUE(parsed.ok());
    Definition current = std::move(*parsed);
    for (int step = 0; step < steps; ++step) {
        const std::string context = fmt::format("{} step {}", guest.parent_path().filename().string(), step);
        const auto before = stable_addresses(current);
        const std::string text_before = format(current);
        std::optional<Definition> next;
        std::string added;
        if (rng() % 3 != 0) {
            const std::string device = random_device(rng, seed * 1000 + static_cast<unsigned>(step));
            const Plug plug = rng() % 2 ? Plug::Cold : Plug::Live;
            auto attached = attach(std::move(*parse(text_before)), device, plug);
            if (attached.ok()) {
                added = attached->definition.domain().describe(attached->device);
                EXPECT_TRUE(attached->definition.domain().devices[attached->device].has_address()) << context;
                next = std::move(attached->definition);
            }
        } else {
            std::vector<std::size_t> candidates;
            for (std::size_t i = 0; i < current.domain().devices.size(); ++i)
                if (current.domain().devices[i].cls != model::DeviceClass::Controller) candidates.push_back(i);
            if (!candidates.empty()) {
                auto detached = detach(std::move(*parse(text_before)), candidates[rng() % candidates.size()]);
                if (detached.ok()) next = std::move(*detached);
            }
        }
        if (!next) continue;
        Definition persisted = std::move(*parse(format(*next)));
        for (const auto& [who, address] : stable_addresses(persisted)) {
            if (auto it = before.find(who); it != before.end()) {
                EXPECT_EQ(it->second, address) << context << ": " << who << " moved";
            }
        }
        expect_no_shared_address(persisted, context);
        std::vector<Error> problems = validate(persisted);
        EXPECT_TRUE(problems.empty()) << context << " after " << added << ": " << problems.front().to_string();
        current = std::move(persisted);
    }
}

TEST(AttachDetachProperty, AddressesNeverMoveOnManyGuests) {
    std::vector<fs::path> guests = sample_guests(10);
    ASSERT_FALSE(guests.empty()) << "no guests in " << GUESTADDR_CONFORMANCE_DIR;
    unsigned seed = 1;
    for (const fs::path& guest : guests) run_sequence(guest, seed++, 40);
}

}  // namespace
}  // namespace guestaddr::testing
