// guestaddr-make-guest N pc|q35: print the benchmark guest of N devices, so
// that bench/compare.sh feeds libvirt and guestaddr the very same text.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "guest_generator.hpp"

int main(int argc, char** argv) {
    guestaddr::bench::Machine machine;
    if (argc != 3 || !guestaddr::bench::machine_from_name(argv[2], machine)) {
        std::fprintf(stderr, "usage: guestaddr-make-guest DEVICES pc|q35\n");
        return 2;
    }
    const std::string xml = guestaddr::bench::make_guest(std::strtoul(argv[1], nullptr, 10), machine);
    std::fwrite(xml.data(), 1, xml.size(), stdout);
    return 0;
}
