// What `ampw validate` learned about one file: the validation, or why the file could not be read.
import type { Validation } from '../../core/rsc/validate';
import type { BoardChoice } from '../boardOption';
import type { Finding } from '../../core/findings';

export interface FileResult {
  /** The path as the user gave it. */
  readonly file: string;
  readonly validation?: Validation;
  /** The file's length in bytes, when it was read. */
  readonly size?: number;
  /** Set instead of `validation` when the file could not be read. */
  readonly readError?: string;
}

export interface ValidateReport {
  readonly target?: BoardChoice;
  readonly files: readonly FileResult[];
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

/** 2 when a file could not be read, else 1 when the kernel would refuse any file, else 0. */
export function exitStatus(r: ValidateReport): number {
  if (r.files.some((f) => f.readError !== undefined)) return 2;
  return r.files.some((f) => f.validation && !f.validation.ok) ? 1 : 0;
}
