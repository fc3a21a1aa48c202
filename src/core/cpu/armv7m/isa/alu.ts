// The arithmetic helpers of the ARM ARM's pseudocode (A2.2): shifts with carry, AddWithCarry,
// ThumbExpandImm and saturation. Results that come in pairs leave the second one in a module
// variable (`carryOut`, `satQ`) so nothing is allocated per instruction.
import type { CpuState } from '../state';

/** Carry out of the last `shiftC` / `thumbExpandImmC`. */
export let carryOut = 0;
/** 1 when the last `signedSat` / `unsignedSat` saturated. */
export let satQ = 0;

export const SRType = { LSL: 0, LSR: 1, ASR: 2, ROR: 3, RRX: 4 } as const;

/** DecodeImmShift (A7.4.2): the type bits and imm5 to a shift type and amount. */
export function decodeImmShift(type: number, imm5: number): { type: number; n: number } {
  switch (type) {
    case 0: return { type: 0, n: imm5 };
    case 1: return { type: 1, n: imm5 === 0 ? 32 : imm5 };
    case 2: return { type: 2, n: imm5 === 0 ? 32 : imm5 };
    default: return imm5 === 0 ? { type: 4, n: 1 } : { type: 3, n: imm5 };
  }
}

/** Shift_C: the shifted value; the carry out goes to `carryOut` (carryIn when the amount is 0). */
export function shiftC(value: number, type: number, n: number, carryIn: number): number {
  if (n === 0 && type !== 4) {
    carryOut = carryIn;
    return value | 0;
  }
  switch (type) {
    case 0:
      if (n >= 32) {
        carryOut = n === 32 ? value & 1 : 0;
        return 0;
      }
      carryOut = (value >>> (32 - n)) & 1;
      return value << n;
    case 1:
      if (n >= 32) {
        carryOut = n === 32 ? (value >>> 31) & 1 : 0;
        return 0;
      }
      carryOut = (value >>> (n - 1)) & 1;
      return value >>> n | 0;
    case 2:
      if (n >= 32) {
        carryOut = (value >>> 31) & 1;
        return value >> 31;
      }
      carryOut = (value >> (n - 1)) & 1;
      return value >> n;
    case 3: {
      const m = n & 31;
      const res = m === 0 ? value | 0 : (value >>> m) | (value << (32 - m));
      carryOut = (res >>> 31) & 1;
      return res;
    }
    default:
      carryOut = value & 1;
      return (carryIn << 31) | (value >>> 1);
  }
}

/** ThumbExpandImm_C (A5.3.2) for imm12 = i:imm3:imm8; carry out in `carryOut` (-1: unchanged). */
export function thumbExpandImmC(imm12: number): number {
  const imm8 = imm12 & 0xff;
  if ((imm12 >>> 10) === 0) {
    carryOut = -1;
    switch ((imm12 >>> 8) & 3) {
      case 0: return imm8;
      case 1: return (imm8 << 16) | imm8;
      case 2: return (imm8 << 24) | (imm8 << 8);
      default: return (imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8;
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f);
  const rot = (imm12 >>> 7) & 0x1f;
  const res = (unrot >>> rot) | (unrot << (32 - rot));
  carryOut = (res >>> 31) & 1;
  return res;
}

/** True when ThumbExpandImm is UNPREDICTABLE for this imm12 (a replicated pattern of zero). */
export function expandImmUnpredictable(imm12: number): boolean {
  return (imm12 >>> 10) === 0 && ((imm12 >>> 8) & 3) !== 0 && (imm12 & 0xff) === 0;
}

/** a + b + carry, setting N Z C V on the state. */
export function addFlags(st: CpuState, a: number, b: number, carry: number): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  const sum = ua + ub + carry;
  const res = sum | 0;
  st.n = res >>> 31;
  st.z = res === 0 ? 1 : 0;
  st.c = sum > 0xffffffff ? 1 : 0;
  st.v = (((a ^ res) & (b ^ res)) >>> 31) & 1;
  return res;
}

/** SignedSatQ: clamps a JS number to a signed n-bit range; `satQ` says whether it did. */
export function signedSat(x: number, n: number): number {
  const max = 2 ** (n - 1) - 1;
  const min = -(2 ** (n - 1));
  if (x > max) {
    satQ = 1;
    return max;
  }
  if (x < min) {
    satQ = 1;
    return min;
  }
  satQ = 0;
  return x;
}

/** UnsignedSatQ: clamps a JS number to 0..2^n-1; `satQ` says whether it did. */
export function unsignedSat(x: number, n: number): number {
  const max = 2 ** n - 1;
  if (x > max) {
    satQ = 1;
    return max;
  }
  if (x < 0) {
    satQ = 1;
    return 0;
  }
  satQ = 0;
  return x;
}
