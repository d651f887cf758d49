#include "model/memory_size.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace guestaddr::model {
namespace {

struct UnitScale {
    std::string_view unit;
    std::uint64_t bytes;
};

constexpr std::uint64_t kKilo = 1000;
constexpr std::uint64_t kKibi = 1024;

constexpr std::array kUnits{
    UnitScale{"b", 1},
    UnitScale{"bytes", 1},
    UnitScale{"KB", kKilo},
    UnitScale{"k", kKibi},
    UnitScale{"KiB", kKibi},
    UnitScale{"MB", kKilo * kKilo},
    UnitScale{"M", kKibi * kKibi},
    UnitScale{"MiB", kKibi * kKibi},
    UnitScale{"GB", kKilo * kKilo * kKilo},
    UnitScale{"G", kKibi * kKibi * kKibi},
    UnitScale{"GiB", kKibi * kKibi * kKibi},
    UnitScale{"TB", kKilo * kKilo * kKilo * kKilo},
    UnitScale{"T", kKibi * kKibi * kKibi * kKibi},
    UnitScale{"TiB", kKibi * kKibi * kKibi * kKibi},
    UnitScale{"PB", kKilo * kKilo * kKilo * kKilo * kKilo},
    UnitScale{"P", kKibi * kKibi * kKibi * kKibi * kKibi},
    UnitScale{"PiB", kKibi * kKibi * kKibi * kKibi * kKibi},
    UnitScale{"EB", kKilo * kKilo * kKilo * kKilo * kKilo * kKilo},
    UnitScale{"E", kKibi * kKibi * kKibi * kKibi * kKibi * kKibi},
    UnitScale{"EiB", kKibi * kKibi * kKibi * kKibi * kKibi * kKibi},
};

std::optional<std::uint64_t> bytes_per(std::string_view unit) {
    if (unit.empty()) return kKibi;
    for (const UnitScale& u : kUnits)
        if (u.unit == unit) return u.bytes;
    return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> size_in_kib(std::string_view value, std::string_view unit) {
    const std::optional<std::uint64_t> scale = bytes_per(unit);
    std::uint64_t number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (!scale || value.empty() || ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    if (number > std::numeric_limits<std::uint64_t>::max() / *scale) return std::nullopt;
    const std::uint64_t bytes = number * *scale;
    return bytes / kKibi + (bytes % kKibi != 0 ? 1 : 0);
}

}  // namespace guestaddr::model
