#!/usr/bin/env bash
# npm run check:arm64 [-- <bundle.tar.gz>]: the offline bundle's smoke test on arm64, emulated.
# Runs the bundle's own linux-arm64 Node.js under QEMU user emulation and, with it, the bundle's
# smoke test (scripts/install/smoke.mjs): start the gateway from the unpacked bundle with the
# default simulated devices on free ports, wait for GET /api/health = 200, ask the simulated
# scanner for one page over the local bus and wait for its scan/page message, stop with SIGTERM.
#
# Needs (installed from Debian when missing and run as root):
#   - qemu-user-static >= 8 (bookworm-backports on Debian 12): onnxruntime's cpuinfo reads
#     /proc/cpuinfo, which QEMU emulates for aarch64 only since 8.x; QEMU 7.2 (bookworm) gives it
#     the host's x86 cpuinfo and ORT dies with SIGSEGV when it loads.
#   - the arm64 C and C++ runtimes (libc6:arm64, libstdc++6:arm64, Debian multiarch) that the
#     official Node.js binary and the native addons link against.
# binfmt_misc is not needed (containers often lack it): qemu-aarch64-static is called explicitly.
# With no bundle given, uses dist/classroom-gateway-<version>-linux-arm64.tar.gz, building it first
# if it is missing. SMOKE_TIMEOUT (s, default 900) bounds the smoke test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SMOKE_TIMEOUT="${SMOKE_TIMEOUT:-900}"
started=$SECONDS
step() { printf '[arm64 %4ds] %s\n' "$((SECONDS - started))" "$*"; }

qemu_ok() {
  command -v qemu-aarch64-static >/dev/null || return 1
  local major
  major="$(qemu-aarch64-static --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n 1)"
  [ "${major:-0}" -ge 8 ]
}
libs_ok() { [ -e /lib/ld-linux-aarch64.so.1 ] && [ -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ]; }

if ! qemu_ok || ! libs_ok; then
  [ "$(id -u)" -eq 0 ] || { echo "arm64-check: needs qemu-user-static >= 8 and libc6:arm64 libstdc++6:arm64; run as root once to install them" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  if ! libs_ok; then
    dpkg --add-architecture arm64
  fi
  qemu_release=()
  if ! qemu_ok; then
    # shellcheck source=/dev/null
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    if [ "$codename" = bookworm ]; then
      echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
      qemu_release=(-t bookworm-backports)
    fi
  fi
  step "installing from Debian: qemu-user-static ${qemu_release[*]} libc6:arm64 libstdc++6:arm64"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${qemu_release[@]}" qemu-user-static >/dev/null
  apt-get install -y -qq --no-install-recommends libc6:arm64 libstdc++6:arm64 >/dev/null
  qemu_ok || { echo "arm64-check: qemu-aarch64-static is still older than 8: $(qemu-aarch64-static --version | head -n 1)" >&2; exit 1; }
fi
step "$(qemu-aarch64-static --version | head -n 1)"

version="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
bundle="${1:-$ROOT/dist/classroom-gateway-${version}-linux-arm64.tar.gz}"
if [ ! -f "$bundle" ]; then
  [ $# -eq 0 ] || { echo "arm64-check: $bundle not found" >&2; exit 1; }
  step "no bundle yet: building it (npm run bundle)"
  bash "$ROOT/scripts/install/build-bundle.sh"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gateway-arm64.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step "unpacking $(basename "$bundle")"
if [ -f "$bundle.sha256" ]; then (cd "$(dirname "$bundle")" && sha256sum --quiet --strict -c "$(basename "$bundle").sha256"); fi
tar -xzf "$bundle" -C "$work"
top="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
(cd "$top" && sha256sum --quiet --strict -c MANIFEST.sha256)
rel="$top/release"
node_arm64="$rel/node/bin/node"

# shellcheck disable=SC2016 # JavaScript
step "the bundle's Node.js: $(qemu-aarch64-static "$node_arm64" -p '`${process.version} ${process.platform}-${process.arch}`')"
step "native addons load under arm64: $(cd "$rel" && qemu-aarch64-static "$node_arm64" -e '
  const names = ["sharp", "onnxruntime-node", "@serialport/bindings-cpp", "usb"];
  for (const n of names) require(n);
  console.log(names.join(", "));
' 2>&1 | grep -v 'cpuid_info warning')"

step "smoke test (gateway start, health, one simulated scan to scan/page, stop), timeout ${SMOKE_TIMEOUT} s"
smoke_started=$SECONDS
set +e
SMOKE_EXEC="qemu-aarch64-static $node_arm64" SMOKE_EMULATED=1 \
  qemu-aarch64-static "$node_arm64" "$rel/scripts/install/smoke.mjs" --release "$rel" --timeout "$SMOKE_TIMEOUT" > "$work/smoke.json"
code=$?
set -e
cat "$work/smoke.json"
step "smoke test $([ $code -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - smoke_started)) s under emulation (whole check $((SECONDS - started)) s)"
exit $code
