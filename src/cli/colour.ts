// ANSI colour for people at a terminal only: never in a pipe, never with NO_COLOR set (no-color.org).
import type { CliIO } from './io';

export interface Palette {
  readonly error: (s: string) => string;
  readonly warning: (s: string) => string;
  readonly info: (s: string) => string;
  readonly ok: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const sgr = (open: string) => (s: string) => `\x1b[${open}m${s}\x1b[0m`;
const plain = (s: string) => s;

export function colourEnabled(io: CliIO): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}

export function palette(io: CliIO): Palette {
  if (!colourEnabled(io)) return { error: plain, warning: plain, info: plain, ok: plain, bold: plain, dim: plain };
  return { error: sgr('1;31'), warning: sgr('33'), info: sgr('36'), ok: sgr('32'), bold: sgr('1'), dim: sgr('2') };
}
