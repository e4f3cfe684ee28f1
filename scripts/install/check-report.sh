#!/usr/bin/env bash
# Sourced by the install checks (systemd-boot-check.sh, arm64-vm-check.sh): their log lines,
# PASS/FAIL lines, timings and the closing summary. The caller sets CHECK_TAG (the log prefix)
# and CHECK_TITLE (the summary's name) before sourcing.
# shellcheck shell=bash disable=SC2154 # CHECK_TAG, CHECK_TITLE: the caller's

t_start=$(date +%s.%N)
now() { date +%s.%N; }
# awk, not bc: say runs before the callers have installed bc.
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
say() { printf '[%s %6ss] %s\n' "$CHECK_TAG" "$(since "$t_start")" "$*"; }
die() { printf '%s: %s\n' "$CHECK_TAG" "$*" >&2; exit 2; }

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %-46s %s\n' "$1" "${2:-}"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %-46s %s\n' "$1" "${2:-}"; }
# expect NAME DETAIL 'CONDITION': PASS when the condition (shell code, evaluated here) holds.
expect() {
  if eval "$3"; then pass "$1" "$2"; else fail "$1" "$2"; fi
}
timings=()
timing() { timings+=("$(printf '%-44s %6ss' "$1" "$2")"); }
indent() { sed 's/^/    | /'; }

# The timings, then one line saying whether everything passed (exit 1 if not). $1: the exposure figure.
summarise() {
  local total
  echo
  echo "timings:"
  printf '  %s\n' "${timings[@]}"
  total="$(since "$t_start")"
  printf '  %-44s %6ss\n' total "$total"
  echo
  if [ "$failed" -eq 0 ]; then
    echo "$CHECK_TITLE: all $passed checks PASSED (security exposure ${1:-?}; ${total} s)"
  else
    echo "$CHECK_TITLE: $failed FAILED, $passed passed (${total} s)"
    exit 1
  fi
}
