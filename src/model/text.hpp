// A string of the device model in 16 bytes, where std::string takes 32.
//
// A device has a dozen such strings (type, model, bus, target name, ...),
// nearly all a few bytes long or empty, and a guest can have 10,000
// devices: halving the strings takes megabytes off a large definition, and
// each megabyte of fresh memory costs the process about a millisecond in
// page faults. Up to 15 bytes are kept inline; longer text is on the heap.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace guestaddr::model {

class Text {
public:
    Text() noexcept = default;
    Text(std::string_view s) { assign(s); }
    Text(const char* s) : Text(std::string_view(s)) {}
    Text(const std::string& s) : Text(std::string_view(s)) {}
    Text(const Text& other) : Text(other.view()) {}
    Text(Text&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = Bytes{}; }
    Text& operator=(Text other) noexcept {
        std::swap(bytes_, other.bytes_);
        return *this;
    }
    ~Text() { delete[] heap_data(); }

    std::string_view view() const noexcept {
        if (!is_on_heap()) return {bytes_.data(), static_cast<std::size_t>(bytes_[kTag])};
        return {heap_data(), heap_size()};
    }
    operator std::string_view() const noexcept { return view(); }
    std::string str() const { return std::string(view()); }
    const char* data() const noexcept { return view().data(); }
    std::size_t size() const noexcept { return view().size(); }
    bool empty() const noexcept { return size() == 0; }
    bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
    bool ends_with(std::string_view suffix) const noexcept { return view().ends_with(suffix); }

    friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const Text& a, const char* b) noexcept { return a.view() == b; }
    friend bool operator==(const Text& a, const std::string& b) noexcept { return a.view() == b; }
    friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept { return a.view() <=> b.view(); }

private:
    // Inline: the bytes, then their count in the last byte. On the heap:
    // the pointer, the size (4 bytes), and kOnHeap in the last byte.
    using Bytes = std::array<char, 16>;
    static constexpr std::size_t kTag = 15;
    static constexpr char kOnHeap = static_cast<char>(0xff);

    bool is_on_heap() const noexcept { return bytes_[kTag] == kOnHeap; }
    char* heap_data() const noexcept {
        if (!is_on_heap()) return nullptr;
        char* p;
        std::memcpy(&p, bytes_.data(), sizeof p);
        return p;
    }
    std::size_t heap_size() const noexcept {
        std::uint32_t n;
        std::memcpy(&n, bytes_.data() + sizeof(char*), sizeof n);
        return n;
    }
    void assign(std::string_view s);

    alignas(8) Bytes bytes_{};
};

}  // namespace guestaddr::model

template <>
struct fmt::formatter<guestaddr::model::Text> : fmt::formatter<std::string_view> {
    template <class Context>
    auto format(const guestaddr::model::Text& text, Context& ctx) const {
        return fmt::formatter<std::string_view>::format(text.view(), ctx);
    }
};
