# shellcheck shell=bash
# Shared by install.sh, upgrade.sh, rollback.sh and uninstall.sh. Sourced, never run.
#
# Every path and every command that touches the system can be overridden from the environment,
# so the scripts run unprivileged in tests:
#   PREFIX=/tmp/box  SYSTEMCTL=fake-systemctl  UDEVADM=true  JOURNALCTL=fake-journal  CREATE_USER=0
# The layout is the contract in systemd/README.md.

PREFIX="${PREFIX:-}"
OPT_DIR="${OPT_DIR:-$PREFIX/opt/classroom-gateway}"
RELEASES_DIR="$OPT_DIR/releases"
CURRENT_LINK="$OPT_DIR/current"
PREVIOUS_LINK="$OPT_DIR/previous"
DATA_DIR="${DATA_DIR:-$PREFIX/var/lib/classroom-gateway}"
SETTINGS_FILE="${SETTINGS_FILE:-$DATA_DIR/settings.json}"
RUN_DIR="${RUN_DIR:-$PREFIX/run/classroom-gateway}"
UNIT_DIR="${UNIT_DIR:-$PREFIX/etc/systemd/system}"
UDEV_RULES_DIR="${UDEV_RULES_DIR:-$PREFIX/etc/udev/rules.d}"
UNIT_NAME=classroom-gateway.service
RULES_NAME=99-classroom-gateway.rules
SERVICE_USER="${SERVICE_USER:-classroom-gw}"
CREATE_USER="${CREATE_USER:-1}"
SYSTEMCTL="${SYSTEMCTL:-systemctl}"
UDEVADM="${UDEVADM:-udevadm}"
JOURNALCTL="${JOURNALCTL:-journalctl}"
# Start-to-healthy on a Pi 4 with Node-RED is well under a minute; a slow SD card gets headroom.
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-180}"
KEEP_RELEASES="${KEEP_RELEASES:-3}"
HEALTH_URL="${HEALTH_URL:-}"
# Runs the release's own Node.js; NODE_RUNNER=qemu-aarch64-static tries an arm64 bundle on x86-64.
NODE_RUNNER="${NODE_RUNNER:-}"
# Set by install_system_files, read by install.sh.
# shellcheck disable=SC2034
UNITS_CHANGED=0

release_node() {
  if [ -n "$NODE_RUNNER" ]; then "$NODE_RUNNER" "$@"; else "$@"; fi
}

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# systemctl without our lock's descriptor (a service it starts must not inherit the lock).
svc() { "$SYSTEMCTL" "$@" 9>&-; }

is_root() { [ "$(id -u)" -eq 0 ]; }

require_root_or_prefix() {
  if [ -z "$PREFIX" ] && ! is_root; then die "run as root: sudo $0 $*"; fi
}

# One run at a time (install, upgrade, rollback, uninstall).
take_lock() {
  mkdir -p "$OPT_DIR"
  exec 9>>"$OPT_DIR/.lock"
  flock -n 9 || die "another install, upgrade or uninstall is running ($OPT_DIR/.lock)"
}

# ---- the bundle ------------------------------------------------------------------------------

