#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: Debian packages (cross compilers for the
# fixtures, QEMU as the CPU oracle, Chromium for UI checks, pngquant for the screenshots), then the npm
# packages. Safe to run again: it skips what is there.
# `setup.sh demo` installs only what the demo needs (npm packages: the example firmware is committed).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
need=()
if [ "$mode" = test ]; then
  command -v arm-none-eabi-gcc >/dev/null || need+=(gcc-arm-none-eabi binutils-arm-none-eabi)
  [ -e /usr/lib/arm-none-eabi/include/stdint.h ] || need+=(libnewlib-arm-none-eabi)
  command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
  command -v gdb-multiarch >/dev/null || need+=(gdb-multiarch)
  command -v qemu-system-arm >/dev/null || need+=(qemu-system-arm)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v rg >/dev/null || need+=(ripgrep)
  command -v pngquant >/dev/null || need+=(pngquant)  # scripts/screenshots.sh
  [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# npm ci only when the lock file changed since the last install.
stamp=node_modules/.ampw-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
