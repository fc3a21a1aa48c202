// Pins the amp-log TextMate grammar: real kernel lines of the simulated host (booted, crashed,
// refused), tokenised by VS Code's own engine (vscode-textmate over oniguruma), give the scopes
// the themes colour: timestamp, driver and device, states, errors and errnos, addresses.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';
import { createSystem } from '../../../src/core/system';
import { findBoard } from '../../../src/core/soc/boardLoader';

const ROOT = path.resolve(__dirname, '../../../..');
const GRAMMAR = path.join(ROOT, 'syntaxes/amp-log.tmLanguage.json');
const INJECTION = path.join(ROOT, 'syntaxes/amp-log.injection.tmLanguage.json');
/** Stands in for VS Code's own log grammar: the AMP channel is a log output channel (text.log). */
const LOG_STUB = JSON.stringify({ scopeName: 'text.log', patterns: [{ match: '\\[(info|warning|error)\\]', name: 'keyword.level.log' }] });

let grammar: IGrammar;
let logGrammar: IGrammar;

/** The scopes of each token of `line`, as `text => last scope` pairs (the root scope dropped). */
function tokens(line: string): [string, string][] {
  const r = grammar.tokenizeLine(line, INITIAL);
  return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1).join(' ')]);
}

function scopeOf(line: string, text: string): string {
  const found = tokens(line).find(([t]) => t === text);
  assert.ok(found, `no token '${text}' in ${JSON.stringify(tokens(line))}`);
  return found[1];
}