# Sets BUNDLE_TOP (the unpacked bundle: MANIFEST.sha256 + release/), BUNDLE_REL (its release/)
# and BUNDLE_VERSION from: nothing (the bundle this script came from), an unpacked bundle folder,
# or a .tar.gz (checked against its .sha256 sidecar when present, unpacked beside the releases).
resolve_bundle() {
  local arg="${1:-}" here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  if [ -z "$arg" ]; then
    BUNDLE_REL="$(cd "$here/../.." && pwd)"
    BUNDLE_TOP="$(dirname "$BUNDLE_REL")"
  elif [ -f "$arg" ]; then
    case "$arg" in *.tar.gz | *.tgz) ;; *) die "$arg: expected a classroom-gateway-<version>-linux-<arm64|x64>.tar.gz" ;; esac
    if [ -f "$arg.sha256" ]; then
      say "Checking $(basename "$arg") against $(basename "$arg").sha256 ..."
      (cd "$(dirname "$arg")" && sha256sum --quiet --strict -c "$(basename "$arg").sha256") || die "$arg does not match its .sha256: copy it again"
    else
      warn "no $(basename "$arg").sha256 beside the bundle; checking the files inside it only"
    fi
    mkdir -p "$OPT_DIR/.incoming"
    INCOMING="$(mktemp -d "$OPT_DIR/.incoming/unpack.XXXXXX")"
    tar -xzf "$arg" -C "$INCOMING" --no-same-owner
    BUNDLE_TOP="$(find "$INCOMING" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
    [ -n "$BUNDLE_TOP" ] || die "$arg holds no bundle folder"
    BUNDLE_REL="$BUNDLE_TOP/release"
  elif [ -d "$arg/release" ]; then
    BUNDLE_TOP="$(cd "$arg" && pwd)"
    BUNDLE_REL="$BUNDLE_TOP/release"
  elif [ -f "$arg/bundle.json" ]; then
    BUNDLE_REL="$(cd "$arg" && pwd)"
    BUNDLE_TOP="$(dirname "$BUNDLE_REL")"
  else
    die "$arg is neither a bundle (.tar.gz) nor an unpacked bundle folder"
  fi
  [ -f "$BUNDLE_REL/bundle.json" ] || die "$BUNDLE_REL/bundle.json missing: not a gateway release"
  BUNDLE_VERSION="$(json_string "$BUNDLE_REL/bundle.json" version)"
  [ -n "$BUNDLE_VERSION" ] || die "no version in $BUNDLE_REL/bundle.json"
  case "$BUNDLE_VERSION" in */* | .* | *' '*) die "bad version \"$BUNDLE_VERSION\" in bundle.json" ;; esac
}

cleanup_incoming() {
  if [ -n "${INCOMING:-}" ]; then rm -rf "$INCOMING"; fi
  rmdir "$OPT_DIR/.incoming" 2>/dev/null || true
}

# The first "key": "value" of a JSON file we wrote ourselves (bundle.json: one key per line).
json_string() {
  sed -n "s/^[[:space:]]*\"$2\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

# A bundle for another processor (an x64 bundle on a Pi, an arm64 one on a mini-PC) would only
# fail at start with "Exec format error": say so before anything is installed.
check_platform() {
  local platform machine
  platform="$(json_string "$BUNDLE_REL/bundle.json" platform)"
  if [ -z "$platform" ] || [ -n "$NODE_RUNNER" ]; then return 0; fi
  machine="$(uname -m)"
  case "$machine" in aarch64 | arm64) machine=arm64 ;; x86_64 | amd64) machine=x64 ;; esac
  case "$platform" in
    "linux-$machine" | "linux-$machine-"*) ;;
    *) die "this bundle is for ${platform%-glibc}, but this machine is $(uname -m): use the classroom-gateway-<version>-linux-$machine.tar.gz bundle" ;;
  esac
}

# Every file of the release against MANIFEST.sha256: catches a bad copy from a USB stick.
verify_bundle() {
  check_platform
  if [ -f "$BUNDLE_TOP/MANIFEST.sha256" ]; then
    say "Checking the files of release $BUNDLE_VERSION against MANIFEST.sha256 ..."
    (cd "$BUNDLE_TOP" && sha256sum --quiet --strict -c MANIFEST.sha256) || die "the bundle's files do not match MANIFEST.sha256: copy the bundle again"
  elif [ -f "$BUNDLE_REL/.bundle-manifest.sha256" ]; then
    # An installed release (install.sh run from /opt/classroom-gateway/current): its own copy.
    say "Checking the files of release $BUNDLE_VERSION against its manifest ..."
    sed 's|^\([0-9a-f]*\)  release/|\1  |' "$BUNDLE_REL/.bundle-manifest.sha256" |
      (cd "$BUNDLE_REL" && sha256sum --quiet --strict -c -) || die "the files of $BUNDLE_REL do not match its manifest"
  else
    warn "$BUNDLE_TOP has no MANIFEST.sha256: the files are not checked"
  fi
}

# ---- releases --------------------------------------------------------------------------------

current_version() {
  if [ -L "$CURRENT_LINK" ]; then basename "$(readlink "$CURRENT_LINK")"; fi
}
previous_version() {
  if [ -L "$PREVIOUS_LINK" ]; then basename "$(readlink "$PREVIOUS_LINK")"; fi
}

# Copies the bundle's release to releases/<version> (beside the others, atomically by rename).
# The same version with the same MANIFEST is left alone; different contents under the version
# that is running are refused (a rebuilt bundle must carry a new version).
deploy_release() {
  local dest="$RELEASES_DIR/$BUNDLE_VERSION" partial
  mkdir -p "$RELEASES_DIR"
  chmod 0755 "$OPT_DIR" "$RELEASES_DIR"
  if [ "$BUNDLE_REL" -ef "$dest" ]; then
    say "Release $BUNDLE_VERSION is already in $dest."
    return 0
  fi
  if [ -d "$dest" ]; then
    if [ -f "$BUNDLE_TOP/MANIFEST.sha256" ] && cmp -s "$BUNDLE_TOP/MANIFEST.sha256" "$dest/.bundle-manifest.sha256"; then
      say "Release $BUNDLE_VERSION is already in $dest."
      return 0
    fi
    if [ "$(current_version)" = "$BUNDLE_VERSION" ] && [ "${FORCE:-0}" != 1 ]; then
      die "release $BUNDLE_VERSION is installed and current, but this bundle's files differ; build the bundle with a new version (or FORCE=1)"
    fi
    say "Replacing release $BUNDLE_VERSION in $dest (its files differ)."
  fi
  partial="$RELEASES_DIR/.$BUNDLE_VERSION.partial"
  rm -rf "$partial"
  if [ -n "${INCOMING:-}" ]; then mv "$BUNDLE_REL" "$partial"; else cp -a "$BUNDLE_REL" "$partial"; fi
  if [ -f "$BUNDLE_TOP/MANIFEST.sha256" ]; then cp "$BUNDLE_TOP/MANIFEST.sha256" "$partial/.bundle-manifest.sha256"; fi
  # Root-owned and read-only to the service.
  if is_root; then chown -R root:root "$partial"; fi
  chmod -R u+rwX,go+rX,go-w "$partial"
  touch "$partial" # the folder's time is the install time: prune_releases keeps the newest
  if [ -d "$dest" ]; then rm -rf "$dest"; fi
  mv -T "$partial" "$dest"
  BUNDLE_REL="$dest"
  say "Release $BUNDLE_VERSION unpacked to $dest."
}

# Points a link (current or previous) at releases/<version>, atomically (rename over the old link).
point_link() {
  local link="$1" version="$2"
  ln -sfn "releases/$version" "$link.tmp"
  mv -T "$link.tmp" "$link"
}

# Keeps the current and previous releases and the newest others, KEEP_RELEASES in all.
prune_releases() {
  local cur prev slots name
  cur="$(current_version)"
  prev="$(previous_version)"
  slots=$((KEEP_RELEASES - 1))
  if [ -n "$prev" ] && [ "$prev" != "$cur" ] && [ -d "$RELEASES_DIR/$prev" ]; then slots=$((slots - 1)); fi
  while IFS= read -r name; do
    if [ -z "$name" ] || [ "$name" = "$cur" ] || [ "$name" = "$prev" ]; then continue; fi
    if [ "$slots" -gt 0 ]; then slots=$((slots - 1)); continue; fi
    say "Removing old release $name."
    rm -rf "${RELEASES_DIR:?}/$name"
  done < <(find "$RELEASES_DIR" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2-)
}

# ---- the system --------------------------------------------------------------------------------

ensure_user() {
  if [ "$CREATE_USER" != 1 ]; then return 0; fi
  if ! getent group "$SERVICE_USER" >/dev/null; then
    groupadd --system "$SERVICE_USER"
    say "Created group $SERVICE_USER."
  fi
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --gid "$SERVICE_USER" --home-dir "${DATA_DIR#"$PREFIX"}" --no-create-home \
      --shell /usr/sbin/nologin --comment "classroom gateway" "$SERVICE_USER"
    say "Created user $SERVICE_USER."
  fi
}

ensure_dirs() {
  mkdir -p "$OPT_DIR" "$RELEASES_DIR" "$DATA_DIR"
  chmod 0755 "$OPT_DIR" "$RELEASES_DIR"
  chmod 0750 "$DATA_DIR"
  if [ "$CREATE_USER" = 1 ] && is_root; then
    chown root:root "$OPT_DIR" "$RELEASES_DIR"
    chown "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
  fi
}

# Installs the unit and udev rules of a release when they differ from what is in place.
# Sets UNITS_CHANGED=1 when systemd was reloaded.
install_system_files() {
  local rel="$1"
  UNITS_CHANGED=0
  mkdir -p "$UNIT_DIR" "$UDEV_RULES_DIR"
  if ! cmp -s "$rel/systemd/$UNIT_NAME" "$UNIT_DIR/$UNIT_NAME"; then
    install -m 0644 "$rel/systemd/$UNIT_NAME" "$UNIT_DIR/$UNIT_NAME"
    say "Installed $UNIT_DIR/$UNIT_NAME."
    svc daemon-reload
    # shellcheck disable=SC2034 # read by install.sh
    UNITS_CHANGED=1
  fi
  if ! cmp -s "$rel/systemd/$RULES_NAME" "$UDEV_RULES_DIR/$RULES_NAME"; then
    install -m 0644 "$rel/systemd/$RULES_NAME" "$UDEV_RULES_DIR/$RULES_NAME"
    say "Installed $UDEV_RULES_DIR/$RULES_NAME."
    # No udevd (a container, a chroot): the rules are in place and apply once udev runs; the
    # service itself does not need them to start.
    if "$UDEVADM" control --reload 2>/dev/null; then
      "$UDEVADM" trigger --subsystem-match=tty --subsystem-match=video4linux --subsystem-match=usb || true
    else
      warn "udev is not running here: the device rules apply when it runs (at the latest after a reboot)"
    fi
  fi
}

# ---- health ------------------------------------------------------------------------------------

# http://127.0.0.1:<web.port>/api/health, the port read from the settings when they exist.
health_url() {
  if [ -n "$HEALTH_URL" ]; then printf '%s\n' "$HEALTH_URL"; return; fi
  local node="$1"
  # shellcheck disable=SC2016 # JavaScript, not shell
  release_node "$node" -e '
    const fs = require("node:fs");
    let port = 8080, host = "127.0.0.1";
    try {
      const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      if (Number.isInteger(s?.web?.port)) port = s.web.port;
      // A web server bound to one address is asked there; "0.0.0.0" and "::" answer on loopback.
      const h = s?.web?.host;
      if (typeof h === "string" && !["0.0.0.0", "::", "", "localhost"].includes(h)) host = h.includes(":") ? `[${h}]` : h;
    } catch {}
    console.log(`http://${host}:${port}/api/health`);
  ' "$SETTINGS_FILE"
}

# Waits until GET /api/health answers 200 from the given version (checked when the answer names
# one), or the timeout passes, or systemd gives the unit up (`failed`: its start limit hit by a
# crash loop, or exit 78, invalid settings): then waiting longer cannot help. Uses the release's
# own Node.js: nothing else needs to be installed.
wait_healthy() {
  local version="$1" timeout="$2" node="$RELEASES_DIR/$1/node/bin/node" url
  url="$(health_url "$node")"
  say "Waiting up to ${timeout} s for $url to report release $version healthy ..."
  # shellcheck disable=SC2016 # JavaScript, not shell
  release_node "$node" -e '
    const { spawnSync } = require("node:child_process");
    const [url, version, timeout, systemctl, unit] = [process.argv[1], process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5]];
    const deadline = Date.now() + timeout * 1000;
    const failed = () => spawnSync(systemctl, ["is-failed", "--quiet", unit], { stdio: "ignore" }).status === 0;
    let last = "no answer";
    (async () => {
      while (Date.now() < deadline) {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
          const body = await res.json().catch(() => ({}));
          let found = body.version;
          if (res.status === 200 && found === undefined) {
            // The health report carries no version; the public status does (gateway.version).
            const status = await fetch(url.replace(/\/api\/health$/, "/api/status"), { signal: AbortSignal.timeout(5000) }).then((r) => r.json()).catch(() => ({}));
            found = status.gateway?.version;
          }
          if (res.status === 200 && (found === undefined || found === version)) { console.log(`healthy (${body.status ?? "ok"}, version ${found ?? "?"})`); process.exit(0); }
          last = `HTTP ${res.status}${found ? `, version ${found}` : ""}${body.status ? `, ${body.status}` : ""}`;
        } catch (e) { last = e.cause?.code ?? e.message; }
        if (failed()) { console.error(`not healthy: systemd gave ${unit} up (failed; last: ${last})`); process.exit(1); }
        await new Promise((r) => setTimeout(r, 1000));
      }
      console.error(`not healthy after ${timeout} s (last: ${last})`);
      process.exit(1);
    })();
  ' "$url" "$version" "$timeout" "$SYSTEMCTL" "$UNIT_NAME"
}

journal_tail() {
  "$JOURNALCTL" -u "$UNIT_NAME" --no-pager -o cat -n "${1:-30}" 2>/dev/null || true
}

# The admin password the gateway made on its first start: from a root-only file in its runtime
# folder (tmpfs) if the gateway leaves one there, else from its start-up banner in the journal.
first_password_since() {
  local file="$RUN_DIR/first-admin-password"
  if [ -s "$file" ]; then head -n 1 "$file"; return; fi
  "$JOURNALCTL" -u "$UNIT_NAME" --no-pager -o cat --since "@$1" 2>/dev/null |
    sed -n 's/.*Admin password[[:space:]]*\([a-z0-9-]\{19\}\).*/\1/p' | tail -n 1
}

