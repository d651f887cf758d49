"""Paths shared by the difftest scripts (imported, not run).

REPO is two levels above this folder. Environment overrides:
  SHARED_DIR    the shared folder (default REPO/../shared): tools/libvirt-assign,
                tools/addrdiff.py, conformance/
  GUESTADDR     the binary under test (default REPO/build/guestaddr)
  DIFFTEST_DIR  work directory for pool.json, results, cases and scratch files
                (default /tmp/guestaddr-difftest); never inside the repository
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.abspath(os.environ.get('SHARED_DIR') or os.path.join(REPO, '..', 'shared'))
GUESTADDR = os.environ.get('GUESTADDR') or os.path.join(REPO, 'build', 'guestaddr')
WORK = os.path.abspath(os.environ.get('DIFFTEST_DIR') or '/tmp/guestaddr-difftest')
LIBVIRT_ASSIGN = os.path.join(SHARED, 'tools', 'libvirt-assign')
ADDRDIFF = os.path.join(SHARED, 'tools', 'addrdiff.py')
POOL = os.path.join(WORK, 'pool.json')
CASES = os.path.join(WORK, 'cases')


def check_tools():
    """Exit with a message if libvirt-assign, addrdiff.py or guestaddr is missing."""
    for path, what in ((LIBVIRT_ASSIGN, 'libvirt-assign (set SHARED_DIR)'),
                       (ADDRDIFF, 'addrdiff.py (set SHARED_DIR)'),
                       (GUESTADDR, 'guestaddr (build it, or set GUESTADDR)')):
        if not (os.path.exists(path) or shutil.which(path)):
            sys.exit('difftest: %s not found: %s' % (what, path))


def case_dir(out):
    """OUT with a '/' is a directory; a bare name means DIFFTEST_DIR/cases/NAME."""
    return os.path.abspath(out) if os.sep in out else os.path.join(CASES, out)
