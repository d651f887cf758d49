// The topology tree for programs.
#pragma once

#include <nlohmann/json.hpp>

#include "views/topology_tree.hpp"

namespace guestaddr::views {

nlohmann::json tree_json(const Tree& tree);

}  // namespace guestaddr::views
