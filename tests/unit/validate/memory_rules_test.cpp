// Memory hotplug as libvirt 9.0 and libvirt 11.3 check it: each case with
// both verdicts, measured with ../shared/tools/libvirt-assign (9.0 + QEMU 7.2,
// and LIBVIRT_ASSIGN_URI for 11.3 + QEMU 10.0). Where libvirt's words differ
// from guestaddr's, its message is in the comment.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.hpp"
#include "validate/memory_rules.hpp"

namespace guestaddr::testing {
namespace {

constexpr const char* kNuma = "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>";
constexpr const char* kDimm = "<memory model='dimm'><target><size unit='KiB'>131072</size><node>0</node></target></memory>";
constexpr const char* kNvdimm =
    "<memory model='nvdimm'><source><path>/tmp/nv</path></source><target><size unit='KiB'>131072</size><node>0</node>"
    "</target></memory>";
constexpr const char* kVirtioMem =
    "<memory model='virtio-mem'><target><size unit='KiB'>131072</size><node>0</node><block unit='KiB'>2048</block>"
    "<requested unit='KiB'>0</requested></target></memory>";
constexpr const char* kVirtioPmem =
    "<memory model='virtio-pmem' access='shared'><source><path>/tmp/pm</path></source><target><size unit='KiB'>131072"
    "</size></target></memory>";

std::string max_memory(const std::string& slots) {
    return fmt::format("<maxMemory{} unit='KiB'>16777216</maxMemory>", slots.empty() ? "" : " slots='" + slots + "'");
}

std::string dimm_at(unsigned slot) {
    return fmt::format("<memory model='dimm'><target><size unit='KiB'>131072</size><node>0</node></target>"
                       "<address type='dimm' slot='{}'/></memory>", slot);
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

struct MemoryCase {
    const char* name;
    std::string head;     // <maxMemory> and <cpu><numa>
    std::string devices;
    const char* verdict90;   // what the error says, "" when accepted
    const char* verdict113;
};

void PrintTo(const MemoryCase& c, std::ostream* os) { *os << c.name; }

// The first error check_memory_hotplug finds with `rules`, or "".
std::string first_error(const MemoryCase& c, const validation::MemoryHotplugRules& rules) {
    const std::string xml = fmt::format(
        "<domain type='kvm'><name>m</name>{}<memory unit='KiB'>1048576</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>{}</devices></domain>",
        c.head, c.devices);
    auto parsed = parse(xml);
    if (!parsed.ok()) return "parse: " + parsed.errors().front().message;
    std::vector<Error> errors;
    validation::check_memory_hotplug(parsed->domain(), rules, errors);
    return errors.empty() ? "" : errors.front().to_string();
}

class MemoryHotplug : public ::testing::TestWithParam<MemoryCase> {};

TEST_P(MemoryHotplug, Libvirt90) {
    const std::string error = first_error(GetParam(), validation::kLibvirt90Memory);
    if (*GetParam().verdict90 == '\0') EXPECT_EQ(error, "");
    else EXPECT_NE(error.find(GetParam().verdict90), std::string::npos) << error;
}

TEST_P(MemoryHotplug, Libvirt113) {
    const std::string error = first_error(GetParam(), validation::kLibvirt113Memory);
    if (*GetParam().verdict113 == '\0') EXPECT_EQ(error, "");
    else EXPECT_NE(error.find(GetParam().verdict113), std::string::npos) << error;
}

const std::string kSlots3 = max_memory("3") + kNuma;

INSTANTIATE_TEST_SUITE_P(
    Verdicts, MemoryHotplug,
    ::testing::Values(
        MemoryCase{"ThreeDimmsInThreeSlots", kSlots3, repeat(kDimm, 3), "", ""},
        // libvirt (both): "failed to find an empty memory slot", as it places them before it counts.
        MemoryCase{"FiveDimmsInThreeSlots", kSlots3, repeat(kDimm, 5), "memory device count '5' exceeds slots count '3'",
                   "memory device count '5' exceeds slots count '3'"},
        // 11.3 counts only what takes a slot: the dimm and the nvdimm.
        MemoryCase{"FourModelsInThreeSlots", kSlots3, std::string(kDimm) + kVirtioMem + kVirtioPmem + kNvdimm,
                   "memory device count '4' exceeds slots count '3'", ""},
        MemoryCase{"TwoVirtioMemInOneSlot", max_memory("1") + kNuma, repeat(kVirtioMem, 2),
                   "memory device count '2' exceeds slots count '1'", ""},
        MemoryCase{"TwoVirtioPmemInOneSlot", max_memory("1") + kNuma, repeat(kVirtioPmem, 2),
                   "memory device count '2' exceeds slots count '1'", ""},
        MemoryCase{"DimmSlotTwoOfThree", kSlots3, dimm_at(2), "", ""},
        MemoryCase{"DimmSlotThreeOfThree", kSlots3, dimm_at(3), "memory #0: memory device slot '3' exceeds slots count '3'",
                   "memory #0: memory device slot '3' exceeds slots count '3'"},
        MemoryCase{"DimmSlot300OfThree", kSlots3, dimm_at(300), "memory device slot '300' exceeds slots count '3'",
                   "memory device slot '300' exceeds slots count '3'"},
        MemoryCase{"MaxMemoryWithoutSlots", max_memory("") + kNuma, "",
                   "both maximum memory size and memory slot count must be specified", ""},
        MemoryCase{"MaxMemoryWithZeroSlots", max_memory("0") + kNuma, kVirtioMem,
                   "both maximum memory size and memory slot count must be specified", ""},
        // 11.3: "failed to find an empty memory slot".
        MemoryCase{"MaxMemoryWithoutSlotsAndADimm", max_memory("") + kNuma, kDimm,
                   "both maximum memory size and memory slot count must be specified",
                   "memory device count '1' exceeds slots count '0'"},
        MemoryCase{"SlotsWithoutASize", std::string("<maxMemory slots='2'/>") + kNuma, "",
                   "both maximum memory size and memory slot count must be specified",
                   "maximum memory size must be specified when specifying number of memory slots"},
        MemoryCase{"DimmWithoutMaxMemory", kNuma, kDimm,
                   "memory #0: cannot use/hotplug a memory device when domain 'maxMemory' is not defined",
                   "memory #0: cannot use/hotplug a memory device when domain 'maxMemory' is not defined"},
        MemoryCase{"NvdimmWithoutMaxMemory", kNuma, kNvdimm, "'maxMemory' is not defined", "'maxMemory' is not defined"},
        MemoryCase{"VirtioMemWithoutMaxMemory", kNuma, kVirtioMem, "'maxMemory' is not defined",
                   "'maxMemory' is not defined"},
        MemoryCase{"VirtioPmemWithoutMaxMemory", "", kVirtioPmem, "'maxMemory' is not defined",
                   "'maxMemory' is not defined"},
        MemoryCase{"HotplugWithoutNuma", max_memory("2"), "",
                   "At least one numa node has to be configured when enabling memory hotplug", ""},
        MemoryCase{"DimmWithoutNuma", max_memory("2"), std::string(kDimm).replace(std::string(kDimm).find("<node>0</node>"), 14, ""),
                   "At least one numa node has to be configured when enabling memory hotplug", ""},
        MemoryCase{"TwoHundredFiftySevenSlots", max_memory("257") + kNuma, "", "", ""}),
    [](const ::testing::TestParamInfo<MemoryCase>& info) { return std::string(info.param.name); });

// The guest's memory against <maxMemory>: the NUMA cells plus every memory
// device, sizes in any unit rounded up to KiB. Verdicts of libvirt 9.0 (the
// same post-parse check applies whatever the hotplug rules are).
struct TotalCase {
    const char* name;
    std::string head;
    std::string devices;
    const char* verdict90;
};

void PrintTo(const TotalCase& c, std::ostream* os) { *os << c.name; }

class MemoryTotal : public ::testing::TestWithParam<TotalCase> {};

TEST_P(MemoryTotal, Libvirt90) {
    const TotalCase& c = GetParam();
    const std::string error = first_error(MemoryCase{c.name, c.head, c.devices, c.verdict90, ""},
                                          validation::kLibvirt90Memory);
    if (*c.verdict90 == '\0') EXPECT_EQ(error, "");
    else EXPECT_NE(error.find(c.verdict90), std::string::npos) << error;
}

constexpr const char* kBelow = "maximum memory size must be equal or greater than the actual memory size";

INSTANTIATE_TEST_SUITE_P(
    Verdicts, MemoryTotal,
    ::testing::Values(
        TotalCase{"OneKibBelowTheCells", std::string("<maxMemory slots='4' unit='b'>1073740800</maxMemory>") + kNuma, "",
                  kBelow},
        TotalCase{"OneByteMoreRoundsUp", std::string("<maxMemory slots='4' unit='b'>1073740801</maxMemory>") + kNuma, "", ""},
        TotalCase{"DecimalKilobytes", std::string("<maxMemory slots='4' unit='KB'>1073742</maxMemory>") + kNuma, "", ""},
        TotalCase{"BelowCellsAndDimm", std::string("<maxMemory slots='3' unit='KiB'>1179647</maxMemory>") + kNuma, kDimm,
                  kBelow},
        TotalCase{"CellsAndDimmExactly", std::string("<maxMemory slots='3' unit='KiB'>1179648</maxMemory>") + kNuma, kDimm,
                  ""},
        TotalCase{"VirtioMemCounts", std::string("<maxMemory slots='3' unit='GiB'>1</maxMemory>") + kNuma, kVirtioMem,
                  kBelow},
        TotalCase{"DevicesExceedMemoryWithoutNuma", "<maxMemory slots='4' unit='KiB'>4194304</maxMemory>",
                  "<memory model='dimm'><target><size unit='GiB'>2</size></target></memory>",
                  "Total size of memory devices exceeds the total memory size"}),
    [](const ::testing::TestParamInfo<TotalCase>& info) { return std::string(info.param.name); });

TEST(MemoryHotplug, SlotsThatAreNotANumberAreRefusedOnReading) {
    // libvirt (both): "Failed to parse memory slot count".
    auto parsed = parse("<domain type='kvm'><name>m</name><maxMemory slots='abc' unit='KiB'>16777216</maxMemory>"
                        "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.errors().front().message, "<maxMemory slots='abc'> is not a number of memory slots");
}

}  // namespace
}  // namespace guestaddr::testing
