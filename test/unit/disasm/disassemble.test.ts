// The disassembler's interface as the debug adapter uses it: lines from a memory reader and an
// ELF's symbols, what unreadable memory gives, data regions, IT blocks; and whatever the bytes,
// never an exception and a bounded time per line.
import * as assert from 'assert';
import { disassemble, type DisasmLine } from '../../../src/core/cpu/armv7m/disasm/disassemble';
import { disasmSymbols } from '../../../src/core/cpu/armv7m/disasm/elfSymbols';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { readFixture } from '../../fixtures/fixtures';
import { ourListing, wordBytes } from './objdumpListing';

/** A reader over an ELF's loadable image (its PROGBITS sections at their addresses). */
function elfReader(elf: ElfFile): (addr: number, len: number) => Uint8Array {
  return (addr, len) => {
    for (const s of elf.sections) {
      if (s.type !== 1 || addr < s.addr || addr + len > s.addr + s.size) continue;
      return elf.sectionData(s).subarray(addr - s.addr, addr - s.addr + len);
    }
    throw new RangeError(`no memory at 0x${addr.toString(16)}`);
  };
}

function reader(bytes: Uint8Array, base = 0): (addr: number, len: number) => Uint8Array {
  return (addr, len) => {
    if (addr < base || addr - base + len > bytes.length) throw new RangeError('no memory');
    return bytes.subarray(addr - base, addr - base + len);
  };
}

const text = (lines: DisasmLine[]): string[] => lines.map((l) => `${l.address.toString(16)} ${l.bytes} ${l.text}`);

