#!/usr/bin/env bash
# Times the explore commands of README "Scale" on a database, each RUNS times (default 3),
# after reading the file once so that the page cache is warm. With BASE=other-binary, each
# run of paperkg is followed by one of BASE, and both outputs are compared.
#
#   bench/explore.sh D/kg.sqlite                 # target/release/paperkg
#   PAPERKG=path/to/paperkg RUNS=5 bench/explore.sh D/kg.sqlite
#   BASE=/tmp/paperkg-before bench/explore.sh D/kg.sqlite
#
# The commands name entities of the bundled lexicon, which a generated corpus
# (`paperkg synth`) names too: build D with `paperkg build --no-fts -o D F`.
set -euo pipefail

db=${1:?usage: bench/explore.sh DATABASE}
here=$(cd "$(dirname "$0")/.." && pwd)
paperkg=${PAPERKG:-$here/target/release/paperkg}
runs=${RUNS:-3}
base=${BASE:-}
[ -x "$paperkg" ] || { echo "no paperkg at $paperkg: run cargo build --release" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
cat "$db" > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

commands=(
  "show LoRA"
  "papers LoRA"
  "explain LoRA LLaMA"
  "neighbors LoRA"
  "path LoRA MMLU"
  "path C-Eval ResNet-50"
  "top --by pagerank"
  "top --by degree"
  "top --type dataset"
  "related LoRA"
  "related MMLU"
  "neighbors MMLU --depth 2"
  "neighbors MMLU --depth 2 --limit 5000"
  "neighbors BERT --depth 2 --rel co_mentioned --limit 3000"
  "neighbors GPT-4 --depth 2 --type model --limit 2000"
  "neighbors LoRA --depth 3"
  "neighbors RLHF --depth 3"
  "neighbors ResNet-50 --depth 4"
  "neighbors GPT-4 --depth 2 --type dataset"
  "neighbors LLaMA --depth 3 --rel based_on"
  "neighbors LoRA --depth 2 --type dataset --limit 1000000"
  "neighbors GPT-4 --depth 3 --limit 20000"
)

# Prints the wall time of one run of binary $1 with the words of command $2 to stdout
# ("failed" when it fails, its messages to stderr), the command's output to file $3.
timed() {
  # shellcheck disable=SC2086  # the command's words are meant to split
  if /usr/bin/time -q -o "$work/t" -f "%e" "$1" $2 --db "$db" > "$3" 2> "$work/err"; then
    cat "$work/t"
  else
    echo "failed"
    cat "$work/err" >&2
  fi
}

for cmd in "${commands[@]}"; do
  line="$cmd:"
  before=""
  for _ in $(seq "$runs"); do
    line="$line $(timed "$paperkg" "$cmd" "$work/out")"
    if [ -n "$base" ]; then
      before="$before $(timed "$base" "$cmd" "$work/base")"
      cmp -s "$work/out" "$work/base" || line="$line (output differs from BASE)"
    fi
  done
  [ -n "$base" ] && line="$line  (BASE:$before)"
  echo "$line"
done
