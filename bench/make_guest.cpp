// guestaddr-make-guest N pc|q35 [channels|controllers]: print the benchmark
// guest of N devices, so that bench/compare.sh feeds libvirt and guestaddr
// the very same text.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "guest_generator.hpp"

int main(int argc, char** argv) {
    using namespace guestaddr::bench;
    Machine machine;
    Shape shape = Shape::Channels;
    if (argc < 3 || argc > 4 || !machine_from_name(argv[2], machine) || (argc == 4 && !shape_from_name(argv[3], shape))) {
        std::fprintf(stderr, "usage: guestaddr-make-guest DEVICES pc|q35 [channels|controllers|implicit-controllers]\n");
        return 2;
    }
    const std::string xml = make_guest(std::strtoul(argv[1], nullptr, 10), machine, shape);
    std::fwrite(xml.data(), 1, xml.size(), stdout);
    return 0;
}
