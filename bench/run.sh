#!/usr/bin/env bash
# paperkg side by side with the usual Python stack and the raw scanning floor, on one
# generated corpus. See bench/README.md for what each column means.
#
#   bench/run.sh [N]              N generated papers (default 100000), all contenders
#   bench/run.sh --smoke          3,000 papers, seconds: what CI runs
#   bench/run.sh --no-baseline N  skip the Python baseline (e.g. at 1,000,000 papers)
#
# Environment: BENCH_DIR (work folder; default a fresh one under /tmp, removed at the end
# unless KEEP=1), SEED (default 1), SETTLE (seconds to wait at most, before each contender,
# for the cores to be idle: default 120, 0 with --smoke), WARMUP (seconds every core is
# kept busy right before each contender: default 2, 0 with --smoke), RUNS
# (rounds of every contender, each reported by its median run: default 3, 1 with --smoke),
# BASELINE_RUNS (rounds that include the Python baseline: default 1).
# Big files go to BENCH_DIR, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

n=100000
smoke=0
baseline=1
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1; n=3000 ;;
        --no-baseline) baseline=0 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        [0-9]*) n=$1 ;;
        *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
seed=${SEED:-1}
if [ "$smoke" = 1 ]; then settle_max=${SETTLE:-0}; else settle_max=${SETTLE:-120}; fi
if [ "$smoke" = 1 ]; then warmup=${WARMUP:-0}; else warmup=${WARMUP:-2}; fi
if [ "$smoke" = 1 ]; then runs=${RUNS:-1}; else runs=${RUNS:-3}; fi
baseline_runs=${BASELINE_RUNS:-1}

# --- what it needs, installed if missing (Debian packages: ripgrep, time; PyPI: spacy, networkx)
need_apt=()
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "$baseline" = 1 ] && ! python3 -c 'import spacy, networkx' >/dev/null 2>&1; then
    echo "installing: spacy networkx (pip)" >&2
    python3 -m pip install -q spacy networkx
fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$repo/target}/release/paperkg"

work=${BENCH_DIR:-}
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/paperkg-bench.XXXXXX)
    [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
corpus="$work/synth-$n-seed$seed.jsonl"
if [ ! -s "$corpus" ]; then
    "$bin" synth --papers "$n" --seed "$seed" -o "$corpus"
fi

# The lexicon's names and aliases, one a line, for rg's fixed-string scan.
names="$work/names.txt"
awk -F'\t' '!/^#/ && NF >= 2 && $1 != "" {
    print $1; n = split($3, a, "|"); for (i = 1; i <= n; i++) if (a[i] != "") print a[i]
}' "$repo/data/lexicon.tsv" | sort -u > "$names"

results="$work/results.tsv"
: > "$results"
# busy: the share of CPU time (all cores, percent) that was not idle over the next second.
busy() {
    local before after
    before=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
    sleep 1
    after=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
    awk -v a="$before" -v b="$after" 'BEGIN { split(a, x, " "); split(b, y, " ");
        used = y[1] - x[1]; idle = y[2] - x[2];
        printf "%d", (used + idle > 0) ? 100 * used / (used + idle) : 0 }'
}
# settle: waits (at most settle_max seconds) until the cores are idle (under 10% busy over a
# second), so that a contender does not share them with other work or the tail of the one
# before it; then keeps every core busy for WARMUP seconds, so that each contender starts
# on cores that were just working (on this virtual machine a 4-second run takes about 5%
# longer after a minute of idling). Sets `was_busy` to the last sample.
settle() {
    local waited=0
    was_busy=$(busy)
    while [ "$waited" -lt "$settle_max" ] && [ "$was_busy" -ge 10 ]; do
        was_busy=$(busy)
        waited=$((waited + 1))
    done
    if [ "$warmup" -gt 0 ]; then
        for _ in $(seq "$(nproc)"); do
            timeout "$warmup" sh -c 'while :; do :; done' &
        done
        wait
    fi
}

# steal: CPU time the hypervisor gave to other guests so far, in clock ticks (all CPUs).
steal() {
    awk '/^cpu / { print $9 + 0 }' /proc/stat 2>/dev/null || echo 0
}
ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)

# measure LABEL CMD...: wall time, peak RSS, CPU time and stolen time of one run.
measure() {
    local label=$1
    shift
    settle
    local stolen
    echo "running: $label, round $round of $runs ($was_busy% busy before)" >&2
    stolen=$(steal)
    /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/$label.stdout" 2> "$work/$label.stderr" || {
        echo "bench/run.sh: $label failed:" >&2
        tail -5 "$work/$label.stderr" >&2
        exit 1
    }
    stolen=$(( $(steal) - stolen ))
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$rss" "$cpu" "$was_busy" \
        "$(awk -v t="$stolen" -v hz="$ticks" 'BEGIN { printf "%.2f", t / hz }')" >> "$results"
}

