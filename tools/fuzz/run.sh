#!/usr/bin/env bash
# Fuzz the readers of untrusted input with libFuzzer and AddressSanitizer.
#
#   tools/fuzz/run.sh [ndjson|csv|seizure|all] [RUNS]     (default: all, 1,000,000 runs each)
#
# Each target is built with MekongCore's sources into one module; crashes are written to
# .build-fuzz/<target>/crash-*; each one found must become a regression test in Tests/MekongCoreTests
# beside the reader it broke (none has been found so far).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${1:-all}
runs=${2:-1000000}
[ "$targets" = all ] && targets="ndjson csv seizure"
for target in $targets; do
  case $target in
    ndjson) source=tools/fuzz/NDJSONTarget.swift; seeds=seeds/demo-incidents.ndjson ;;
    csv) source=tools/fuzz/CSVTarget.swift; seeds=seeds/checkpoints.csv ;;
    seizure) source=tools/fuzz/SeizureTarget.swift; seeds= ;;
    *) echo "unknown target $target (ndjson, csv, seizure, all)"; exit 64 ;;
  esac
  out=.build-fuzz/$target
  mkdir -p "$out/corpus"
  # Seed the corpus with real inputs: one record or line per file.
  if [ -n "$seeds" ] && [ -z "$(ls -A "$out/corpus")" ]; then
    split -l 1 -a 4 "$seeds" "$out/corpus/seed-"
  fi
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name MekongCore \
    Sources/MekongCore/*.swift "$source" -o "$out/fuzz"
  echo "== $target: $runs runs"
  (cd "$out" && ./fuzz -runs="$runs" -max_len=4096 -timeout=10 -print_final_stats=1 corpus 2>&1 | tail -15)
done
