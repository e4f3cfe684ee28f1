#!/usr/bin/env bash
# Sourced by systemd-boot-check.sh: a Debian bookworm amd64 "box" with systemd as PID 1, booted
# with systemd-nspawn (no systemd or machined needed on the host), and the ways into it.
# Uses from the caller: say, die, now, since, timing, indent; CHECK_ROOTFS, DEBIAN_MIRROR,
# INCLUDE, STAMP (the cached root); ROOTFS, machine, cg, console, BOOT_TIMEOUT, STEP_TIMEOUT,
# LAN_IP (this run). box_cgroups (call it once, before boot and the cleanup trap) sets cg_dirs and
# launcher; boot sets nspawn_pid and init (the container's PID 1, for nsenter), BOOT_STATE and
# BOOT_SECONDS; poweroff ends with kill_container, which clears nspawn_pid and init.
# shellcheck shell=bash disable=SC2154,SC2034 # the caller's variables, and those it reads, listed above

nspawn_pid=""
init=""

# debootstrap, systemd-container and friends from Debian, and the clean root, debootstrapped once.
ensure_cached_root() {
  local need=() t
  command -v systemd-nspawn >/dev/null || need+=(systemd-container)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  command -v nsenter >/dev/null || need+=(util-linux)
  command -v bc >/dev/null || need+=(bc)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing from Debian: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi

  t=$(now)
  mkdir -p "$(dirname "$CHECK_ROOTFS")"
  exec 8>"$CHECK_ROOTFS.lock"
  flock -w 900 8 || die "another run holds $CHECK_ROOTFS.lock"
  if [ "$(cat "$CHECK_ROOTFS/.classroom-gateway-check" 2>/dev/null)" != "$STAMP" ]; then
    say "debootstrapping a clean Debian bookworm amd64 root into $CHECK_ROOTFS (once; ~280 MB)"
    rm -rf "$CHECK_ROOTFS.partial"
    timeout 900 debootstrap --variant=minbase --include="$INCLUDE" bookworm "$CHECK_ROOTFS.partial" "$DEBIAN_MIRROR" \
      > "$CHECK_ROOTFS.debootstrap.log" 2>&1 || { tail -20 "$CHECK_ROOTFS.debootstrap.log" >&2; die "debootstrap failed (log: $CHECK_ROOTFS.debootstrap.log)"; }
    echo cgw-check > "$CHECK_ROOTFS.partial/etc/hostname"
    chroot "$CHECK_ROOTFS.partial" apt-get clean
    echo "$STAMP" > "$CHECK_ROOTFS.partial/.classroom-gateway-check"
    rm -rf "$CHECK_ROOTFS"
    mv "$CHECK_ROOTFS.partial" "$CHECK_ROOTFS"
    timing "debootstrap (cached for next runs)" "$(since "$t")"
  fi
  flock -u 8
}

# nspawn without a host systemd: it needs a cgroup of its own to put the container's under.
box_cgroups() {
  cg_dirs=()
  launcher=()
  if [ -d /run/systemd/system ]; then
    # A host running systemd: a transient scope is that cgroup (not exercised in CI).
    launcher=(systemd-run --scope --quiet --collect -p Delegate=yes --unit="$cg")
  elif [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    cg_dirs=("/sys/fs/cgroup/$cg")
  else
    cg_dirs=("/sys/fs/cgroup/systemd/$cg")
    if [ -d /sys/fs/cgroup/unified ]; then cg_dirs+=("/sys/fs/cgroup/unified/$cg"); fi
  fi
}

kill_container() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid" 2>/dev/null; sleep 2
    kill -TERM "$nspawn_pid" 2>/dev/null; sleep 2
    kill -KILL "$nspawn_pid" 2>/dev/null
  fi
  local d p
  for d in "${cg_dirs[@]}"; do
    [ -d "$d" ] || continue
    # Whatever is left in the container's cgroups.
    while IFS= read -r p; do kill -KILL "$p" 2>/dev/null; done < <(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  if [ -n "$nspawn_pid" ]; then wait "$nspawn_pid" 2>/dev/null; fi
  nspawn_pid=""
  init=""
  for d in "${cg_dirs[@]}"; do
    for _ in 1 2 3 4 5; do
      [ -d "$d" ] || break
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
      [ -d "$d" ] && sleep 0.5
    done
  done
  return 0
}

boot() {
  local t0 state="" d
  t0=$(now)
  for d in "${cg_dirs[@]}"; do mkdir -p "$d"; done
  : > "$console"
  # CAP_BPF and the bpf() call: without them the container's systemd cannot attach its cgroup
  # BPF programs and DevicePolicy=/IPAddress*= are silently not enforced.
  # shellcheck disable=SC2016 # the inner script's own variables
  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid "${launcher[@]}" bash -c '
    n=$1; shift
    for ((i = 0; i < n; i++)); do echo $$ > "$1/cgroup.procs"; shift; done
    exec "$@"' boot "${#cg_dirs[@]}" "${cg_dirs[@]}" \
    systemd-nspawn -q -D "$ROOTFS" -M "$machine" -b --register=no --keep-unit --console=read-only \
    --network-veth --capability=CAP_BPF --system-call-filter=bpf systemd.show_status=false \
    < /dev/null > "$console" 2>&1 &
  nspawn_pid=$!
  local deadline=$(($(date +%s) + BOOT_TIMEOUT))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "$nspawn_pid" 2>/dev/null || break
    if [ -z "$init" ]; then init="$(pgrep -P "$nspawn_pid" | head -n 1 || true)"; fi
    if [ -n "$init" ]; then
      state="$(timeout 5 nsenter -t "$init" -a systemctl is-system-running 2>/dev/null || true)"
      case "$state" in running | degraded) break ;; esac
    fi
    sleep 0.2
  done
  case "$state" in
    running | degraded) ;;
    *) tail -n 40 "$console" >&2; die "the container did not boot within $BOOT_TIMEOUT s (state: ${state:-none})" ;;
  esac
  BOOT_SECONDS="$(since "$t0")"
  BOOT_STATE="$state"
  if [ "$state" = degraded ]; then ct systemctl --failed --no-pager --plain | indent; fi
  # The classroom LAN: an address on the container's veth, so install.sh has a web address to print.
  ct ip addr add "$LAN_IP/24" dev host0
  ct ip link set host0 up
}

poweroff() {
  ct systemctl poweroff --no-block >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
  kill_container
}

# A command in the container, as root (like a root shell on the box).
ct() {
  timeout -k 5 "${CT_TIMEOUT:-60}" nsenter -t "$init" -a \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}
# A script in the container as a transient service of its systemd (like sudo on the box); output on stdout.
ct_run() {
  timeout -k 5 "$STEP_TIMEOUT" nsenter -t "$init" -a systemd-run --wait --pipe --quiet --collect \
    --setenv=LANG=C.UTF-8 -- "$@" < /dev/null 2>&1
}
