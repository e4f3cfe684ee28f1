#!/usr/bin/env bash
# sudo npm run check:arm64-vm [-- <classroom-gateway-<version>-linux-arm64.tar.gz>]
#
# The arm64 bundle on a fresh arm64 machine: boots a Debian bookworm arm64 system in a full-system
# emulated VM (qemu-system-aarch64, TCG software emulation: no KVM needed or used) with its own
# kernel and the real systemd as PID 1, and inside it runs the bundle's own install.sh, waits for
# the service to report healthy, and reads the hardening off the live main process (user, CapEff,
# NoNewPrivs, seccomp, the cgroup's memory.max, systemd-analyze security). The VM reports on its
# serial console; this script parses that and prints PASS/FAIL lines and timings; exit 1 if
# anything failed. Details: scripts/install/README.md. NOT run by CI (.ci/run): too slow.
#
# HOW LONG (measured, 2-core x86-64 host): 4-6 MINUTES per run (6 with the host busy): disk image ~4 s, VM boot to
# the check ~15 s, unpack ~35 s, install.sh ~165 s (of it the gateway's emulated start to READY
# ~105 s), power off ~25 s. The first run adds ~4.5 min for the cached arm64 root (debootstrap
# under qemu-user ~3 min, the kernel and a small initramfs ~1.5 min): ~8.5 min in all.
#
# Needs root on an x86-64 Linux host and deb.debian.org the first time. Installs from Debian when
# missing: qemu-system-arm and qemu-user-static >= 8 (bookworm-backports on Debian 12: QEMU 7.2
# crashes inside onnxruntime), debootstrap, e2fsprogs, bc. Registers qemu-aarch64 with binfmt_misc
# for the debootstrap only (mounting binfmt_misc if needed) and puts both back as it found them.
#
# Environment:
#   CHECK_BUNDLE=<arm64 .tar.gz>  the bundle (also the first argument); default:
#                                 dist/classroom-gateway-<version>-linux-arm64.tar.gz, built if missing
#   CHECK_ROOTFS=/var/cache/classroom-gateway-check/rootfs-bookworm-arm64
#                                 the cached clean arm64 root with its kernel (~600 MB); each run
#                                 makes a throwaway disk image from it
#   CHECK_WORKDIR=/var/tmp        where the image goes (3 GB sparse, ~1.3 GB used, while it runs)
#   DEBIAN_MIRROR=http://deb.debian.org/debian
#   VM_TIMEOUT=1200 (s, the whole VM run, then it is killed)  BOOT_TIMEOUT=600 (s, to the check)
#   HEALTH_TIMEOUT=600 (s, given to install.sh: its health wait under emulation)
#   VM_SMP=2  VM_MEM=2048  IMAGE_SIZE=3G  KEEP=1 keeps the work folder (image, console log)
#   EMULATION_DROPIN=1            adds /etc/systemd/system/classroom-gateway.service.d/50-emulated.conf
#                                 (TimeoutStartSec=900, WatchdogSec=300) in the VM, for when the
#                                 emulated start outlasts the shipped limits; off by default, and
#                                 its use is printed in the results
# shellcheck disable=SC2016,SC2034 # expect's conditions: shell code in single quotes, evaluated by expect
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECK_ROOTFS="${CHECK_ROOTFS:-/var/cache/classroom-gateway-check/rootfs-bookworm-arm64}"
CHECK_WORKDIR="${CHECK_WORKDIR:-/var/tmp}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
VM_TIMEOUT="${VM_TIMEOUT:-1200}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-600}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-600}"
VM_SMP="${VM_SMP:-2}"
VM_MEM="${VM_MEM:-2048}"
IMAGE_SIZE="${IMAGE_SIZE:-3G}"
EMULATION_DROPIN="${EMULATION_DROPIN:-0}"
BUNDLE="${1:-${CHECK_BUNDLE:-}}"
INCLUDE=systemd,systemd-sysv,dbus,udev,ca-certificates,iproute2,procps
STAMP="bookworm arm64 minbase $INCLUDE linux-image-arm64 v1"
UNIT=classroom-gateway.service
MARK='@@CGW' # the VM's report lines on its serial console start with this

