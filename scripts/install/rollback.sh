#!/usr/bin/env bash
# Goes back to the previous release by hand (the one /opt/classroom-gateway/previous points at):
#   sudo /opt/classroom-gateway/current/scripts/install/rollback.sh
# Checks its health like an upgrade does; if it is not healthy, returns to the release that was current.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h | --help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
require_root_or_prefix "$@"
take_lock
prev="$(previous_version)"
if [ -z "$prev" ] || [ ! -d "$RELEASES_DIR/$prev" ]; then die "no previous release to go back to ($PREVIOUS_LINK)"; fi
cur="$(current_version)"
[ "$prev" != "$cur" ] || die "the previous release $prev is already current"

BUNDLE_VERSION="$prev"
say "Rolling back from $cur to $prev."
switch_with_rollback || die "release $prev was not healthy; $(current_version) is current again"
say "Release $prev is running (previous: $cur)."
