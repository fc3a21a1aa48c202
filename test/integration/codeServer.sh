# Sourced by test/integration/run.sh and test/ui/run.sh: starts one private code-server (the real
# VS Code 1.100.3 server) for one run and tears it down on exit. Everything it writes (HOME, XDG
# dirs, TMPDIR sockets, user data) stays in a temp dir; the server log is kept on failure.
# Needs: ROOT (project root); EXTENSIONS_DIR optional (installed extensions, default an empty one);
# WORKSPACE_TRUST=restricted optional: workspace trust on and the folder not trusted (Restricted Mode,
# no startup prompt), instead of trust turned off.
# Sets: PORT, TMP, CS_LOG. Call `start_code_server WORKSPACE`.

VSCODE_TEST_DIR=$(realpath -m "${VSCODE_TEST_DIR:-$ROOT/.vscode-test}")

ensure_vscode_test() {
  [ -f "$VSCODE_TEST_DIR/.done" ] || bash "$ROOT/.ci/install-vscode-test.sh" "$VSCODE_TEST_DIR" >&2
}

# Compiles the suites when a TypeScript source is newer than their output, and always bundles
# dist/ (esbuild takes well under a second), so a run never tests stale code.
ensure_built() {
  local stamp="$ROOT/out/test/integration/suite/index.js"
  if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT/src" "$ROOT/test" -name '*.ts' -newer "$stamp" -print -quit)" ]; then
    (cd "$ROOT" && npx tsc -p . >&2) || echo "tsc reported errors; running with what it emitted" >&2
    touch "$stamp" 2>/dev/null || true
  fi
  (cd "$ROOT" && node scripts/build.mjs) >&2
  if [ -f "$ROOT/test/fixtures/Makefile" ] && [ ! -f "$ROOT/test/fixtures/build/.stamp" ]; then
    make -s -C "$ROOT/test/fixtures" >&2
  fi
}

# The .vsix as a user gets it (`npm run package`), then the development build back in dist/ for
# the other suites. Sets VSIX.
package_vsix() {
  (cd "$ROOT" && npm run -s package) >&2
  VSIX=$ROOT/dist/amp-workbench.vsix
  # A minified bundle with the development build's map beside it would mislead a debugger.
  local maps; maps=$(cd "$ROOT" && find dist -name '*.map'; grep -l 'sourceMappingURL' dist/*.js dist/webview/*.js || true)
  [ -z "$maps" ] || { echo "vsix: the production build left source maps: $maps"; return 1; }
  # The package step minified dist/; the other suites test the development build.
  (cd "$ROOT" && node scripts/build.mjs) >&2
}

# Installs $VSIX as a user does into DIR/ext, and writes DIR/probe: an empty extension that only
# carries the test run as extensionDevelopmentPath, so the extension under test is the installed
# copy (VS Code enables a development extension even where the user's settings would not).
install_vsix() { # dir
  HOME=$1/home XDG_DATA_HOME=$1/home/.local/share XDG_CONFIG_HOME=$1/home/.config \
    "$VSCODE_TEST_DIR/node_modules/.bin/code-server" --install-extension "$VSIX" --extensions-dir "$1/ext" >&2
  ls -d "$1"/ext/amp-workbench.amp-workbench-* >&2
  mkdir -p "$1/probe"
  echo '{ "name": "amp-vsix-probe", "publisher": "amp-workbench-test", "version": "0.0.0", "engines": { "vscode": "^1.100.0" } }' > "$1/probe/package.json"
}

# Runs the suites matching GREP (exported by the caller, with anything else the tests read) against
# the copy install_vsix put in DIR, in a server of its own; the summary line is `NAME: N passed,
# N failed`. Removes DIR on exit. Sets rc.
run_installed() { # dir name
  EXTENSIONS_DIR=$1/ext start_code_server "$ROOT"
  trap - ERR
  trap "stop_code_server; rm -rf '$1'" EXIT
  rc=0
  NODE_PATH="$VSCODE_TEST_DIR/node_modules" PORT=$PORT EXT=$1/probe WS=$ROOT TESTS=$ROOT/out/test/integration/suite/index.js \
    timeout --kill-after=10 180 node "$ROOT/test/integration/drive.js" | sed "s/^integration: /$2: /" || rc=${PIPESTATUS[0]}
}

start_code_server() { # workspace
  local ws=$1 i
  PORT=${PORT:-$((20000 + RANDOM % 20000))}
  TMP=$(mktemp -d)
  CS_LOG=$TMP/code-server.log
  export HOME=$TMP/home TMPDIR=$TMP/tmp XDG_DATA_HOME=$TMP/home/.local/share \
    XDG_CONFIG_HOME=$TMP/home/.config XDG_CACHE_HOME=$TMP/home/.cache XDG_RUNTIME_DIR=$TMP/run
  mkdir -p "$HOME" "$TMPDIR" "$XDG_RUNTIME_DIR" "$TMP/ud/User"
  local trust=(--disable-workspace-trust) trusting='"security.workspace.trust.enabled": false'
  if [ "${WORKSPACE_TRUST:-}" = restricted ]; then
    trust=(); trusting='"security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never"'
  fi
  cat > "$TMP/ud/User/settings.json" <<JSON
{ "workbench.startupEditor": "none", $trusting,
  "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "update.mode": "none", "workbench.tips.enabled": false, "git.enabled": false,
  "terminal.integrated.gpuAcceleration": "off",
  "files.exclude": { "**/.git": true, "**/node_modules": true, ".vscode-test": true, "out": true, "dist": true } }
JSON
  # setsid: the server forks watchers that outlive it; killing the process group ends them all.
  setsid "$VSCODE_TEST_DIR/node_modules/.bin/code-server" --config "$TMP/config.yaml" --auth none \
    --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check "${trust[@]}" \
    --disable-getting-started-override --user-data-dir "$TMP/ud" --extensions-dir "${EXTENSIONS_DIR:-$TMP/ext}" "$ws" \
    > "$CS_LOG" 2>&1 &
  CS_PID=$!
  trap stop_code_server EXIT
  for i in $(seq 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    kill -0 "$CS_PID" 2>/dev/null || break
    sleep 0.25
  done
  echo "code-server did not start on port $PORT" >&2
  cat "$CS_LOG" >&2
  return 1
}

# Keeps the server log, the extension host logs and any failure screenshot under .vscode-test/logs/<suite>-<time>.
keep_logs() { # suite name
  local dir
  dir="$VSCODE_TEST_DIR/logs/$1-$(date +%Y%m%dT%H%M%S)-$$"
  mkdir -p "$dir"
  cp "$CS_LOG" "$TMP"/*.png "$dir/" 2>/dev/null || true
  cp -r "$TMP/ud/logs" "$dir/" 2>/dev/null || true
  echo "logs kept in $dir" >&2
  # Only the newest 20 failures: a flaky machine must not fill the disk.
  ls -1dt "$VSCODE_TEST_DIR"/logs/*-*-*/ 2>/dev/null | tail -n +21 | xargs -r rm -rf
}

stop_code_server() {
  kill -- -"$CS_PID" 2>/dev/null
  wait "$CS_PID" 2>/dev/null
  rm -rf "$TMP"
}
