// How many generated cases a run uses and from which seed: fixed in CI, chosen locally with
// ORACLE_SEED=<n>|random and ORACLE_CASES=<n> (e.g. ORACLE_SEED=random ORACLE_CASES=20000).
export interface SequenceSettings {
  readonly seed: number;
  readonly cases: number;
}

export const CI_SEED = 0x0a11c0de;
export const CI_CASES = 2000;

export function sequenceSettings(env: NodeJS.ProcessEnv = process.env): SequenceSettings {
  const seedText = env.ORACLE_SEED;
  const seed = seedText === 'random' ? (Math.random() * 0x7fffffff) | 0 : seedText ? Number(seedText) : CI_SEED;
  const cases = env.ORACLE_CASES ? Number(env.ORACLE_CASES) : CI_CASES;
  if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1) throw new Error(`ORACLE_SEED must be an integer or 'random', ORACLE_CASES a positive integer (got '${seedText}', '${env.ORACLE_CASES}')`);
  return { seed, cases };
}

/** Mocha's timeout for a run of `cases` cases: CI's 2000 take seconds, a local 20000 a few minutes. */
export function sequenceTimeoutMs(cases: number): number {
  return 60_000 + cases * 30;
}
