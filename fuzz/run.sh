#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR [assign|attach] [SECONDS]: run a fuzzer for SECONDS
# (60 by default), or, with FUZZ_RUNS set, for that many inputs from the
# random seed FUZZ_SEED (1 by default): the same inputs on every machine, as
# CI needs (a time limit runs a different number of inputs on each). assign
# is seeded with every input.xml of tests/corpora/conformance and the
# regressions, attach with the devices of tests/conformance/attach-cases.
# Exits non-zero on a crash, a sanitizer report, a broken property or a hang;
# the input is left in BUILD_DIR/fuzz-artifacts/ and belongs in
# fuzz/regressions/ once the bug is fixed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "$1" && pwd)"
shift
target=assign
seconds=60
for arg in "$@"; do
    case "$arg" in
        assign|attach) target="$arg" ;;
        *) seconds="$arg" ;;
    esac
done
conformance="${CONFORMANCE_DIR:-$here/../tests/corpora/conformance}"
fuzzer="$build/fuzz/${target}_fuzzer"

seeds="$build/fuzz-seeds-$target"
corpus="$build/fuzz-corpus-$target"
artifacts="$build/fuzz-artifacts"
rm -rf "$seeds"
# A reproducible run starts from the seeds alone, not from what earlier runs kept.
[ -z "${FUZZ_RUNS:-}" ] || rm -rf "$corpus"
mkdir -p "$seeds" "$corpus" "$artifacts"
# One file per case, named after it (libFuzzer wants a flat folder).
if [ "$target" = attach ]; then
    for f in "$here"/../tests/conformance/attach-cases/*/device.xml; do
        cp "$f" "$seeds/$(basename "$(dirname "$f")").xml"
    done
elif [ -d "$conformance" ]; then
    find "$conformance" -name input.xml | while read -r f; do
        name="$(basename "$(dirname "$f")")"
        cp "$f" "$seeds/$name.xml"
    done
fi
[ "$target" = attach ] || cp "$here"/regressions/* "$seeds/"
echo "fuzz/run.sh: $target, $(ls "$seeds" | wc -l) seeds, ${FUZZ_RUNS:-${seconds}s} ${FUZZ_RUNS:+inputs}"

# -max_len: the largest seeds are ~100 kB; longer inputs only slow the run.
# -timeout: one input taking 10 s is a hang. -rss_limit_mb: a blow-up.
if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
else
    limit=(-max_total_time="$seconds")
fi
exec "$fuzzer" "$corpus" "$seeds" \
    "${limit[@]}" \
    -dict="$here/domain.dict" \
    -max_len=131072 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/"
