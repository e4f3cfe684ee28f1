#!/usr/bin/env bash
# Upgrades the classroom gateway to another release, with automatic rollback:
#   sudo ./upgrade.sh <bundle.tar.gz>      or, from the new unpacked bundle folder, sudo ./upgrade.sh
# Unpacks the new release beside the running one, switches /opt/classroom-gateway/current,
# restarts and waits for GET /api/health (HEALTH_TIMEOUT, default 180 s). If the new release is
# not healthy in time, switches back to the previous one, restarts it and exits with 1.
# Keeps the newest KEEP_RELEASES releases (default 3), always including the current and previous.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
require_root_or_prefix "$@"
[ -L "$CURRENT_LINK" ] || die "the gateway is not installed here ($CURRENT_LINK missing): use install.sh"
take_lock
trap cleanup_incoming EXIT

resolve_bundle "${1:-}"
verify_bundle
old="$(current_version)"
deploy_release

if [ "$old" = "$BUNDLE_VERSION" ]; then
  say "Release $BUNDLE_VERSION is already current."
  wait_healthy "$BUNDLE_VERSION" "$HEALTH_TIMEOUT" || die "release $BUNDLE_VERSION is current but not healthy; see journalctl -u $UNIT_NAME"
  exit 0
fi

say "Upgrading from $old to $BUNDLE_VERSION."
if ! switch_with_rollback; then
  say "UPGRADE FAILED: release $BUNDLE_VERSION was not healthy; $(current_version) is current."
  exit 1
fi
prune_releases
say "Upgraded: release $BUNDLE_VERSION is running (previous: $old; to go back: sudo $OPT_DIR/current/scripts/install/rollback.sh)."
