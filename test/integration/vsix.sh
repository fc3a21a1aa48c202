#!/usr/bin/env bash
# The .vsix as a user gets it: packs it with vsce (`npm run package`), checks its size and that the
# production build left no source map behind, installs it into a fresh code-server extensions folder
# with `code-server --install-extension`, and runs the installed-copy tests (suite/vsix.test.ts) in
# that VS Code. The extension then loads from the installed folder, not the project:
# extensionDevelopmentPath is an empty probe extension that only carries the test run.
# Last line: `vsix: N passed, N failed, N skipped`.
set -Eeuo pipefail
ROOT=$(realpath "$(dirname "$0")/../..")
source "$ROOT/test/integration/codeServer.sh"
trap 'echo "vsix: 0 passed, 1 failed"' ERR
MAX_VSIX_BYTES=$((1536 * 1024))
ensure_vscode_test
ensure_built
package_vsix
size=$(stat -c %s "$VSIX")
echo "vsix: $VSIX is $size bytes (limit $MAX_VSIX_BYTES)"
[ "$size" -lt "$MAX_VSIX_BYTES" ] || { echo "vsix: too big"; false; }

INSTALL=$(mktemp -d)
trap 'echo "vsix: 0 passed, 1 failed"; rm -rf "$INSTALL"' ERR
install_vsix "$INSTALL"
# The extension host inherits the server's environment: run only the installed-copy test.
export GREP='installed \.vsix' AMP_VSIX_EXTENSIONS_DIR=$INSTALL/ext
run_installed "$INSTALL" vsix
[ "$rc" = 0 ] || keep_logs vsix
exit "$rc"
