#!/usr/bin/env bash
# Runs the integration suites (test/integration/suite/*.test.ts) inside a real VS Code: code-server
# 4.100.3 (VS Code 1.100.3) with the project as Extension Development Host, Chromium as the window.
# usage: test/integration/run.sh [extensionRoot] [workspace]   (both default to the project root)
# env: VSCODE_TEST_DIR (default .vscode-test), VERBOSE=1 (whole page console), TIMEOUT_S (300),
# SKIP_VSIX=1 (no .vsix check first), AMPW_VENDOR_FIRMWARE=<folder of vendors' firmware images> (runs
# suite/vendorFirmware.test.ts; skipped without it).
# Installs the test bed when missing, builds when sources changed. Last line: `integration: N passed, N failed, N skipped`.
set -Eeuo pipefail
ROOT=$(realpath "$(dirname "$0")/../..")
EXT=$(realpath "${1:-$ROOT}")
WS=$(realpath "${2:-$EXT}")
source "$ROOT/test/integration/codeServer.sh"
# The extension host inherits the server's environment, whose working directory is not this one.
[ -z "${AMPW_VENDOR_FIRMWARE:-}" ] || export AMPW_VENDOR_FIRMWARE=$(realpath "$AMPW_VENDOR_FIRMWARE")
# Every way to fail still ends with the summary line the test scripts sum up.
trap 'echo "integration: 0 passed, 1 failed"' ERR
ensure_vscode_test
ensure_built
# First the packaged .vsix, installed as a user installs it, with one test against that copy
# (vsix.sh, own server; its summary line comes before the suites'). Skipped for a GREP subset.
vsix_rc=0
[ -n "${GREP:-}${SKIP_VSIX:-}" ] || bash "$ROOT/test/integration/vsix.sh" || vsix_rc=$?
# Then Restricted Mode (restricted.sh, own server with the folder untrusted; its own summary line).
[ -n "${GREP:-}" ] || bash "$ROOT/test/integration/restricted.sh" || vsix_rc=$?
start_code_server "$WS"
trap - ERR
TESTS=$EXT/out/test/integration/suite/index.js
rc=0
NODE_PATH="$VSCODE_TEST_DIR/node_modules" PORT=$PORT EXT=$EXT WS=$WS TESTS=$TESTS \
  timeout --kill-after=10 "$(( ${TIMEOUT_S:-300} + 30 ))" node "$ROOT/test/integration/drive.js" || rc=$?
case $rc in
  0) ;;
  124|137) echo "integration: the driver was killed after its time limit"; keep_logs integration
     echo "integration: 0 passed, 1 failed" ;;
  *) keep_logs integration ;;
esac
[ "$rc" != 0 ] || rc=$vsix_rc
exit "$rc"
