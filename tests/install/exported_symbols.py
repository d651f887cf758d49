#!/usr/bin/env python3
"""The shared library's ABI is its public headers: every dynamic symbol it
defines is a declaration marked GUESTADDR_API in include/guestaddr/ (or the
type information of a class so marked), and every such declaration is there.
Nothing of src/ (guestaddr::model, ::xml, ...), of pugixml, fmt, nlohmann/json
or of the standard library's templates instantiated inside.

Usage: exported_symbols.py LIBRARY INCLUDE_DIR
"""

import glob
import os
import re
import subprocess
import sys

library, include = sys.argv[1:3]
out = subprocess.run(["nm", "-D", "--defined-only", "-C", library], capture_output=True, text=True, check=True).stdout
symbols = [line.split(" ", 2)[2] for line in out.splitlines() if line.count(" ") >= 2]

declared = set()  # the names GUESTADDR_API declares: functions and classes
for header in glob.glob(os.path.join(include, "*.hpp")):
    if os.path.basename(header) == "export.hpp":  # where the macro is defined
        continue
    text = re.sub(r"//[^\n]*", "", open(header).read())
    for m in re.finditer(r"\bclass\s+GUESTADDR_API\s+(\w+)", text):
        declared.add(("class", m.group(1)))
    for m in re.finditer(r"(?<!class )\bGUESTADDR_API\s+([^;{]*)", text):
        decl = m.group(1)
        fn = re.search(r"(~?\w+|operator=)\s*\(", decl)
        assert fn, f"cannot read the declaration {decl!r} in {header}"
        declared.add(("function", fn.group(1)))

problems = []
found = set()
for s in symbols:
    if s.startswith(("typeinfo for guestaddr::", "typeinfo name for guestaddr::", "vtable for guestaddr::")):
        name = s.rsplit("::", 1)[1]
        kind = ("class", name)
    elif s.startswith("guestaddr::"):
        m = re.match(r"guestaddr::(?:(\w+)::)?(~?\w+|operator=)(?:\[abi:\w+\])?\(", s)
        if not m:
            problems.append(f"not a function of the API: {s}")
            continue
        if m.group(1) and m.group(1)[0].islower():
            problems.append(f"an internal namespace's symbol: {s}")
            continue
        kind = ("function", m.group(2))
    else:
        problems.append(f"outside namespace guestaddr: {s}")
        continue
    if kind not in declared:
        problems.append(f"exported but not marked GUESTADDR_API: {s}")
    found.add(kind)

for kind in sorted(declared - found):
    problems.append(f"marked GUESTADDR_API but not exported: {kind[0]} {kind[1]}")

print(f"{len(symbols)} symbols exported, {len(declared)} declarations marked GUESTADDR_API")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
