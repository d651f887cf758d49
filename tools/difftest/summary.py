#!/usr/bin/env python3
"""Summarise run.py results.

usage: summary.py [RESULTS.jsonl ...]     (default: $DIFFTEST_DIR/results-*.jsonl)

Prints the count of each verdict and the total, then one line per
disagreement signature, most frequent first: how many seeds, up to eight of
them, and the signature.
"""
import collections
import glob
import json
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
from common import WORK


def main():
    if any(a.startswith('-') for a in sys.argv[1:]):
        sys.exit(__doc__.strip())
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(WORK, 'results-*.jsonl')))
    if not files:
        sys.exit('summary: no results-*.jsonl in %s' % WORK)
    v = collections.Counter(); sig = collections.defaultdict(list)
    for f in files:
        with open(f) as fh:
            for line in fh:
                r = json.loads(line); v[r['verdict']] += 1
                if r['verdict'] not in ('agree', 'both-refuse'): sig[r['sig']].append(r['seed'])
    print(dict(v), sum(v.values()))
    for k, s in sorted(sig.items(), key=lambda x: -len(x[1])):
        print(len(s), s[:8], k.replace('\n', ' | ')[:300])


if __name__ == '__main__':
    main()
