// A program using guestaddr as an installed library: public headers only
// (<guestaddr/...>), linked against libguestaddr.so. It reads a definition,
// assigns it and lists its devices, one a line, tab-separated:
//   index  kind  name  mac  disk-target  alias  address  implicit|written
#include <fstream>
#include <iostream>
#include <sstream>

#include <guestaddr/devices.hpp>
#include <guestaddr/guestaddr.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: list_devices DOMAIN.xml\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        std::cerr << "cannot read " << argv[1] << '\n';
        return 2;
    }
    auto parsed = guestaddr::parse(text.str());
    if (!parsed) {
        for (const guestaddr::Error& e : parsed.errors()) std::cerr << e.to_string() << '\n';
        return 1;
    }
    auto assigned = guestaddr::assign(std::move(*parsed));
    if (!assigned) {
        for (const guestaddr::Error& e : assigned.errors()) std::cerr << e.to_string() << '\n';
        return 1;
    }
    for (const guestaddr::DeviceInfo& d : guestaddr::devices(*assigned))
        std::cout << d.index << '\t' << d.kind << '\t' << d.name << '\t' << d.mac << '\t' << d.disk_target << '\t'
                  << d.alias << '\t' << guestaddr::address_to_string(d.address) << '\t'
                  << (d.implicit ? "implicit" : "written") << '\n';
    return 0;
}
