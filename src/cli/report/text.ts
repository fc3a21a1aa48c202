// `ampw validate` for people: one line per finding in the compiler style `file:offset: severity:
// message [rule]`, where it comes from and what to change under it, then a verdict per file.
import type { Finding, Severity } from '../../core/findings';
import type { Palette } from '../colour';
import { printable } from '../terminalText';
import { FileResult, SEVERITY_WORD, ValidateReport, countFindings, fails } from './fileResult';

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

function verdict(r: FileResult, failOn: Severity, p: Palette): string {
  const v = r.validation!;
  const c = countFindings(v.findings);
  const counts = `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.infos, 'note')}`;
  const target = r.target ? printable(` on ${r.target.board.id} ${r.target.core.id}`) : '';
  const what = v.ok ? p.ok(`the kernel would boot it${target}`) : p.error(`the kernel would not boot it${target}`);
  // The kernel's verdict stays the kernel's; a stricter --fail-on says so beside it.
  const policy = v.ok && fails(r, failOn) ? `; ${p.error(`fails --fail-on ${SEVERITY_WORD[failOn]}`)}` : '';
  return `${p.bold(printable(r.file))}: ${what} (${counts})${policy}\n`;
}

/** The stdout text; unreadable files and the inferred board are reported on stderr by the command. */
export function formatText(report: ValidateReport, p: Palette): string {
  let out = '';
  for (const r of report.files) {
    if (!r.validation) continue;
    for (const f of r.validation.findings) out += findingText(r.file, f, p);
    out += verdict(r, report.failOn, p);
  }
  return out;
}
