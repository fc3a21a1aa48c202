// Breakpoint addresses against gdb-multiarch's on the same ELF (no target needed): `break FILE:N`
// on every line of the C sources and `break FUNCTION` on every function, from `info breakpoints`.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { FirmwareDebugInfo } from '../../../src/core/dwarf/firmwareDebugInfo';
import { gdbAvailable, GDB } from '../../oracle/gdbBatch';
import { EXAMPLES_DIR, fixture, REPO_ROOT } from '../../fixtures/fixtures';

const CASES: { elf: string; sources: string[] }[] = [
  { elf: fixture('gdb-m4'), sources: ['test/fixtures/gdb-m4/gdb.c', 'test/fixtures/cpu/start.c'] },
  { elf: fixture('dwarf-o2'), sources: ['test/fixtures/dwarf-o2/dwarf.c'] },
  { elf: fixture('dwarf-o2-v4'), sources: ['test/fixtures/dwarf-o2/dwarf.c'] },
  { elf: path.join(EXAMPLES_DIR, 'stm32mp157/rproc-m4-fw.elf'), sources: ['examples/stm32mp157/main.c', 'examples/stm32mp157/rpmsg.c', 'examples/stm32mp157/vring.c'] },
];

/** Each spec's addresses as gdb's `info breakpoints` lists them (none where gdb set no breakpoint). */
function gdbBreakpoints(elf: string, specs: string[]): Map<string, number[]> {
  const args = ['-batch', '-nx', elf, ...specs.flatMap((s, i) => ['-ex', `echo @@${i}\\n`, '-ex', `break ${s}`]), '-ex', 'info breakpoints'];
  const text = execFileSync(GDB, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
  const specOf = new Map<number, string>();
  const out = new Map<string, number[]>();
  let current = '';
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /@@(\d+)$/.exec(line))) current = specs[Number(m[1])];
    else if ((m = /^Breakpoint (\d+) at /.exec(line))) specOf.set(Number(m[1]), current);
    else if ((m = /^(\d+)(?:\.\d+)?\s+(?:breakpoint\s+keep\s+)?y\s+(0x[0-9a-f]+)/.exec(line))) {
      const spec = specOf.get(Number(m[1]));
      if (spec !== undefined) out.set(spec, [...(out.get(spec) ?? []), parseInt(m[2], 16)]);
    }
  }
  return out;
}

describe('dwarf breakpoints: the addresses gdb-multiarch picks', function () {
  this.timeout(60000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  for (const c of CASES) {
    it(path.relative(REPO_ROOT, c.elf), () => {
      const elf = ElfFile.parse(new Uint8Array(fs.readFileSync(c.elf)));
      const debug = FirmwareDebugInfo.fromElf(elf);
      const text = elf.sections.filter((s) => s.flags & 0x4);
      const inCode = (a: number) => text.some((s) => a >= s.addr && a < s.addr + s.size);
      const fail: string[] = [];
      let compared = 0;

      const names = [...new Set(debug.functions.list.map((f) => f.name))];
      const specs = names.map((n) => n);
      for (const source of c.sources) {
        const lines = fs.readFileSync(path.join(REPO_ROOT, source), 'utf8').split('\n').length;
        for (let n = 1; n <= lines; n++) specs.push(`${path.basename(source)}:${n}`);
      }
      const theirs = gdbBreakpoints(c.elf, specs);
      for (const spec of specs) {
        const t = [...new Set((theirs.get(spec) ?? []).filter(inCode))].sort((a, b) => a - b);
        const colon = spec.lastIndexOf(':');
        const ours = (colon < 0 ? debug.functionBreakpoint(spec).map((b) => b.address) : [...debug.breakpointAddresses(spec.slice(0, colon), Number(spec.slice(colon + 1))).addresses]).sort((a, b) => a - b);
        // gdb answers for a function the linker discarded with an address in no code: not a place to compare.
        if (colon < 0 && t.length === 0) continue;
        compared++;
        if (JSON.stringify(ours) !== JSON.stringify(t)) fail.push(`${spec}: ours ${ours.map((a) => a.toString(16))}, gdb ${t.map((a) => a.toString(16))}`);
      }
      assert.ok(compared > 40, `${compared} compared`);
      assert.deepStrictEqual(fail, []);
    });
  }
});