# Rounds of every contender, so that a slow spell of the machine (a shared virtual machine)
# falls on all of them; the table reports each one's median run. The baseline, two minutes
# a run at 100k, runs in the first BASELINE_RUNS rounds only.
# The baseline builds no full-text index, so the comparable build skips it (--no-fts);
# the full build, FTS5 index included, is measured beside it.
for round in $(seq 1 "$runs"); do
    measure "paperkg-build" "$bin" build --no-fts --out "$work/paperkg-out" "$corpus"
    measure "paperkg-build-fts" "$bin" build --out "$work/paperkg-out-fts" "$corpus"
    measure "paperkg-extract" "$bin" extract "$corpus"
    # The lexicon's names only (no discovery): the same job as rg's scan, plus JSON parsing,
    # word boundaries, case rules and the JSON output.
    measure "paperkg-lexicon" "$bin" extract --lexicon-only "$corpus"
    if [ "$baseline" = 1 ] && [ "$round" -le "$baseline_runs" ]; then
        measure "python-baseline" python3 "$repo/bench/baseline.py" \
            --lexicon "$repo/data/lexicon.tsv" --out "$work/baseline-out" "$corpus"
    fi
    # rg exits 1 when nothing matches, which is not a failure here.
    measure "rg-floor" sh -c 'rg -c -F -f "$1" "$2"; test $? -le 1' rg-floor "$names" "$corpus"
    # -c counts matching lines, so rg stops reading a line at its first name; extraction
    # finds every occurrence. --count-matches makes rg find every occurrence too.
    measure "rg-every-match" sh -c 'rg --count-matches -F -f "$1" "$2"; test $? -le 1' \
        rg-every-match "$names" "$corpus"
done

python3 - "$results" "$corpus" "$n" <<'EOF'
import os, sys
results, corpus, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mb = os.path.getsize(corpus) / 1e6
runs = {}
for line in open(results):
    label, wall, rss, cpu, was_busy, stolen = line.rstrip("\n").split("\t")
    runs.setdefault(label, []).append(
        (float(wall), int(rss), float(cpu), float(was_busy), float(stolen)))
# Each contender's median run (the lower middle of an even count).
median = {label: sorted(rs)[(len(rs) - 1) // 2] for label, rs in runs.items()}
base = median["python-baseline"][0] if "python-baseline" in median else None
floor = median["rg-floor"][0] if "rg-floor" in median else None
every = median["rg-every-match"][0] if "rg-every-match" in median else None
print(f"\n{n:,} papers, {mb:,.1f} MB ({corpus})\n")
head = f"{'contender':<17} {'runs':>4} {'wall s':>7} {'range s':>12} {'CPU s':>7} " \
       f"{'papers/s':>9} {'MB/s':>7} {'RSS MB':>7} {'x baseline':>10} {'x rg':>6} {'x rg all':>8} " \
       f"{'busy %':>6} {'steal s':>7}"
print(head)
print("-" * len(head))
for label, rs in runs.items():
    wall, _, cpu, _, _ = median[label]
    t = max(wall, 1e-3)
    walls = [r[0] for r in rs]
    spread = f"{min(walls):.2f}-{max(walls):.2f}"
    rss = max(r[1] for r in rs) / 1024
    was_busy = max(r[3] for r in rs)
    stolen = max(r[4] for r in rs)
    vs_base = f"{base / t:.1f}" if base else "-"
    vs_rg = f"{t / floor:.1f}" if floor else "-"
    vs_every = f"{t / every:.1f}" if every else "-"
    print(f"{label:<17} {len(rs):>4} {wall:>7.2f} {spread:>12} {cpu:>7.2f} {n / t:>9,.0f} "
          f"{mb / t:>7.1f} {rss:>7.0f} {vs_base:>10} {vs_rg:>6} {vs_every:>8} "
          f"{was_busy:>6.0f} {stolen:>7.2f}")
print("\nwall s: the median run's wall time; range s: fastest and slowest run; CPU s: user +")
print("system CPU time of the median run; RSS MB: the largest peak resident set of the runs;")
print("x baseline: how many times faster than the Python baseline (medians; higher is better);")
print("x rg: how many times slower than rg's raw scan (medians; lower is better); x rg all: the")
print("same against rg finding every occurrence (--count-matches), not only each line's first;")
print("busy %: the busiest second of the cores measured before a run's warm-up (under 10:")
print("nothing else ran);")
print("steal s: the most CPU time the hypervisor gave to other guests during one run.")
EOF
