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
(cd "$ROOT" && npm run -s package) >&2
VSIX=$ROOT/dist/amp-workbench.vsix
size=$(stat -c %s "$VSIX")
echo "vsix: $VSIX is $size bytes (limit $MAX_VSIX_BYTES)"
[ "$size" -lt "$MAX_VSIX_BYTES" ] || { echo "vsix: too big"; false; }
# A minified bundle with the development build's map beside it would mislead a debugger.
maps=$(cd "$ROOT" && find dist -name '*.map'; grep -l 'sourceMappingURL' dist/*.js dist/webview/*.js || true)
[ -z "$maps" ] || { echo "vsix: the production build left source maps: $maps"; false; }
# The package step minified dist/; the other suites test the development build.
(cd "$ROOT" && node scripts/build.mjs) >&2

INSTALL=$(mktemp -d)
trap 'echo "vsix: 0 passed, 1 failed"; rm -rf "$INSTALL"' ERR
HOME=$INSTALL/home XDG_DATA_HOME=$INSTALL/home/.local/share XDG_CONFIG_HOME=$INSTALL/home/.config \
  "$VSCODE_TEST_DIR/node_modules/.bin/code-server" --install-extension "$VSIX" --extensions-dir "$INSTALL/ext" >&2
ls -d "$INSTALL"/ext/amp-workbench.amp-workbench-* >&2
mkdir -p "$INSTALL/probe"
echo '{ "name": "amp-vsix-probe", "publisher": "amp-workbench-test", "version": "0.0.0", "engines": { "vscode": "^1.100.0" } }' > "$INSTALL/probe/package.json"
# The extension host inherits the server's environment: run only the installed-copy test.
export GREP='installed \.vsix' AMP_VSIX_EXTENSIONS_DIR=$INSTALL/ext
EXTENSIONS_DIR=$INSTALL/ext start_code_server "$ROOT"
trap - ERR
trap 'stop_code_server; rm -rf "$INSTALL"' EXIT
rc=0
NODE_PATH="$VSCODE_TEST_DIR/node_modules" PORT=$PORT EXT=$INSTALL/probe WS=$ROOT TESTS=$ROOT/out/test/integration/suite/index.js \
  timeout --kill-after=10 180 node "$ROOT/test/integration/drive.js" | sed 's/^integration: /vsix: /' || rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || keep_logs vsix
exit "$rc"
