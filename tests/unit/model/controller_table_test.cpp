// Domain::find_controller looks controllers up in a table: it must answer
// as a scan of controller_order would, after every way the domain changes.
#include <random>

#include <gtest/gtest.h>

#include "guestaddr/hotplug.hpp"
#include "rules/libvirt_rules.hpp"
#include "support.hpp"

namespace guestaddr::testing {
namespace {

// The first controller of `type` and `index` in controller_order.
std::optional<std::size_t> scanned(const model::Domain& domain, std::string_view type, unsigned index) {
    for (std::size_t i : domain.controller_order)
        if (domain.devices[i].type == type && domain.devices[i].index == index) return i;
    return std::nullopt;
}

// Every type and index there is, and a few there are not.
void expect_table_matches_scan(const model::Domain& domain) {
    for (std::string_view type : {"pci", "usb", "scsi", "virtio-serial", "sata", "ide", "ccid", "fdc"}) {
        for (unsigned index = 0; index < 12; ++index)
            EXPECT_EQ(domain.find_controller_index(type, index), scanned(domain, type, index)) << type << " " << index;
    }
}

// Controllers without an index (numbered by assign), a USB master and its
// companions (one index), controllers and buses assign adds.
const char* kDevices =
    "<controller type='scsi' model='virtio-scsi'/>"
    "<controller type='scsi' index='3' model='virtio-scsi'/>"
    "<controller type='scsi' model='virtio-scsi'/>"
    "<controller type='usb' index='0' model='ich9-ehci1'/>"
    "<controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller>"
    "<controller type='usb' index='0' model='ich9-uhci2'><master startport='2'/></controller>"
    "<controller type='virtio-serial'/>"
    "<disk type='file' device='disk'><source file='/a.img'/><target dev='sda' bus='scsi'/></disk>"
    "<disk type='file' device='disk'><source file='/b.img'/><target dev='sdz' bus='scsi'/></disk>"
    "<channel type='pty'><target type='virtio' name='a'/></channel>"
    "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>";
// pc only: q35 has no IDE.
const std::string kPcDevices =
    std::string(kDevices) + "<disk type='file' device='disk'><source file='/c.img'/><target dev='hda' bus='ide'/></disk>";

TEST(ControllerTable, AnswersAsAScanAfterParseAndAssign) {
    for (const char* machine : {"pc", "q35"}) {
        auto parsed = parse(domain_xml(machine, kDevices));
        ASSERT_TRUE(parsed.ok());
        expect_table_matches_scan(parsed->domain());
        Definition d = assigned(machine, kDevices);
        expect_table_matches_scan(d.domain());
        // The three unnumbered SCSI controllers took 0, 1 and 2; the USB
        // master stands for index 0.
        ASSERT_TRUE(d.domain().find_controller("scsi", 2));
        EXPECT_EQ(d.domain().find_controller("usb", 0)->model, "ich9-ehci1");
    }
}

TEST(ControllerTable, AnswersAsAScanAfterAttachAndDetach) {
    Definition d = std::move(*parse(format(assigned("pc", kPcDevices))));
    const char* controller = "<controller type='scsi' index='7' model='virtio-scsi'/>";
    auto attached = attach(std::move(d), controller, Plug::Cold);
    ASSERT_TRUE(attached.ok()) << attached.errors().front().to_string();
    expect_table_matches_scan(attached->definition.domain());
    EXPECT_TRUE(attached->definition.domain().find_controller("scsi", 7));
    // Removing a device moves every later one down an index.
    auto index = find_device(attached->definition, "<disk type='file' device='disk'><target dev='hda' bus='ide'/></disk>");
    ASSERT_TRUE(index.ok());
    auto detached = detach(std::move(attached->definition), *index);
    ASSERT_TRUE(detached.ok()) << detached.errors().front().to_string();
    expect_table_matches_scan(detached->domain());
    EXPECT_TRUE(detached->domain().find_controller("scsi", 7));
}

// Where libvirt 11.3 enters an implicit controller in its list, by a scan
// of the whole list: after the last of its type with a lower or equal
// index, else before the first of its type, else at the end.
std::size_t scanned_place(const model::Domain& domain, const model::Device& c) {
    std::optional<std::size_t> after, before;
    for (std::size_t pos = 0; pos < domain.controller_order.size(); ++pos) {
        const model::Device& other = domain.devices[domain.controller_order[pos]];
        if (other.type != c.type) continue;
        if (other.index.value_or(0) <= c.index.value_or(0)) after = pos;
        else if (!before) before = pos;
    }
    return after ? *after + 1 : before.value_or(domain.controller_order.size());
}

model::Device controller(const char* type, unsigned index) {
    model::Device c;
    c.cls = model::DeviceClass::Controller;
    c.element = "controller";
    c.type = type;
    c.index = index;
    return c;
}

// Domain::enter_controller finds the place without that scan (rising
// indexes join the end of their type's run at once); it must answer as the
// scan does, for controllers in any order of types and indexes, with
// removals between.
TEST(ControllerOrder, ImplicitControllersUnderLibvirt11_3StandWhereTheScanPutsThem) {
    std::mt19937 random(8);
    const char* types[] = {"pci", "usb", "scsi", "virtio-serial", "sata"};
    for (int round = 0; round < 50; ++round) {
        auto parsed = parse(domain_xml("q35", "<controller type='usb' index='0'/><controller type='scsi' index='2'/>"
                                              "<controller type='pci' index='0' model='pcie-root'/>"));
        ASSERT_TRUE(parsed.ok());
        model::Domain& domain = parsed->domain();
        domain.libvirt = &rules::libvirt_11_3();
        for (int n = 0; n < 60; ++n) {
            if (n % 17 == 16) domain.remove(domain.controller_order[random() % domain.controller_order.size()]);
            model::Device c = controller(types[random() % 5], random() % 2 ? n : random() % 8);
            std::vector<std::size_t> expected = domain.controller_order;
            expected.insert(expected.begin() + static_cast<std::ptrdiff_t>(scanned_place(domain, c)),
                            domain.devices.size());
            domain.add_implicit(std::move(c));
            ASSERT_EQ(domain.controller_order, expected) << "round " << round << ", controller " << n;
        }
        expect_table_matches_scan(domain);
    }
}

// A controller's type changed in place (and the table told) moves it to
// another type's run: the runs are worked out again, not trusted.
TEST(ControllerOrder, ATypeChangedInPlaceIsFollowed) {
    auto parsed = parse(domain_xml("q35", "<controller type='usb' index='0'/><controller type='scsi' index='0'/>"
                                          "<controller type='sata' index='0'/>"));
    ASSERT_TRUE(parsed.ok());
    model::Domain& domain = parsed->domain();
    domain.libvirt = &rules::libvirt_11_3();
    domain.devices[domain.controller_order[2]].type = "usb";  // usb, scsi, usb: apart
    domain.reindex_controllers();
    model::Device c = controller("usb", 5);
    const std::size_t place = scanned_place(domain, c);
    domain.add_implicit(std::move(c));
    EXPECT_EQ(place, 3u);
    EXPECT_EQ(domain.controller_order[place], domain.devices.size() - 1);
}

}  // namespace
}  // namespace guestaddr::testing
