// `ampw validate` for people: one line per finding in the compiler style `file:offset: severity:
// message [rule]`, where it comes from and what to change under it, then a verdict per file.
import type { Finding } from '../../core/findings';
import type { Palette } from '../colour';
import { printable } from '../terminalText';
import { FileResult, ValidateReport, countFindings } from './fileResult';

const hex = (n: number) => `0x${n.toString(16)}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function findingText(file: string, f: Finding, p: Palette): string {
  const where = printable(f.offset !== undefined ? `${file}:${hex(f.offset)}` : file);
  const sev = f.severity === 'error' ? p.error('error') : f.severity === 'warning' ? p.warning('warning') : p.info('note');
  const origin = [f.entry !== undefined ? `entry ${f.entry}` : '', f.kernelFunction ?? '', f.errno ? `-${f.errno}` : ''].filter(Boolean).join(', ');
  let s = `${p.bold(where)}: ${sev}: ${printable(f.message)} ${p.dim(`[${f.rule}]`)}\n`;
  if (origin) s += `    ${p.dim(origin)}\n`;
  if (f.fix) s += `    fix: ${printable(f.fix)}\n`;
  return s;
}

function verdict(r: FileResult, target: string, p: Palette): string {
  const v = r.validation!;
  const c = countFindings(v.findings);
  const counts = `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.infos, 'note')}`;
  const what = v.ok ? p.ok(`the kernel would boot it${target}`) : p.error(`the kernel would not boot it${target}`);
  return `${p.bold(printable(r.file))}: ${what} (${counts})\n`;
}

/** The stdout text; unreadable files are reported on stderr by the command. */
export function formatText(report: ValidateReport, p: Palette): string {
  const target = report.target ? printable(` on ${report.target.board.id} ${report.target.core.id}`) : '';
  let out = '';
  for (const r of report.files) {
    if (!r.validation) continue;
    for (const f of r.validation.findings) out += findingText(r.file, f, p);
    out += verdict(r, target, p);
  }
  if (!report.target && report.files.some((r) => r.validation)) {
    out += p.dim('(no --board: generic remoteproc checks only; --board adds the board\'s memory map and driver)\n');
  }
  return out;
}
