#!/bin/sh
# record.sh CASE_DIR...: store libvirt 9.0's guest-ABI verdict on each case
# (old.xml, new.xml) as CASE_DIR/verdict.txt: "compatible", or "incompatible"
# followed by libvirt's message (it names the first difference only). Needs
# the libvirt oracle (../shared/tools/setup-libvirt-oracle); the tests need
# only the files.
here=$(cd "$(dirname "$0")" && pwd -P)
check=${LIBVIRT_ABI_CHECK:-$here/../../../shared/tools/libvirt-abi-check}
for d in "$@"; do
    out=$("$check" "$d/old.xml" "$d/new.xml" 2>&1); rc=$?
    case $rc in
        0) echo compatible > "$d/verdict.txt" ;;
        3) printf 'incompatible\n%s\n' "$out" > "$d/verdict.txt" ;;
        *) echo "record.sh: $d: libvirt could not check it (exit $rc): $out" >&2; continue ;;
    esac
    echo "$(basename "$d"): $(head -n1 "$d/verdict.txt")"
done