describe('disasm: disassemble()', () => {
  const elf = ElfFile.parse(readFixture('gdb-m4'));
  const { name, map } = disasmSymbols(elf);
  const read = elfReader(elf);

  it('names literal loads, calls and pools from the ELF as objdump does (gdb-m4 reset_handler)', () => {
    const lines = disassemble(read, 0x76, 1, name, map);
    assert.deepStrictEqual(text(lines), ['76 4b16 ldr\tr3, [pc, #88]\t@ (d0 <reset_handler+0x60>)']);
    assert.deepStrictEqual(text(disassemble(read, 0xc4, 1, name, map)), ['c4 f000 f938 bl\t338 <main>']);
    // the literal pool after the code is data ($d): words, not instructions
    assert.deepStrictEqual(text(disassemble(read, 0xd0, 2, name, map)), ['d0 00000424 .word\t0x00000424', 'd4 00000424 .word\t0x00000424']);
  });

  it('gives each line its size and the next line its address', () => {
    const lines = disassemble(read, 0x70, 40, name, map);
    assert.strictEqual(lines.length, 40);
    for (let k = 1; k < lines.length; k++) assert.strictEqual(lines[k].address, lines[k - 1].address + lines[k - 1].size);
    assert.ok(lines.some((l) => l.size === 4) && lines.some((l) => l.size === 2));
  });

  it('ends at memory it cannot read, with objdump words', () => {
    const bytes = wordBytes([0xb508, 0xf000f804]);
    assert.deepStrictEqual(text(disassemble(reader(bytes, 0x100), 0x100, 5)), [
      '100 b508 push\t{r3, lr}',
      '102 f000 f804 bl\t10e',
      '106  Address 0x106 is out of bounds.',
    ]);
    // half of a 32-bit instruction
    assert.deepStrictEqual(text(disassemble(reader(bytes.subarray(0, 4), 0x100), 0x102, 2)), ['102  Address 0x102 is out of bounds.']);
  });

  it('carries the IT state across lines: the condition suffixes and the 16-bit forms that stop setting flags', () => {
    // ite eq; moveq r0, #1; movne r0, #2; movs r0, #3
    const bytes = wordBytes([0xbf0c, 0x2001, 0x2002, 0x2003]);
    assert.deepStrictEqual(disassemble(reader(bytes), 0, 4).map((l) => l.text), ['ite\teq', 'moveq\tr0, #1', 'movne\tr0, #2', 'movs\tr0, #3']);
  });

  it('starting inside an IT block, gives each instruction the suffix it has in the whole listing', () => {
    // objdump itself only looks back from --start-address, and a 32-bit instruction's second
    // half can fool it (exceptions.elf 0x5ea: "mrs r0, PSP" for mrsne); we decode from the symbol
    let checked = 0;
    for (const fixture of ['cpu/exceptions', 'cpu/integer', 'cpu/fp', 'gdb-m4', 'm4-scheduler']) {
      const e = ElfFile.parse(readFixture(fixture));
      const s = disasmSymbols(e);
      const r = elfReader(e);
      const whole = new Map(ourListing(readFixture(fixture)));
      for (const [addr, line] of whole) {
        if (!/^it[te]*\t/.test(line.text)) continue;
        let a = addr + 2;
        for (let k = 0; k < line.text.split('\t')[0].length - 1; k++) {
          const [alone] = disassemble(r, a, 1, s.name, s.map);
          assert.strictEqual(alone.text, whole.get(a)?.text, `${fixture} 0x${a.toString(16)}`);
          checked++;
          a += alone.size;
        }
      }
    }
    assert.ok(checked > 40, `${checked}`);
    // with no symbols to decode from, the look back finds the IT: ite eq; moveq; movne
    const bytes = wordBytes([0x2000, 0xbf0c, 0x2001, 0x2002]);
    assert.deepStrictEqual(disassemble(reader(bytes), 6, 1).map((l) => l.text), ['movne\tr0, #2']);
  });

  it('prints an encoding the M4 does not decode as objdump does', () => {
    assert.deepStrictEqual(disassemble(reader(wordBytes([0xb7ff, 0xe8004778])), 0, 2).map((l) => l.text), [
      '\t\t@ <UNDEFINED> instruction: 0xb7ff',
      '\t\t@ <UNDEFINED> instruction: 0xe8004778',
    ]);
  });

  it('random halfwords, code maps and names never throw, at a bounded cost per line', () => {
    let s = 99;
    const rnd = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    const bytes = new Uint8Array(1 << 20);
    for (let k = 0; k < bytes.length; k++) bytes[k] = rnd() >>> 24;
    const randomMap = {
      isData: (a: number): boolean => ((a >>> 6) & 3) === 0,
      nextSymbol: (a: number): number | undefined => (a & 64 ? a + 1 + (rnd() & 7) : undefined),
      symbolAtOrBelow: (a: number): number | undefined => (a & 128 ? a - (rnd() & 0xffff) : undefined),
    };
    const weirdName = (a: number): string | undefined => (a & 1 ? undefined : `<${a & 0xff}>\t@`);
    const t0 = process.hrtime.bigint();
    let lines = 0;
    for (let start = 0; start < bytes.length - 64; start += 4096 + (rnd() & 1)) {
      const out = disassemble(reader(bytes), start, 400, weirdName, start & 4096 ? randomMap : undefined);
      for (const l of out) {
        assert.ok([1, 2, 4].includes(l.size), JSON.stringify(l));
        assert.ok(l.text.length > 0);
      }
      lines += out.length;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(lines > 100_000, `${lines}`);
    // about 1 µs a line on this machine; the bound leaves room for a loaded CI
    assert.ok(ms < lines * 0.05, `${lines} lines in ${ms.toFixed(0)} ms`);
  });
});

describe('disasm: disasmSymbols()', () => {
  it('picks among symbols at one address as objdump does: functions, then non-local, then by name', () => {
    const elf = ElfFile.parse(readFixture('m4-scheduler'));
    const { name } = disasmSymbols(elf);
    // fault_handler (local), ipcc_tx1_irq_handler and svc_handler (weak) share an address
    const at = elf.symbol('svc_handler')!.value & ~1;
    assert.strictEqual(name(at), 'ipcc_tx1_irq_handler');
    assert.strictEqual(name(at + 0x20), 'ipcc_tx1_irq_handler+0x20');
  });

  it('knows data from code by the mapping symbols, odd addresses included', () => {
    const elf = ElfFile.parse(readFixture('fpu-oracle'));
    const { map } = disasmSymbols(elf);
    const d = elf.symbols().filter((s) => s.name === '$d').map((s) => s.value);
    assert.ok(d.some((v) => v & 1), 'a $d at an odd address');
    for (const v of d) assert.ok(map.isData(v), v.toString(16));
    const odd = d.find((v) => v & 1)!;
    assert.strictEqual(map.nextSymbol(odd - 1), odd);
  });
});
