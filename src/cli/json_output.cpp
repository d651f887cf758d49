#include "cli/json_output.hpp"

#include <iostream>

#include "cli/commands.hpp"

namespace guestaddr::cli {
namespace {

const char* kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::MalformedXml: return "malformed-xml";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::InvalidAddress: return "invalid-address";
    case ErrorKind::AddressConflict: return "address-conflict";
    case ErrorKind::Placement: return "placement";
    case ErrorKind::Exhausted: return "exhausted";
    case ErrorKind::Incomplete: return "incomplete";
    case ErrorKind::Io: return "io";
    }
    return "placement";
}

}  // namespace

nlohmann::json errors_json(const std::vector<Error>& errors) {
    nlohmann::json out = nlohmann::json::array();
    for (const Error& e : errors)
        out.push_back({{"kind", kind_name(e.kind)},
                       {"device", e.device.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.device)},
                       {"message", e.message}});
    return out;
}

void print_json(const nlohmann::json& document) {
    // Replacement characters for any invalid UTF-8 a definition carried
    // into a name: the document stays valid JSON.
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int report_json(const std::vector<Error>& errors, int status) {
    report(errors, status);
    print_json({{"schema", "guestaddr/error/1"}, {"errors", errors_json(errors)}});
    return status;
}

int report(const std::vector<Error>& errors, int status, bool json) {
    return json ? report_json(errors, status) : report(errors, status);
}

}  // namespace guestaddr::cli
