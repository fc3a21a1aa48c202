// Address → source line, and the range "step by line" steps over, against gdb-multiarch's
// `info line *ADDRESS` at every statement row of the fixtures' code: the same file and line, and a
// step range that holds gdb's range for the row and nothing of another line.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { FirmwareDebugInfo } from '../../../src/core/dwarf/firmwareDebugInfo';
import { gdbAvailable, GDB } from '../../oracle/gdbBatch';
import { fixture } from '../../fixtures/fixtures';

describe('dwarf source lines: info line *ADDRESS as gdb-multiarch answers it', function () {
  this.timeout(60000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  // The programs' own files: gdb maps start.c's addresses in dwarf-o2 to the sequences the linker
  // discarded (they lie at 0 and overlap the code), which we leave out.
  for (const [name, source] of [['gdb-m4', 'gdb.c'], ['dwarf-o2', 'dwarf.c'], ['dwarf-o2-v4', 'dwarf.c']]) {
    it(`${name}: ${source}`, () => {
      const debug = FirmwareDebugInfo.fromElf(ElfFile.parse(new Uint8Array(fs.readFileSync(fixture(name)))));
      assert.ok(debug.hasDebugInfo);
      const own = debug.functions.list.filter((f) => debug.sourceAt(f.low)?.file.endsWith(source));
      const addresses = [...new Set(own.flatMap((f) => debugRows(debug, f.low, f.high)))];
      assert.ok(addresses.length > 20, `${addresses.length} rows`);
      const text = execFileSync(GDB, ['-batch', '-nx', fixture(name), ...addresses.flatMap((a) => ['-ex', `info line *0x${a.toString(16)}`])], { encoding: 'utf8' });
      const answers = text.split('\n').filter((l) => l.startsWith('Line '));
      assert.strictEqual(answers.length, addresses.length);
      const failures: string[] = [];
      addresses.forEach((pc, i) => {
        const m = /^Line (\d+) of "(.*)" (?:starts at address (0x[0-9a-f]+).* and ends at (0x[0-9a-f]+)|is at address (0x[0-9a-f]+))/.exec(answers[i]);
        assert.ok(m, answers[i]);
        const ours = debug.sourceAt(pc);
        if (ours?.line !== Number(m[1]) || ours.file !== m[2]) failures.push(`0x${pc.toString(16)}: ${JSON.stringify(ours)} / ${answers[i]}`);
        const range = debug.stepRange(pc);
        if (!range || !m[3]) return;
        const [start, end] = [parseInt(m[3], 16), parseInt(m[4], 16)];
        if (!(range.start <= start && end <= range.end)) failures.push(`0x${pc.toString(16)}: step range ${range.start.toString(16)}-${range.end.toString(16)} / ${answers[i]}`);
        for (let a = range.start; a < range.end; a += 2) if (debug.sourceAt(a)?.line !== ours?.line) failures.push(`0x${a.toString(16)} in the step range of 0x${pc.toString(16)} is line ${debug.sourceAt(a)?.line}`);
      });
      assert.deepStrictEqual(failures, []);
    });
  }
});

/** The statement rows' addresses in [low, high). */
function debugRows(debug: FirmwareDebugInfo, low: number, high: number): number[] {
  const out: number[] = [];
  for (let pc = low; pc < high; pc += 2) {
    const s = debug.sourceAt(pc);
    const before = pc > low ? debug.sourceAt(pc - 2) : undefined;
    if (s && (pc === low || s.line !== before?.line)) out.push(pc);
  }
  return out;
}
