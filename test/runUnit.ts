// Runs the unit suites (core, cli, debug) with mocha and ends with the `N passed, N failed, N skipped` line.
import fc from 'fast-check';
import Mocha from 'mocha';
import * as fs from 'fs';
import * as path from 'path';

function collect(dir: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// Property tests draw the same inputs on every run (FC_SEED=random, or a number, draws others): with
// a new draw each run, a few inputs that simulate a firmware running off into fresh memory for its
// whole 10 ms took a suite from 1.5 s to past its timeout on a loaded machine, by luck.
const fcSeed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261204);
fc.configureGlobal({ seed: fcSeed });
if (process.env.FC_SEED) console.log(`fast-check seed: ${fcSeed}`);

const grep = process.env.GREP;
const mocha = new Mocha({ ui: 'bdd', color: process.stdout.isTTY, timeout: 60000, reporter: 'spec', ...(grep ? { grep } : {}) });
const files = collect(path.join(__dirname, 'unit'), []).sort();
const only = process.argv.slice(2);
for (const f of files) if (only.length === 0 || only.some((o) => f.includes(o))) mocha.addFile(f);
let passed = 0;
let failed = 0;
let skipped = 0;
const runner = mocha.run((failures) => {
  console.log(`unit: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failures ? 1 : 0;
});
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
runner.on('pending', () => skipped++);
