#!/usr/bin/env python3
"""Store an input as a conformance case of the repository.

usage: store_case.py NAME IN.xml [--force]

Creates tests/conformance/cases/NAME/ holding input.xml (a copy of IN.xml)
and libvirt's verdict on it: expected.xml when libvirt accepts it,
expected-error.txt (libvirt's last error line, e.g. "error: unsupported
configuration: ...") when it refuses. --force replaces an existing case.
Also prints how guestaddr compares on it (verdict and signature as run.py
gives them); ctest -L conformance then runs the case.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
from common import REPO, WORK, check_tools
from run import compare, signature

CASES = os.path.join(REPO, 'tests', 'conformance', 'cases')
CASE_FILES = ('input.xml', 'expected.xml', 'expected-error.txt')


def main():
    ap = argparse.ArgumentParser(description='Store IN.xml and libvirt\'s verdict as tests/conformance/cases/NAME.')
    ap.add_argument('name', metavar='NAME')
    ap.add_argument('input', metavar='IN.xml')
    ap.add_argument('--force', action='store_true', help='replace an existing case')
    ap.add_argument('--cases', default=CASES, help='the folder of cases (default tests/conformance/cases)')
    args = ap.parse_args()
    if not args.name or '/' in args.name or args.name.startswith('.'):
        sys.exit('store_case: NAME must be a plain folder name')
    check_tools()
    dest = os.path.join(args.cases, args.name)
    if os.path.exists(dest) and not args.force:
        sys.exit('store_case: %s exists (--force replaces it)' % dest)
    os.makedirs(WORK, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='store-', dir=WORK) as wd:
        inp = os.path.join(wd, 'input.xml')
        shutil.copyfile(args.input, inp)
        v, d = compare(inp, wd)
    if v == 'oracle-error' or d['lrc'] not in (0, 3):
        sys.exit('store_case: libvirt-assign failed: ' + d['lerr'].strip())
    os.makedirs(dest, exist_ok=True)
    for f in CASE_FILES:
        if os.path.exists(os.path.join(dest, f)): os.remove(os.path.join(dest, f))
    shutil.copyfile(args.input, os.path.join(dest, 'input.xml'))
    if d['lrc'] == 0:
        with open(os.path.join(dest, 'expected.xml'), 'w') as f: f.write(d['lout'])
    else:
        with open(os.path.join(dest, 'expected-error.txt'), 'w') as f: f.write(d['lerr'].splitlines()[-1] + '\n')
    print('stored', dest, '(' + ', '.join(sorted(os.listdir(dest))) + ')')
    print('guestaddr:', signature(v, d))


if __name__ == '__main__':
    main()
