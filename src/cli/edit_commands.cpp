// attach / detach: change one device of a definition and persist the
// result; with --qmp, plug it into (or out of) the QEMU running the guest
// first, and persist only once QEMU has done it.
#include <memory>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "guestaddr/hotplug.hpp"
#include "qmp/live_guest.hpp"

namespace guestaddr::cli {
namespace {

struct EditArgs {
    std::string domain;
    std::string device;
    bool in_place = false;
    std::string qmp_socket;
    bool stub_backends = false;
    double timeout_seconds = 10;
    std::string prefer;  // attach: placement preference, "hotplug=no,bus=pcie,numa=1"
    RulesFlags rules;

    std::chrono::milliseconds timeout() const {
        return std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
    }
    // --timeout bounds the whole exchange with QEMU (connecting, the
    // commands, the unplug event), not each step of it.
    qmp::QmpClient connect() const {
        const qmp::Clock::time_point deadline = qmp::Clock::now() + timeout();
        qmp::QmpClient qemu = qmp::QmpClient::connect(qmp_socket, timeout());
        qemu.set_deadline(deadline);
        return qemu;
    }
    qemu::Backends backends() const { return stub_backends ? qemu::Backends::Stub : qemu::Backends::Host; }
};

using Edit = std::function<Definition(Definition, const std::string& device_xml, const EditArgs&)>;

template <class T>
T value_or_throw(Result<T> result) {
    if (!result) throw Failure(result.errors().front());
    return std::move(*result);
}

Definition attach_device(Definition definition, const std::string& device_xml, const EditArgs& args) {
    if (args.qmp_socket.empty())
        return value_or_throw(attach(std::move(definition), device_xml, Plug::Cold, args.prefer)).definition;
    Attachment attached = value_or_throw(attach(std::move(definition), device_xml, Plug::Live, args.prefer));
    qmp::QmpClient qemu = args.connect();
    qmp::hotplug(qemu, attached.definition, attached.device, args.backends());
    return std::move(attached.definition);
}

Definition detach_device(Definition definition, const std::string& device_xml, const EditArgs& args) {
    const std::size_t index = value_or_throw(find_device(definition, device_xml));
    if (!args.qmp_socket.empty()) {
        if (auto refusal = live_plug_refusal(definition, index)) throw Failure(*refusal);
        qmp::QmpClient qemu = args.connect();
        qmp::unplug(qemu, definition, index, args.backends(), args.timeout());
    }
    return value_or_throw(detach(std::move(definition), index));
}

// Read, edit, write: under the edit lock when the file is replaced, so that
// two concurrent edits both land. Nothing is written when anything fails.
int run_edit(const EditArgs& args, const Edit& edit) {
    std::shared_ptr<EditLock> lock;
    if (args.in_place) lock = value_or_throw(EditLock::acquire(args.domain));
    const std::string device_xml = value_or_throw(read_input(args.device));
    Definition loaded = value_or_throw(load_runtime_guest(args.domain, "attach and detach"));
    value_or_throw(choose_rules(loaded, args.rules));
    Definition edited = edit(std::move(loaded), device_xml, args);
    if (!args.in_place) {
        print(edited);
        return kSuccess;
    }
    value_or_throw(write_atomically(args.domain, edited));
    return kSuccess;
}

Runner add_edit_command(CLI::App& app, const char* name, const char* help, Edit edit) {
    auto args = std::make_shared<EditArgs>();
    CLI::App* cmd = app.add_subcommand(name, help);
    cmd->add_option("DOMAIN", args->domain, "domain XML")->required();
    cmd->add_option("DEVICE", args->device, "device XML (one device element), or - for standard input")->required();
    cmd->add_flag("--in-place", args->in_place, "replace DOMAIN atomically instead of printing the result");
    cmd->add_option("--qmp", args->qmp_socket, "also plug the device into the QEMU whose QMP monitor listens here");
    cmd->add_flag("--stub-backends", args->stub_backends, "with --qmp: the QEMU runs with stubbed backends (argv --stub-backends)");
    cmd->add_option("--timeout", args->timeout_seconds, "with --qmp: seconds the whole exchange with QEMU may take (default 10)");
    if (std::string_view(name) == "attach")
        cmd->add_option("--prefer", args->prefer,
                        "placement preference kept with the guest: hotplug=yes|no, bus=pci|pcie, numa=N (comma-separated)");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args, edit]() -> int {
        if (!cmd->parsed()) return -1;
        try {
            return run_edit(*args, edit);
        } catch (const Failure& f) {
            return report({f.error()}, exit_status_for({f.error()}));
        }
    };
}

}  // namespace

Runner add_attach_command(CLI::App& app) {
    return add_edit_command(app, "attach", "add a device and give it an address, moving no other device",
                            attach_device);
}

Runner add_detach_command(CLI::App& app) {
    return add_edit_command(app, "detach", "remove the device DEVICE names (interface by MAC, disk by target, ...)",
                            detach_device);
}

}  // namespace guestaddr::cli
