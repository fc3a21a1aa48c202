# The two commands of the README: `make demo` (the main job, on the simulated SoC) and `make test`.
SHELL := /bin/bash
FIXTURES := test/fixtures/build/.stamp

.PHONY: setup build fixtures demo test lint bench fuzz clean
setup:
	@bash scripts/setup.sh

build: setup
	@npx tsc -p .
	@node scripts/build.mjs

fixtures: setup
	@$(MAKE) -s -C test/fixtures

demo: build
	@node dist/cli.js validate --board stm32mp157 examples/stm32mp157/rproc-m4-fw.elf
	@node dist/cli.js table examples/stm32mp157/rproc-m4-fw.elf

test: build fixtures
	@npx eslint src test bench
	@bash scripts/test-all.sh

clean:
	rm -rf out dist test/fixtures/build
