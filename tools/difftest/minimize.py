#!/usr/bin/env python3
"""Delta-minimise an input on which libvirt and guestaddr disagree.

usage: minimize.py IN.xml OUT [--key KEY]

Repeatedly drops devices, device <address>es, device sub-elements (other than
address, mac, target, source) and the top-level cpu, maxMemory, features, uuid
and vcpu elements, keeping each removal while the same disagreement persists:
  mismatch               a mismatch with key KEY ('device-kind/what[/property]',
                         e.g. 'controller/address'; default: the first one)
  lv-refuses-ga-accepts,
  ga-refuses-lv-accepts  the same refusing message (last line, quoted text and
                         numbers blanked)
OUT is a directory, or a bare name for $DIFFTEST_DIR/cases/OUT. It receives
input.xml, libvirt's expected.xml or expected-error.txt, guestaddr's
guestaddr.xml or guestaddr-error.txt, and for a mismatch addrdiff.txt.
The last line printed is the verdict and signature of the minimised input.
"""
import argparse
import copy
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
from common import ADDRDIFF, WORK, case_dir, check_tools
from run import compare, signature


def mkey(m):
    k = re.sub(r'[\[#].*', '', m['device']) + '/' + m['what']
    if m.get('property'): k += '/' + m['property']
    return k


def norm(msg):
    msg = msg.splitlines()[-1] if msg else ''
    msg = re.sub(r"'[^']*'", "'X'", msg); return re.sub(r'\d+', 'N', msg)


def evaluate(text, wd):
    p = os.path.join(wd, 'input.xml')
    with open(p, 'w') as f: f.write(text)
    return compare(p, wd)


def make_pred(v0, d0, key):
    def pred(v, d):
        if v != v0: return False
        if v == 'mismatch': return any(mkey(m) == key for m in d['mismatches'])
        if v == 'lv-refuses-ga-accepts': return norm(d['lerr']) == norm(d0['lerr'])
        if v == 'ga-refuses-lv-accepts': return norm(d['gerr']) == norm(d0['gerr'])
        return True
    return pred


def candidates(root):
    """yield the removals to try: ('dev'|'addr'|'sub', device index) or ('top', tag)"""
    devs = root.find('devices')
    n = len(list(devs)) if devs is not None else 0
    for i in range(n - 1, -1, -1):
        yield ('dev', i)
    for i in range(n):
        yield ('addr', i)
    for i in range(n):
        yield ('sub', i)
    for ch in list(root):
        if ch.tag in ('cpu', 'maxMemory', 'features', 'uuid', 'vcpu'): yield ('top', ch.tag)


def apply(root, c):
    """the list of new roots that removal C gives (one per sub-element for 'sub'), or None"""
    r = copy.deepcopy(root); devs = r.find('devices')
    kind, x = c
    if kind == 'dev':
        ch = list(devs)
        if x >= len(ch): return None
        devs.remove(ch[x]); return [r]
    if kind == 'addr':
        ch = list(devs)
        if x >= len(ch): return None
        a = ch[x].find('address')
        if a is None: return None
        ch[x].remove(a); return [r]
    if kind == 'sub':
        ch = list(devs)
        if x >= len(ch): return None
        outs = []
        for j, sub in enumerate(list(ch[x])):
            if sub.tag in ('address', 'mac', 'target', 'source'): continue
            r2 = copy.deepcopy(root); d2 = list(r2.find('devices'))[x]
            d2.remove(list(d2)[j]); outs.append(r2)
        return outs or None
    if kind == 'top':
        e = r.find(x)
        if e is None: return None
        r.remove(e); return [r]


def tostr(root):
    ET.indent(root); return ET.tostring(root, encoding='unicode') + '\n'


def main():
    ap = argparse.ArgumentParser(description='Delta-minimise a disagreement between libvirt and guestaddr.')
    ap.add_argument('input', metavar='IN.xml')
    ap.add_argument('out', metavar='OUT', help='output directory, or a bare name for $DIFFTEST_DIR/cases/OUT')
    ap.add_argument('--key', help="mismatch to keep, 'device-kind/what[/property]' (default: the first)")
    args = ap.parse_args()
    check_tools()
    outdir = case_dir(args.out)
    key = args.key
    os.makedirs(WORK, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='minimize-', dir=WORK) as wd:
        root = ET.parse(args.input).getroot()
        v0, d0 = evaluate(tostr(root), wd)
        if v0 == 'mismatch' and key is None: key = mkey(d0['mismatches'][0])
        print('verdict', v0, 'key', key, file=sys.stderr)
        pred = make_pred(v0, d0, key)
        changed = True
        tries = 0
        while changed:
            changed = False
            for c in list(candidates(root)):
                news = apply(root, c)
                if not news: continue
                for nr in news:
                    tries += 1
                    v, d = evaluate(tostr(nr), wd)
                    if pred(v, d):
                        root = nr; changed = True
                        break
        print('tries', tries, 'devices left', len(list(root.find('devices'))), file=sys.stderr)
        os.makedirs(outdir, exist_ok=True)
        p = os.path.join(outdir, 'input.xml')
        with open(p, 'w') as f: f.write(tostr(root))
        v, d = compare(p, wd)
    if v == 'oracle-error':
        sys.exit('minimize: libvirt-assign failed: ' + d['lerr'].strip())
    for f in ('expected.xml', 'expected-error.txt', 'guestaddr.xml', 'guestaddr-error.txt', 'addrdiff.txt'):
        if os.path.exists(os.path.join(outdir, f)): os.remove(os.path.join(outdir, f))

    def write(name, text):
        with open(os.path.join(outdir, name), 'w') as f: f.write(text)

    if d['lrc'] == 0: write('expected.xml', d['lout'])
    else: write('expected-error.txt', d['lerr'] + '\n')
    if d['grc'] == 0: write('guestaddr.xml', d['gout'])
    else: write('guestaddr-error.txt', d['gerr'] + '\n')
    if v == 'mismatch':
        r = subprocess.run([sys.executable, ADDRDIFF, '-v', os.path.join(outdir, 'expected.xml'),
                            os.path.join(outdir, 'guestaddr.xml')], capture_output=True, text=True)
        write('addrdiff.txt', r.stdout + r.stderr)
    print('case in', outdir, file=sys.stderr)
    print(v, signature(v, d))


if __name__ == '__main__':
    main()
