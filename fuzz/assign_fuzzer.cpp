// libFuzzer target: any bytes through parse → validate → assign → format,
// the path `guestaddr assign` and `guestaddr validate` take.
//
// Besides "no crash, no sanitizer report, no hang", two properties are
// checked, because a management system stores what guestaddr prints:
//  - what assign prints parses again (never a partial or broken definition,
//    and, as parse refuses every document that is not well-formed XML 1.0,
//    never one a strict XML parser would refuse);
//  - assign is idempotent: assigning the output again changes nothing, since
//    addresses, once given, must never move. Assigning it again may be
//    refused, as libvirt refuses some of its own output (a fifth serial port
//    gets port 4, which libvirt rejects when written by hand).
// (attach_fuzzer.cpp fuzzes the attach path.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guestaddr/guestaddr.hpp"

namespace {

[[noreturn]] void broken(const char* property, const std::string& detail) {
    std::fprintf(stderr, "assign_fuzzer: %s\n%s\n", property, detail.c_str());
    std::abort();
}

std::string first_error(const std::vector<guestaddr::Error>& errors) {
    return errors.empty() ? std::string() : errors.front().to_string();
}

// libvirt numbers the consoles that are no serial port (virtio, and SCLP on
// s390x) by their position among all consoles on every define, so
// re-defining its own output renumbers them once it has put the console of
// the first serial port in front; guestaddr does the same. Their port
// numbers are left out of the idempotence comparison: the port='N' of every
// <target> of type 'virtio', 'sclp' or 'sclplm' (only console targets have
// both), whatever the order of its attributes.
bool is_positional_console_target(std::string_view target) {
    for (std::string_view type : {" type='virtio'", " type='sclp'", " type='sclplm'"})
        if (target.find(type) != std::string_view::npos) return true;
    return false;
}

std::string without_positional_console_ports(std::string text) {
    static constexpr std::string_view kTarget = "<target ";
    static constexpr std::string_view kPort = " port='";
    for (std::size_t at = text.find(kTarget); at != std::string::npos; at = text.find(kTarget, at + 1)) {
        const std::size_t end = text.find('>', at);
        if (end == std::string::npos) break;
        const std::string_view target(text.data() + at, end - at);
        const std::size_t port = target.find(kPort);
        if (!is_positional_console_target(target) || port == std::string_view::npos) continue;
        const std::size_t digits = at + port + kPort.size();
        const std::size_t digits_end = text.find('\'', digits);
        if (digits_end != std::string::npos && digits_end < end) text.erase(digits, digits_end - digits);
    }
    return text;
}

// libvirt gives no zPCI ids to the PCI controllers it adds to an s390x
// guest, and gives them ids when its own output is defined again; guestaddr
// does the same. Those ids are left out of the idempotence comparison: the
// address of every PCI controller is written without its <zpci>.
std::string without_pci_controller_zpci(std::string text) {
    static constexpr std::string_view kController = "<controller type='pci'";
    static constexpr std::string_view kAddressEnd = "</address>";
    for (std::size_t at = text.find(kController); at != std::string::npos; at = text.find(kController, at + 1)) {
        const std::size_t start_end = text.find('>', at);
        if (start_end == std::string::npos || text[start_end - 1] == '/') continue;
        const std::size_t end = text.find("</controller>", at);
        const std::size_t zpci = text.find("<zpci ", at);
        if (end == std::string::npos || zpci == std::string::npos || zpci > end) continue;
        const std::size_t address_start_end = text.rfind('>', zpci);
        const std::size_t address_end = text.find(kAddressEnd, zpci);
        if (address_end == std::string::npos || address_end > end) continue;
        text.replace(address_start_end, address_end + kAddressEnd.size() - address_start_end, "/>");
    }
    return text;
}

std::string comparable(std::string text) { return without_pci_controller_zpci(without_positional_console_ports(std::move(text))); }

void check_round_trip(const std::string& printed) {
    auto reparsed = guestaddr::parse(printed);
    if (!reparsed) broken("assign printed a definition it cannot parse", first_error(reparsed.errors()) + "\n" + printed);
    auto again = guestaddr::assign(std::move(*reparsed));
    if (again && comparable(guestaddr::format(*again)) != comparable(printed))
        broken("assign is not idempotent", printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = guestaddr::parse(text);
    if (!parsed) return 0;
    (void)guestaddr::validate(*parsed);
    auto assigned = guestaddr::assign(std::move(*parsed));
    if (!assigned) return 0;
    check_round_trip(guestaddr::format(*assigned));
    return 0;
}
