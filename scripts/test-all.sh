#!/usr/bin/env bash
# Runs every suite (unit, integration in a real VS Code, UI in Chromium) and sums their
# `N passed, N failed[, N skipped]` lines into the last line. Exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
P=0; F=0; S=0; rc=0
count() { # word line: the N of "N word" in a summary line, 0 when absent
  local n; n=$(grep -oE "[0-9]+ $1" <<<"$2" | grep -oE '[0-9]+'); echo "${n:-0}"
}
suite() { # name command...
  local name=$1; shift
  echo "=== $name"
  local log; log=$(mktemp)
  "$@" 2>&1 | tee "$log"; local code=${PIPESTATUS[0]}
  # A suite may print several summary lines (integration: the installed .vsix, then the suites): add them.
  local lines; lines=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log")
  if [ -z "$lines" ]; then lines="0 passed, 1 failed"; code=1; fi  # a suite that reports nothing failed
  local p=0 f=0 s=0 line
  while read -r line; do
    p=$((p + $(count passed "$line"))); f=$((f + $(count failed "$line"))); s=$((s + $(count skipped "$line")))
  done <<<"$lines"
  [ "$code" != 0 ] && [ "$f" = 0 ] && f=1
  P=$((P + p)); F=$((F + f)); S=$((S + s)); [ "$code" = 0 ] || rc=1
  rm -f "$log"
}
# Lint and the webview's own type check (the browser bundle is not in the main tsconfig).
lint() { if npx eslint src test bench media && npx tsc -p media/panel --noEmit; then echo "lint: 1 passed, 0 failed"; else echo "lint: 0 passed, 1 failed"; return 1; fi; }
suite lint lint
suite unit node out/test/runUnit.js
if [ -f test/integration/run.sh ]; then suite integration bash test/integration/run.sh .; fi
if [ -f test/ui/run.sh ]; then suite ui bash test/ui/run.sh; fi
echo "$P passed, $F failed, $S skipped"
exit $rc
