#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

constexpr std::string_view kArches[] = {"armv7l"};

// `qemu-system-arm -machine help` of QEMU 7.2, less the alias: the boards of
// qemu-system-aarch64 without the 64-bit ones (no sbsa-ref, raspi3, Xilinx
// ZynqMP or Versal). libvirt 9.0 treats an armv7l 'virt' as an aarch64 one
// (PCI Express, root ports); the chipsets are those of qemu_7_2_aarch64.cpp.
constexpr MachineType kMachines[] = {
    {"virt-7.2", Chipset::ArmVirt},
    {"virt-7.1", Chipset::ArmVirt},
    {"virt-7.0", Chipset::ArmVirt},
    {"virt-6.2", Chipset::ArmVirt},
    {"virt-6.1", Chipset::ArmVirt},
    {"virt-6.0", Chipset::ArmVirt},
    {"virt-5.2", Chipset::ArmVirt},
    {"virt-5.1", Chipset::ArmVirt},
    {"virt-5.0", Chipset::ArmVirt},
    {"virt-4.2", Chipset::ArmVirt},
    {"virt-4.1", Chipset::ArmVirt},
    {"virt-4.0", Chipset::ArmVirt},
    {"virt-3.1", Chipset::ArmVirt},
    {"virt-3.0", Chipset::ArmVirt},
    {"virt-2.12", Chipset::ArmVirt},
    {"virt-2.11", Chipset::ArmVirt},
    {"virt-2.10", Chipset::ArmVirt},
    {"virt-2.9", Chipset::ArmVirt},
    {"virt-2.8", Chipset::ArmVirt},
    {"virt-2.7", Chipset::ArmVirt},
    {"virt-2.6", Chipset::ArmVirt},
    {"akita", Chipset::ArmBoard},
    {"ast1030-evb", Chipset::ArmBoard},
    {"ast2500-evb", Chipset::ArmBoard},
    {"ast2600-evb", Chipset::ArmBoard},
    {"bletchley-bmc", Chipset::ArmBoard},
    {"borzoi", Chipset::ArmBoard},
    {"canon-a1100", Chipset::ArmBoard},
    {"cheetah", Chipset::ArmBoard},
    {"collie", Chipset::ArmBoard},
    {"connex", Chipset::ArmBoard},
    {"cubieboard", Chipset::ArmBoard},
    {"emcraft-sf2", Chipset::ArmBoard},
    {"fby35", Chipset::ArmBoard},
    {"fby35-bmc", Chipset::ArmBoard},
    {"fp5280g2-bmc", Chipset::ArmBoard},
    {"fuji-bmc", Chipset::ArmBoard},
    {"g220a-bmc", Chipset::ArmBoard},
    {"highbank", Chipset::ArmBoard},
    {"imx25-pdk", Chipset::ArmBoard},
    {"integratorcp", Chipset::ArmBoard},
    {"kudo-bmc", Chipset::ArmBoard},
    {"kzm", Chipset::ArmBoard},
    {"lm3s6965evb", Chipset::ArmBoard},
    {"lm3s811evb", Chipset::ArmBoard},
    {"mainstone", Chipset::ArmBoard},
    {"mcimx6ul-evk", Chipset::ArmBoard},
    {"mcimx7d-sabre", Chipset::ArmBoard},
    {"microbit", Chipset::ArmBoard},
    {"midway", Chipset::ArmBoard},
    {"mori-bmc", Chipset::ArmBoard},
    {"mps2-an385", Chipset::ArmBoard},
    {"mps2-an386", Chipset::ArmBoard},
    {"mps2-an500", Chipset::ArmBoard},
    {"mps2-an505", Chipset::ArmBoard},
    {"mps2-an511", Chipset::ArmBoard},
    {"mps2-an521", Chipset::ArmBoard},
    {"mps3-an524", Chipset::ArmBoard},
    {"mps3-an547", Chipset::ArmBoard},
    {"musca-a", Chipset::ArmBoard},
    {"musca-b1", Chipset::ArmBoard},
    {"musicpal", Chipset::ArmBoard},
    {"n800", Chipset::ArmBoard},
    {"n810", Chipset::ArmBoard},
    {"netduino2", Chipset::ArmBoard},
    {"netduinoplus2", Chipset::ArmBoard},
    {"none", Chipset::ArmBoard},
    {"npcm750-evb", Chipset::ArmBoard},
    {"nuri", Chipset::ArmBoard},
    {"orangepi-pc", Chipset::ArmBoard},
    {"palmetto-bmc", Chipset::ArmBoard},
    {"qcom-dc-scm-v1-bmc", Chipset::ArmBoard},
    {"qcom-firework-bmc", Chipset::ArmBoard},
    {"quanta-gbs-bmc", Chipset::ArmBoard},
    {"quanta-gsj", Chipset::ArmBoard},
    {"quanta-q71l-bmc", Chipset::ArmBoard},
    {"rainier-bmc", Chipset::ArmBoard},
    {"raspi0", Chipset::ArmBoard},
    {"raspi1ap", Chipset::ArmBoard},
    {"raspi2b", Chipset::ArmBoard},
    {"realview-eb", Chipset::ArmBoard},
    {"realview-eb-mpcore", Chipset::ArmBoard},
    {"realview-pb-a8", Chipset::ArmBoard},
    {"realview-pbx-a9", Chipset::ArmBoard},
    {"romulus-bmc", Chipset::ArmBoard},
    {"sabrelite", Chipset::ArmBoard},
    {"smdkc210", Chipset::ArmBoard},
    {"sonorapass-bmc", Chipset::ArmBoard},
    {"spitz", Chipset::ArmBoard},
    {"stm32vldiscovery", Chipset::ArmBoard},
    {"supermicrox11-bmc", Chipset::ArmBoard},
    {"sx1", Chipset::ArmBoard},
    {"sx1-v1", Chipset::ArmBoard},
    {"tacoma-bmc", Chipset::ArmBoard},
    {"terrier", Chipset::ArmBoard},
    {"tosa", Chipset::ArmBoard},
    {"verdex", Chipset::ArmBoard},
    {"versatileab", Chipset::ArmBoard},
    {"versatilepb", Chipset::ArmVersatilePb},
    {"vexpress-a15", Chipset::ArmVexpress},
    {"vexpress-a9", Chipset::ArmVexpress},
    {"witherspoon-bmc", Chipset::ArmBoard},
    {"xilinx-zynq-a9", Chipset::ArmBoard},
    {"z2", Chipset::ArmBoard},
};

constexpr MachineAlias kAliases[] = {
    {"virt", "virt-7.2"},
};

}  // namespace

// As on aarch64, QEMU names no default machine: libvirt 9.0 takes the first
// one QEMU lists, integratorcp (checked on libvirt 9.0).
const EmulatorCapabilities& qemu_7_2_arm() {
    static const EmulatorCapabilities caps{kArches, kMachines, kAliases, "integratorcp"};
    return caps;
}

}  // namespace guestaddr::machine
