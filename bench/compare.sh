#!/usr/bin/env bash
# bench/compare.sh BUILD_DIR [DEVICES...]
#
# Times the same guests, as whole processes, through
#   libvirt    virsh define + virsh dumpxml --inactive (then undefine, untimed)
#   guestaddr  guestaddr assign
#   floor      guestaddr-xml-floor: pugixml parse + serialise of guestaddr's
#              output (the larger document) and nothing else
# and prints the ratios, whether guestaddr's addresses equal libvirt's, and
# the growth exponent of guestaddr from the smallest size ≥ 1,000 to the
# largest. BUILD_DIR needs -DGUESTADDR_BUILD_BENCHMARKS=ON; libvirt must run
# (../shared/tools/setup-libvirt-oracle). Sizes default to
# 10 100 300 1000 10000 30000, on pc and q35. Each figure is the median of
# several runs. LIBVIRT_MAX (default 10000) skips libvirt above that size
# (libvirt 9.0's dumpxml of a 30,000-device guest fails: "Unable to encode
# message payload", its RPC size limit); where libvirt fails the row says so;
# MACHINES (default "pc q35") picks the machines, SHAPES (default
# "channels controllers", see bench/guest_generator.hpp) the guests' shapes,
# RUNS the runs of each figure (default: 15 up to 1,000 devices, 11 up to
# 10,000, 5 above). LIBVIRT_MAX=0 leaves libvirt out (it need not run then).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:?usage: bench/compare.sh BUILD_DIR [DEVICES...]}" && pwd)"
shift
sizes=("${@:-}")
[ -n "${sizes[0]}" ] || sizes=(10 100 300 1000 10000 30000)
machines=(${MACHINES:-pc q35})
shapes=(${SHAPES:-channels controllers})
libvirt_max="${LIBVIRT_MAX:-10000}"
uri="${LIBVIRT_URI:-qemu:///system}"
addrdiff="${ADDRDIFF:-$here/../../shared/tools/addrdiff.py}"
guestaddr="$build/guestaddr"
make_guest="$build/bench/guestaddr-make-guest"
floor="$build/bench/guestaddr-xml-floor"
for tool in "$guestaddr" "$make_guest" "$floor"; do
    [ -x "$tool" ] || { echo "compare.sh: $tool missing (configure with -DGUESTADDR_BUILD_BENCHMARKS=ON)" >&2; exit 2; }
done
if [ "$libvirt_max" -gt 0 ]; then
    virsh -c "$uri" version > /dev/null 2>&1 || { echo "compare.sh: libvirt does not answer at $uri" >&2; exit 2; }
fi

work="$(mktemp -d)"
domains=()
cleanup() {
    for d in "${domains[@]}"; do virsh -c "$uri" undefine "$d" > /dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Microseconds from bash itself: no process started to read the clock.
now_us() { local t="${EPOCHREALTIME/./}"; echo "${t#0}"; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1e3}'; }

# time_pair RUNS XML OUT: the median wall times, in ms, of guestaddr assign
# of XML (in $ga) and of the floor on OUT, guestaddr's output (in $fl).
# The two run alternately, so that both
# meet the same machine: on a shared VM, a quiet moment for one and a busy one
# for the other would make their ratio a measure of the neighbours.
time_pair() {
    local runs="$1" xml="$2" out="$3"
    local ga_times=() fl_times=() t0
    for _ in $(seq "$runs"); do
        t0=$EPOCHREALTIME
        "$guestaddr" assign "$xml" > /dev/null
        ga_times+=($(( $(now_us) - ${t0/./} )))
        t0=$EPOCHREALTIME
        "$floor" "$out" > /dev/null
        fl_times+=($(( $(now_us) - ${t0/./} )))
    done
    ga=$(median "${ga_times[@]}")
    fl=$(median "${fl_times[@]}")
}

runs_for() { if [ -n "${RUNS:-}" ]; then echo "$RUNS"; elif [ "$1" -le 1000 ]; then echo 15; elif [ "$1" -le 10000 ]; then echo 11; else echo 5; fi; }

# One libvirt round: define under a fresh name, dump; the undefine is not timed.
libvirt_define_dump() {
    local name="compare-$$-$RANDOM$RANDOM"
    sed "s|<name>[^<]*</name>|<name>$name</name>|" "$1" > "$work/libvirt-in.xml"
    domains+=("$name")
    local t0=$EPOCHREALTIME ok=1
    virsh -c "$uri" define "$work/libvirt-in.xml" > /dev/null 2>&1 &&
        virsh -c "$uri" dumpxml --inactive "$name" > "$work/libvirt-out.xml" 2> /dev/null || ok=0
    libvirt_us=$(( $(now_us) - ${t0/./} ))
    virsh -c "$uri" undefine "$name" > /dev/null 2>&1 || true
    [ "$ok" = 1 ]
}

libvirt_ms() {
    local runs="$1" xml="$2"
    local times=()
    for _ in $(seq "$runs"); do
        libvirt_define_dump "$xml" || { echo failed; return; }
        times+=("$libvirt_us")
    done
    median "${times[@]}"
}

same_addresses() {
    if [ -x "$addrdiff" ] && "$addrdiff" "$work/libvirt-out.xml" "$work/guestaddr-out.xml" > /dev/null 2>&1; then
        echo yes
    else
        echo no
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

printf '%-11s %-4s %7s %12s %12s %10s %10s %9s %6s\n' shape machine devices libvirt_ms guestaddr_ms floor_ms libvirt/ga ga/floor same
for shape in "${shapes[@]}"; do
for machine in "${machines[@]}"; do
    first_n=""; first_t=""; last_n=""; last_t=""
    for n in "${sizes[@]}"; do
        xml="$work/$shape-$machine-$n.xml"
        "$make_guest" "$n" "$machine" "$shape" > "$xml"
        runs=$(runs_for "$n")
        "$guestaddr" assign "$xml" > "$work/guestaddr-out.xml"
        time_pair "$runs" "$xml" "$work/guestaddr-out.xml"
        lv="-"; same="-"
        if [ "$n" -le "$libvirt_max" ]; then
            lv=$(libvirt_ms "$(( runs < 5 ? runs : 5 ))" "$xml")
            same=-
            [ "$lv" = failed ] || same=$(same_addresses)
        fi
        printf '%-11s %-7s %7s %12s %12s %10s %10s %9s %6s\n' "$shape" "$machine" "$n" "$lv" "$ga" "$fl" \
            "$(case "$lv" in -|failed) echo - ;; *) ratio "$lv" "$ga" ;; esac)" "$(ratio "$ga" "$fl")" "$same"
        if [ "$n" -ge 1000 ] && [ -z "$first_n" ]; then first_n=$n; first_t=$ga; fi
        last_n=$n; last_t=$ga
    done
    if [ -n "$first_n" ] && [ "$last_n" != "$first_n" ]; then
        awk -v n1="$first_n" -v t1="$first_t" -v n2="$last_n" -v t2="$last_t" -v m="$shape $machine" \
            'BEGIN { printf "%s: guestaddr grows as n^%.2f from %d to %d devices\n", m, log(t2 / t1) / log(n2 / n1), n1, n2 }'
    fi
done
done
