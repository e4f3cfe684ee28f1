#!/usr/bin/env bash
# Installs the classroom gateway from an offline bundle (no network needed):
#   sudo ./install.sh                      from the unpacked bundle folder
#   sudo ./install.sh <bundle.tar.gz>      straight from the tarball (checked against its .sha256)
# Creates the service user and folders, unpacks the release to
# /opt/classroom-gateway/releases/<version>, points /opt/classroom-gateway/current at it, installs
# the systemd unit and udev rules, enables and starts the service, waits until it is healthy and
# prints the web address and, on the first start, the admin password.
# Running it again changes nothing. If another release is running, this is an upgrade (with
# automatic rollback, as upgrade.sh). The data in /var/lib/classroom-gateway is never touched.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
require_root_or_prefix "$@"
take_lock
trap cleanup_incoming EXIT

resolve_bundle "${1:-}"
verify_bundle
say "Installing classroom gateway $BUNDLE_VERSION."

ensure_user
ensure_dirs
deploy_release

old="$(current_version)"
first_start=1
if [ -e "$DATA_DIR/secrets.json" ]; then first_start=0; fi
since="$(date +%s)"

if [ -n "$old" ] && [ "$old" != "$BUNDLE_VERSION" ]; then
  say "Release $old is installed: upgrading to $BUNDLE_VERSION."
  switch_with_rollback || die "the upgrade to $BUNDLE_VERSION failed; $(current_version) is running"
else
  if [ "$old" != "$BUNDLE_VERSION" ]; then point_link "$CURRENT_LINK" "$BUNDLE_VERSION"; fi
  install_system_files "$RELEASES_DIR/$BUNDLE_VERSION"
  # Installing again after a failed start (say, fixed settings) must not meet the start limit.
  if svc is-failed --quiet "$UNIT_NAME" 2>/dev/null; then svc reset-failed "$UNIT_NAME" || true; fi
  if [ "$UNITS_CHANGED" = 1 ] && svc is-active --quiet "$UNIT_NAME"; then
    say "The unit changed: restarting the service."
    svc restart "$UNIT_NAME"
  fi
  svc enable --now --quiet "$UNIT_NAME"
  if ! wait_healthy "$BUNDLE_VERSION" "$HEALTH_TIMEOUT"; then
    say "Its last log lines:"
    journal_tail 30 | sed 's/^/  | /'
    die "the gateway did not become healthy; see journalctl -u $UNIT_NAME"
  fi
fi
prune_releases

say ""
say "  Classroom gateway $(current_version) is installed and running."
say "  Web page        $(web_address)"
if [ "$first_start" = 1 ]; then
  password="$(first_password_since "$since")"
  if [ -n "$password" ]; then
    say "  Admin password  $password   <- shown once; write it down (user admin on the page and in /admin)"
  else
    say "  Admin password  (look for \"Admin password\" in: journalctl -u $UNIT_NAME)"
  fi
else
  say "  Admin password  unchanged (to reset: delete adminPasswordHash from $DATA_DIR/secrets.json, then systemctl restart $UNIT_NAME)"
fi
say "  Data            $DATA_DIR   (settings: $SETTINGS_FILE)"
say "  Logs            journalctl -u $UNIT_NAME"
say ""
