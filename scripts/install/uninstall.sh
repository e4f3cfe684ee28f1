#!/usr/bin/env bash
# Removes the classroom gateway:
#   sudo ./uninstall.sh            stops and removes the service, unit, udev rules and releases;
#                                  KEEPS the data (/var/lib/classroom-gateway: settings, outbox,
#                                  scans, secrets, Node-RED flows) and the service user
#   sudo ./uninstall.sh --purge    also deletes the data and the service user. Cannot be undone.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=0
case "${1:-}" in
  "") ;;
  --purge) purge=1 ;;
  -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 (use --purge to delete the data too)" ;;
esac
require_root_or_prefix "$@"

if [ -e "$UNIT_DIR/$UNIT_NAME" ] || [ -L "$CURRENT_LINK" ]; then
  svc disable --now --quiet "$UNIT_NAME" 2>/dev/null || svc stop "$UNIT_NAME" 2>/dev/null || true
  say "Stopped and disabled $UNIT_NAME."
fi
if [ -e "$UNIT_DIR/$UNIT_NAME" ]; then
  rm -f "$UNIT_DIR/$UNIT_NAME"
  svc daemon-reload
  say "Removed $UNIT_DIR/$UNIT_NAME."
fi
if [ -e "$UDEV_RULES_DIR/$RULES_NAME" ]; then
  rm -f "$UDEV_RULES_DIR/$RULES_NAME"
  "$UDEVADM" control --reload 2>/dev/null || true
  say "Removed $UDEV_RULES_DIR/$RULES_NAME."
fi
if [ -d "$OPT_DIR" ]; then
  rm -rf "$OPT_DIR"
  say "Removed $OPT_DIR (all releases)."
fi

if [ "$purge" = 1 ]; then
  if [ -d "$DATA_DIR" ]; then
    rm -rf "$DATA_DIR"
    say "Deleted the data in $DATA_DIR."
  fi
  if [ "$CREATE_USER" = 1 ]; then
    if getent passwd "$SERVICE_USER" >/dev/null; then userdel "$SERVICE_USER"; say "Removed user $SERVICE_USER."; fi
    if getent group "$SERVICE_USER" >/dev/null; then groupdel "$SERVICE_USER"; say "Removed group $SERVICE_USER."; fi
  fi
  say "The classroom gateway is removed, with its data."
else
  say "The classroom gateway is removed. Kept: the data in $DATA_DIR and the user $SERVICE_USER"
  say "(a new install picks them up again; to delete them too: uninstall.sh --purge from a bundle folder,"
  say " or sudo rm -rf $DATA_DIR && sudo userdel $SERVICE_USER)."
fi
