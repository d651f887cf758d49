#!/usr/bin/env bash
# bench/tree_vs_assign.sh BUILD_DIR [DEVICES] [RUNS]
#
# Whole-process wall times of `guestaddr tree` (text) against `guestaddr
# assign` on the same generated guest (bench/guest_generator.hpp), on pc and
# q35, run alternately so that both meet the same machine; prints the medians
# and their ratio. BUILD_DIR needs -DGUESTADDR_BUILD_BENCHMARKS=ON.
set -euo pipefail
build="$(cd "${1:?usage: bench/tree_vs_assign.sh BUILD_DIR [DEVICES] [RUNS]}" && pwd)"
devices="${2:-10000}"
runs="${3:-21}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now_us() { local t="${EPOCHREALTIME/./}"; echo "${t#0}"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1e3}'; }
for machine in pc q35; do
    xml="$work/$machine.xml"
    "$build/bench/guestaddr-make-guest" "$devices" "$machine" > "$xml"
    assign_times=() tree_times=()
    for _ in $(seq "$runs"); do
        t0=$(now_us); "$build/guestaddr" assign "$xml" > /dev/null; assign_times+=($(( $(now_us) - t0 )))
        t0=$(now_us); "$build/guestaddr" tree "$xml" > /dev/null; tree_times+=($(( $(now_us) - t0 )))
    done
    a=$(median "${assign_times[@]}") t=$(median "${tree_times[@]}")
    echo "$machine $devices devices: assign $a ms, tree $t ms, tree/assign $(awk -v t="$t" -v a="$a" 'BEGIN {printf "%.2f", t / a}')"
done
