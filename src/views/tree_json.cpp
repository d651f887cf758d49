// The topology tree as JSON (schema guestaddr/tree/1, docs/json-schema.md).
#include "views/tree_json.hpp"

namespace guestaddr::views {
namespace {

using Node = TreeNode;

const char* kind_name(Node::Kind kind) {
    switch (kind) {
    case Node::Kind::Guest: return "guest";
    case Node::Kind::Group: return "group";
    case Node::Kind::Device: return "device";
    case Node::Kind::Chipset: return "chipset";
    case Node::Kind::Free: return "free";
    }
    return "device";
}

nlohmann::json node_json(const Node& n) {
    nlohmann::json j{{"kind", kind_name(n.kind)}};
    if (!n.place.empty()) j["place"] = n.place;
    if (n.kind == Node::Kind::Free) {
        j["places"] = n.detail;
        j["count"] = n.free_count;
        j["of"] = n.free_kind;
        j["hotplug"] = n.hotplug;
        return j;
    }
    j["name"] = n.name;
    if (!n.detail.empty()) j["detail"] = n.detail;
    if (n.device) {
        j["index"] = *n.device;
        j["chosen"] = n.chosen;
        j["added"] = n.added;
    }
    if (!n.children.empty()) {
        nlohmann::json children = nlohmann::json::array();
        for (const Node& child : n.children) children.push_back(node_json(child));
        j["children"] = std::move(children);
    }
    return j;
}

}  // namespace

nlohmann::json tree_json(const Tree& tree) {
    nlohmann::json capacity = nlohmann::json::object();
    for (const HotplugCapacity& c : tree.hotplug) capacity[c.kind] = c.count;
    nlohmann::json kept = nlohmann::json::array();
    for (const KeptFree& k : tree.kept_free) kept.push_back({{"of", k.kind}, {"count", k.count}, {"policy", k.policy}});
    return {{"schema", "guestaddr/tree/1"},
            {"guest", node_json(tree.root)},
            {"hotplug_capacity", capacity},
            {"kept_free", kept}};
}

}  // namespace guestaddr::views
