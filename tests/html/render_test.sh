#!/usr/bin/env bash
# render_test.sh — the HTML report, rendered by a real browser (headless Chromium).
#
#   render_test.sh TEKIGO SOURCE_DIR OUT_DIR
#
# Writes the HTML report of the non-conforming 住民基本台帳 sample, then has
# Chromium (no network, a fresh profile directory) take a screenshot and dump
# the rendered DOM. Passes when the screenshot is a real page (large enough,
# many different bytes, not one colour), the DOM shows the verdict in words and
# the inline SVG charts, and Chromium logged no script error, no blocked or
# failed load. The screenshot stays in OUT_DIR/report.png for people to look at.
#
# Without Chromium it prints "SKIPPED: chromium not found" and exits 77, which
# ctest counts as skipped (SKIP_RETURN_CODE 77), never as passed.
# TEKIGO_CHROMIUM=/path/to/chromium picks the browser (TEKIGO_CHROMIUM= pretends none).
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: render_test.sh TEKIGO SOURCE_DIR OUT_DIR" >&2
  exit 2
fi
tekigo=$1
src=$2
out=$3

# TEKIGO_CHROMIUM names the browser; set and empty, it pretends there is none.
if [ -n "${TEKIGO_CHROMIUM+set}" ]; then
  chromium=$TEKIGO_CHROMIUM
else
  chromium=""
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then
      chromium=$(command -v "$c")
      break
    fi
  done
fi
if [ -z "$chromium" ] || ! command -v "$chromium" >/dev/null 2>&1; then
  echo "SKIPPED: chromium not found"
  exit 77
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
html=$out/report.html
png=$out/report.png
rm -f "$html" "$png" "$out"/chromium-*.log "$out"/dom.html

fail=0
check() { # check CONDITION-EXIT-STATUS MESSAGE
  if [ "$1" -ne 0 ]; then
    echo "FAIL: $2" >&2
    fail=1
  fi
}

(cd "$src" && "$tekigo" check --profile jumin-kihon-daicho --as-of 2026-01-01 --format html \
  --output "$html" samples/jumin-kihon-daicho/nonconforming)
status=$?
[ "$status" -eq 1 ]; check $? "tekigo exited $status, want 1 (not conformant)"
[ -s "$html" ] || { echo "FAIL: no HTML report written" >&2; exit 1; }

profile_dir=$(mktemp -d "${TMPDIR:-/tmp}/tekigo-chromium.XXXXXX")
trap 'rm -rf "$profile_dir"' EXIT

browse() { # browse LOG ARGS...: one headless Chromium run, offline, fresh profile
  local log=$1
  shift
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile_dir" --enable-logging=stderr --v=0 "$@" 2>"$log"
}

browse "$out/chromium-screenshot.log" --screenshot="$png" --window-size=1280,2000 "file://$html" >/dev/null
check $? "chromium --screenshot failed (see $out/chromium-screenshot.log)"
browse "$out/chromium-dom.log" --dump-dom "file://$html" >"$out/dom.html"
check $? "chromium --dump-dom failed (see $out/chromium-dom.log)"

# The screenshot: a PNG, large enough and varied enough to be a rendered page.
if [ -s "$png" ]; then
  size=$(wc -c <"$png")
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
  check $? "report.png is not a PNG"
  [ "$size" -gt 40000 ]; check $? "report.png is only $size bytes: a blank or one-colour page?"
  distinct=$(od -An -v -tx1 -w2 "$png" | tr -d ' ' | sort -u | wc -l)
  [ "$distinct" -gt 5000 ]; check $? "report.png has only $distinct distinct byte pairs: a one-colour page?"
else
  check 1 "no screenshot written"
fi

# The rendered DOM: the verdict in words, the inline SVG charts, the findings.
grep -q 'class="verdict-word">不適合<' "$out/dom.html"; check $? "the DOM does not show the verdict 不適合"
svgs=$(grep -o '<svg' "$out/dom.html" | wc -l)
[ "$svgs" -ge 4 ]; check $? "the DOM has $svgs inline SVGs, want the icon and 3 charts"
grep -q '<rect' "$out/dom.html"; check $? "the charts have no bars"
grep -q 'class="grid findings"' "$out/dom.html"; check $? "the DOM has no findings table"
if grep -q '<script' "$out/dom.html"; then check 1 "the page has a script"; fi

# Chromium's log: no script error, nothing blocked, no load that failed.
for log in "$out/chromium-screenshot.log" "$out/chromium-dom.log"; do
  if grep -E "Uncaught|Refused to|net::ERR_|Failed to load resource" "$log"; then
    check 1 "chromium reported an error in $(basename "$log")"
  fi
done

if [ "$fail" -ne 0 ]; then
  exit 1
fi
echo "html render: ok — screenshot $png ($(wc -c <"$png") bytes), $svgs inline SVGs"
exit 0
