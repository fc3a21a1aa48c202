# The two commands of the README: `make demo` (the main job, on the simulated SoC) and `make test`.
SHELL := /bin/bash

.PHONY: setup compile build fixtures demo test bench fuzz clean
EXAMPLE := examples/stm32mp157/rproc-m4-fw.elf

setup:
	@bash scripts/setup.sh

# The demo needs only the npm packages: the example firmware is committed.
compile:
	@npx tsc -p .
	@node scripts/build.mjs

build: setup compile

fixtures: setup
	@$(MAKE) -s -C test/fixtures

demo:
	@bash scripts/setup.sh demo
	@$(MAKE) -s compile
	@echo '$$ ampw validate --board stm32mp157 $(EXAMPLE)'
	@node dist/cli.js validate --board stm32mp157 $(EXAMPLE)
	@echo '$$ ampw boot --board stm32mp157 $(EXAMPLE)'
	@node dist/cli.js boot --board stm32mp157 $(EXAMPLE)
	@echo "$$ ampw shell --board stm32mp157 --firmware $(EXAMPLE) -c '...'"
	@node dist/cli.js shell --board stm32mp157 --firmware $(EXAMPLE) -c 'echo start > /sys/class/remoteproc/remoteproc0/state; sleep 10; cat /sys/class/remoteproc/remoteproc0/state; ls /sys/bus/rpmsg/devices; echo hi > /dev/ttyRPMSG0; sleep 1; cat /dev/ttyRPMSG0'

test: build fixtures
	@bash scripts/test-all.sh

fuzz: build fixtures
	@npm run -s fuzz

bench: build fixtures
	@for b in validate boot rpmsg dap extension fpu gdb; do npm run -s bench:$$b || exit 1; done

clean:
	rm -rf out dist test/fixtures/build
