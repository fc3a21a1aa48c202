// FPv4-SP arithmetic figures: operations per second of each fpMath function over 4096 operand
// pairs of normal singles (what compiled float code mostly computes), and for add and mul the ratio
// to a Math.fround baseline, the host's own float arithmetic (right only in round-to-nearest).
// Rates are per second of this process's CPU time: the machines are shared, and wall time
// measures the others.
import * as fpu from '../src/core/cpu/armv7m/fpu/fpMath';
import type { FpContext } from '../src/core/cpu/armv7m/fpu/fpMath';

const N = 4096;
const bits = new Int32Array(2 * N);
const floats = new Float32Array(bits.buffer);
let seed = 0x2545f491;
for (let i = 0; i < bits.length; i++) {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  // Normal values between 2^-20 and 2^20, either sign.
  bits[i] = (seed & 0x807fffff) | ((107 + ((seed >>> 23) % 40)) << 23);
}

function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

/** Millions of operations per CPU second of `op` over the operand pairs, run for about 0.5 s. */
function rate(op: (a: number, b: number) => number): number {
  let sink = 0;
  let n = 0;
  const start = process.cpuUsage();
  do {
    for (let i = 0; i < N; i++) sink ^= op(bits[i], bits[N + i]);
    n += N;
  } while (cpuSeconds(start) < 0.5);
  if (sink === 0x7fffffff) console.log('');
  return n / cpuSeconds(start) / 1e6;
}

/** The baseline: the host's float arithmetic on the same values. */
function baseline(op: (a: number, b: number) => number): number {
  let sink = 0;
  let n = 0;
  const start = process.cpuUsage();
  do {
    for (let i = 0; i < N; i++) sink += op(floats[i], floats[N + i]);
    n += N;
  } while (cpuSeconds(start) < 0.5);
  if (sink === 0.5) console.log('');
  return n / cpuSeconds(start) / 1e6;
}

const ctx: FpContext = { fpscr: 0 };
const ops: [string, (a: number, b: number) => number][] = [
  ['fpAdd', (a, b) => fpu.fpAdd(a, b, ctx)],
  ['fpSub', (a, b) => fpu.fpSub(a, b, ctx)],
  ['fpMul', (a, b) => fpu.fpMul(a, b, ctx)],
  ['fpDiv', (a, b) => fpu.fpDiv(a, b, ctx)],
  ['fpSqrt', (a) => fpu.fpSqrt(a & 0x7fffffff, ctx)],
  ['fpMulAdd', (a, b) => fpu.fpMulAdd(a, b, a ^ b, ctx)],
  ['fpCompare', (a, b) => fpu.fpCompare(a, b, false, ctx)],
  ['fpToInt', (a) => fpu.fpToInt(a, false, true, ctx)],
  ['fpFromInt', (a) => fpu.fpFromInt(a, false, ctx)],
  ['fpToFixed', (a) => fpu.fpToFixed(a, 16, false, false, ctx)],
  ['fpFromFixed', (a) => fpu.fpFromFixed(a, 16, false, false, ctx)],
  ['fpToHalf', (a) => fpu.fpToHalf(a, ctx)],
  ['fpFromHalf', (a) => fpu.fpFromHalf(a & 0xffff, ctx)],
];
const rates = new Map<string, number>();
for (const [name, op] of ops) {
  const r = rate(op);
  rates.set(name, r);
  console.log(`${name}: ${r.toFixed(1)} Mops/s`);
}
const froundAdd = baseline((a, b) => Math.fround(a + b));
const froundMul = baseline((a, b) => Math.fround(a * b));
console.log(`Math.fround add: ${froundAdd.toFixed(1)} Mops/s`);
console.log(`Math.fround mul: ${froundMul.toFixed(1)} Mops/s`);
console.log(`fpAdd_vs_fround: ${(rates.get('fpAdd')! / froundAdd).toFixed(3)} ratio`);
console.log(`fpMul_vs_fround: ${(rates.get('fpMul')! / froundMul).toFixed(3)} ratio`);
