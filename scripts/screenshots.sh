#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/images/*.png) by running the UI checks in a real
# VS Code (code-server + headless Chromium) with SCREENSHOTS set. Installs the test bed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
SCREENSHOTS=docs/images bash test/ui/run.sh
ls -l docs/images/*.png
