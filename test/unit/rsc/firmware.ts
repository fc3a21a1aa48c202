// Real firmware for the rsc tests: an OpenAMP-style Cortex-M4 image built from C by
// arm-none-eabi-gcc (once per run, into a temporary directory), and helpers that rewrite its
// resource table in place with the encoder to make the broken variants the kernel refuses.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { encodeResourceTable } from './encode';
import { ResourceTable } from '../../../src/core/rsc/types';
import { Board, CoreDesc } from '../../../src/core/soc/board';

const SOURCE = `
#include <stdint.h>
#include <stddef.h>
struct carveout { uint32_t type, da, pa, len, flags, reserved; char name[32]; };
struct trace { uint32_t type, da, len, reserved; char name[32]; };
struct vring { uint32_t da, align, num, notifyid, pa; };
struct vdev { uint32_t type, id, notifyid, dfeatures, gfeatures, config_len; uint8_t status, num_of_vrings, reserved[2]; struct vring vring[2]; };
struct table { uint32_t ver, num, reserved[2], offset[3]; struct carveout c; struct trace t; struct vdev v; } __attribute__((packed));
char trace_buf[1024];
__attribute__((section(".resource_table"), used)) struct table resource_table = {
  1, 3, {0, 0}, {offsetof(struct table, c), offsetof(struct table, t), offsetof(struct table, v)},
  {0, 0x10030000, 0x10030000, 0x8000, 0, 0, "shm"},
  {2, (uint32_t)trace_buf, sizeof(trace_buf), 0, "cm4_log"},
  {3, 7, 0, 1, 0, 0, 0, 2, {0, 0}, {{0x10040000, 16, 16, 0, 0}, {0x10041000, 16, 16, 1, 0}}},
};
void Reset_Handler(void) { for (;;) trace_buf[0]++; }
__attribute__((section(".isr_vector"), used)) const uint32_t vectors[2] = {0x10020000, (uint32_t)Reset_Handler};
`;

const LINKER = `
MEMORY { RETRAM (rx) : ORIGIN = 0x00000000, LENGTH = 64K
         RAM (rwx) : ORIGIN = 0x10000000, LENGTH = 128K }
ENTRY(Reset_Handler)
SECTIONS {
  .isr_vector : { KEEP(*(.isr_vector)) } > RETRAM
  .text : { *(.text*) *(.rodata*) } > RETRAM
  .resource_table : { KEEP(*(.resource_table)) } > RAM
  .data : { *(.data*) } > RAM
  .bss (NOLOAD) : { *(.bss*) *(COMMON) } > RAM
}
`;

let cached: Uint8Array | undefined;

/** The good image: carveout "shm", trace "cm4_log", an rpmsg vdev with two 16-buffer vrings (align 16). */
export function goodFirmware(): Uint8Array {
  if (!cached) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-rsc-'));
    fs.writeFileSync(path.join(dir, 'fw.c'), SOURCE);
    fs.writeFileSync(path.join(dir, 'fw.ld'), LINKER);
    const out = path.join(dir, 'fw.elf');
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-Os', '-nostdlib', '-ffreestanding', '-T', path.join(dir, 'fw.ld'), '-o', out, path.join(dir, 'fw.c')]);
    cached = new Uint8Array(fs.readFileSync(out));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return cached.slice();
}

export function tableSpan(bytes: Uint8Array): { offset: number; size: number } {
  const s = ElfFile.parse(bytes).section('.resource_table');
  if (!s) throw new Error('fixture has no .resource_table');
  return { offset: s.offset, size: s.size };
}

export function tableOf(bytes: Uint8Array): ResourceTable {
  const { offset, size } = tableSpan(bytes);
  return decodeResourceTable(bytes.subarray(offset, offset + size), 'little');
}

/** A copy of the image with its table rewritten (same size) by `edit`. */
export function withTable(bytes: Uint8Array, edit: (t: ResourceTable) => ResourceTable): Uint8Array {
  const { offset, size } = tableSpan(bytes);
  const t = edit(tableOf(bytes));
  const enc = encodeResourceTable({ ...t, size }, 'little');
  const out = bytes.slice();
  out.set(enc, offset);
  return out;
}

/** Replaces entry `i` of the table with the fields in `patch`. */
export function patchEntry(t: ResourceTable, i: number, patch: object): ResourceTable {
  return { ...t, entries: t.entries.map((e) => (e.index === i ? ({ ...e, ...patch } as typeof e) : e)) };
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
export const setU32 = (b: Uint8Array, off: number, v: number): void => view(b).setUint32(off, v, true);
export const setU16 = (b: Uint8Array, off: number, v: number): void => view(b).setUint16(off, v, true);
export const getU32 = (b: Uint8Array, off: number): number => view(b).getUint32(off, true);

/** STM32MP157-like M4 as the tests need it (numbers from stm32mp157c-dk2.dts reserved-memory). */
export function stm32Board(overrides: Partial<CoreDesc> = {}): { board: Board; core: CoreDesc } {
  const core: CoreDesc = {
    name: 'm4',
    id: 'm4',
    cpu: 'cortex-m4',
    endian: 'little',
    driver: 'stm32_rproc',
    defaultFirmware: 'rproc-m4-fw',
    memories: [
      { name: 'RETRAM', da: 0x0, pa: 0x38000000, size: 0x10000, kind: 'retram', access: 'rwx' },
      { name: 'MCUSRAM', da: 0x10000000, pa: 0x10000000, size: 0x60000, kind: 'sram', access: 'rwx' },
    ],
    memoryRegions: ['retram', 'mcuram2', 'vdev0vring0', 'vdev0vring1', 'vdev0buffer'],
    mailbox: [],
    tableRequired: false,
    earlyBootCapable: true,
    ...overrides,
  };
  const board: Board = {
    id: 'stm32mp157-test',
    name: 'STM32MP157 (test)',
    description: 'test board',
    sources: ['arch/arm/boot/dts/st/stm32mp157c-dk2.dts'],
    host: { cpu: 'cortex-a7', cores: 2 },
    reservedMemory: [
      { name: 'retram', pa: 0x38000000, size: 0x10000, noMap: true },
      { name: 'mcuram2', pa: 0x10000000, size: 0x40000, noMap: true },
      { name: 'vdev0vring0', pa: 0x10040000, size: 0x1000, noMap: true },
      { name: 'vdev0vring1', pa: 0x10041000, size: 0x1000, noMap: true },
      { name: 'vdev0buffer', pa: 0x10042000, size: 0x4000, noMap: true, compatible: 'shared-dma-pool' },
    ],
    cores: [core],
  };
  return { board, core };
}
