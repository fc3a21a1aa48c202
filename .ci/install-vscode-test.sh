#!/usr/bin/env bash
# Installs the offline VS Code test bed into DIR (default .vscode-test): code-server 4.100.3, which is
# the real VS Code 1.100.3 (server, Node extension host, web workbench) and the last release for
# Node 20, plus playwright-core to drive Debian's Chromium. Needs only apt and the npm registry.
# Each step says why it is there; test/integration/README.md says how the suites use the test bed.
# Safe to run again: `.done` skips it.
set -euo pipefail
D=$(realpath -m "${1:-.vscode-test}")
mkdir -p "$D"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)   # kerberos' native build needs gssapi.h
if [ ${#need[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -f "$D/.done" ] && exit 0
echo "install-vscode-test: installing code-server 4.100.3 and playwright-core into $D"
cd "$D"
echo '{"private":true}' > package.json
# --ignore-scripts: code-server's postinstall runs `npm install`, which fetches ripgrep from GitHub.
npm i --no-audit --no-fund --loglevel=error --ignore-scripts code-server@4.100.3 playwright-core@1.65.1
npm_config_build_from_source=true npm rebuild --loglevel=error argon2
ls node_modules/argon2/lib/binding/napi-v3/argon2.node >/dev/null
cd node_modules/code-server/lib/vscode
npm i --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts
# node-pty's extra `npx node-gyp` step exits 1 offline although pty.node is built: check the bindings instead.
npm rebuild kerberos @vscode/spdlog native-watchdog node-pty > "$D/rebuild.log" 2>&1 || true
ls node_modules/{node-pty/build/Release/pty,@vscode/spdlog/build/Release/spdlog,native-watchdog/build/Release/watchdog}.node >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm i --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts)
touch "$D/.done"
echo "install-vscode-test: done"
