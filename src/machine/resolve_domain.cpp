#include "machine/capabilities.hpp"
#include "model/domain.hpp"
#include "qmp/qemu_probe.hpp"

namespace guestaddr::machine {

MachineProfile resolve_machine(const model::Domain& domain) {
    const EmulatorCapabilities& caps = qmp::capabilities_for(domain.qemu, domain.arch);
    MachineProfile profile = resolve_machine(caps, domain.arch, domain.machine, domain.libvirt->fallback_machine);
    profile.libvirt = domain.libvirt;
    profile.qemu = &caps;
    return profile;
}

}  // namespace guestaddr::machine