CHECK_TAG=arm64-vm
CHECK_TITLE="arm64 VM check"
# shellcheck source=scripts/install/check-report.sh
. "$ROOT/scripts/install/check-report.sh"

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, binfmt_misc, the image)"
[ "$(uname -m)" = x86_64 ] || die "needs an x86-64 host"

# ---- tools -----------------------------------------------------------------------------------------

qemu_major() { "$1" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n 1; }
need=()
backports=()
[ "$(qemu_major qemu-system-aarch64)" -ge 8 ] 2>/dev/null || need+=(qemu-system-arm)
[ "$(qemu_major qemu-aarch64-static)" -ge 8 ] 2>/dev/null || need+=(qemu-user-static)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v bc >/dev/null || need+=(bc)
if [ ${#need[@]} -gt 0 ]; then
  # shellcheck source=/dev/null
  if [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" = bookworm ]; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
    backports=(-t bookworm-backports)
  fi
  say "installing from Debian ${backports[*]}: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${backports[@]}" "${need[@]}" >/dev/null
fi
[ "$(qemu_major qemu-system-aarch64)" -ge 8 ] || die "qemu-system-aarch64 >= 8 needed: $(qemu-system-aarch64 --version | head -n 1)"
say "$(qemu-system-aarch64 --version | head -n 1)"

# ---- the cached arm64 root (debootstrap under qemu-user through binfmt_misc) -------------------------

BINFMT=/proc/sys/fs/binfmt_misc
binfmt_mounted=""
binfmt_registered=""
binfmt_undo() {
  if [ -n "$binfmt_registered" ]; then echo -1 > "$BINFMT/qemu-aarch64" 2>/dev/null || true; binfmt_registered=""; fi
  if [ -n "$binfmt_mounted" ]; then umount "$BINFMT" 2>/dev/null || true; binfmt_mounted=""; fi
}
binfmt_register() {
  if [ ! -e "$BINFMT/register" ]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc (needed once, to debootstrap the arm64 root)"
    binfmt_mounted=1
  fi
  [ -e "$BINFMT/qemu-aarch64" ] && return 0
  local line conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  # F: the interpreter is opened now, so it works inside the chroot too.
  if [ -f "$conf" ] && [ -x "$(cut -d: -f7 "$conf")" ]; then
    line="$(cat "$conf")"
  else
    line=':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:F'
  fi
  printf '%s' "$line" > "$BINFMT/register"
  binfmt_registered=1
}

WORK=""
qemu_pid=""
cleanup() {
  set +e
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill -TERM "$qemu_pid"; sleep 2; kill -KILL "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null
  fi
  binfmt_undo
  if [ -n "$WORK" ]; then
    if [ "${KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$(dirname "$CHECK_ROOTFS")"
exec 8>"$CHECK_ROOTFS.lock"
flock -w 900 8 || die "another run holds $CHECK_ROOTFS.lock"
if [ "$(cat "$CHECK_ROOTFS/.classroom-gateway-check" 2>/dev/null)" != "$STAMP" ]; then
  t=$(now)
  binfmt_register
  say "debootstrapping a clean Debian bookworm arm64 root with its kernel into $CHECK_ROOTFS (once; ~4 min)"
  rm -rf "$CHECK_ROOTFS.partial"
  timeout 1800 debootstrap --arch=arm64 --variant=minbase --include="$INCLUDE" bookworm "$CHECK_ROOTFS.partial" "$DEBIAN_MIRROR" \
    > "$CHECK_ROOTFS.debootstrap.log" 2>&1 || { tail -20 "$CHECK_ROOTFS.debootstrap.log" >&2; die "debootstrap failed (log: $CHECK_ROOTFS.debootstrap.log)"; }
  echo cgw-arm64 > "$CHECK_ROOTFS.partial/etc/hostname"
  # The kernel after the root, with a small initramfs: the default (MODULES=most) copies ~3000
  # modules one emulated cp at a time, and initramfs-tools' trigger builds it twice (~18 min).
  # The VM needs only the virtio disk and ext4 (with crc32c for its metadata checksums).
  mkdir -p "$CHECK_ROOTFS.partial/etc/initramfs-tools/conf.d"
  printf 'MODULES=list\n' > "$CHECK_ROOTFS.partial/etc/initramfs-tools/conf.d/cgw-vm.conf"
  printf '%s\n' virtio_pci virtio_blk virtio_net ext4 crc32c_generic libcrc32c >> "$CHECK_ROOTFS.partial/etc/initramfs-tools/modules"
  say "installing linux-image-arm64 into it"
  mount -t proc proc "$CHECK_ROOTFS.partial/proc"
  kernel_rc=0
  timeout 1200 chroot "$CHECK_ROOTFS.partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends linux-image-arm64 \
    >> "$CHECK_ROOTFS.debootstrap.log" 2>&1 || kernel_rc=$?
  umount "$CHECK_ROOTFS.partial/proc"
  [ "$kernel_rc" = 0 ] || { tail -20 "$CHECK_ROOTFS.debootstrap.log" >&2; die "installing the kernel failed (log: $CHECK_ROOTFS.debootstrap.log)"; }
  chroot "$CHECK_ROOTFS.partial" apt-get clean
  ls "$CHECK_ROOTFS.partial"/boot/vmlinuz-* "$CHECK_ROOTFS.partial"/boot/initrd.img-* > /dev/null || die "no kernel/initrd in the arm64 root"
  echo "$STAMP" > "$CHECK_ROOTFS.partial/.classroom-gateway-check"
  rm -rf "$CHECK_ROOTFS"
  mv "$CHECK_ROOTFS.partial" "$CHECK_ROOTFS"
  binfmt_undo
  timing "debootstrap arm64 + kernel (cached)" "$(since "$t")"
fi

# ---- the bundle ------------------------------------------------------------------------------------

version="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
if [ -z "$BUNDLE" ]; then
  BUNDLE="$ROOT/dist/classroom-gateway-${version}-linux-arm64.tar.gz"
  if [ ! -f "$BUNDLE" ]; then
    t=$(now)
    say "no arm64 bundle yet: building it (build-bundle.sh)"
    bash "$ROOT/scripts/install/build-bundle.sh" | indent
    timing "bundle build (arm64)" "$(since "$t")"
  fi
fi
[ -f "$BUNDLE" ] || die "$BUNDLE not found"
case "$(basename "$BUNDLE")" in *-linux-arm64.tar.gz) ;; *) die "$BUNDLE: expected a …-linux-arm64.tar.gz bundle" ;; esac
say "bundle: $BUNDLE ($(du -h "$BUNDLE" | cut -f1))"

# ---- the throwaway disk image -------------------------------------------------------------------------

WORK="$(mktemp -d "$CHECK_WORKDIR/classroom-gateway-arm64-vm.XXXXXX")"
ROOTFS="$WORK/rootfs"
IMAGE="$WORK/disk.ext4"
console="$WORK/console.log"
t=$(now)
cp -a --reflink=auto "$CHECK_ROOTFS" "$ROOTFS"
flock -u 8
kernel="$(find "$ROOTFS/boot" -name 'vmlinuz-*' | sort -V | tail -n 1)"
initrd="$ROOTFS/boot/initrd.img-${kernel##*/vmlinuz-}"
cp "$kernel" "$WORK/vmlinuz"
cp "$initrd" "$WORK/initrd.img"
cp "$BUNDLE" "$ROOTFS/root/"
if [ -f "$BUNDLE.sha256" ]; then cp "$BUNDLE.sha256" "$ROOTFS/root/"; fi
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$ROOTFS/etc/fstab"

# The check inside the VM: a plain oneshot service of the boot (no ordering after multi-user.target,
# which waits for it: that would deadlock), reporting on the serial console, then powering off.
cat > "$ROOTFS/etc/systemd/system/cgw-vm-check.service" <<'EOF'
[Unit]
Description=classroom gateway arm64 VM check (arm64-vm-check.sh)
After=network.target systemd-user-sessions.service
[Service]
Type=oneshot
TimeoutStartSec=infinity
ExecStart=/usr/local/sbin/cgw-vm-check
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyAMA0
[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$ROOTFS/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/cgw-vm-check.service "$ROOTFS/etc/systemd/system/multi-user.target.wants/cgw-vm-check.service"
# No login prompt in the middle of the report.
ln -sf /dev/null "$ROOTFS/etc/systemd/system/serial-getty@ttyAMA0.service"
printf 'HEALTH_TIMEOUT=%s\nEMULATION_DROPIN=%s\nUNIT=%s\nMARK=%s\n' "$HEALTH_TIMEOUT" "$EMULATION_DROPIN" "$UNIT" "$MARK" > "$ROOTFS/etc/cgw-vm-check.env"
cat > "$ROOTFS/usr/local/sbin/cgw-vm-check" <<'EOF'
#!/bin/bash
# Written by arm64-vm-check.sh: runs once at boot in the arm64 VM, reports on the serial console.
. /etc/cgw-vm-check.env
r() { printf '%s %s\n' "$MARK" "$*"; }
kv() { r "KV $1=$2"; }
t0=$(date +%s.%N)
el() { awk -v a="$(date +%s.%N)" -v b="${1:-$t0}" 'BEGIN{printf "%.1f", a-b}'; } # s since $1 (default: the start)
r "BEGIN"
kv uptime "$(cut -d' ' -f1 /proc/uptime)"
kv arch "$(uname -m) $(uname -r)"
kv systemd "$(systemctl --version | head -n 1)"
kv cpu "$(nproc) cpus, $(awk '/MemTotal/{print $2" kB"}' /proc/meminfo)"
kv boot_analyze "$(systemd-analyze time 2>/dev/null | head -n 1)"
# A LAN address for install.sh to print (QEMU user networking: 10.0.2.15).
dev="$(ip -o link | awk -F': ' '$2 != "lo" {print $2; exit}')"
if [ -n "$dev" ]; then ip addr add 10.0.2.15/24 dev "$dev" 2>/dev/null; ip link set "$dev" up; fi
cd /root || exit 1
b="$(ls classroom-gateway-*-linux-arm64.tar.gz | head -n 1)"
if [ -f "$b.sha256" ]; then kv sha256 "$(sha256sum -c "$b.sha256" 2>&1 | tail -n 1)"; fi
tar -xzf "$b"
kv unpack_s "$(el)"
if [ "$EMULATION_DROPIN" = 1 ]; then
  mkdir -p "/etc/systemd/system/$UNIT.d"
  printf '[Service]\n# arm64-vm-check.sh EMULATION_DROPIN=1: the start under TCG emulation is slower than on a Pi\nTimeoutStartSec=900\nWatchdogSec=300\n' > "/etc/systemd/system/$UNIT.d/50-emulated.conf"
  kv dropin "TimeoutStartSec=900 WatchdogSec=300"
fi
r "INSTALL-BEGIN"
ti=$(date +%s.%N)
HEALTH_TIMEOUT="$HEALTH_TIMEOUT" "./${b%.tar.gz}/install.sh" 2>&1 | sed "s/^/$MARK OUT /"
rc=${PIPESTATUS[0]}
kv install_rc "$rc"
kv install_s "$(el "$ti")"
r "INSTALL-END"
for _ in $(seq 1 "$HEALTH_TIMEOUT"); do
  [ "$(systemctl is-active "$UNIT")" = active ] && break
  sleep 1
done
kv is_active "$(systemctl is-active "$UNIT")"
node=/opt/classroom-gateway/current/node/bin/node
health=down
for _ in $(seq 1 "$((HEALTH_TIMEOUT / 5))"); do
  health="$("$node" -e 'fetch("http://127.0.0.1:8080/api/health",{signal:AbortSignal.timeout(20000)}).then(r=>console.log(r.status),e=>console.log("down "+(e.cause?.code??e.message)))' 2>/dev/null || echo down)"
  [ "$health" = 200 ] && break
  sleep 5
done
kv health "$health"
kv healthy_after_install_begin_s "$(el "$ti")"
# Start (fork) to READY (Type=notify: active) of the running main process, from systemd's own clock.
s="$(systemctl show -p ExecMainStartTimestampMonotonic --value "$UNIT")"
a="$(systemctl show -p ActiveEnterTimestampMonotonic --value "$UNIT")"
kv start_to_ready_s "$(awk -v a="$a" -v s="$s" 'BEGIN{printf "%.1f", (a-s)/1e6}')"
while IFS= read -r line; do kv "show_${line%%=*}" "${line#*=}"; done < <(systemctl show -p ActiveState,SubState,StatusText,NRestarts,MainPID,WatchdogUSec,TimeoutStartUSec,MemoryMax "$UNIT")
pid="$(systemctl show -p MainPID --value "$UNIT")"
if [ "${pid:-0}" != 0 ]; then
  for f in Uid CapEff NoNewPrivs Seccomp; do kv "proc_$f" "$(awk -v f="$f:" '$1 == f {$1 = ""; sub(/^ /, ""); gsub(/\t/, " "); print}' "/proc/$pid/status")"; done
  cg="$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
  kv cgroup "$cg"
  kv cgroup_memory_max "$(cat "/sys/fs/cgroup$cg/memory.max" 2>&1)"
  kv cgroup_controllers "$(cat "/sys/fs/cgroup$cg/cgroup.controllers" 2>&1)"
  kv rss_kb "$(awk '/VmRSS/{print $2}' "/proc/$pid/status")"
fi
kv security "$(systemd-analyze security --no-pager "$UNIT" 2>&1 | tail -n 1)"
journalctl -u "$UNIT" --no-pager -o short-monotonic -n 40 | sed "s/^/$MARK JOURNAL /"
r "END"
sync
systemctl poweroff --no-block
EOF
chmod 755 "$ROOTFS/usr/local/sbin/cgw-vm-check"
truncate -s "$IMAGE_SIZE" "$IMAGE"
mkfs.ext4 -q -F -L cgw-root -d "$ROOTFS" "$IMAGE" || die "mkfs.ext4 -d failed"
rm -rf "$ROOTFS"
image_s="$(since "$t")"
timing "disk image (copy of the root + bundle)" "$image_s"
say "disk image ready ($image_s s): $(du -h "$IMAGE" | cut -f1) used of $IMAGE_SIZE"

# ---- the VM ---------------------------------------------------------------------------------------------

say "booting the arm64 VM (qemu-system-aarch64 -M virt, TCG, ${VM_SMP} cpus, ${VM_MEM} MB); console: $console"
t_vm=$(now)
: > "$console"
# pauth-impdef: the architected pointer-authentication algorithm (QARMA) is very slow to emulate.
qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -smp "$VM_SMP" -m "$VM_MEM" -accel tcg,thread=multi \
  -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
  -append 'root=/dev/vda rw console=ttyAMA0 systemd.show_status=false' \
  -drive "file=$IMAGE,format=raw,if=virtio" -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
  -display none -monitor none -serial "file:$console" -no-reboot < /dev/null > "$WORK/qemu.log" 2>&1 &
qemu_pid=$!
deadline=$(($(date +%s) + VM_TIMEOUT))
boot_deadline=$(($(date +%s) + BOOT_TIMEOUT))
boot_s=""
install_seen=""
timed_out=""
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ -z "$boot_s" ] && grep -q "^$MARK BEGIN" "$console"; then boot_s="$(since "$t_vm")"; say "VM booted, the check started ($boot_s s)"; fi
  if [ -z "$install_seen" ] && grep -q "^$MARK INSTALL-END" "$console"; then install_seen=1; say "install.sh finished: $(sed -n "s/^$MARK KV install_rc=//p" "$console" | tr -d '\r')"; fi
  if [ -z "$boot_s" ] && [ "$(date +%s)" -gt "$boot_deadline" ]; then timed_out="boot (${BOOT_TIMEOUT} s)"; break; fi
  if [ "$(date +%s)" -gt "$deadline" ]; then timed_out="the VM run (${VM_TIMEOUT} s)"; break; fi
  sleep 2
done
clean_exit=1
if kill -0 "$qemu_pid" 2>/dev/null; then
  clean_exit=0
  kill -TERM "$qemu_pid"; sleep 2; kill -KILL "$qemu_pid" 2>/dev/null || true
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=""
vm_s="$(since "$t_vm")"

# ---- the results -----------------------------------------------------------------------------------------

tr -d '\r' < "$console" > "$console.txt"
kvget() { sed -n "s/^$MARK KV $1=//p" "$console.txt" | tail -n 1; }
echo
echo "from the VM:"
grep "^$MARK KV " "$console.txt" | sed "s/^$MARK KV /  /"
echo "install.sh in the VM:"
grep "^$MARK OUT " "$console.txt" | sed "s/^$MARK OUT //" | indent
echo

expect "VM booted to the check (real systemd, arm64)" "${boot_s:-never} s; $(kvget arch); $(kvget systemd | cut -d' ' -f1-2)" '[ -n "$boot_s" ] && [[ "$(kvget arch)" == aarch64* ]]'
if [ -n "$timed_out" ]; then fail "VM finished in time" "timed out: $timed_out"; fi
rc="$(kvget install_rc)"
expect "install.sh succeeds (HEALTH_TIMEOUT=$HEALTH_TIMEOUT)" "exit ${rc:-none}, $(kvget install_s) s" '[ "$rc" = 0 ]'
state="$(kvget show_ActiveState)/$(kvget show_SubState)"
expect "service active/running" "$state, StatusText: $(kvget show_StatusText)" '[ "$state" = active/running ]'
health="$(kvget health)"
expect "GET /api/health = 200 (bundle's node)" "${health:-none}, $(kvget healthy_after_install_begin_s) s after install.sh began" '[ "$health" = 200 ]'
nr="$(kvget show_NRestarts)"
expect "no restarts (watchdog, start timeout)" "NRestarts=${nr:-?}, WatchdogUSec=$(kvget show_WatchdogUSec), TimeoutStartUSec=$(kvget show_TimeoutStartUSec)" '[ "$nr" = 0 ]'
uid="$(kvget proc_Uid)"
expect "runs as the service user, not root" "Uid: $uid" '[ -n "$uid" ] && [ "${uid%% *}" != 0 ]'
cap="$(kvget proc_CapEff)"
expect "CapEff empty" "CapEff: ${cap:-?}" '[ "$cap" = 0000000000000000 ]'
nnp="$(kvget proc_NoNewPrivs)"
expect "NoNewPrivs" "NoNewPrivs: ${nnp:-?}" '[ "$nnp" = 1 ]'
sc="$(kvget proc_Seccomp)"
expect "seccomp filter on (SystemCallFilter)" "Seccomp: ${sc:-?} (2 = filter)" '[ "$sc" = 2 ]'
memmax="$(kvget cgroup_memory_max)"
expect "MemoryMax enforced (the cgroup's memory.max)" "memory.max=${memmax:-?} ($(kvget cgroup))" '[ "$memmax" = 1073741824 ]'
secline="$(kvget security)"
sec="$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<< "$secline")"
expect "systemd-analyze security <= 2.5" "exposure ${sec:-?}: $secline" '[ -n "$sec" ] && [ "$(echo "$sec <= 2.5" | bc)" = 1 ]'
expect "VM powered off by itself" "" '[ "$clean_exit" = 1 ] && grep -q "^$MARK END" "$console.txt"'
if [ "$EMULATION_DROPIN" = 1 ]; then printf 'INFO  %-46s %s\n' "emulation drop-in used" "$(kvget dropin)"; fi

if [ "$failed" -gt 0 ]; then
  echo "the unit's journal (last lines, from the VM):"
  grep "^$MARK JOURNAL " "$console.txt" | sed "s/^$MARK JOURNAL //" | indent || true
  echo "console tail:"
  grep -v "^$MARK" "$console.txt" | tail -n 30 | indent || true
fi

timing "VM boot to the check (TCG)" "${boot_s:-?}"
timing "install.sh in the VM" "$(kvget install_s)"
timing "gateway start to READY (systemd)" "$(kvget start_to_ready_s)"
timing "install.sh begin to health 200" "$(kvget healthy_after_install_begin_s)"
timing "whole VM run (to power off)" "$vm_s"
summarise "$sec"
