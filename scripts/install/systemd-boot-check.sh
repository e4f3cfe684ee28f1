#!/usr/bin/env bash
# npm run check:systemd-boot [-- <classroom-gateway-<version>-linux-x64.tar.gz>]
#
# The install under a REAL systemd: boots a Debian bookworm amd64 root with systemd as PID 1
# (systemd-nspawn -b; no systemd or machined needed on the host), and inside it, with the real
# systemctl, runs the bundle's own install.sh, upgrade.sh, rollback.sh and uninstall.sh, and checks
# the running service: READY through sd_notify, health, the hardening on the live main process,
# the watchdog, Restart=always, an idempotent second install, an upgrade, an automatic rollback
# from a broken release, a manual rollback, a second boot, uninstall with and without --purge.
# Prints PASS/FAIL lines and timings; exits 1 if anything failed. Details: scripts/install/README.md.
#
# Needs root on an x86-64 Linux host (CI: the VM that runs .ci/run), the network to
# deb.debian.org the first time (debootstrap, cached) and the npm registry (the bundle build).
# Installs debootstrap and systemd-container from Debian when they are missing.
#
# Environment:
#   CHECK_BUNDLE=<x64 .tar.gz>   the bundle to install (also the first argument); default: builds
#                                it now (BUNDLE_ARCH=x64 build-bundle.sh), so the check tests this tree
#   CHECK_ROOTFS=/var/cache/classroom-gateway-check/rootfs-bookworm-amd64
#                                the cached clean root (debootstrapped when missing, ~45 s); every run
#                                boots a throwaway copy of it, so runs never see each other's changes
#   CHECK_WORKDIR=/var/tmp       where the copy goes (~750 MB while the check runs)
#   DEBIAN_MIRROR=http://deb.debian.org/debian
#   BOOT_TIMEOUT=60  STEP_TIMEOUT=300 (s, any single install/upgrade run)  KEEP=1 keeps the copy
# shellcheck disable=SC2016 # expect's conditions are shell code in single quotes, evaluated by expect
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECK_ROOTFS="${CHECK_ROOTFS:-/var/cache/classroom-gateway-check/rootfs-bookworm-amd64}"
CHECK_WORKDIR="${CHECK_WORKDIR:-/var/tmp}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-60}"
STEP_TIMEOUT="${STEP_TIMEOUT:-300}"
BUNDLE="${1:-${CHECK_BUNDLE:-}}"
INCLUDE=systemd,systemd-sysv,dbus,udev,ca-certificates,iproute2,procps
STAMP="bookworm amd64 minbase $INCLUDE v1"
UNIT=classroom-gateway.service
LAN_IP=192.168.77.2 # the container's address on its own veth: what install.sh prints as the web page
OPT=/opt/classroom-gateway
DATA=/var/lib/classroom-gateway

CHECK_TAG=boot-check
CHECK_TITLE="systemd boot check"
# shellcheck source=scripts/install/check-report.sh
. "$ROOT/scripts/install/check-report.sh"

[ "$(id -u)" -eq 0 ] || die "run as root (it boots a container)"
[ "$(uname -m)" = x86_64 ] || die "needs an x86-64 host (the check boots an amd64 Debian; see scripts/install/README.md)"

# ---- tools and the cached root -------------------------------------------------------------------

# shellcheck source=scripts/install/nspawn-box.sh
. "$ROOT/scripts/install/nspawn-box.sh"
ensure_cached_root

# ---- the bundle ------------------------------------------------------------------------------

version="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
if [ -z "$BUNDLE" ]; then
  t=$(now)
  say "building the x64 bundle from this tree (BUNDLE_ARCH=x64 build-bundle.sh)"
  BUNDLE_ARCH=x64 bash "$ROOT/scripts/install/build-bundle.sh" | indent
  BUNDLE="$ROOT/dist/classroom-gateway-${version}-linux-x64.tar.gz"
  timing "bundle build (x64)" "$(since "$t")"
