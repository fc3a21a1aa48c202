// `ampw validate --format json`: the stable, documented shape (docs/cli-json.md). Keys are
// written in a fixed order and optional ones left out rather than null, so diffs stay small.
import type { Finding, Severity } from '../../core/findings';
import { describeInference, type TargetInference } from '../targetInference';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { FileResult, SEVERITY_WORD, ValidateReport, countFindings, fails } from './fileResult';

/** Bumped only when a key changes meaning or disappears; new keys do not bump it. */
export const JSON_SCHEMA_VERSION = 1;

function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = { rule: f.rule, severity: f.severity, message: f.message };
  if (f.entry !== undefined) o.entry = f.entry;
  if (f.offset !== undefined) o.offset = f.offset;
  if (f.length !== undefined) o.length = f.length;
  if (f.kernelFunction !== undefined) o.kernelFunction = f.kernelFunction;
  if (f.errno !== undefined) o.errno = f.errno;
  if (f.explanation !== undefined) o.explanation = f.explanation;
  if (f.fix !== undefined) o.fix = f.fix;
  return o;
}

/** Without --board: the cores that hold the image (the first is used) and the sentence the text output prints. */
export function inferredJson(i: TargetInference): Record<string, unknown> {
  return { fits: i.fits.map((c) => ({ board: c.board.id, core: c.core.id })), message: describeInference(i) };
}

function fileJson(r: FileResult, failOn: Severity): Record<string, unknown> {
  if (!r.validation) return { file: r.file, readError: r.readError };
  const v = r.validation;
  const s = v.tableSection;
  return {
    file: r.file,
    board: r.target?.board.id ?? null,
    core: r.target?.core.id ?? null,
    ...(r.inference ? { inferred: inferredJson(r.inference) } : {}),
    ok: v.ok,
    failed: fails(r, failOn),
    ...countFindings(v.findings),
    table: v.table && s ? { offset: s.offset, size: s.size, ver: v.table.ver, num: v.table.num, entries: v.table.entries.map((e) => e.kind) } : null,
    findings: v.findings.map(findingJson),
  };
}

export function formatJson(report: ValidateReport): string {
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    board: report.target?.board.id ?? null,
    core: report.target?.core.id ?? null,
    failOn: SEVERITY_WORD[report.failOn],
    ok: report.files.every((r) => r.validation?.ok === true),
    files: report.files.map((r) => fileJson(r, report.failOn)),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
