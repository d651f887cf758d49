#!/bin/sh
# check.sh IN.xml: run libvirt-assign and guestaddr on one input; print both
# exit codes, libvirt's last error line, guestaddr's errors, and when both
# accept, addrdiff.py's verbose comparison. The outputs stay in a folder under
# $DIFFTEST_DIR (paths and overrides: see common.py).
[ $# = 1 ] || { echo "usage: check.sh IN.xml" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
guestaddr=${GUESTADDR:-$repo/build/guestaddr}
work=${DIFFTEST_DIR:-/tmp/guestaddr-difftest}
mkdir -p "$work" || exit 2
f=$1; t=$(mktemp -d "$work/check-XXXXXX")
"$shared/tools/libvirt-assign" "$f" > "$t/e.xml" 2> "$t/e.err"; lrc=$?
"$guestaddr" assign "$f" > "$t/a.xml" 2> "$t/a.err"; grc=$?
echo "libvirt rc=$lrc guestaddr rc=$grc"
[ $lrc != 0 ] && tail -n1 "$t/e.err"
[ $grc != 0 ] && cat "$t/a.err"
[ $lrc = 0 ] && [ $grc = 0 ] && python3 "$shared/tools/addrdiff.py" -v "$t/e.xml" "$t/a.xml"
echo "outputs in $t"
