// Second launcher of the same suites: a desktop VS Code through @vscode/test-electron. It downloads
// VS Code 1.100.3 from Microsoft's update server, so it needs a machine with that access and a
// display (or xvfb-run). Run: npx tsc -p . && node scripts/build.mjs && node out/test/integration/runElectron.js
// On machines with only npm and apt, test/integration/run.sh (code-server) runs the same suites.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [root, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}

void main();
