#!/usr/bin/env bash
# Coverage-guided fuzzing of hwsim's input readers with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh <target|all> <seconds> [libFuzzer flags…]
#
# Targets: network-config, hardware-config, onnx, scalesim-csv, npy (the fuzz- prefix is
# optional), or all (one after the other, <seconds> each). Builds the Fuzz/ package in release
# with -sanitize=fuzzer,address, copies each target's seed corpus (Fuzz/corpus/fuzz-<target>) into a
# working corpus (Fuzz/.build/fuzz-work/<target>, kept between runs; the committed seeds stay
# small), runs the target for <seconds> with -timeout=10 -rss_limit_mb=2048 and its dictionary,
# and prints per target the executions, wall time and executions per second.
#
# Crash, timeout, leak and out-of-memory inputs are written to the run's artifact folder,
# Fuzz/.build/fuzz-artifacts/<UTC time>/<target>/ (printed at the end); the script exits 1 when
# any appeared, 2 on a usage or build error, 0 otherwise.
#
# Environment:
#   FUZZ_NO_BUILD=1    use the binaries already built
#   FUZZ_KEEP_GOING=1  do not stop at the first crash: libFuzzer's fork mode (-fork=1
#                      -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1) collects every
#                      crashing input of the run (for finding bugs; the benchmark runs without it)
#   FUZZ_ARTIFACTS=DIR artifact folder instead of Fuzz/.build/fuzz-artifacts/<UTC time>
#   FUZZ_FRESH=1       start the working corpus again from the seeds
set -euo pipefail

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
which_target=$1
seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz.sh: <seconds> must be a positive whole number, got '$seconds'" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$repo/Fuzz"
all_targets=(network-config hardware-config onnx scalesim-csv npy)

# Per target: the largest input (bytes; the biggest seed fits) and the dictionary.
max_len() {
    case $1 in
        network-config) echo 32768 ;;
        hardware-config) echo 8192 ;;
        onnx) echo 65536 ;;
        scalesim-csv) echo 4096 ;;
        npy) echo 4096 ;;
    esac
}
dict() {
    case $1 in
        network-config | hardware-config) echo "$fuzz/dicts/json.dict" ;;
        onnx) echo "$fuzz/dicts/onnx.dict" ;;
        scalesim-csv) echo "$fuzz/dicts/scalesim.dict" ;;
        npy) echo "$fuzz/dicts/npy.dict" ;;
    esac
}

targets=()
if [[ $which_target == all ]]; then
    targets=("${all_targets[@]}")
else
    name=${which_target#fuzz-}
    for known in "${all_targets[@]}"; do [[ $known == "$name" ]] && targets=("$name"); done
    [[ ${#targets[@]} -eq 1 ]] || { echo "fuzz.sh: unknown target '$which_target'; expected one of: ${all_targets[*]} or all" >&2; exit 2; }
fi

build_flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
if [[ ${FUZZ_NO_BUILD:-0} != 1 ]]; then
    echo "fuzz.sh: swift build --package-path Fuzz ${build_flags[*]}" >&2
    swift build --package-path "$fuzz" "${build_flags[@]}" >&2 || { echo "fuzz.sh: build failed" >&2; exit 2; }
fi
bin=$(swift build --package-path "$fuzz" "${build_flags[@]}" --show-bin-path)

artifacts=${FUZZ_ARTIFACTS:-"$fuzz/.build/fuzz-artifacts/$(date -u +%Y%m%dT%H%M%SZ)"}
mkdir -p "$artifacts"
# Swift's runtime keeps metadata caches for the life of the process; LeakSanitizer would report
# them after every run, so leaks are not findings here (use-after-free, overflows and traps are).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
# A Swift trap goes to libFuzzer's deadly-signal handler, which prints the stack with the target's
# frames and writes the input; Swift's own backtracer, reading the crashed process's memory under
# AddressSanitizer, would report a heap-buffer-overflow of its own instead.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
export HWSIM_CONFIGS=${HWSIM_CONFIGS:-"$repo/configs"}

summary=()
failed=0
for target in "${targets[@]}"; do
    exe="$bin/fuzz-$target"
    [[ -x $exe ]] || { echo "fuzz.sh: $exe was not built" >&2; exit 2; }
    work="$fuzz/.build/fuzz-work/$target"
    [[ ${FUZZ_FRESH:-0} == 1 ]] && rm -rf "$work"
    mkdir -p "$work" "$artifacts/$target"
    cp -n "$fuzz/corpus/fuzz-$target"/* "$work"/ || { echo "fuzz.sh: no seeds in $fuzz/corpus/fuzz-$target" >&2; exit 2; }
    log="$artifacts/$target/fuzz.log"
    flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$target")"
           -dict="$(dict "$target")" -print_final_stats=1 -artifact_prefix="$artifacts/$target/")
    [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    echo "fuzz.sh: fuzz-$target for ${seconds}s: $exe ${flags[*]} $* $work (log: $log)" >&2
    start=$(date +%s.%N)
    status=0
    "$exe" "${flags[@]}" "$@" "$work" > "$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    # Single process: the final stats; fork mode: the last status line's count (#N).
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{ print $2 }' || true)
    [[ -n $runs ]] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    [[ -n $runs ]] || runs=0
    rate=$(awk -v n="$runs" -v t="$wall" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
    found=$(find "$artifacts/$target" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    verdict=ok
    if [[ $found -gt 0 ]]; then
        verdict="$found finding(s)"
        failed=1
    elif [[ $status -ne 0 ]]; then
        verdict="libFuzzer exit status $status (see the log)"
        failed=1
    fi
    line=$(printf '%-16s %12s executions %9ss %8s exec/s  %s' "$target" "$runs" "$wall" "$rate" "$verdict")
    summary+=("$line")
    echo "fuzz.sh: $line" >&2
done

echo "fuzz-target    executions          wall     exec/s  result"
printf '%s\n' "${summary[@]}"
echo "artifacts and logs: $artifacts"
exit $failed
