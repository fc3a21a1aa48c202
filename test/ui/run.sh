#!/usr/bin/env bash
# UI checks: the project's extension in a real VS Code (code-server 4.100.3) driven through the DOM
# by playwright-core and Debian's Chromium. Separate page load from the integration suites.
# usage: test/ui/run.sh [extensionRoot] [workspace]   env: SCREENSHOTS=<dir> writes the PNGs there.
# Last line: `ui: N passed, N failed, N skipped`; on failure the screenshot taken as each check failed
# and the logs go to .vscode-test/logs/.
set -Eeuo pipefail
ROOT=$(realpath "$(dirname "$0")/../..")
EXT=$(realpath "${1:-$ROOT}")
WS=$(realpath "${2:-$EXT}")
source "$ROOT/test/integration/codeServer.sh"
# Every way to fail still ends with the summary line the test scripts sum up.
trap 'echo "ui: 0 passed, 1 failed"' ERR
ensure_vscode_test
ensure_built
[ -z "${SCREENSHOTS:-}" ] || SCREENSHOTS=$(realpath -m "$SCREENSHOTS")
start_code_server "$WS"
trap - ERR
rc=0
NODE_PATH="$VSCODE_TEST_DIR/node_modules" PORT=$PORT EXT=$EXT WS=$WS SCREENSHOTS=${SCREENSHOTS:-} FAIL_SHOTS=$TMP \
  timeout --kill-after=10 300 node "$ROOT/test/ui/check.js" || rc=$?
if [ "$rc" != 0 ]; then
  keep_logs ui
  case $rc in 124|137) echo "ui: 0 passed, 1 failed" ;; esac
fi
exit "$rc"
