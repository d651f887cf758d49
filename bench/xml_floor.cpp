// guestaddr-xml-floor FILE: parse the XML with pugixml and serialise it in
// guestaddr's output style, nothing else. As a whole process this is the
// floor any XML-in, XML-out tool built on pugixml can reach, and what
// bench/compare.sh measures guestaddr against.
#include <cstdio>
#include <iostream>

#include <pugixml.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: guestaddr-xml-floor FILE\n");
        return 2;
    }
    pugi::xml_document doc;
    if (!doc.load_file(argv[1], pugi::parse_default)) return 1;
    doc.save(std::cout, "  ", pugi::format_indent | pugi::format_attribute_single_quote | pugi::format_no_declaration);
    return 0;
}
