#!/usr/bin/env bash
# bench/run.sh — throughput benchmark (not a test). Generates a 1,000,000-record 001 住民 export
# (plus its 世帯 file) once into bench/out/, then prints MB/s, records/s and peak memory of
#   tekigo check (full profile: every item rule, keys, foreign keys, aggregate, SHA-256 of inputs)
# next to `wc -l` and `mlr --icsv --ojson cat` (Miller, Debian package `miller`) on the same file.
# Usage: bench/run.sh [records]   (needs a build in build/: ./setup.sh demo)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
out=bench/out
tekigo=${TEKIGO:-build/tekigo}
if [ ! -f "$out/jumin.csv" ] || [ "$(cat "$out/.records" 2>/dev/null)" != "$records" ]; then
  python3 bench/gen_package.py "$out" "$records"
  "$tekigo" check --profile jumin-kihon-daicho --as-of 2026-01-01 "$out/jumin.csv" "$out/setai.csv" "$out/ido-rireki.csv" > /dev/null \
    || { echo "bench: the generated package is not conformant"; exit 1; }
  echo "$records" > "$out/.records"
fi
jumin_bytes=$(stat -c %s "$out/jumin.csv")
total_bytes=$(( jumin_bytes + $(stat -c %s "$out/setai.csv") ))
households=$(( $(wc -l < "$out/setai.csv") - 1 ))

# measure NAME BYTES RECORDS CMD...: best of 3 wall-clock runs, peak RSS of the best run.
measure() {
  local name=$1 bytes=$2 recs=$3; shift 3
  local best="" rss=""
  for _ in 1 2 3; do
    local t0 t1 elapsed
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o /tmp/tekigo-bench-rss "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    elapsed=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$elapsed < $best" | bc -l)" = 1 ]; then
      best=$elapsed; rss=$(tail -n 1 /tmp/tekigo-bench-rss)  # time -o adds a line on a non-zero exit
    fi
  done
  printf "| %-44s | %9.1f MB | %7.2f s | %8.1f MB/s | %10.0f rec/s | %7.1f MiB |\n" \
    "$name" "$(echo "$bytes / 1000000" | bc -l)" "$best" "$(echo "$bytes / 1000000 / $best" | bc -l)" \
    "$(echo "$recs / $best" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "records: $records residents in $households households; $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
echo
echo "| command | input | time | throughput | records | peak memory |"
echo "|---|---|---|---|---|---|"
measure "tekigo check (住民 + 世帯, full profile)" "$total_bytes" "$(( records + households ))" \
  "$tekigo" check --profile jumin-kihon-daicho --format json --as-of 2026-01-01 "$out/jumin.csv" "$out/setai.csv" "$out/ido-rireki.csv"
measure "tekigo check (住民 only; exit 1: no 世帯 file)" "$jumin_bytes" "$records" \
  "$tekigo" check --profile jumin-kihon-daicho --format json --as-of 2026-01-01 "$out/jumin.csv"
measure "wc -l (住民)" "$jumin_bytes" "$records" wc -l "$out/jumin.csv"
if command -v mlr > /dev/null; then
  measure "mlr --icsv --ojson cat (住民)" "$jumin_bytes" "$records" mlr --icsv --ojson cat "$out/jumin.csv"
else
  echo "(mlr not installed: apt-get install miller)"
fi
