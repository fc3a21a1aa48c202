// What running a bare Cortex-M program gives, whoever runs it: QEMU or our core.
export interface ProgramRun {
  /** Everything the program wrote through semihosting. */
  readonly stdout: string;
  /** The program's status: SYS_EXIT ApplicationExit 0, SYS_EXIT_EXTENDED its code. */
  readonly exitCode: number;
  /** 'exit', or a one-line reason the run ended otherwise (timeout, fault, instruction limit). */
  readonly reason: string;
}
