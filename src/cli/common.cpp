#include <iostream>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"

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

}  // namespace guestaddr::cli
