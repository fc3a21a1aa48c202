// Exact integer arithmetic on doubles: every integer below 2^53 and every product by a power of two
// is exact, so significands of singles (and their products) are handled without BigInt.

const POW2_MIN = -1074;
const POW2 = new Float64Array(1024 - POW2_MIN);
for (let k = POW2_MIN, v = 2 ** POW2_MIN; k < 1024; k++, v *= 2) POW2[k - POW2_MIN] = v;

/** 2^k, for -1074 <= k <= 1023. */
export function pow2(k: number): number {
  return POW2[k - POW2_MIN];
}

/** Number of significant bits of an integer 0 <= m < 2^53. */
export function bitLength(m: number): number {
  return m < 4294967296 ? 32 - Math.clz32(m) : 64 - Math.clz32(Math.floor(m / 4294967296));
}
