#!/usr/bin/env bash
# The extension in Restricted Mode: the packaged .vsix installed into code-server with workspace
# trust on and the project folder not trusted (VS Code enables a development extension even there),
# running only suite/restricted.test.ts. The driver writes every notification the workbench shows
# to a file the test reads (AMP_SHOWN_LOG). Last line: `restricted: N passed, N failed`.
set -Eeuo pipefail
ROOT=$(realpath "$(dirname "$0")/../..")
source "$ROOT/test/integration/codeServer.sh"
trap 'echo "restricted: 0 passed, 1 failed"' ERR
ensure_vscode_test
ensure_built
package_vsix
INSTALL=$(mktemp -d)
trap 'echo "restricted: 0 passed, 1 failed"; rm -rf "$INSTALL"' ERR
install_vsix "$INSTALL"
# The extension host inherits the server's environment: run only the restricted-mode tests.
export GREP='restricted mode' WORKSPACE_TRUST=restricted AMP_SHOWN_LOG=$INSTALL/shown.txt
: > "$AMP_SHOWN_LOG"
run_installed "$INSTALL" restricted
[ "$rc" = 0 ] || { sed "s/^/shown: /" "$AMP_SHOWN_LOG" >&2; keep_logs restricted; }
exit "$rc"
