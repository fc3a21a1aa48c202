// Call frame information against binutils' `objdump --dwarf=frames-interp` on the same ELFs: for
// every FDE, the CFA rule and each register's rule at every row objdump prints.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { CallFrames, type CfiRow, type RegisterRule } from '../../../src/core/dwarf/callFrames';
import { DwarfSections } from '../../../src/core/dwarf/sections';
import { EXAMPLES_DIR, fixture } from '../../fixtures/fixtures';

const ELFS = [fixture('gdb-m4'), fixture('dwarf-o2'), fixture('dwarf-o2-v4'), path.join(EXAMPLES_DIR, 'stm32mp157/rproc-m4-fw.elf'), path.join(EXAMPLES_DIR, 'zynqmp/rproc-r5_0-fw.elf')];

interface InterpFde {
  start: number;
  end: number;
  /** `address: CFA col=rule ...`, as objdump prints them. */
  rows: string[];
}

function objdump(file: string): InterpFde[] {
  const text = execFileSync('arm-none-eabi-objdump', ['--dwarf=frames-interp', file], { encoding: 'utf8' });
  const out: InterpFde[] = [];
  let fde: InterpFde | undefined;
  let columns: string[] = [];
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /FDE cie=\w+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line))) {
      fde = { start: parseInt(m[1], 16), end: parseInt(m[2], 16), rows: [] };
      out.push(fde);
    } else if (/ CIE /.test(line)) fde = undefined;
    else if (/^\s+LOC\s+CFA/.test(line)) columns = line.trim().split(/\s+/).slice(2);
    else if (fde && (m = /^([0-9a-f]{8}) (.*)$/.exec(line))) {
      const cells = m[2].trim().split(/\s+/);
      fde.rows.push(`${parseInt(m[1], 16).toString(16)}: ${cells[0]} ${columns.map((c, i) => `${c}=${cells[i + 1]}`).join(' ')}`.trim());
    }
  }
  return out;
}

function ruleText(rule: RegisterRule | undefined): string {
  if (!rule) return 'u';
  switch (rule.kind) {
    case 'undefined':
      return 'u';
    case 'same':
      return 's';
    case 'offset':
      return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'val_offset':
      return `v${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'register':
      return `r${rule.register}`;
    case 'expression':
      return 'exp';
    case 'val_expression':
      return 'vexp';
  }
}

function ourRow(rows: CfiRow[], address: number, columns: string[]): string {
  let row = rows[0];
  for (const r of rows) if (r.address <= address) row = r;
  const cfa = row.cfa.kind === 'register' ? `r${row.cfa.register}+${row.cfa.offset}` : 'exp';
  const cells = columns.map((c) => `${c}=${ruleText(row.rules.get(c === 'ra' ? 14 : Number(c.slice(1))))}`);
  return `${address.toString(16)}: ${cfa} ${cells.join(' ')}`.trim();
}

describe('dwarf call frames: the rules objdump --dwarf=frames-interp prints', () => {
  for (const file of ELFS) {
    it(path.relative(path.dirname(EXAMPLES_DIR), file), () => {
      const cf = new CallFrames(DwarfSections.fromElf(ElfFile.parse(new Uint8Array(fs.readFileSync(file)))));
      assert.deepStrictEqual(cf.problems, []);
      const theirs = objdump(file);
      assert.ok(theirs.length >= 2, `objdump printed ${theirs.length} FDEs`);
      assert.strictEqual(cf.fdes.length, theirs.length);
      for (const t of theirs) {
        const fde = cf.fdes.find((f) => f.start === t.start && f.end === t.end);
        assert.ok(fde, `no FDE for 0x${t.start.toString(16)}..0x${t.end.toString(16)}`);
        const rows = cf.rows(fde);
        const columns = (row: string) => row.split(' ').slice(2).map((c) => c.split('=')[0]);
        assert.deepStrictEqual(
          t.rows.map((r) => ourRow(rows, parseInt(r, 16), columns(r))),
          t.rows,
        );
      }
    });
  }
});
