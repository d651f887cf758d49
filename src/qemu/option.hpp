// One option of a QEMU command line. Options stay structured until they are
// printed, so that --stub-backends can rewrite them and hotplug can send the
// same objects over QMP.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace guestaddr::qemu {

// Ordered, so that properties print in the order libvirt writes them.
using Json = nlohmann::ordered_json;

// QEMU's legacy key=value syntax ("socket,id=charmonitor,server=on"); an
// empty key prints its value alone, as the first item of -chardev does.
using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct Option {
    std::string flag;  // "-device", "-chardev", "-no-user-config", ...
    std::variant<std::monostate, std::string, KeyValues, Json> value;

    // The JSON value (-device, -blockdev, -netdev, -object, -audiodev), or nullptr.
    Json* json() { return std::get_if<Json>(&value); }
    const Json* json() const { return std::get_if<Json>(&value); }
    KeyValues* key_values() { return std::get_if<KeyValues>(&value); }
    const KeyValues* key_values() const { return std::get_if<KeyValues>(&value); }
};

Option flag_only(std::string flag);
Option text_option(std::string flag, std::string text);
Option json_option(std::string flag, Json value);
Option key_value_option(std::string flag, KeyValues values);

// The value of `key` in a key=value option, or "".
std::string_view key_value(const KeyValues& values, std::string_view key);

// One line as libvirt logs it: the flag, a space, the value; JSON values are
// compact and single-quoted, commas inside key=value values are doubled.
std::string render(const Option& option);

}  // namespace guestaddr::qemu
