// `ampw validate --format sarif`: SARIF 2.1.0 as GitHub code scanning takes it. The findings are
// about bytes of a binary, so each location is a byte range (byteOffset/byteLength); GitHub places
// alerts by line, so `startLine: 1` anchors them to the file as well.
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding } from '../../core/findings';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { SEVERITY_WORD, type ValidateReport } from './fileResult';
import { inferredJson } from './json';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** The file as a URI: relative to the working directory (the repository root in CI) where it can be. */
function artifactUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function firstSentence(s: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(s);
  return m ? m[1] : s;
}

/** Why the rule matters and what to change, as text: GitHub shows it as the rule's help. */
function helpText(f: Finding): string | undefined {
  const parts = [f.explanation, f.fix && `Fix: ${f.fix}`, f.kernelFunction && `Kernel function: ${f.kernelFunction}() (Linux 6.12).`];
  const text = parts.filter(Boolean).join('\n\n');
  return text || undefined;
}

function ruleDescriptor(f: Finding): Record<string, unknown> {
  const help = helpText(f);
  return {
    id: f.rule,
    shortDescription: { text: firstSentence(f.explanation ?? f.rule) },
    ...(f.explanation ? { fullDescription: { text: f.explanation } } : {}),
    ...(help ? { help: { text: help } } : {}),
    // A rule tied to a kernel function points at its source; the others have no page, only their help.
    ...(f.kernelFunction ? { helpUri: `https://elixir.bootlin.com/linux/v6.12/A/ident/${encodeURIComponent(f.kernelFunction)}` } : {}),
    properties: { tags: ['remoteproc', f.rule.startsWith('kernel/') ? 'kernel' : 'ampw'], ...(f.kernelFunction ? { kernelFunction: f.kernelFunction } : {}) },
  };
}

/** Stable across rebuilds that move code: the rule, the words and the entry, not the byte offset. */
function fingerprint(file: string, f: Finding): string {
  return createHash('sha256').update(`${file}\0${f.rule}\0${f.message}\0${f.entry ?? ''}`).digest('hex').slice(0, 32);
}

export function formatSarif(report: ValidateReport, cwd: string): string {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const artifacts: Record<string, unknown>[] = [];
  const results: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];

  for (const r of report.files) {
    const location = artifactUri(r.file, cwd);
    if (!r.validation) {
      notifications.push({ level: 'error', message: { text: `cannot read '${r.file}': ${r.readError}` }, locations: [{ physicalLocation: { artifactLocation: location } }] });
      continue;
    }
    const artifactIndex = artifacts.length;
    const checkedOn = r.target ? { board: r.target.board.id, core: r.target.core.id } : {};
    const artifactProperties = { ...checkedOn, ...(r.inference ? { inferred: inferredJson(r.inference) } : {}) };
    artifacts.push({ location, ...(r.size !== undefined ? { length: r.size } : {}), ...(Object.keys(artifactProperties).length ? { properties: artifactProperties } : {}) });
    for (const f of r.validation.findings) {
      let index = ruleIndex.get(f.rule);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(f.rule, index);
        rules.push(ruleDescriptor(f));
      }
      const region: Record<string, number> = { startLine: 1 };
      if (f.offset !== undefined) {
        region.byteOffset = f.offset;
        if (f.length !== undefined) region.byteLength = f.length;
      }
      const properties: Record<string, unknown> = {};
      if (f.entry !== undefined) properties.entry = f.entry;
      if (f.kernelFunction) properties.kernelFunction = f.kernelFunction;
      if (f.errno) properties.errno = f.errno;
      Object.assign(properties, checkedOn);
      if (r.target && r.inference) properties.boardInferred = true;
      results.push({
        ruleId: f.rule,
        ruleIndex: index,
        level: SEVERITY_WORD[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { ...location, index: artifactIndex }, region } }],
        partialFingerprints: { 'ampwFinding/v1': fingerprint(r.file, f) },
        ...(Object.keys(properties).length ? { properties } : {}),
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules } },
        invocations: [{ executionSuccessful: notifications.length === 0, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        artifacts,
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
