#!/bin/sh
# save.sh NAME IN.xml: store IN.xml with both tools' results as the work case
# $DIFFTEST_DIR/cases/NAME (replaced if it exists): input.xml, libvirt's
# expected.xml or expected-error.txt, guestaddr's guestaddr.xml or
# guestaddr-error.txt, and addrdiff.txt when both accept. For a case to keep
# in the repository use store_case.py. Paths and overrides: see common.py.
[ $# = 2 ] || { echo "usage: save.sh NAME IN.xml" >&2; exit 2; }
case $1 in ''|*/*|.|..) echo "save.sh: NAME must be a plain name" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
guestaddr=${GUESTADDR:-$repo/build/guestaddr}
work=${DIFFTEST_DIR:-/tmp/guestaddr-difftest}
d=$work/cases/$1; rm -rf "$d"; mkdir -p "$d" || exit 2; cp "$2" "$d/input.xml" || exit 2
"$shared/tools/libvirt-assign" "$d/input.xml" > "$d/expected.xml" 2> "$d/expected-error.txt"; lrc=$?
"$guestaddr" assign "$d/input.xml" > "$d/guestaddr.xml" 2> "$d/guestaddr-error.txt"; grc=$?
if [ $lrc = 0 ]; then rm "$d/expected-error.txt"; else rm "$d/expected.xml"; fi
if [ $grc = 0 ]; then rm "$d/guestaddr-error.txt"; else rm "$d/guestaddr.xml"; fi
[ $lrc = 0 ] && [ $grc = 0 ] && python3 "$shared/tools/addrdiff.py" -v "$d/expected.xml" "$d/guestaddr.xml" > "$d/addrdiff.txt"
ls "$d"; cat "$d/addrdiff.txt" "$d"/*error* 2>/dev/null
