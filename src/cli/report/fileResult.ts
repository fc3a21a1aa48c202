// What `ampw validate` learned about one file: the validation, or why the file could not be read.
import type { Validation } from '../../core/rsc/validate';
import type { BoardChoice } from '../boardOption';
import type { Finding, Severity } from '../../core/findings';
import type { TargetInference } from '../targetInference';

export interface FileResult {
  /** The path as the user gave it. */
  readonly file: string;
  readonly validation?: Validation;
  /** The file's length in bytes, when it was read. */
  readonly size?: number;
  /** Set instead of `validation` when the file could not be read. */
  readonly readError?: string;
  /** The board and core it was checked against: `--board`, or the inferred one; none for the generic checks. */
  readonly target?: BoardChoice;
  /** Without `--board`: which cores hold the image. */
  readonly inference?: TargetInference;
}

export interface ValidateReport {
  /** `--board` and `--core`, when given. */
  readonly target?: BoardChoice;
  /** The least severe finding that fails a file (`--fail-on`). */
  readonly failOn: Severity;
  readonly files: readonly FileResult[];
}

/** A severity as the reports print it (and as SARIF names its levels). */
export const SEVERITY_WORD = { error: 'error', warning: 'warning', info: 'note' } as const satisfies Record<Severity, string>;

/** `--fail-on WORD`: the severity it names. */
export const FAIL_ON: Readonly<Record<string, Severity>> = Object.fromEntries(Object.entries(SEVERITY_WORD).map(([sev, word]) => [word, sev as Severity]));

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Some finding of the file reaches the `--fail-on` severity. */
export function fails(r: FileResult, failOn: Severity): boolean {
  return r.validation?.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ?? false;
}

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** 2 when a file could not be read, else 1 when a finding reaches `--fail-on` (by default: the kernel would refuse a file), else 0. */
export function exitStatus(r: ValidateReport): number {
  if (r.files.some((f) => f.readError !== undefined)) return 2;
  return r.files.some((f) => fails(f, r.failOn)) ? 1 : 0;
}
