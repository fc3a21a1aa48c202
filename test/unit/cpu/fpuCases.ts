// The cases of test/fixtures/fpu/fpu_oracle.c, drawn the same way in TypeScript: the operation
// list in the program's order, the xorshift32 operand stream seeded per (operation, mode), and the
// per-block hash of (result, flags) the program prints.
import * as fpu from '../../../src/core/cpu/armv7m/fpu/fpMath';
import type { FpContext } from '../../../src/core/cpu/armv7m/fpu/fpMath';

/** Cases per (operation, mode) in the full run, and per hash block. */
export const CASES = 65536;
export const BLOCK = 1024;

type Kind = 'float' | 'int' | 'half';

export interface FpuOp {
  name: string;
  kind: Kind;
  /** 16: RMode x FZ x DN; 32: x AHP. */
  modes: number;
  run(a: number, b: number, c: number, ctx: FpContext): number;
}

export const OPS: readonly FpuOp[] = [
  { name: 'fpAdd', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpAdd(a, b, x) },
  { name: 'fpSub', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpSub(a, b, x) },
  { name: 'fpMul', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpMul(a, b, x) },
  { name: 'fpDiv', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpDiv(a, b, x) },
  { name: 'fpSqrt', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpSqrt(a, x) },
  { name: 'fpMulAdd', kind: 'float', modes: 16, run: (a, b, c, x) => fpu.fpMulAdd(c, a, b, x) },
  { name: 'fpCompare', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpCompare(a, b, false, x) },
  { name: 'fpCompare (E)', kind: 'float', modes: 16, run: (a, b, _c, x) => fpu.fpCompare(a, b, true, x) },
  { name: 'fpToInt s32', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToInt(a, false, true, x) },
  { name: 'fpToInt u32', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToInt(a, true, true, x) },
  { name: 'fpToInt s32 (R)', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToInt(a, false, false, x) },
  { name: 'fpToInt u32 (R)', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToInt(a, true, false, x) },
  { name: 'fpFromInt s32', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromInt(a, false, x) },
  { name: 'fpFromInt u32', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromInt(a, true, x) },
  { name: 'fpToFixed s32 #16', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToFixed(a, 16, false, false, x) },
  { name: 'fpToFixed u32 #32', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToFixed(a, 32, true, false, x) },
  { name: 'fpToFixed s16 #8', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToFixed(a, 8, false, true, x) },
  { name: 'fpToFixed u16 #1', kind: 'float', modes: 16, run: (a, _b, _c, x) => fpu.fpToFixed(a, 1, true, true, x) },
  { name: 'fpFromFixed s32 #16', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromFixed(a, 16, false, false, x) },
  { name: 'fpFromFixed u32 #32', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromFixed(a, 32, true, false, x) },
  { name: 'fpFromFixed s16 #8', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromFixed(a, 8, false, true, x) },
  { name: 'fpFromFixed u16 #1', kind: 'int', modes: 16, run: (a, _b, _c, x) => fpu.fpFromFixed(a, 1, true, true, x) },
  { name: 'fpToHalf', kind: 'float', modes: 32, run: (a, _b, _c, x) => fpu.fpToHalf(a, x) },
  { name: 'fpFromHalf', kind: 'half', modes: 32, run: (a, _b, _c, x) => fpu.fpFromHalf(a, x) },
  { name: 'fpNeg', kind: 'float', modes: 16, run: (a) => fpu.fpNeg(a) },
  { name: 'fpAbs', kind: 'float', modes: 16, run: (a) => fpu.fpAbs(a) },
];

/** FPSCR for mode number `mode`: RMode in bits 1-0, FZ bit 2, DN bit 3, AHP bit 4. */
export function fpscrOf(mode: number): number {
  return ((mode & 3) << 22) | (((mode >> 2) & 1) << 24) | (((mode >> 3) & 1) << 25) | (((mode >> 4) & 1) << 26);
}

export function modeName(mode: number): string {
  const r = ['RN', 'RP', 'RM', 'RZ'][mode & 3];
  return [r, mode & 4 ? 'FZ' : '', mode & 8 ? 'DN' : '', mode & 16 ? 'AHP' : ''].filter((s) => s).join(' ');
}

const EDGES = [0x7f7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x3f800000, 0x3f7fffff, 0x00ffffff, 0x7f000000];

/** The operand stream of one (operation, mode), as the C program draws it. */
export class CaseStream {
  private state: number;
  a = 0;
  b = 0;
  c = 0;

