// --json: one JSON document on standard output, whose "schema" names its
// shape and version (docs/json-schema.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "guestaddr/error.hpp"

namespace guestaddr::cli {

// The errors as a JSON array of {kind, device, message}.
nlohmann::json errors_json(const std::vector<Error>& errors);
// Prints the document and a newline on standard output.
void print_json(const nlohmann::json& document);
// report() for a command run with --json: the errors on standard error as
// always, and the document guestaddr/error/1 listing them on standard
// output, so that a program reads one document whatever happened.
int report_json(const std::vector<Error>& errors, int status);
// report() or report_json(), as `json` says.
int report(const std::vector<Error>& errors, int status, bool json);

}  // namespace guestaddr::cli
