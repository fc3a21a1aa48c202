// The oracle's own machinery, judged against QEMU: the C test programs fit the memory both machines
// share and QEMU still prints their golden output; the sequence harness reports what the
// instructions did; the generated encodings are all defined and run on QEMU without a fault.
import assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { PT_LOAD } from '../../../src/core/elf/constants';
import { CPU_PROGRAMS, goldenPath, programElf } from '../../oracle/programs';
import { qemuAvailable, runOnQemu } from '../../oracle/qemu';
import { disassemble, invalidLines } from '../../oracle/sequences/disassemble';
import { readHarness, type Harness } from '../../oracle/sequences/harnessImage';
import { firstDifference, runCases } from '../../oracle/sequences/runSequences';
import { caseCode, sequenceCase, type SequenceCase } from '../../oracle/sequences/sequence';
import { sequenceSettings, sequenceTimeoutMs } from '../../oracle/sequences/settings';
import { BASE, INDEX, INSTRUCTION_CLASSES } from '../../oracle/sequences/templates';

const RAM_END = 0x10000;

function loadHarness(): Harness {
  return readHarness(new Uint8Array(fs.readFileSync(programElf('harness'))));
}

function plainCase(halfwords: number[], r: number[], s: number[] = []): SequenceCase {
  const regs = { r: [...r, ...Array(13 - r.length).fill(0)], apsr: 0, s: [...s, ...Array(32 - s.length).fill(0)], fpscr: 0 };
  return { insns: [{ halfwords, cls: 'fixed' }], regs };
}

function fields(line: string): string[] {
  return line.split(' ').slice(2);
}

describe('oracle: the C test programs under QEMU', () => {
  for (const name of [...CPU_PROGRAMS, 'harness' as const]) {
    it(`${name}.elf lies inside 0x00000000-0x0000ffff with its stack at the top`, () => {
      const elf = ElfFile.parse(new Uint8Array(fs.readFileSync(programElf(name))));
      const loads = elf.programs.filter((p) => p.type === PT_LOAD);
      assert.ok(loads.length > 0);
      for (const p of loads) assert.ok(p.vaddr === p.paddr && p.vaddr + p.memsz <= RAM_END, `segment ${p.index} at 0x${p.vaddr.toString(16)}+0x${p.memsz.toString(16)}`);
      const vectors = elf.sectionData(elf.section('.vectors')!);
      const view = new DataView(vectors.buffer, vectors.byteOffset);
      assert.strictEqual(view.getUint32(0, true), RAM_END, 'initial SP');
      const reset = view.getUint32(4, true);
      assert.ok((reset & 1) === 1 && reset < RAM_END, `reset vector 0x${reset.toString(16)}`);
    });
  }

  for (const name of CPU_PROGRAMS) {
    it(`${name}: QEMU still prints the golden output and exits 0`, async function () {
      if (!qemuAvailable()) this.skip();
      const run = await runOnQemu(programElf(name));
      assert.strictEqual(run.exitCode, 0, `${run.reason}\n${run.stdout}`);
      assert.strictEqual(run.stdout, fs.readFileSync(goldenPath(name), 'latin1'));
    });
  }
});

describe('oracle: reporting a difference', () => {
  it('names the first differing case, its registers and its disassembly', () => {
    const c = plainCase([0x1888], [0, 5, 6]); // adds r0, r1, r2
    const line = (r3: string) => `c 00000000 0000000b 00000005 00000006 ${r3} ${Array(44).fill('00000000').join(' ')}`;
    assert.strictEqual(firstDifference([c], [line('00000000')], [line('00000000')]), undefined);
    const report = firstDifference([c, c], [line('00000000'), line('00000000')], [line('00000000'), line('00000001')]) ?? '';
    assert.match(report, /^case 1:/);
    assert.match(report, /adds\s+r0, r1, r2/);
    assert.match(report, /r3: expected 00000000, got 00000001/);
    assert.match(report, /in: r0=00000000 r1=00000005 r2=00000006/);
  });
});

describe('oracle: the sequence harness under QEMU', function () {
  before(function () {
    if (!qemuAvailable()) throw new Error('qemu-system-arm is needed for the generated sequences: run scripts/setup.sh');
  });

  it('reports registers, flags, FPSCR and the scratch buffer after each case', async () => {
    const h = loadHarness();
    // adds r0, r1, r2 / vadd.f32 s0, s1, s2 / str.w r0, [r12]
    const add = plainCase([0x1888, 0xee30, 0x0a81], [0, 0x7fffffff, 1], [0, 0x3f800000, 0x40000000]);
    const store = plainCase([...add.insns[0].halfwords, 0xf8cc, 0x0000], add.regs.r as number[], add.regs.s as number[]);
    const [a, b] = await runCases(h, [add, store].map((c) => ({ ...c, regs: { ...c.regs, r: c.regs.r.map((v, i) => (i === BASE ? h.base : v)) } })), runOnQemu);
    const fa = fields(a);
    assert.strictEqual(fa[0], '80000000', 'r0');
    assert.strictEqual(fa[13], '90000000', 'APSR: N and V');
    assert.strictEqual(fa[14], '40400000', 's0 = 3.0');
    assert.strictEqual(fa[46], '00000000', 'FPSCR');
    assert.deepStrictEqual(fields(b).slice(0, 47), fa.slice(0, 47), 'the store changes no register');
    assert.notStrictEqual(fields(b)[47], fa[47], 'the store changes the scratch checksum');
  });

  it('reports a fault inside a case with CFSR and goes on with the next case', async () => {
    const h = loadHarness();
    const lines = await runCases(h, [plainCase([0x2001, 0xde00], []), plainCase([0x2007], [])], runOnQemu); // movs r0, #1; udf #0 / movs r0, #7
    assert.strictEqual(lines[0], 'c 00000000 fault 00010000 00000000 00000002', 'UNDEFINSTR at slot offset 2');
    assert.strictEqual(fields(lines[1])[0], '00000007');
  });

  it('generates only defined encodings, of every class, that QEMU runs without a fault', async function () {
    const h = loadHarness();
    const { seed, cases: count } = sequenceSettings();
    this.timeout(sequenceTimeoutMs(count));
    const cases = fc.sample(sequenceCase(h.base), { seed, numRuns: count });
    const drawn = new Set(cases.flatMap((c) => c.insns.map((i) => i.cls)));
    assert.deepStrictEqual(Object.keys(INSTRUCTION_CLASSES).filter((cls) => !drawn.has(cls)), [], 'classes never drawn');
    assert.deepStrictEqual(invalidLines(disassemble(cases.flatMap(caseCode))), [], `seed ${seed}`);
    const lines = await runCases(h, cases, runOnQemu);
    const faulted = lines.findIndex((l) => l.includes(' fault '));
    assert.strictEqual(faulted, -1, `seed ${seed}: ${lines[faulted]}\n${faulted >= 0 ? disassemble(caseCode(cases[faulted])).join('\n') : ''}`);
    // r11 is never written; r12 moves only inside the 4 KiB scratch buffer.
    for (const l of lines) {
      const f = fields(l);
      const base = parseInt(f[BASE], 16);
      assert.ok(parseInt(f[INDEX], 16) % 4 === 0 && parseInt(f[INDEX], 16) < 64, l);
      assert.ok(Math.abs(base - h.base) < 2048 && base % 4 === 0, l);
    }
  });
});