describe('grammar/amp-log', () => {
  before(async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const files: Record<string, [string, string]> = {
      'source.amp-log': [fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR],
      'text.log.amp-dmesg': [fs.readFileSync(INJECTION, 'utf8'), INJECTION],
      'text.log': [LOG_STUB, 'log.json'],
    };
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new OnigScanner(p), createOnigString: (s: string) => new OnigString(s) }),
      loadGrammar: async (scope) => (files[scope] ? parseRawGrammar(...files[scope]) : null),
      getInjections: (scope) => (scope === 'text.log' ? ['text.log.amp-dmesg'] : undefined),
    });
    const g = await registry.loadGrammar('source.amp-log');
    assert.ok(g, 'the grammar loads');
    grammar = g;
    const l = await registry.loadGrammar('text.log');
    assert.ok(l, 'the log stub loads');
    logGrammar = l;
  });

  it('is the grammar package.json contributes for language amp-log', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const entry = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'amp-log');
    assert.equal(path.resolve(ROOT, entry.path), GRAMMAR);
    assert.equal(entry.scopeName, 'source.amp-log');
    assert.ok(pkg.contributes.languages.some((l: { id: string }) => l.id === 'amp-log'));
  });

  it('is injected into the log grammar, so the AMP log channel colours the kernel\'s lines, and only those', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const entry = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === 'text.log.amp-dmesg');
    assert.deepEqual(entry.injectTo, ['text.log']);
    assert.equal(path.resolve(ROOT, entry.path), INJECTION);
    const line = '2026-11-25 10:00:00.123 [error] [    0.010000] remoteproc remoteproc0: crash detected in m4: type watchdog';
    const toks = logGrammar.tokenizeLine(line, INITIAL).tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.join(' ')]);
    const scope = (text: string) => toks.find(([t]) => t === text)?.[1] ?? `no token ${text} in ${JSON.stringify(toks)}`;
    assert.match(scope('[error]'), /keyword\.level\.log/);
    assert.match(scope('[    0.010000]'), /comment\.timestamp\.amp-log/);
    assert.match(scope('remoteproc0'), /entity\.name\.type\.device\.amp-log/);
    assert.match(scope('crash detected'), /invalid\.illegal\.error\.amp-log/);
    const other = '2026-11-25 10:00:00.123 [error] the build failed';
    const otherScopes = logGrammar.tokenizeLine(other, INITIAL).tokens.flatMap((t) => t.scopes);
    assert.ok(!otherScopes.some((x) => x.endsWith('.amp-log')), 'a line without a dmesg stamp is not ours');
  });

  it('splits a dmesg line into timestamp, driver, device and message', () => {
    const line = '[    0.000000] remoteproc remoteproc0: powering up m4';
    assert.deepEqual(tokens(line).slice(0, 5), [
      ['[    0.000000]', 'comment.timestamp.amp-log'],
      [' ', ''],
      ['remoteproc', 'entity.name.namespace.driver.amp-log'],
      [' ', ''],
      ['remoteproc0', 'entity.name.type.device.amp-log'],
    ]);
    assert.equal(scopeOf(line, ':'), 'punctuation.separator.amp-log');
    assert.equal(scopeOf(line, ' powering up m4'), '');
  });

  it('colours states: up in green, offline/detached as changed, crashed as an error', () => {
    assert.equal(scopeOf('[    0.000000] remoteproc remoteproc0: remote processor m4 is now up', 'is now up'), 'markup.inserted.state.amp-log');
    assert.equal(scopeOf('[    0.000000] remoteproc remoteproc0: detached remote processor m4', 'detached'), 'markup.changed.state.amp-log');
    assert.equal(scopeOf('[    0.000000] remoteproc remoteproc0: stopped remote processor m4', 'stopped'), 'markup.changed.state.amp-log');
    assert.equal(scopeOf('the core is crashed', 'crashed'), 'invalid.illegal.state.amp-log');
  });

  it('marks errors and the negative errno the kernel prints', () => {
    const line = '[    0.000000] remoteproc remoteproc0: Boot failed: -22';
    assert.equal(scopeOf(line, 'failed'), 'invalid.illegal.error.amp-log');
    assert.equal(scopeOf(line, '-22'), 'invalid.illegal.errno.amp-log');
    const crash = '[    0.010000] remoteproc remoteproc0: crash detected in m4: type watchdog';
    assert.equal(scopeOf(crash, 'crash detected'), 'invalid.illegal.error.amp-log');
    // A device name with a dash and a number is not an errno.
    assert.equal(tokens('[    0.000000] rproc-virtio rproc-virtio.0.auto: registered virtio0 (type 7)').some(([, s]) => s.includes('errno')), false);
  });

  it('marks addresses, hex and unit addresses, and plain numbers', () => {
    const line = '[    0.000002] virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400';
    assert.equal(scopeOf(line, '0x400'), 'constant.numeric.address.amp-log');
    const node = '[    0.000000] rproc-virtio rproc-virtio.0.auto: assigned reserved memory node vdev0buffer@10042000';
    assert.equal(scopeOf(node, '10042000'), 'constant.numeric.address.amp-log');
    assert.equal(scopeOf('[    0.000000] remoteproc remoteproc0: Booting fw image rproc-m4-fw.elf, size 17708', '17708'), 'constant.numeric.decimal.amp-log');
  });

  it('gives every line of a real boot, crash and recovery a timestamp token and a device token', () => {
    const board = findBoard('stm32mp157')!;
    const data = fs.readFileSync(path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf'));
    const system = createSystem({ board, firmware: { name: 'rproc-m4-fw.elf', data } });
    system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
    system.runFor(1e6);
    system.files.write('/sys/kernel/debug/remoteproc/remoteproc0/crash', '1\n');
    system.runFor(1e6);
    const lines = system.dmesg().trimEnd().split('\n');
    assert.ok(lines.length > 10 && lines.some((l) => l.includes('crash detected')), system.dmesg());
    for (const line of lines) {
      const t = tokens(line);
      assert.equal(t[0][1], 'comment.timestamp.amp-log', line);
      assert.ok(t.some(([, s]) => s === 'entity.name.type.device.amp-log'), line);
    }
    assert.ok(lines.filter((l) => tokens(l).some(([, s]) => s.startsWith('invalid.illegal'))).length >= 2, 'the crash lines are marked');
  });
});