web_address() {
  local ip
  ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
  local url
  url="$(health_url "$RELEASES_DIR/$(current_version)/node/bin/node")"
  url="${url%/api/health}/"
  if [ -n "$ip" ]; then printf '%s\n' "${url/127.0.0.1/$ip}"; else printf '%s\n' "$url"; fi
}

# ---- switching with automatic rollback ---------------------------------------------------------

# Makes BUNDLE_VERSION current and restarts; if it is not healthy within HEALTH_TIMEOUT, goes back
# to the release that was current, restarts that, and returns 1.
switch_with_rollback() {
  local new="$BUNDLE_VERSION" old prev_before
  old="$(current_version)"
  prev_before="$(previous_version)"
  if [ -n "$old" ] && [ ! -d "$RELEASES_DIR/$old" ]; then old=""; fi
  # A settings file migrated by the new release could stop the old one: keep a copy to put back.
  local saved=""
  if [ -n "$old" ] && [ -f "$SETTINGS_FILE" ]; then
    saved="$OPT_DIR/.settings-before-$new.json" # outside the data folder, which is the gateway's
    cp -p "$SETTINGS_FILE" "$saved"
  fi
  install_system_files "$RELEASES_DIR/$new"
  if [ -n "$old" ]; then point_link "$PREVIOUS_LINK" "$old"; fi
  point_link "$CURRENT_LINK" "$new"
  say "Switched $CURRENT_LINK to $new${old:+ (was $old)}; restarting the service ..."
  svc enable --quiet "$UNIT_NAME"
  # A deliberate switch must not be refused because the unit hit its start limit (a crash-looping
  # release, or restarts by hand, within StartLimitIntervalSec): the new release is the fix.
  svc reset-failed "$UNIT_NAME" 2>/dev/null || true
  svc restart "$UNIT_NAME"
  if wait_healthy "$new" "$HEALTH_TIMEOUT"; then
    if [ -n "$saved" ]; then rm -f "$saved"; fi
    return 0
  fi
  say ""
  say "Release $new did not become healthy. Its last log lines:"
  journal_tail 30 | sed 's/^/  | /'
  if [ -z "$old" ]; then
    say "There is no earlier release to go back to."
    return 1
  fi
  say "Rolling back to $old ..."
  svc stop "$UNIT_NAME" || true
  # A crash loop may have hit the unit's start limit: a restart would be refused until this.
  svc reset-failed "$UNIT_NAME" 2>/dev/null || true
  if [ -n "$saved" ]; then
    if ! cmp -s "$saved" "$SETTINGS_FILE"; then cp -p "$saved" "$SETTINGS_FILE"; say "Put back the settings file as it was before $new."; fi
    rm -f "$saved"
  fi
  install_system_files "$RELEASES_DIR/$old"
  point_link "$CURRENT_LINK" "$old"
  # The links as they were: "previous" stays the release before $old, so rollback.sh goes there
  # and not to the release that just failed.
  if [ -n "$prev_before" ] && [ "$prev_before" != "$old" ] && [ -d "$RELEASES_DIR/$prev_before" ]; then
    point_link "$PREVIOUS_LINK" "$prev_before"
  else
    rm -f "$PREVIOUS_LINK"
  fi
  svc restart "$UNIT_NAME"
  if wait_healthy "$old" "$HEALTH_TIMEOUT"; then
    say "Rolled back: release $old is running again. Release $new stays in $RELEASES_DIR/$new for inspection."
  else
    say "ROLLBACK FAILED: release $old is not healthy either. See: journalctl -u $UNIT_NAME"
  fi
  return 1
}
