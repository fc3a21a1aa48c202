import assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardSchemaError, MAX_BOARD_FILE_BYTES, builtinBoards, findBoard, loadBoardFile, parseBoard, workspaceBoards } from '../../../src/core/soc/boardLoader';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';

/** A deep copy of the stm32 board JSON to break in one place (loosely typed on purpose). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function stm32Json(): Record<string, any> {
  return JSON.parse(JSON.stringify(stm32));
}

function schemaError(fn: () => unknown): BoardSchemaError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BoardSchemaError, `expected BoardSchemaError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a BoardSchemaError');
}

describe('boards: builtin', () => {
  it('ships stm32mp157, am64x and zynqmp with the core ids the CLI uses', () => {
    assert.deepStrictEqual(
      builtinBoards().map((b) => [b.id, b.cores.map((c) => c.id)]),
      [
        ['stm32mp157', ['m4']],
        ['am64x', ['r5f0_0', 'r5f0_1', 'r5f1_0', 'r5f1_1']],
        ['zynqmp', ['r5_0', 'r5_1']],
      ],
    );
  });

  it('names the kernel sources the numbers come from', () => {
    for (const b of builtinBoards()) {
      assert.ok(b.sources.length > 0, b.id);
      for (const s of b.sources) assert.match(s, /^(arch|drivers|Documentation)\//, `${b.id}: ${s}`);
    }
  });

  it("stm32mp157 M4's peripherals at the dtsi's addresses, with the M4's NVIC lines (RM0436), not the A7's GIC ones", () => {
    const m4 = findBoard('stm32mp157')!.cores[0];
    assert.deepStrictEqual(
      (m4.peripherals ?? []).map((p) => [p.name, p.base, p.size, p.model, (p.irqs ?? []).map((q) => `${q.name}:${q.line}`).join(' ')]),
      [
        ['TIM2', 0x40000000, 0x400, 'stm32-tim32', 'global:28'],
        ['TIM3', 0x40001000, 0x400, 'stm32-tim16', 'global:29'],
        ['TIM4', 0x40002000, 0x400, 'stm32-tim16', 'global:30'],
        ['TIM5', 0x40003000, 0x400, 'stm32-tim32', 'global:50'],
        ['WWDG1', 0x4000a000, 0x400, 'stm32-wwdg', 'ewi:0'],
        ['USART3', 0x4000f000, 0x400, 'stm32-usart', 'global:39'],
        ['UART4', 0x40010000, 0x400, 'stm32-usart', 'global:52'],
        ['UART7', 0x40018000, 0x400, 'stm32-usart', 'global:82'],
        ['HSEM', 0x4c000000, 0x400, 'stm32-hsem', ''],
        ['IPCC', 0x4c001000, 0x400, 'stm32-ipcc', 'rx:103 tx:104'],
        ['RCC', 0x50000000, 0x1000, 'stm32-rcc', ''],
        ['EXTI', 0x5000d000, 0x400, 'stm32-exti', 'event0:6 event1:7 event2:8 event3:9 event4:10 event5:23 event6:64 event7:65 event8:66 event9:67 event10:40 event11:42 event12:76 event13:77 event14:121 event15:127'],
      ],
    );
  });

  it('stm32mp157 M4 sees RETRAM at da 0 and MCU SRAM at 0x10000000 (mlahb dma-ranges)', () => {
    const m4 = findBoard('stm32mp157')!.cores[0];
    assert.strictEqual(m4.name, 'm4');
    assert.strictEqual(m4.defaultFirmware, 'rproc-m4-fw');
    assert.strictEqual(m4.driver, 'stm32_rproc');
    assert.strictEqual(m4.tableRequired, false);
    assert.deepStrictEqual(
      m4.memories.map((m) => [m.name, m.da, m.pa, m.size]),
      [
        ['retram', 0, 0x38000000, 0x10000],
        ['mcusram', 0x10000000, 0x10000000, 0x60000],
        ['mcusram-alias', 0x30000000, 0x30000000, 0x60000],
      ],
    );
    assert.deepStrictEqual(m4.mailbox.map((c) => c.name), ['vq0', 'vq1', 'shutdown', 'detach']);
    const ring0 = findBoard('stm32mp157')!.reservedMemory.find((r) => r.name === 'vdev0vring0');
    assert.deepStrictEqual([ring0?.pa, ring0?.size], [0x10040000, 0x1000]);
  });

  it('am64x R5F cores: TI firmware names, split-mode 32 KiB TCMs, BTCM at 0x41010000, table required', () => {
    const b = findBoard('am64x')!;
    const c = b.cores.find((x) => x.id === 'r5f1_1')!;
    assert.strictEqual(c.name, '78600000.r5f');
    assert.strictEqual(c.defaultFirmware, 'am64-main-r5f1_1-fw');
    assert.strictEqual(c.tableRequired, true);
    assert.deepStrictEqual(
      c.memories.filter((m) => m.kind === 'tcm').map((m) => [m.name, m.da, m.pa, m.size]),
      [
        ['atcm', 0, 0x78600000, 0x8000],
        ['btcm', 0x41010000, 0x78700000, 0x8000],
      ],
    );
    const regions = c.memoryRegions.map((n) => b.reservedMemory.find((r) => r.name === n)!);
    assert.deepStrictEqual(regions.map((r) => [r.nodeName, r.pa, r.size]), [
      ['r5f-dma-memory', 0xa3000000, 0x100000],
      ['r5f-memory', 0xa3100000, 0xf00000],
    ]);
  });

  it('zynqmp R5 cores: TCM banks at da 0/0x20000, per-core vdev regions the driver finds by node name', () => {
    const b = findBoard('zynqmp')!;
    const r51 = b.cores[1];
    assert.strictEqual(r51.name, 'ffe90000.r5f');
    assert.strictEqual(r51.defaultFirmware, 'rproc-ffe90000.r5f-fw');
    assert.deepStrictEqual(r51.memories.slice(0, 2).map((m) => [m.name, m.da, m.pa]), [
      ['atcm0', 0, 0xffe90000],
      ['btcm0', 0x20000, 0xffeb0000],
    ]);
    const nodes = r51.memoryRegions.map((n) => b.reservedMemory.find((r) => r.name === n)!.nodeName);
    assert.deepStrictEqual(nodes, ['memory', 'vdev0buffer', 'vdev0vring0', 'vdev0vring1']);
    assert.ok(b.notes?.some((n) => n.includes('UG1186')), 'says which numbers are the vendor layout');
  });

  it('every reserved region a core uses lies inside one of its windows', () => {
    for (const b of builtinBoards()) {
      for (const c of b.cores) {
        for (const n of c.memoryRegions) {
          const r = b.reservedMemory.find((x) => x.name === n)!;
          const inside = c.memories.some((m) => r.pa >= m.pa && r.pa + r.size <= m.pa + m.size);
          assert.ok(inside, `${b.id}/${c.id}: ${n} at 0x${r.pa.toString(16)} is not in the core's view`);
        }
      }
    }
  });

  it('findBoard gives undefined for an unknown id', () => {
    assert.strictEqual(findBoard('rpi4'), undefined);
  });
});

describe('boards: schema errors point at the field', () => {
  it('names the JSON path and the file for a wrong type', () => {
    const j = stm32Json();
    j.cores[0].memories[2].size = 'big';
    const e = schemaError(() => parseBoard(j, 'my.json'));
    assert.strictEqual(e.source, 'my.json');
    assert.deepStrictEqual(e.issues.map((i) => i.path), ['cores[0].memories[2].size']);
    assert.match(e.message, /^my\.json: cores\[0\]\.memories\[2\]\.size: expected a number/);
  });

  it('accepts hex strings and JSON numbers alike', () => {
    const j = stm32Json();
    j.cores[0].memories[0].pa = 0x38000000;
    j.cores[0].memories[0].size = '65536';
    const b = parseBoard(j, 'x.json');
    assert.deepStrictEqual([b.cores[0].memories[0].pa, b.cores[0].memories[0].size], [0x38000000, 0x10000]);
  });

  it('reports every problem at once, unknown fields included', () => {
    const j = stm32Json();
    j.cores[0].memmories = [];
    j.cores[0].driver = 'imx_rproc';
    delete j.reservedMemory[1].noMap;
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.deepStrictEqual(e.issues.map((i) => i.path).sort(), ['cores[0].driver', 'cores[0].memmories', 'reservedMemory[1].noMap']);
  });

  it('rejects negative, fractional and beyond-53-bit numbers', () => {
    for (const bad of [-1, 1.5, '0x20000000000000', 'ten']) {
      const j = stm32Json();
      j.reservedMemory[0].pa = bad;
      const e = schemaError(() => parseBoard(j, 'x.json'));
      assert.deepStrictEqual(e.issues.map((i) => i.path), ['reservedMemory[0].pa'], String(bad));
    }
  });

  it('rejects overlapping windows of one core', () => {
    const j = stm32Json();
    j.cores[0].memories[1].da = '0x8000';
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.strictEqual(e.issues.length, 1);
    assert.match(e.message, /cores\[0\]\.memories\[1\]: window mcusram \[0x8000\.\.0x68000\) overlaps retram/);
  });

  it("rejects overlapping peripherals and unknown models of a core's peripheral map", () => {
    const j = stm32Json();
    const exti = j.cores[0].peripherals.findIndex((p: { name: string }) => p.name === 'EXTI');
    j.cores[0].peripherals[exti].base = '0x50000800'; // EXTI inside RCC
    j.cores[0].peripherals[0].model = 'pl011';
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.match(e.message, /cores\[0\]\.peripherals\[0\]\.model/);
    delete j.cores[0].peripherals[0].model;
    assert.match(schemaError(() => parseBoard(j, 'x.json')).message, new RegExp(`cores\\[0\\]\\.peripherals\\[${exti}\\]: peripheral EXTI \\[0x50000800\\.\\.0x50000c00\\) overlaps RCC`));
  });

  it('reads a peripheral\'s bootState as numbers; rejects a word outside its window, unaligned, too wide, or on no model', () => {
    const rcc = findBoard('stm32mp157')?.cores[0].peripherals?.find((p) => p.name === 'RCC');
    assert.deepStrictEqual(rcc?.bootState?.[0], { register: 'RCC_MSSCKSELR', offset: 0x48, value: 3 });
    const j = stm32Json();
    const at = j.cores[0].peripherals.findIndex((p: { name: string }) => p.name === 'RCC');
    j.cores[0].peripherals[at].bootState = [
      { register: 'A', offset: '0x1000', value: 0 },
      { register: 'B', offset: 2, value: 0 },
      { register: 'C', offset: 4, value: '0x100000000' },
    ];
    const hsem = j.cores[0].peripherals.findIndex((p: { name: string }) => p.name === 'HSEM');
    delete j.cores[0].peripherals[hsem].model;
    j.cores[0].peripherals[hsem].bootState = [{ register: 'HSEM_CR', offset: 0x140, value: 0 }];
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.deepStrictEqual(
      e.issues.map((i) => `${i.path}: ${i.reason}`),
      [
        `cores[0].peripherals[${hsem}].bootState: needs a model to hold the values`,
        `cores[0].peripherals[${at}].bootState[0].offset: 0x1000 is not a word inside the 0x1000-byte window`,
        `cores[0].peripherals[${at}].bootState[1].offset: 0x2 is not a word inside the 0x1000-byte window`,
        `cores[0].peripherals[${at}].bootState[2].value: 0x100000000 does not fit 32 bits`,
      ],
    );
  });

  it('rejects a memory-region that names no reserved memory', () => {
    const j = stm32Json();
    j.cores[0].memoryRegions.push('vdev1buffer');
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.match(e.message, /cores\[0\]\.memoryRegions\[6\]: no reservedMemory entry named "vdev1buffer"/);
  });

  it('rejects zero sizes and windows past the 32-bit device address space', () => {
    const j = stm32Json();
    j.cores[0].memories[0].size = 0;
    j.cores[0].memories[2].da = '0xfffff000';
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.deepStrictEqual(e.issues.map((i) => i.path), ['cores[0].memories[0].size', 'cores[0].memories[2].da']);
    assert.match(e.issues[1].reason, /beyond the 32-bit address space/);
  });

  it('rejects duplicate core ids and overlapping reserved memory', () => {
    const j = stm32Json();
    j.cores.push(JSON.parse(JSON.stringify(j.cores[0])));
    j.reservedMemory[3].pa = '0x1003f000';
    const e = schemaError(() => parseBoard(j, 'x.json'));
    assert.deepStrictEqual(e.issues.map((i) => i.path).sort(), ['cores[1].id', 'reservedMemory[3]']);
  });

  it('rejects a board that is not an object', () => {
    const e = schemaError(() => parseBoard([1, 2], 'x.json'));
    assert.match(e.message, /^x\.json: expected an object, got an array/);
  });
});

describe('boards: files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-boards-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads a user board file the same way as a builtin one', () => {
    const j = stm32Json();
    j.id = 'my-mp157';
    const f = path.join(dir, 'mine.json');
    fs.writeFileSync(f, JSON.stringify(j));
    assert.strictEqual(loadBoardFile(f).id, 'my-mp157');
  });

  it('says invalid JSON with the file name', () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{ "id": ');
    const e = schemaError(() => loadBoardFile(f));
    assert.strictEqual(e.source, f);
    assert.match(e.message, /not valid JSON/);
  });

  it('refuses a board file too large to be one without reading it', () => {
    const f = path.join(dir, 'huge.json');
    fs.writeFileSync(f, '');
    fs.truncateSync(f, MAX_BOARD_FILE_BYTES + 1);
    assert.match(schemaError(() => loadBoardFile(f)).message, /too large for a board file/);
  });

  it('lets a missing file fail as a file-system error, not a schema error', () => {
    assert.throws(() => loadBoardFile(path.join(dir, 'nope.json')), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });

  it('reads .amp/boards/*.json, keeping good boards when one file is bad', () => {
    const boards = path.join(dir, '.amp', 'boards');
    fs.mkdirSync(boards, { recursive: true });
    const j = stm32Json();
    j.id = 'lab-board';
    fs.writeFileSync(path.join(boards, 'a.json'), JSON.stringify(j));
    fs.writeFileSync(path.join(boards, 'b.json'), '[]');
    fs.writeFileSync(path.join(boards, 'notes.txt'), 'ignored');
    const w = workspaceBoards(dir);
    assert.deepStrictEqual(w.boards.map((b) => b.id), ['lab-board']);
    assert.strictEqual(w.errors.length, 1);
    assert.match(w.errors[0].message, /b\.json: expected an object/);
    assert.deepStrictEqual(workspaceBoards(path.join(dir, 'none')), { boards: [], errors: [] });
  });
});

describe('boards: schema check under arbitrary input (property)', () => {
  /** Every [path, container, key] of a JSON value, so a property can replace any one field. */
  function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        slots(x, out);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, unknown>, k]);
        slots(x, out);
      }
    }
    return out;
  }

  it('any value in any field gives a Board or a BoardSchemaError, nothing else', () => {
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue(), (pick, value) => {
        const j = stm32Json();
        const all = slots(j);
        const [container, key] = all[pick % all.length];
        (container as Record<string | number, unknown>)[key] = value;
        try {
          parseBoard(j, 'prop.json');
        } catch (e) {
          if (!(e instanceof BoardSchemaError)) throw e;
          assert.ok(e.issues.length > 0 && e.issues.every((i) => i.reason.length > 0));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('any JSON document at all is refused with a BoardSchemaError unless it is a board', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.throws(() => parseBoard(value, 'any.json'), BoardSchemaError);
      }),
      { numRuns: 1000 },
    );
  });
});
