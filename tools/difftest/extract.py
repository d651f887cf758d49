#!/usr/bin/env python3
"""Build pool.json, the device snippets gen.py draws from.

usage: extract.py [OUT.json]     (default: $DIFFTEST_DIR/pool.json)

Takes every device of every x86_64 example input (SHARED_DIR/conformance/
generated-x86 and real, and the repository's tests/conformance/cases), keyed
by kind: 'disk:BUS:DEVICE', 'interface:MODEL', 'controller:TYPE:MODEL', else
the element name. Prints the number of inputs and of snippets per key.
gen.py and run.py call build() themselves when pool.json is missing.
"""
import collections
import copy
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
from common import POOL, REPO, SHARED


def inputs():
    pats = [os.path.join(SHARED, 'conformance', 'generated-x86', '*', 'input.xml'),
            os.path.join(SHARED, 'conformance', 'real', '*', 'input.xml'),
            os.path.join(REPO, 'tests', 'conformance', 'cases', '*', 'input.xml')]
    return [p for pat in pats for p in sorted(glob.glob(pat))]


def build(out=POOL, verbose=False):
    """Write the pool to OUT and return it as {key: [snippet, ...]}."""
    pool = collections.defaultdict(set)
    n = 0
    for p in inputs():
        try:
            r = ET.parse(p).getroot()
        except (ET.ParseError, OSError):
            continue
        t = r.find('os/type')
        if t is None or t.get('arch', 'x86_64') != 'x86_64':
            continue
        n += 1
        devs = r.find('devices')
        if devs is None:
            continue
        for d in devs:
            if d.tag == 'emulator':
                continue
            d = copy.deepcopy(d)
            d.tail = None
            ET.indent(d)
            key = d.tag
            if d.tag == 'controller':
                key += ':' + d.get('type', '') + ':' + (d.get('model') or '')
            elif d.tag == 'disk':
                tg = d.find('target')
                key += ':' + (tg.get('bus') if tg is not None and tg.get('bus') else '?') + ':' + d.get('device', 'disk')
            elif d.tag == 'interface':
                mo = d.find('model')
                key += ':' + (mo.get('type') if mo is not None else '')
            pool[key].add(ET.tostring(d, encoding='unicode'))
    if n == 0:
        sys.exit('extract: no x86_64 input.xml found under %s/conformance or %s/tests/conformance/cases'
                 % (SHARED, REPO))
    result = {k: sorted(v) for k, v in sorted(pool.items())}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = '%s.%d.tmp' % (out, os.getpid())
    with open(tmp, 'w') as f:
        json.dump(result, f, indent=0)
    os.replace(tmp, out)
    if verbose:
        print(n, 'files')
        for k in result:
            print(k, len(result[k]))
    return result


def load():
    """The pool from $DIFFTEST_DIR/pool.json, built first if missing."""
    if not os.path.exists(POOL):
        print('extract: building', POOL, file=sys.stderr)
        return build()
    with open(POOL) as f:
        return json.load(f)


if __name__ == '__main__':
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith('-')):
        sys.exit(__doc__.strip())
    build(sys.argv[1] if len(sys.argv) == 2 else POOL, verbose=True)
