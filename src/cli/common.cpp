#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "model/domain.hpp"

namespace guestaddr::cli {

int report(const std::vector<Error>& errors, int status) {
    for (const Error& e : errors) std::cerr << "guestaddr: error: " << e.to_string() << '\n';
    return status;
}

int exit_status_for(const std::vector<Error>& errors) {
    for (const Error& e : errors)
        if (e.kind == ErrorKind::Io) return kIoFailure;
    return kInvalidDefinition;
}

Result<Definition> load(const std::string& path) {
    auto text = read_input(path);
    if (!text) return text.errors();
    return parse_in_place(std::move(*text));
}

std::optional<Error> refuse_unless_x86(const Definition& definition, std::string_view what) {
    const std::string& arch = definition.domain().arch;
    if (arch.empty() || arch == "x86_64" || arch == "i686") return std::nullopt;
    return Error{ErrorKind::Unsupported, "", fmt::format("{} is only made for x86 guests, not {}", what, arch)};
}

}  // namespace guestaddr::cli
