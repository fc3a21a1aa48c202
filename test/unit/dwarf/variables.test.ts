// Globals, types and values against gdb-multiarch on the same ELF (whatis, info address, print of
// the initialised data, ptype of a struct), and locals and parameters against `info locals` and
// `info args` on programs stopped under `ampw gdbserver`, -O0 (on the stack) and -O2 (registers,
// location lists, computed values).
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { SHT_NOBITS } from '../../../src/core/elf/constants';
import { FirmwareDebugInfo } from '../../../src/core/dwarf/firmwareDebugInfo';
import { TAG } from '../../../src/core/dwarf/constants';
import { gdbAvailable, GDB } from '../../oracle/gdbBatch';
import { fixture, readFixture } from '../../fixtures/fixtures';
import { dumpedMemory, gdbStop, MAIN_STACK, type GdbStop } from './gdbStop';

/** What gdb prints for each command, run on the ELF alone. */
function gdbAnswers(elf: string, commands: string[]): string[] {
  const args = ['-batch', '-nx', elf, ...commands.flatMap((c, i) => ['-ex', `echo @@${i}\\n`, '-ex', c])];
  const text = execFileSync(GDB, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const out = commands.map(() => '');
  let i = -1;
  for (const line of text.split('\n')) {
    const m = /^@@(\d+)$/.exec(line);
    if (m) i = Number(m[1]);
    else if (i >= 0) out[i] += (out[i] ? '\n' : '') + line;
  }
  return out.map((a) => a.trim());
}

/** The ELF's initialised bytes by address (what gdb reads without a target); NOBITS sections have none. */
function elfMemory(elf: ElfFile): (address: number, size: number) => Uint8Array | undefined {
  const loaded = elf.sections.filter((s) => s.addr !== 0 || s.name === '.vectors').filter((s) => s.type !== SHT_NOBITS && s.flags & 0x2);
  return (address, size) => {
    const s = loaded.find((x) => address >= x.addr && address + size <= x.addr + x.size);
    return s ? elf.sectionData(s).subarray(address - s.addr, address - s.addr + size) : undefined;
  };
}

function load(name: string) {
  const elf = ElfFile.parse(new Uint8Array(fs.readFileSync(fixture(name))));
  return { elf, debug: FirmwareDebugInfo.fromElf(elf) };
}

describe('dwarf variables: globals, types and values as gdb-multiarch shows them', function () {
  this.timeout(120000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  for (const name of ['gdb-m4', 'dwarf-o2', 'dwarf-o2-v4']) {
    it(`${name}: whatis, info address and print of every global`, () => {
      const { elf, debug } = load(name);
      const memory = elfMemory(elf);
      const globals = debug.globals().filter((g) => g.name !== 'process_stack');
      assert.ok(globals.length >= 5);
      const answers = gdbAnswers(fixture(name), globals.flatMap((g) => [`whatis ${g.name}`, `info address ${g.name}`, `print ${g.name}`]));
      const failures: string[] = [];
      globals.forEach((g, i) => {
        const view = debug.view(g, undefined, true, memory);
        const [whatis, address, print] = answers.slice(3 * i, 3 * i + 3);
        if (whatis !== `type = ${view.type}`) failures.push(`${g.name}: whatis ${whatis} / ${view.type}`);
        const m = /is static storage at address (0x[0-9a-f]+)/.exec(address);
        if (!m || parseInt(m[1], 16) !== view.address) failures.push(`${g.name}: ${address} / ${view.where}`);
        // gdb prints .bss from the file's bytes where there are none: compare initialised data only.
        if (memory(view.address ?? -1, Math.max(view.size, 1)) && print.replace(/^\$\d+ = /, '') !== view.value) failures.push(`${g.name}: print ${print} / ${view.value}`);
      });
      assert.deepStrictEqual(failures, []);
    });
  }

  it('dwarf-o2: ptype of a struct with bitfields, a union, a 2-D array and pointers to data and to a function; children to expand', () => {
    const { elf, debug } = load('dwarf-o2');
    const packets = debug.globals().find((g) => g.name === 'packets');
    assert.ok(packets);
    const element = debug.types.strip(packets.type);
    const packet = debug.types.strip(element && debug.types.typeOf(element));
    assert.strictEqual(packet?.tag, TAG.structure_type);
    const members = debug.types.children(packet).map((c) => `    ${debug.types.name(c.type, c.inner).replace(/^(.*?)( \(\*\)| \*|)( \[.*\]|\(.*\))?$/, (_, base, ptr, tail) => (ptr === ' (*)' ? `${base} (*${c.name})${tail ?? ''}` : `${base}${ptr ? ' *' : ''}${ptr ? '' : ' '}${c.name}${(tail ?? '').trim()}`))}${c.bitSize !== undefined ? ` : ${c.bitSize}` : ''};`);
    const ptype = gdbAnswers(fixture('dwarf-o2'), ['ptype struct packet'])[0];
    assert.strictEqual(`type = struct packet {\n${members.join('\n')}\n}`, ptype);

    // The Variables view's children: packets → [0] → its members; a bitfield and a 2-D array row.
    const memory = elfMemory(elf);
    const view = debug.view(packets, undefined, true, memory);
    assert.strictEqual(view.childCount, 2);
    const bytes = memory(view.address ?? 0, view.size) as Uint8Array;
    const [first] = debug.childViews(packets.type, bytes, view.address, memory, 0, 1);
    assert.deepStrictEqual([first.name, first.type, first.childCount], ['[0]', 'struct packet', 9]);
    const fields = debug.childViews(element ? debug.types.typeOf(element) : undefined, bytes.subarray(0, first.size), first.address, memory);
    const byName = new Map(fields.map((f) => [f.name, f]));
    assert.strictEqual(byName.get('flags')?.value, '{ready = 1, mode = 5, level = -3, tail = 120 \'x\'}');
    assert.strictEqual(byName.get('grid')?.childCount, 2);
    const grid = byName.get('grid');
    const gridType = debug.types.children(packet).find((c) => c.name === 'grid');
    const rows = debug.childViews(gridType?.type, bytes.subarray(grid?.address ? grid.address - (view.address ?? 0) : 0), grid?.address, memory);
    assert.deepStrictEqual(rows.map((r) => `${r.name} ${r.type} ${r.value} ${r.childCount}`), ['[0] int [3] {1, 2, 3} 3', '[1] int [3] {4, 5, 6} 3']);
  });

  /** info locals/info args against ours at the top frame of a stop. */
  async function compareLocals(elf: string, setup: string[], dumps: { at: string; words: number }[]): Promise<GdbStop> {
    const stop = await gdbStop(elf, setup, dumps, 1, ['info locals', 'info args']);
    const { debug } = load(elf);
    const r = [...Array(16).keys()].map((i) => stop.registers.get(i === 13 ? 'sp' : i === 14 ? 'lr' : i === 15 ? 'pc' : `r${i}`) ?? 0);
    const [top, caller] = debug.callStack({ r, msp: stop.registers.get('msp'), psp: stop.registers.get('psp') }, dumpedMemory(stop));
    const vars = debug.locals(top.frame, true);
    // What is not on the stacks gdb dumped is the program's data, as the ELF has it.
    const stacks = dumpedMemory(stop);
    const data = elfMemory(ElfFile.parse(readFixture(elf)));
    const memory = (a: number, n: number) => stacks(a, n) ?? data(a, n);
    const show = (kind: string) =>
      vars
        .filter((v) => v.kind === kind)
        .map((v) => `${v.name} = ${debug.view(v, top.frame, true, memory, caller?.frame).value}`)
        .join('\n');
    const clean = (t: string) => t.trim().replace(/^No (locals|arguments)\.$/, '');
    assert.strictEqual(show('local'), clean(stop.answers[0]), stop.transcript);
    assert.strictEqual(show('parameter'), clean(stop.answers[1]), stop.transcript);
    return stop;
  }

  it('-O0: locals in a nested block and parameters, on the stack (DW_OP_fbreg from DW_OP_call_frame_cfa)', async () => {
    await compareLocals('gdb-m4', ['break gdb.c:20', 'continue', 'continue'], [MAIN_STACK]);
    await compareLocals('gdb-m4', ['break add', 'continue'], [MAIN_STACK]);
  });

  it('-O2: parameters in registers, values computed by location lists (DW_OP_stack_value), a parameter found at its caller\'s call site (DW_OP_entry_value)', async () => {
    await compareLocals('dwarf-o2', ['break tick_work', 'continue', 'stepi'], [MAIN_STACK]);
    // Four instructions in, n has left r1: its value is main's at the call (DW_OP_entry_value).
    await compareLocals('dwarf-o2', ['break checksum', 'continue', 'stepi', 'stepi', 'stepi', 'stepi'], [MAIN_STACK]);
  });
});
