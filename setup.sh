#!/usr/bin/env bash
# setup.sh — the two README commands. On a fresh Debian 12 machine it installs
# what is missing (Debian packages only), builds tekigo, and then either runs
# the main job on a bundled sample (demo) or runs the whole test suite (test).
#
#   ./setup.sh demo    install + build + check the bundled 住民基本台帳 sample
#   ./setup.sh test    install + build + ctest (unit, cases, samples, hostile)
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-demo}
build_dir=${TEKIGO_BUILD_DIR:-build}

# Debian packages the build and the tests need. Keep in sync with README.md.
packages=(build-essential cmake pkg-config libjansson-dev libssl-dev libxml2-dev libxslt1-dev
          libzip-dev libxlsxwriter-dev python3 python3-jsonschema python3-openpyxl chromium)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$build_dir" -j "$(nproc)"
}

install_missing
build

case "$mode" in
  demo)
    echo
    echo "== tekigo check: the conforming 住民基本台帳 sample (exit 0 = conformant) =="
    "$build_dir/tekigo" check --profile jumin-kihon-daicho samples/jumin-kihon-daicho/conforming
    echo
    echo "== tekigo check: the non-conforming sample (exit 1 = not conformant) =="
    set +e
    "$build_dir/tekigo" check --profile jumin-kihon-daicho samples/jumin-kihon-daicho/nonconforming
    rc=$?
    set -e
    echo "exit status: $rc"
    [ "$rc" -eq 1 ]
    ;;
  test)
    cd "$build_dir"
    ctest --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: ./setup.sh demo|test" >&2
    exit 2
    ;;
esac
