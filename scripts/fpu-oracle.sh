#!/usr/bin/env bash
# Runs the FPv4-SP oracle program on QEMU (qemu-system-arm -M mps2-an386, a Cortex-M4F) and keeps
# its semihosting output. With no arguments: the full run, written to
# test/fixtures/fpu/qemu-expected.txt, the file the unit tests compare fpMath against.
# `fpu-oracle.sh ELF OUT`: runs ELF, writes its output to OUT (the unit test's fresh sample).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  make -s -C test/fixtures
  set -- test/fixtures/build/fpu-oracle.elf test/fixtures/fpu/qemu-expected.txt
fi
elf=$1
out=$2
rm -f "$out"
# The semihosting console goes to a file chardev: no serial, no monitor, nothing else in it.
timeout 600 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
  -chardev file,id=semihosting,path="$out" -semihosting-config enable=on,target=native,chardev=semihosting \
  -kernel "$elf"
