#include "assign/zpci_assigner.hpp"

#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "model/device_order.hpp"

namespace guestaddr::assigners {
namespace {

constexpr unsigned kLowestUid = 1;
constexpr unsigned kHighestUid = 0xffff;

// The ids of one kind in use, and the lowest one free: it only grows, so
// handing out ids stays linear.
class IdPool {
public:
    IdPool(const char* name, unsigned lowest, unsigned highest) : name_(name), next_(lowest), highest_(highest) {}

    void reserve(const model::Domain& domain, std::size_t device, unsigned id) {
        if (!used_.insert(id).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(device),
                                fmt::format("zPCI {} {:#x} is already in use", name_, id)});
    }
    unsigned take(const model::Domain& domain, std::size_t device) {
        while (next_ <= highest_ && used_.contains(next_)) ++next_;
        if (next_ > highest_)
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(device), fmt::format("no free zPCI {} is left", name_)});
        used_.insert(next_);
        return next_++;
    }

private:
    const char* name_;
    unsigned next_;
    unsigned highest_;
    std::set<unsigned> used_;
};

// Every device with a PCI address, even the empty one a device that takes
// none keeps, except serial ports (and the console that mirrors one): libvirt
// gives a pci-serial port no ids.
bool takes_zpci_ids(const model::Device& d) {
    return d.cls != model::DeviceClass::Serial && d.cls != model::DeviceClass::Console;
}

}  // namespace

ZpciBefore zpci_before_pci_assignment(const model::Domain& domain) {
    ZpciBefore before;
    before.devices = domain.devices.size();
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (const PciAddress* a = domain.devices[i].pci(); a && (a->zpci_uid || a->zpci_fid))
            before.written.push_back({i, a->zpci_uid, a->zpci_fid});
    return before;
}

void assign_zpci_ids(model::Domain& domain, const machine::MachineProfile& machine, const ZpciBefore& before) {
    if (!machine.is_s390()) {
        if (!before.written.empty())
            throw Failure(Error{ErrorKind::Unsupported, domain.describe(before.written.front().device),
                                "zPCI ids (<zpci>) are only for s390x guests"});
        return;
    }
    for (const ZpciBefore::Written& w : before.written)
        if (auto* a = std::get_if<PciAddress>(&domain.devices[w.device].address)) {
            a->zpci_uid = w.uid;
            a->zpci_fid = w.fid;
        }
    // Devices with ids written first, each taking what it lacks at once (so
    // one that lacks a fid can take the one a later device names: libvirt
    // refuses that too); then the others.
    IdPool uids("uid", kLowestUid, kHighestUid);
    IdPool fids("fid", 0, 0xffffffff);
    const std::vector<std::size_t> order = model::device_iteration_order(domain);
    for (const bool with_written_ids : {true, false}) {
        for (std::size_t i : order) {
            if (i >= before.devices || !takes_zpci_ids(domain.devices[i])) continue;
            PciAddress* a = std::get_if<PciAddress>(&domain.devices[i].address);
            if (a == nullptr || (a->zpci_uid || a->zpci_fid) != with_written_ids) continue;
            if (a->zpci_uid) uids.reserve(domain, i, *a->zpci_uid);
            else a->zpci_uid = uids.take(domain, i);
            if (a->zpci_fid) fids.reserve(domain, i, *a->zpci_fid);
            else a->zpci_fid = fids.take(domain, i);
        }
    }
}

}  // namespace guestaddr::assigners