fi
[ -f "$BUNDLE" ] || die "$BUNDLE not found"
case "$(basename "$BUNDLE")" in *-linux-x64.tar.gz) ;; *) die "$BUNDLE: expected a …-linux-x64.tar.gz bundle" ;; esac
BUNDLE="$(cd "$(dirname "$BUNDLE")" && pwd)/$(basename "$BUNDLE")"
b1="$(basename "$BUNDLE" .tar.gz)" # the bundle's folder
v1="$(tar -xzOf "$BUNDLE" "$b1/release/bundle.json" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).version)')"
# The upgrades: the same release under the next two patch versions; the second one broken.
IFS=. read -r major minor patch <<< "${v1%%-*}"
v2="$major.$minor.$((patch + 101))"
v3="$major.$minor.$((patch + 102))"
b2="${b1/$v1/$v2}"
b3="${b1/$v1/$v3}"

# ---- the throwaway root, the container and the cleanup ---------------------------------------

WORK="$(mktemp -d "$CHECK_WORKDIR/classroom-gateway-check.XXXXXX")"
ROOTFS="$WORK/rootfs"
machine="cgw-check-$$"
cg="classroom-gateway-check-$$"
prep_pid=""
console="$WORK/console.log"

box_cgroups

cleanup() {
  set +e
  if [ -n "$prep_pid" ]; then kill "$prep_pid" 2>/dev/null; wait "$prep_pid" 2>/dev/null; fi
  if [ -n "$init" ] && [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then poweroff; else kill_container; fi
  if [ "${KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t=$(now)
cp -a --reflink=auto "$CHECK_ROOTFS" "$ROOTFS"
mkdir -p "$ROOTFS/root"
cp "$BUNDLE" "$ROOTFS/root/"
if [ -f "$BUNDLE.sha256" ]; then cp "$BUNDLE.sha256" "$ROOTFS/root/"; fi
timing "fresh copy of the cached root" "$(since "$t")"

# Meanwhile, on the host: release v2 (the same files, relabelled) as a .tar.gz with its .sha256,
# and release v3 (relabelled, its entry point exiting 1 at once) as an unpacked bundle folder.
prepare_upgrades() {
  set -e
  mkdir -p "$WORK/prep"
  tar -xzf "$BUNDLE" -C "$WORK/prep"
  relabel() { # <bundle folder> <version> [broken]
    node -e '
      const fs = require("node:fs"), crypto = require("node:crypto");
      const [top, version, broken] = process.argv.slice(1);
      const changed = ["release/package.json", "release/bundle.json"];
      for (const f of changed.map((f) => `${top}/${f}`)) {
        const json = JSON.parse(fs.readFileSync(f, "utf8"));
        json.version = version;
        fs.writeFileSync(f, `${JSON.stringify(json, null, 2)}\n`);
      }
      if (broken) {
        changed.push("release/dist/gateway/main.js");
        fs.writeFileSync(`${top}/release/dist/gateway/main.js`, `console.error("broken release ${version}: exiting at start (systemd-boot-check)");\nprocess.exit(1);\n`);
      }
      const manifest = fs.readFileSync(`${top}/MANIFEST.sha256`, "utf8").split("\n").map((line) => {
        const file = line.slice(66);
        if (!changed.includes(file)) return line;
        return `${crypto.createHash("sha256").update(fs.readFileSync(`${top}/${file}`)).digest("hex")}  ${file}`;
      });
      fs.writeFileSync(`${top}/MANIFEST.sha256`, manifest.join("\n"));
    ' "$@"
  }
  mv "$WORK/prep/$b1" "$WORK/prep/$b2"
  relabel "$WORK/prep/$b2" "$v2"
  tar --owner=0 --group=0 --numeric-owner -C "$WORK/prep" -cf - "$b2" | gzip -1 > "$ROOTFS/root/$b2.tar.gz"
  (cd "$ROOTFS/root" && sha256sum "$b2.tar.gz" > "$b2.tar.gz.sha256")
  mv "$WORK/prep/$b2" "$ROOTFS/root/$b3"
  relabel "$ROOTFS/root/$b3" "$v3" broken
}
prepare_upgrades > "$WORK/prep.log" 2>&1 &
prep_pid=$!

prop() { ct systemctl show -p "$1" --value "$UNIT"; }
journal_since() { ct journalctl -u "$UNIT" --no-pager -o cat --since "@$1"; }
# "<HTTP status> <version>" of the gateway's health endpoint, with the release's own Node.js.
health() {
  # shellcheck disable=SC2016 # JavaScript
  ct "$OPT/current/node/bin/node" -e '
    const base = process.argv[1];
    (async () => {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
      const status = await fetch(`${base}/api/status`, { signal: AbortSignal.timeout(5000) }).then((r) => r.json()).catch(() => ({}));
      console.log(`${res.status} ${status.gateway?.version ?? "?"}`);
    })().catch((e) => console.log(`down ${e.cause?.code ?? e.message}`));
  ' "${1:-http://127.0.0.1:8080}" 2>/dev/null || echo "down no-node"
}
# Waits up to $1 s until the unit is active/running with a main PID other than $2 and healthy.
wait_back() {
  local deadline=$(($(date +%s) + $1)) old="$2" pid
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pid="$(prop MainPID)"
    if [ "$pid" != 0 ] && [ "$pid" != "$old" ] && [ "$(prop SubState)" = running ] && [ "$(health | cut -d' ' -f1)" = 200 ]; then return 0; fi
    sleep 0.5
  done
  return 1
}
active_running() { [ "$(prop ActiveState)/$(prop SubState)" = active/running ]; }
has() { grep -qF -- "$2" <<< "$1"; }
healthy_at() { [ "$(health "${2:-}")" = "200 $1" ]; }
link_is() { [ "$(ct readlink "$OPT/$1")" = "releases/$2" ]; }
# Snapshot of what install.sh owns: "runs again and changes nothing".
owned_tree() { ct find "$OPT" /etc/systemd/system /etc/udev/rules.d -printf '%p %y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort; }

trap 'echo "systemd-boot-check: stopped by a failing command at line $LINENO" >&2' ERR

# ---- boot -----------------------------------------------------------------------------------------

say "booting a copy of $CHECK_ROOTFS with systemd as PID 1"
boot
say "container: $(ct systemctl --version | head -n 1), state $BOOT_STATE after $BOOT_SECONDS s"
timing "boot to $BOOT_STATE" "$BOOT_SECONDS"
expect "boot: systemd as PID 1 reached running" "$BOOT_STATE" '[ "$BOOT_STATE" = running ]'

# ---- a. install --------------------------------------------------------------------------------

say "a. install: unpack $b1 as the README says, then sudo ./$b1/install.sh"
t=$(now)
ct bash -c "cd /root && { [ ! -f $b1.tar.gz.sha256 ] || sha256sum -c $b1.tar.gz.sha256; } && tar -xzf $b1.tar.gz" | indent
timing "a. sha256sum -c + tar -xzf" "$(since "$t")"
t=$(now)
t_install=$(date +%s)
rc=0
out="$(ct_run "/root/$b1/install.sh")" || rc=$?
printf '%s\n' "$out" | indent
install_s="$(since "$t")"
timing "a. install.sh to healthy" "$install_s"
expect "install.sh succeeds" "exit $rc, $install_s s" '[ "$rc" = 0 ]'
expect "install.sh says installed and running" "" 'has "$out" "Classroom gateway $v1 is installed and running."'
expect "install.sh prints the web address (LAN)" "http://$LAN_IP:8080/" 'has "$out" "Web page        http://$LAN_IP:8080/"'
password="$(sed -n 's/.*Admin password  \([a-z0-9]\{4\}-[a-z0-9]\{4\}-[a-z0-9]\{4\}-[a-z0-9]\{4\}\) .*/\1/p' <<< "$out")"
banner_password="$(journal_since "$t_install" | sed -n 's/.*Admin password  \([a-z0-9-]\{19\}\) .*/\1/p' | tail -n 1)"
expect "install.sh prints the first admin password" "${password:-none} (the gateway's banner: ${banner_password:-none})" \
  '[ -n "$password" ] && [ "$password" = "$banner_password" ]'
state="$(prop ActiveState)/$(prop SubState)/$(prop Type)"
expect "unit active/running, Type=notify (READY=1 seen)" "$state" '[ "$state" = active/running/notify ]'
status_text="$(prop StatusText)"
expect "StatusText from the gateway (sd_notify)" "\"$status_text\"" 'has "$status_text" "running: web"'
ready_s="$(echo "scale=1; ($(prop ActiveEnterTimestampMonotonic) - $(prop ExecMainStartTimestampMonotonic)) / 1000000" | bc)"
timing "a. gateway exec to READY=1" "$ready_s"
enabled="$(ct systemctl is-enabled "$UNIT" || true)"
expect "enabled (WantedBy=multi-user.target)" "$enabled" '[ "$enabled" = enabled ]'
h="$(health "http://$LAN_IP:8080")"
expect "GET /api/health on the LAN address" "$h" '[ "$h" = "200 $v1" ]'

# Nothing below means anything without a running service.
if ! active_running; then
  fail "the service is not running: the other checks are skipped" ""
  ct journalctl -u "$UNIT" --no-pager -o short-monotonic -n 60 | indent || true
  summarise # a FAIL above: exits 1
fi

# ---- b. hardening on the live main process -------------------------------------------------------

say "b. hardening, on the running main process"
pid="$(prop MainPID)"
st="$(ct cat "/proc/$pid/status")"
field() { sed -n "s/^$1:[[:space:]]*//p" <<< "$st" | tr -s '[:space:]' ' ' | sed 's/ $//'; }
uid="$(ct id -u classroom-gw)"
gid="$(ct id -g classroom-gw)"
expect "runs as User=classroom-gw" "pid $pid, Uid $(field Uid), Groups $(field Groups)" \
  '[ "$(field Uid)" = "$uid $uid $uid $uid" ] && [ "$(field Gid)" = "$gid $gid $gid $gid" ]'
# shellcheck disable=SC2034 # read by expect's condition
caps="$(field CapInh)$(field CapPrm)$(field CapEff)$(field CapBnd)$(field CapAmb)"
expect "no capabilities (Inh Prm Eff Bnd Amb all 0)" "CapEff $(field CapEff), CapBnd $(field CapBnd)" '[ -z "${caps//0/}" ] && [ ${#caps} = 80 ]'
expect "NoNewPrivileges" "NoNewPrivs $(field NoNewPrivs)" '[ "$(field NoNewPrivs)" = 1 ]'
expect "seccomp filter (SystemCallFilter=)" "Seccomp $(field Seccomp), $(field Seccomp_filters) filters" '[ "$(field Seccomp)" = 2 ]'
cgroup="$(ct cat "/proc/$pid/cgroup" | grep '^0::')"
expect "in the unit's cgroup" "$cgroup" '[ "$cgroup" = "0::/system.slice/$UNIT" ]'
# In the service's own mount namespace (what the process sees), as root and as the service user.
in_svc() { ct nsenter -t "$pid" -m -- "$@"; }
as_svc() { ct nsenter -t "$pid" -m -- setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"; }
ro=""
for d in /usr /etc "$OPT/current/dist" /var/lib; do
  e="$(in_svc sh -c "touch $d/.cgw-check 2>&1; rm -f $d/.cgw-check" || true)"
  has "$e" "Read-only file system" || ro="$ro $d"
done
expect "ProtectSystem=strict: EROFS for root too" "/usr /etc $OPT/current/dist /var/lib${ro:+; writable:$ro}" '[ -z "$ro" ]'
expect "ReadWritePaths: the data folder is writable" "$DATA, as classroom-gw" \
  'as_svc sh -c "echo ok > $DATA/.cgw-check && rm $DATA/.cgw-check"'
owner="$(ct stat -c '%U %a' "$DATA/settings.json" "$DATA" 2>/dev/null | tr '\n' ' ')"
expect "the gateway wrote settings.json in it" "settings.json, folder: $owner" '[ "$owner" = "classroom-gw 600 classroom-gw 750 " ]'
ct touch /tmp/.cgw-check-outside /root/.cgw-check-home
expect "PrivateTmp: the service's /tmp is its own" "$(in_svc findmnt -no SOURCE /tmp | tail -n 1 | sed 's|.*/systemd-private-|…/systemd-private-|')" \
  '! in_svc test -e /tmp/.cgw-check-outside'
expect "ProtectHome: /root hidden (even from root)" "" '! in_svc test -e /root/.cgw-check-home'
expect "ProtectProc=invisible: PID 1 not visible" "" '! as_svc test -e /proc/1'
expect "ProtectKernelTunables: /proc/sys read-only" "" '! in_svc sh -c "echo x 2>/dev/null > /proc/sys/kernel/domainname"'
# DevicePolicy=closed is a cgroup BPF program: only a process inside the unit's cgroup meets it.
dev="$(ct sh -c "echo \$\$ > /sys/fs/cgroup/system.slice/$UNIT/cgroup.procs && { true <> /dev/null && echo null-ok; } && { true <> /dev/net/tun && echo tun-opened; }" 2>&1 || true)"
expect "DevicePolicy=closed (probe in the unit's cgroup)" "/dev/null: ok; /dev/net/tun: $(grep -o 'Operation not permitted' <<< "$dev" || echo "$dev")" \
  '[ "$(head -n 1 <<< "$dev")" = null-ok ] && ! has "$dev" tun-opened && has "$dev" "Operation not permitted"'
sec="$(ct systemd-analyze security --no-pager "$UNIT" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
expect "systemd-analyze security (online) <= 2.5" "exposure ${sec:-?}" '[ -n "$sec" ] && [ "$(echo "$sec <= 2.5" | bc)" = 1 ]'
mem="MemoryMax=$(prop MemoryMax) MemoryHigh=$(prop MemoryHigh)"
expect "MemoryMax/MemoryHigh set (static)" "$mem" '[ "$mem" = "MemoryMax=1073741824 MemoryHigh=943718400" ]'
if ct test -e "/sys/fs/cgroup/system.slice/$UNIT/memory.max"; then
  memmax="$(ct cat "/sys/fs/cgroup/system.slice/$UNIT/memory.max")"
  expect "MemoryMax enforced (the cgroup's memory.max)" "$memmax" '[ "$memmax" = 1073741824 ]'
else
  printf 'INFO  %-46s %s\n' "MemoryMax NOT enforced in this container" "its cgroup2 has no memory controller (the host binds it to cgroup v1)"
fi

# ---- d. a second install changes nothing ---------------------------------------------------------

say "d. install.sh again"
t=$(now)
# shellcheck disable=SC2034 # read by expect's condition
before="$(owned_tree)"
pid_before="$(prop MainPID)"
n_before="$(prop NRestarts)"
rc=0
out="$(ct_run "/root/$b1/install.sh")" || rc=$?
printf '%s\n' "$out" | indent
timing "d. second install.sh" "$(since "$t")"
expect "second install.sh succeeds, same release" "exit $rc" '[ "$rc" = 0 ] && has "$out" "Release $v1 is already in"'
expect "second install.sh: no new password" "" 'has "$out" "Admin password  unchanged"'
expect "second install.sh changes no file" "" '[ "$before" = "$(owned_tree)" ]'
expect "second install.sh does not restart" "MainPID $pid_before -> $(prop MainPID), NRestarts $n_before -> $(prop NRestarts)" \
  '[ "$(prop MainPID)/$(prop NRestarts)" = "$pid_before/$n_before" ]'

# ---- c. watchdog and Restart=always ---------------------------------------------------------------

say "c. watchdog: a runtime drop-in WatchdogSec=6 (gone at reboot), restart"
ct mkdir -p "/run/systemd/system/$UNIT.d"
ct sh -c "printf '[Service]\nWatchdogSec=6\n' > /run/systemd/system/$UNIT.d/50-check-watchdog.conf"
ct systemctl daemon-reload
ct systemctl restart "$UNIT"
pid="$(prop MainPID)"
n0="$(prop NRestarts)"
expect "WatchdogSec=6 in effect" "WatchdogUSec=$(prop WatchdogUSec)" '[ "$(prop WatchdogUSec)" = 6s ]'
sleep 9
expect "fed: alive 9 s with a 6 s watchdog" "WATCHDOG=1 via systemd-notify; MainPID $pid -> $(prop MainPID)" \
  '[ "$(prop MainPID)/$(prop NRestarts)" = "$pid/$n0" ]'
t_stop=$(date +%s)
t=$(now)
ct kill -STOP "$pid"
say "   SIGSTOP $pid: waiting for the watchdog"
back=0
wait_back 40 "$pid" || back=$?
wd_s="$(since "$t")"
j="$(journal_since "$t_stop")"
grep -E 'atchdog|Main process|Scheduled restart' <<< "$j" | indent || true
expect "hung process killed by the watchdog" "$(grep -m1 -o 'Killing process.*' <<< "$j" || true)" "has \"\$j\" \"Failed with result 'watchdog'\""
nr="$(prop NRestarts)"
expect "restarted and healthy after the watchdog" "$wd_s s after SIGSTOP, NRestarts $n0 -> $nr" '[ "$back" = 0 ] && [ "$nr" = $((n0 + 1)) ]'
timing "c. SIGSTOP to healthy again" "$wd_s"
pid="$(prop MainPID)"
t_kill=$(date +%s)
t=$(now)
ct kill -KILL "$pid"
back=0
# shellcheck disable=SC2034 # read by expect's condition
wait_back 30 "$pid" || back=$?
kill_s="$(since "$t")"
j="$(journal_since "$t_kill")"
nr="$(prop NRestarts)"
expect "kill -9: Restart=always brings it back" "$kill_s s, NRestarts -> $nr" \
  '[ "$back" = 0 ] && [ "$nr" = $((n0 + 2)) ] && has "$j" "status=9/KILL"'
timing "c. kill -9 to healthy again" "$kill_s"
ct rm -rf "/run/systemd/system/$UNIT.d"
ct systemctl daemon-reload

# ---- e. upgrade, automatic rollback, manual rollback -----------------------------------------------

say "e. upgrades: $v2 (this release relabelled, a .tar.gz), $v3 (relabelled, exits 1 at start, a folder)"
t=$(now)
wait "$prep_pid" || { cat "$WORK/prep.log" >&2; prep_pid=""; die "preparing the upgrade bundles failed"; }
prep_pid=""
timing "e. (waiting for the relabelled bundles)" "$(since "$t")"
# The case an upgrade is most often for: the running release crash-loops and systemd has given
# the unit up (its start limit, 6 starts in 5 minutes). Restarts by hand get it there too.
t=$(now)
for _ in 1 2 3 4 5 6 7 8; do ct systemctl restart "$UNIT" 2> /dev/null || break; done
limit="$(prop ActiveState)/$(prop Result)"
expect "start limit reached (setup for the upgrade)" "$limit after restarts by hand" '[ "$limit" = failed/start-limit-hit ]'
timing "e. restarts up to the start limit" "$(since "$t")"
t=$(now)
rc=0
out="$(ct_run "$OPT/current/scripts/install/upgrade.sh" "/root/$b2.tar.gz")" || rc=$?
printf '%s\n' "$out" | indent
up_s="$(since "$t")"
timing "e. upgrade.sh to $v2, healthy" "$up_s"
expect "upgrade.sh to $v2 succeeds (from start-limit-hit)" "exit $rc, $up_s s" '[ "$rc" = 0 ] && has "$out" "Upgraded: release $v2 is running"'
expect "current -> $v2, previous -> $v1" "" 'link_is current "$v2" && link_is previous "$v1"'
expect "healthy on $v2" "$(health)" 'healthy_at "$v2"'
expect "the unpacked tarball is cleaned up" "" 'ct test ! -e "$OPT/.incoming"'

t=$(now)
rc=0
out="$(ct_run "$OPT/current/scripts/install/upgrade.sh" "/root/$b3")" || rc=$?
printf '%s\n' "$out" | indent
bad_s="$(since "$t")"
timing "e. upgrade.sh to broken $v3, rollback" "$bad_s"
expect "broken $v3: upgrade.sh fails (exit 1)" "exit $rc, $bad_s s" '[ "$rc" = 1 ] && has "$out" "UPGRADE FAILED"'
expect "broken $v3: its log lines are shown" "" 'has "$out" "broken release $v3: exiting at start"'
expect "broken $v3: rolled back to $v2 by itself" "" 'has "$out" "Rolled back: release $v2 is running again"'
expect "after it: current -> $v2, previous -> $v1, healthy" "$(health), $(prop ActiveState)/$(prop SubState)" \
  'link_is current "$v2" && link_is previous "$v1" && healthy_at "$v2" && active_running'

t=$(now)
rc=0
out="$(ct_run "$OPT/current/scripts/install/rollback.sh")" || rc=$?
printf '%s\n' "$out" | indent
rb_s="$(since "$t")"
timing "e. rollback.sh by hand" "$rb_s"
expect "rollback.sh by hand: back to $v1" "exit $rc, $rb_s s, $(health)" \
  '[ "$rc" = 0 ] && link_is current "$v1" && healthy_at "$v1" && active_running'

# ---- g. a second boot ---------------------------------------------------------------------------

say "g. power off, boot the same root again"
t=$(now)
poweroff
boot
wait_back 60 0 || true
reboot_s="$(since "$t")"
timing "g. power off + boot + healthy" "$reboot_s"
expect "second boot: the service starts by itself" "$reboot_s s, $(prop ActiveState)/$(prop SubState), $(health)" \
  'active_running && healthy_at "$v1"'
expect "second boot: the shipped watchdog (30 s)" "WatchdogUSec=$(prop WatchdogUSec), NRestarts $(prop NRestarts)" '[ "$(prop WatchdogUSec)" = 30s ]'

# ---- f. uninstall ---------------------------------------------------------------------------------

say "f. uninstall.sh, then uninstall.sh --purge"
t=$(now)
rc=0
out="$(ct_run "$OPT/current/scripts/install/uninstall.sh")" || rc=$?
printf '%s\n' "$out" | indent
expect "uninstall.sh succeeds" "exit $rc" '[ "$rc" = 0 ]'
expect "uninstall.sh: unit gone, nothing running" "LoadState=$(prop LoadState)" \
  '[ "$(prop LoadState)" = not-found ] && ! ct pgrep -u classroom-gw > /dev/null'
expect "uninstall.sh: releases gone, data kept" "$(ct ls "$DATA" 2>/dev/null | tr '\n' ' ')" \
  'ct test ! -e "$OPT" -a -f "$DATA/settings.json" -a -f "$DATA/secrets.json" && ct getent passwd classroom-gw > /dev/null'
rc=0
out="$(ct_run "/root/$b1/uninstall.sh" --purge)" || rc=$?
printf '%s\n' "$out" | indent
expect "uninstall.sh --purge: data and user gone" "exit $rc" \
  '[ "$rc" = 0 ] && ct test ! -e "$DATA" && ! ct getent passwd classroom-gw > /dev/null'
timing "f. uninstall + purge" "$(since "$t")"

if [ "$failed" -gt 0 ]; then
  say "the unit's journal (last 60 lines of this boot):"
  ct journalctl -u "$UNIT" --no-pager -o short-monotonic -n 60 | indent || true
fi
poweroff

summarise "$sec"
