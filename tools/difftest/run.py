#!/usr/bin/env python3
"""Run generated guests through libvirt and guestaddr, classify each one.

usage: run.py START COUNT [JOBS]     (JOBS parallel guests, default 3)

For every seed in START..START+COUNT-1: gen.py's guest is written to
$DIFFTEST_DIR/run/SEED/input.xml, given to libvirt-assign and to
`guestaddr assign`, and classified as
  agree, both-refuse, lv-refuses-ga-accepts, ga-refuses-lv-accepts,
  mismatch (both accept; addrdiff.py reports differences, virtio console
  port renumbering ignored), oracle-error (libvirt-assign exit 2) or
  addrdiff-error.
One JSON line per seed goes to $DIFFTEST_DIR/results-START-COUNT.jsonl
(seed, verdict, sig, lerr, gerr, mismatches); every verdict other than agree
and both-refuse is also printed as 'SEED SIGNATURE'. minimize.py imports
compare() and signature() from here.
"""
import argparse
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
from common import ADDRDIFF, GUESTADDR, LIBVIRT_ASSIGN, WORK, check_tools
import gen


def run(cmd, timeout=120):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired:
        return -9, '', 'TIMEOUT'


def filter_mm(mms):
    out = []
    for m in mms:
        dev = m.get('device', '')
        # ignore virtio console port renumbering
        if dev.startswith('console') and m.get('what') == 'address' and 'virtio-serial' in str(m.get('expected', '')) + str(m.get('actual', '')):
            continue
        out.append(m)
    return out


def compare(inp, workdir):
    """Run both tools on INP (scratch files in WORKDIR); returns (verdict, details dict)."""
    lrc, lout, lerr = run([LIBVIRT_ASSIGN, inp])
    grc, gout, gerr = run([GUESTADDR, 'assign', inp])
    if lrc == 2:
        return 'oracle-error', {'lerr': lerr}
    d = {'lrc': lrc, 'grc': grc, 'lerr': lerr.strip(), 'gerr': gerr.strip(), 'lout': lout, 'gout': gout}
    if lrc != 0 and grc != 0: return 'both-refuse', d
    if lrc != 0: return 'lv-refuses-ga-accepts', d
    if grc != 0: return 'ga-refuses-lv-accepts', d
    e = os.path.join(workdir, 'e.xml'); a = os.path.join(workdir, 'a.xml')
    with open(e, 'w') as f: f.write(lout)
    with open(a, 'w') as f: f.write(gout)
    rc, out, err = run([sys.executable, ADDRDIFF, '--json', e, a])
    try:
        j = json.loads(out)
    except ValueError:
        return 'addrdiff-error', dict(d, adout=out + err)
    mms = filter_mm(j.get('mismatches', []))
    d['mismatches'] = mms
    if mms: return 'mismatch', d
    return 'agree', d


def signature(verdict, d):
    if verdict == 'lv-refuses-ga-accepts':
        msg = re.sub(r"'[^']*'", "'X'", d['lerr']); msg = re.sub(r'\d+', 'N', msg)
        return verdict + ': ' + msg[:160]
    if verdict == 'ga-refuses-lv-accepts':
        msg = re.sub(r"'[^']*'", "'X'", d['gerr']); msg = re.sub(r'\d+', 'N', msg)
        return verdict + ': ' + msg[:160]
    if verdict == 'mismatch':
        ks = sorted({(re.sub(r'[\[#].*', '', m['device']), m['what']) for m in d['mismatches']})
        return verdict + ': ' + ' '.join('%s/%s' % k for k in ks)
    return verdict


def one(seed):
    wd = os.path.join(WORK, 'run', str(seed))
    os.makedirs(wd, exist_ok=True)
    inp = os.path.join(wd, 'input.xml')
    with open(inp, 'w') as f: f.write(gen.generate(seed))
    v, d = compare(inp, wd)
    return seed, v, signature(v, d), d


def main():
    ap = argparse.ArgumentParser(description='Run COUNT generated guests from seed START through libvirt and guestaddr.')
    ap.add_argument('start', type=int, metavar='START')
    ap.add_argument('count', type=int, metavar='COUNT')
    ap.add_argument('jobs', type=int, metavar='JOBS', nargs='?', default=3, help='guests in parallel (default 3)')
    args = ap.parse_args()
    check_tools()
    gen.pool()  # build pool.json once, before the threads start
    path = os.path.join(WORK, 'results-%d-%d.jsonl' % (args.start, args.count))
    with open(path, 'w') as res, cf.ThreadPoolExecutor(args.jobs) as ex:
        for seed, v, sig, d in ex.map(one, range(args.start, args.start + args.count)):
            rec = {'seed': seed, 'verdict': v, 'sig': sig, 'lerr': d.get('lerr', ''), 'gerr': d.get('gerr', ''),
                   'mismatches': d.get('mismatches', [])}
            res.write(json.dumps(rec) + '\n'); res.flush()
            if v not in ('agree', 'both-refuse'):
                print(seed, sig, flush=True)
    print('results in', path, file=sys.stderr)


if __name__ == '__main__':
    main()
