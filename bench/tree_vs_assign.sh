#!/usr/bin/env bash
# bench/tree_vs_assign.sh BUILD_DIR [DEVICES] [RUNS]
#
# Whole-process wall times of `guestaddr tree` (text) and `guestaddr
# check-abi` against `guestaddr assign` on the same generated guest
# (bench/guest_generator.hpp), on pc and q35, run in turn so that all meet
# the same machine; prints the medians and their ratios. check-abi compares
# the addressed guest with itself (a migration offering the same definition
# again); it is measured against assign of the guest as generated (no
# address written) and of that same addressed definition. SHAPE (default
# channels) picks the guest's shape. The host's QEMU and libvirtd are not
# looked at (GUESTADDR_HOST=none, the rules given): the figures are
# guestaddr's own. BUILD_DIR needs -DGUESTADDR_BUILD_BENCHMARKS=ON.
set -euo pipefail
build="$(cd "${1:?usage: bench/tree_vs_assign.sh BUILD_DIR [DEVICES] [RUNS]}" && pwd)"
devices="${2:-10000}"
runs="${3:-21}"
shape="${SHAPE:-channels}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GUESTADDR_HOST=none
ga="$build/guestaddr"
rules=(--libvirt 9.0 --qemu 7.2)
now_us() { local t="${EPOCHREALTIME/./}"; echo "${t#0}"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1e3}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
for machine in pc q35; do
    xml="$work/$machine.xml" addressed="$work/$machine-addressed.xml"
    "$build/bench/guestaddr-make-guest" "$devices" "$machine" "$shape" > "$xml"
    "$ga" assign "${rules[@]}" "$xml" > "$addressed"
    assign_times=() tree_times=() abi_times=() readdress_times=()
    for _ in $(seq "$runs"); do
        t0=$(now_us); "$ga" assign "${rules[@]}" "$xml" > /dev/null; assign_times+=($(( $(now_us) - t0 )))
        t0=$(now_us); "$ga" tree "$xml" > /dev/null; tree_times+=($(( $(now_us) - t0 )))
        t0=$(now_us); "$ga" check-abi "$addressed" "$addressed" > /dev/null; abi_times+=($(( $(now_us) - t0 )))
        t0=$(now_us); "$ga" assign "$addressed" > /dev/null; readdress_times+=($(( $(now_us) - t0 )))
    done
    a=$(median "${assign_times[@]}") t=$(median "${tree_times[@]}")
    c=$(median "${abi_times[@]}") r=$(median "${readdress_times[@]}")
    echo "$machine $devices devices ($shape): assign $a ms, tree $t ms, check-abi $c ms, assign of the addressed guest $r ms;" \
        "tree/assign $(ratio "$t" "$a"), check-abi/assign $(ratio "$c" "$a"), check-abi/assign-addressed $(ratio "$c" "$r")"
done
