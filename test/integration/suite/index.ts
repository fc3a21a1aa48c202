// Entry of the integration suites, launcher-neutral: VS Code's test runner (code-server's
// extensionTestsPath here, @vscode/test-electron on a desktop) loads this module in the extension
// host and awaits run(). Prints `N passed, N failed, N skipped` for the launchers to pick up.
import Mocha from 'mocha';
import * as fs from 'fs';
import * as path from 'path';

export function run(): Promise<void> {
  const grep = process.env.GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000, ...(grep ? { grep } : {}) });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const runner = mocha.run(() => {
      console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
      if (failed > 0 || passed === 0) reject(new Error(`${failed} integration tests failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => skipped++);
  });
}
