// Errors that name the device and the rule it breaks.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "guestaddr/export.hpp"

namespace guestaddr {

enum class ErrorKind {
    MalformedXml,     // the input is not a domain definition
    Unsupported,      // a machine type, model or feature QEMU 7.2 does not have
    InvalidAddress,   // an address that is out of range or malformed
    AddressConflict,  // two devices on one address
    Placement,        // a device on a bus or controller that cannot take it
    Exhausted,        // no free address left and none can be added
    Incomplete,       // validate: a device without an address
    Io,               // reading or writing a file
};

struct Error {
    ErrorKind kind;
    std::string device;   // e.g. "disk 'vdb'", "interface 52:54:00:00:00:01"; empty for the domain
    std::string message;  // the rule broken, in words

    std::string to_string() const { return device.empty() ? message : device + ": " + message; }
};

// Thrown inside the library where unwinding is the simplest way out; the
// public entry points turn it into a Result.
class GUESTADDR_API Failure : public std::runtime_error {
public:
    explicit Failure(Error error) : std::runtime_error(error.to_string()), error_(std::move(error)) {}
    const Error& error() const { return error_; }

private:
    Error error_;
};

// A value or the list of errors that prevented it (std::expected arrives in C++23).
template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::vector<Error>{std::move(error)}) {}
    Result(std::vector<Error> errors) : state_(std::move(errors)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<T>(state_); }
    const T& value() const { return std::get<T>(state_); }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }
    const std::vector<Error>& errors() const { return std::get<std::vector<Error>>(state_); }

private:
    std::variant<T, std::vector<Error>> state_;
};

}  // namespace guestaddr
