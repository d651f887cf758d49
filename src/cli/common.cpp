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

Result<Definition> load_x86_guest(const std::string& path, std::string_view what) {
    auto parsed = load(path);
    if (!parsed) return parsed;
    const std::string& arch = parsed->domain().arch;
    if (arch.empty() || arch == "x86_64" || arch == "i686") return parsed;
    return Error{ErrorKind::Unsupported, "",
                 std::string(what) + " is only made for x86 guests (x86_64, i686), not for " + arch + " ones"};
}

}  // namespace guestaddr::cli
