// "Open this folder and press F5": .vscode/launch.json and tasks.json as the extension generator
// ships them, checked against the scripts they run.
import assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

interface Task {
  label: string;
  type: string;
  script?: string;
  group?: string | { kind: string; isDefault?: boolean };
  isBackground?: boolean;
  problemMatcher?: { background?: { beginsPattern: string; endsPattern: string } };
}

describe('contributor set-up (.vscode)', () => {
  const launch = read('.vscode/launch.json');
  const tasks: Task[] = read('.vscode/tasks.json').tasks;
  const config = (name: string) => launch.configurations.find((c: { name: string }) => c.name === name);

  it('Run Extension launches the project as the development extension after the default build task', () => {
    const run = config('Run Extension');
    assert.strictEqual(run.type, 'extensionHost');
    assert.deepStrictEqual(run.args, ['--extensionDevelopmentPath=${workspaceFolder}']);
    assert.strictEqual(run.preLaunchTask, '${defaultBuildTask}');
    const build = tasks.filter((t) => typeof t.group === 'object' && t.group.kind === 'build' && t.group.isDefault);
    assert.deepStrictEqual(build.map((t) => [t.type, t.script, t.isBackground]), [['npm', 'watch', true]]);
    assert.strictEqual(read('package.json').scripts.watch, 'node scripts/build.mjs --watch');
  });

  it('the watch task waits for what `npm run watch` prints around a build', async function () {
    this.timeout(30000);
    const bg = tasks.find((t) => t.script === 'watch')?.problemMatcher?.background;
    assert.ok(bg, 'the watch task has no background patterns');
    const child = spawn(process.execPath, ['scripts/build.mjs', '--watch'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`the watch build exited (${code}): ${out}`)));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.split('\n').some((l) => new RegExp(bg.endsPattern).test(l))) resolve();
        });
      });
    } finally {
      child.kill();
    }
    const lines = out.split('\n');
    assert.ok(new RegExp(bg.beginsPattern).test(lines[0]), `first line: ${lines[0]}`);
  });

  it('the second configuration runs the integration suites after building them', () => {
    const tests = config('Extension Tests (integration suites)');
    assert.strictEqual(tests.type, 'extensionHost');
    const testsPath = tests.args.find((a: string) => a.startsWith('--extensionTestsPath='))?.split('=')[1];
    assert.ok(fs.existsSync(testsPath.replace('${workspaceFolder}', ROOT)), `${testsPath} is not what tsc writes`);
    assert.ok(tasks.some((t) => t.label === tests.preLaunchTask), `no task '${tests.preLaunchTask}'`);
  });

  it('recommends the linter the project runs', () => {
    assert.ok(read('.vscode/extensions.json').recommendations.includes('dbaeumer.vscode-eslint'));
  });
});
