// Why devices have the addresses guestaddr chose, and why guestaddr added
// the devices it added: what `guestaddr explain` reports. Kept only while
// explaining (Domain::provenance is null otherwise), so that a plain assign
// pays one null check per choice and formats no text.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace guestaddr::model {

class Provenance {
public:
    struct Note {
        const char* rule;   // a stable id, e.g. "pci-first-free" (docs/json-schema.md lists them)
        std::string text;   // the rule applied, in words
        std::optional<std::size_t> for_device;  // additions: the device it was added for
    };

    // devices[device] got its address by `rule`. A later note replaces an
    // earlier one: the last choice is the one the device keeps.
    void placed(std::size_t device, const char* rule, std::string text) {
        placements_[device] = Note{rule, std::move(text), std::nullopt};
    }
    // devices[device] was added by guestaddr, for `for_device` if one asked for it.
    void added(std::size_t device, const char* rule, std::string text, std::optional<std::size_t> for_device) {
        additions_[device] = Note{rule, std::move(text), for_device};
    }

    // A policy of the guest gave devices[device] something beside its
    // address (stable-nic-names: an ACPI index).
    void applied(std::size_t device, const char* rule, std::string text) {
        policies_[device].push_back(Note{rule, std::move(text), std::nullopt});
    }

    const Note* placement(std::size_t device) const { return find(placements_, device); }
    const std::vector<Note>& policies(std::size_t device) const {
        static const std::vector<Note> none;
        auto it = policies_.find(device);
        return it == policies_.end() ? none : it->second;
    }
    const Note* addition(std::size_t device) const { return find(additions_, device); }
    // The devices added for devices[device], lowest index first.
    std::vector<std::size_t> added_for(std::size_t device) const {
        std::vector<std::size_t> out;
        for (const auto& [added, note] : additions_)
            if (note.for_device == device) out.push_back(added);
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    static const Note* find(const std::unordered_map<std::size_t, Note>& notes, std::size_t device) {
        auto it = notes.find(device);
        return it == notes.end() ? nullptr : &it->second;
    }
    std::unordered_map<std::size_t, Note> placements_;
    std::unordered_map<std::size_t, Note> additions_;
    std::unordered_map<std::size_t, std::vector<Note>> policies_;
};

}  // namespace guestaddr::model
