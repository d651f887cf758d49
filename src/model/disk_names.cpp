#include "model/disk_names.hpp"

#include <array>

namespace guestaddr::model {

std::string_view disk_name_prefix(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kPrefixes{"xvd", "ubd", "vd", "sd", "hd", "fd"};
    for (std::string_view p : kPrefixes)
        if (name.starts_with(p)) return p;
    return "";
}

std::optional<unsigned> disk_name_index(std::string_view name) {
    std::string_view prefix = disk_name_prefix(name);
    if (prefix.empty()) return std::nullopt;
    name.remove_prefix(prefix.size());
    unsigned long index = 0;
    std::size_t letters = 0;
    for (; letters < name.size() && name[letters] >= 'a' && name[letters] <= 'z'; ++letters) {
        index = index * 26 + static_cast<unsigned long>(name[letters] - 'a' + 1);
        if (index > 0xFFFFFFF) return std::nullopt;
    }
    if (letters == 0) return std::nullopt;
    for (std::size_t i = letters; i < name.size(); ++i)
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
    return static_cast<unsigned>(index - 1);
}

}  // namespace guestaddr::model
