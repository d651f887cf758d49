// The topology tree as text for a terminal and as a Graphviz digraph.
#include <string_view>

#include <fmt/format.h>

#include "views/topology_tree.hpp"

namespace guestaddr::views {
namespace {

using Node = TreeNode;

std::string plural(unsigned count, std::string_view noun) {
    return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string free_text(const Node& n) {
    return fmt::format("free: {} ({}{})", n.detail, plural(n.free_count, n.free_kind), n.hotplug ? ", hotplug" : "");
}

// What a node says on its line (text) or in its box (Graphviz), without its place.
std::string node_text(const Node& n) {
    switch (n.kind) {
    case Node::Kind::Free: return free_text(n);
    case Node::Kind::Group: return n.name;
    case Node::Kind::Guest:
    case Node::Kind::Chipset:
    case Node::Kind::Device: break;
    }
    std::string text = n.detail.empty() ? n.name : fmt::format("{} ({})", n.name, n.detail);
    if (n.added) text += " [added]";
    else if (n.chosen && n.kind == Node::Kind::Device && !n.place.empty()) text += " [chosen]";
    return text;
}

void text_lines(fmt::memory_buffer& out, const Node& n, std::string& prefix) {
    for (std::size_t k = 0; k < n.children.size(); ++k) {
        const Node& child = n.children[k];
        const bool last = k + 1 == n.children.size();
        fmt::format_to(std::back_inserter(out), "{}{}{}{}\n", prefix, last ? "└─ " : "├─ ",
                       child.place.empty() ? "" : child.place + "  ", node_text(child));
        const std::size_t kept = prefix.size();
        prefix += last ? "   " : "│  ";
        text_lines(out, child, prefix);
        prefix.resize(kept);
    }
}

std::string capacity_text(const Tree& tree) {
    if (tree.hotplug.empty()) return "hotplug capacity: none\n";
    std::string text = "hotplug capacity:";
    for (std::size_t k = 0; k < tree.hotplug.size(); ++k)
        text += fmt::format("{} {}", k == 0 ? "" : ",", plural(tree.hotplug[k].count, tree.hotplug[k].kind));
    text += "\n";
    for (const KeptFree& kept : tree.kept_free)
        text += fmt::format("kept free by the guest's policy ({}): at least {}\n", kept.policy,
                            plural(kept.count, kept.kind));
    return text;
}

// A DOT string literal.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

const char* dot_style(const Node& n) {
    switch (n.kind) {
    case Node::Kind::Guest: return "shape=box3d, style=filled, fillcolor=\"#dde7f3\"";
    case Node::Kind::Group: return "shape=folder, style=filled, fillcolor=\"#f2f2f2\"";
    case Node::Kind::Chipset: return "style=\"rounded,filled\", fillcolor=\"#e6e6e6\", fontcolor=\"#555555\"";
    case Node::Kind::Free:
        return n.hotplug ? "style=\"rounded,dashed\", color=\"#2e8b57\", fontcolor=\"#2e8b57\""
                         : "style=\"rounded,dashed\", color=\"#999999\", fontcolor=\"#777777\"";
    case Node::Kind::Device: break;
    }
    return n.added ? "style=\"rounded,filled\", fillcolor=\"#fff2cc\"" : "style=\"rounded,filled\", fillcolor=\"#ffffff\"";
}

void dot_nodes(fmt::memory_buffer& out, const Node& n, std::size_t id, std::size_t& next) {
    std::string label = n.place.empty() ? node_text(n) : n.place + "\n" + node_text(n);
    fmt::format_to(std::back_inserter(out), "  \"node-{}\" [label={}, {}];\n", id, quoted(label), dot_style(n));
    for (const Node& child : n.children) {
        const std::size_t child_id = next++;
        dot_nodes(out, child, child_id, next);
        fmt::format_to(std::back_inserter(out), "  \"node-{}\" -> \"node-{}\";\n", id, child_id);
    }
}

}  // namespace

std::string tree_text(const Tree& tree) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out), "{}\n", node_text(tree.root));
    std::string prefix;
    text_lines(out, tree.root, prefix);
    const std::string capacity = capacity_text(tree);
    out.append(capacity.data(), capacity.data() + capacity.size());
    return fmt::to_string(out);
}

std::string tree_dot(const Tree& tree) {
    std::string caption = capacity_text(tree);
    caption.pop_back();  // its last newline
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out),
                   "digraph guest {{\n"
                   "  graph [rankdir=LR, nodesep=0.12, ranksep=0.35, fontname=\"Helvetica\", label={}, labelloc=b];\n"
                   "  node [shape=box, fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.04\"];\n"
                   "  edge [color=\"#8c8c8c\", arrowsize=0.5];\n",
                   quoted(caption));
    std::size_t next = 1;
    dot_nodes(out, tree.root, 0, next);
    out.push_back('}');
    out.push_back('\n');
    return fmt::to_string(out);
}

}  // namespace guestaddr::views
