// How a rule turns into a Finding: each rule is declared once (id, kernel function, why, fix) next
// to the check that emits it, and reports with a severity, a message and the bytes it is about.

import { Finding, Severity } from '../../findings';

export interface Rule {
  readonly rule: string;
  readonly kernelFunction?: string;
  readonly explanation: string;
  readonly fix: string;
  /** What the kernel returns when this stops a boot. */
  readonly errno?: string;
}

export interface Place {
  readonly entry?: number;
  readonly offset?: number;
  readonly length?: number;
}

export function report(r: Rule, severity: Severity, message: string, place: Place = {}): Finding {
  const f: { -readonly [K in keyof Finding]: Finding[K] } = { rule: r.rule, severity, message };
  if (place.entry !== undefined) f.entry = place.entry;
  if (place.offset !== undefined) f.offset = place.offset;
  if (place.length !== undefined) f.length = place.length;
  if (r.kernelFunction) f.kernelFunction = r.kernelFunction;
  f.explanation = r.explanation;
  f.fix = r.fix;
  if (r.errno && severity === 'error') f.errno = r.errno;
  return f;
}

export { hex, int } from '../printf';
