// Replacing a file atomically: the definitions `--in-place` edits and the
// capability cache of a probed QEMU both go through it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace guestaddr::support {

// The temporary files of writers of `path` are ".NAME.guestaddr-XXXXXX" in
// its folder: on the same file system, out of sight, and recognisable to
// whoever removes those a killed writer left behind.
inline constexpr std::string_view kTemporaryMark = ".guestaddr-";
inline constexpr std::size_t kTemporaryRandomChars = 6;  // mkstemp's XXXXXX

// Writes all of `text` to the descriptor; false (errno set) on failure.
bool write_all(int fd, std::string_view text);

// The folder `path` is in ("." for a bare name).
std::filesystem::path folder_of(const std::string& path);
// ".NAME<suffix>" beside `path`.
std::string hidden_sibling(const std::string& path, std::string_view suffix);
// Whether a file name is one of the temporary files of `path`.
bool is_temporary_of(const std::string& name, const std::string& path);

// The step that failed; errno says why.
enum class WriteFailure {
    None,
    CreateTemporary,  // path unchanged
    Write,            // path unchanged (writing or flushing the temporary file)
    Rename,           // path unchanged
    SyncFolder,       // path already replaced; the rename may not survive a crash
};

// Writes the text `produce` hands to its sink (a piece at a time, so that a
// large text is never whole in memory) to a temporary file beside `path`,
// flushes it to disk, renames it over `path` and flushes the folder: readers
// see the old file or the new one, never a torn one. On a failure before
// the rename the temporary file is removed.
WriteFailure replace_file(const std::string& path,
                          const std::function<void(const std::function<void(std::string_view)>&)>& produce);

}  // namespace guestaddr::support
