// Memory sizes as libvirt reads them: a number and a unit, in KiB.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace guestaddr::model {

// `value` in `unit` ("" is KiB), rounded up to whole KiB as libvirt rounds
// it: 'b' and 'bytes' are bytes, 'KB', 'MB', ... powers of 1000, 'k',
// 'KiB', 'M', 'MiB', ... powers of 1024. Nullopt for text that is not a
// decimal number, an unknown unit, or a size past 2^64 bytes.
std::optional<std::uint64_t> size_in_kib(std::string_view value, std::string_view unit);

}  // namespace guestaddr::model
