#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/images/*.png) by running the UI checks in a real
# VS Code (code-server + headless Chromium) with SCREENSHOTS set. Installs the test bed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
SCREENSHOTS=docs/images bash test/ui/run.sh
# 256-colour palettes: a fifth of the size, still sharp text; the .vsix inlines them in its README.
for f in docs/images/*.png; do pngquant --quality=64-85 --speed 1 --strip --force --skip-if-larger --output "$f" -- "$f"; done
ls -l docs/images/*.png