  constructor(
    private readonly kind: Kind,
    op: number,
    mode: number,
  ) {
    this.state = Math.imul(op * 64 + mode + 1, 0x9e3779b9);
  }

  /** Draws case `i` into a, b, c (unsigned 32-bit values). */
  next(i: number): void {
    if (this.kind === 'int') {
      this.a = this.intOperand();
      this.b = this.c = 0;
    } else if (this.kind === 'half') {
      this.a = i & 0xffff;
      this.b = this.c = 0;
    } else {
      this.a = this.fpOperand(0);
      this.b = this.fpOperand(this.a);
      this.c = this.fpOperand(approxProduct(this.a, this.b));
    }
  }

  private rnd(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }

  private fpOperand(near: number): number {
    const r = this.rnd();
    const k = this.rnd();
    const s = r & 0x80000000;
    const kk = k >>> 4;
    let v: number;
    switch (k & 15) {
      case 0: v = s; break;
      case 1: v = s | (r & 0x7fffff); break;
      case 2: v = s | 0x7f800000; break;
      case 3: v = s | 0x7fc00000 | (r & 0x3fffff); break;
      case 4: v = s | 0x7f800000 | (r & 0x3fffff || 1); break;
      case 5: v = s | EDGES[kk & 7]; break;
      case 6: v = s | (((near & 0x7f800000) + ((kk % 5) << 23) - (2 << 23)) & 0x7f800000) | (r & 0x7fffff); break;
      case 7: v = near ^ (r & 0xff) ^ ((kk & 1) << 31); break;
      case 8: {
        const sh = (k >>> 5) & 7;
        const m = kk & 1 ? 0x400000 | (r & 0xf) : 0x7ffff0 | (r & 0xf);
        v = s | (r & 0x7f800000) | (((m << sh) >>> 0) >>> sh);
        break;
      }
      case 9: v = s | ((kk % 40) << 23) | (r & 0x7fffff); break;
      case 10: v = s | ((254 - (kk % 40)) << 23) | (r & 0x7fffff); break;
      case 11: v = s | ((125 + (kk % 34)) << 23) | (r & 0x7fffff); break;
      case 12: v = s | ((100 + (kk % 56)) << 23) | (r & 0x7fffff); break;
      default: v = r;
    }
    return v >>> 0;
  }

  private intOperand(): number {
    const r = this.rnd();
    const k = this.rnd();
    switch (k & 3) {
      case 0: return ((r << 23) >> 23) >>> 0;
      case 1: return ((1 << ((k >>> 2) & 31)) + ((r << 26) >> 26)) >>> 0;
      default: return r;
    }
  }
}

/** The leading bits of a * b as a single, truncated (the program's approx_product). */
function approxProduct(a: number, b: number): number {
  const fa = (a >>> 23) & 0xff;
  const fb = (b >>> 23) & 0xff;
  if (fa === 0 || fa === 255 || fb === 0 || fb === 255) return a;
  const p = ((a & 0x7fffff) | 0x800000) * ((b & 0x7fffff) | 0x800000);
  let e = fa + fb - 127;
  let m: number;
  if (p >= 2 ** 47) {
    m = Math.floor(p / 2 ** 24);
    e++;
  } else {
    m = Math.floor(p / 2 ** 23);
  }
  if (e <= 0 || e >= 255) return a;
  return (((a ^ b) & 0x80000000) | (e << 23) | (m & 0x7fffff)) >>> 0;
}

/** One (operation, mode) run through fpMath: per-case results and flags, or per-block hashes. */
export function runMode(op: number, mode: number, cases: number, onCase?: (i: number, a: number, b: number, c: number, r: number, flags: number) => void): number[] {
  const o = OPS[op];
  const stream = new CaseStream(o.kind, op, mode);
  const ctx: FpContext = { fpscr: 0 };
  const fpscr = fpscrOf(mode);
  const hashes: number[] = [];
  let h = 0x811c9dc5;
  for (let i = 0; i < cases; i++) {
    stream.next(i);
    ctx.fpscr = fpscr;
    const r = o.run(stream.a | 0, stream.b | 0, stream.c | 0, ctx) >>> 0;
    const flags = ctx.fpscr & 0x9f;
    onCase?.(i, stream.a, stream.b, stream.c, r, flags);
    h = Math.imul(h ^ r, 0x01000193);
    h = Math.imul(h ^ flags, 0x01000193);
    if (i % BLOCK === BLOCK - 1) {
      hashes.push(h >>> 0);
      h = 0x811c9dc5;
    }
  }
  return hashes;
}
