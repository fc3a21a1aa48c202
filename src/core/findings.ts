// One finding of the validator, as every face (CLI, Problems, panel, debugger) shows it.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** `kernel/<name>` for checks the kernel makes, `ampw/<name>` for ours. */
  readonly rule: string;
  readonly severity: Severity;
  /** For kernel rules: the kernel's own words, formatted as it prints them. */
  readonly message: string;
  /** Index of the resource-table entry it is about, when it is about one. */
  readonly entry?: number;
  /** Byte range in the ELF file it is about. */
  readonly offset?: number;
  readonly length?: number;
  /** The kernel function whose check this mirrors, e.g. `rproc_handle_vdev`. */
  readonly kernelFunction?: string;
  /** Why it matters (ampw rules and kernel rules alike). */
  readonly explanation?: string;
  /** What to change. */
  readonly fix?: string;
  /** For kernel rules that stop a boot: the errno the kernel returns (`EINVAL`, `ENOMEM`, ...). */
  readonly errno?: string;
}
