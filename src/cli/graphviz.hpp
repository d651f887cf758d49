// Pictures drawn by Graphviz.
#pragma once

#include <string>

#include "guestaddr/error.hpp"

namespace guestaddr::cli {

// The SVG Graphviz's `dot` program draws of the graph `dot_text`.
//
// The program, not libgvc: every guestaddr command would otherwise load
// Graphviz's dozen shared libraries at start, and process start is most of
// what a small `assign` costs. Errors (Io): dot is missing or fails.
Result<std::string> draw_svg(const std::string& dot_text);

}  // namespace guestaddr::cli
