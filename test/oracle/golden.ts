// Writes the expected output of every CPU test program by running it under QEMU:
// `node out/test/oracle/golden.js` (npm run oracle:golden) after `make -C test/fixtures`.
// Fails when a program does not exit 0, so a broken program never becomes a golden file.
import * as fs from 'fs';
import * as path from 'path';
import { CPU_PROGRAMS, goldenPath, programElf } from './programs';
import { runOnQemu } from './qemu';

async function writeGoldens(): Promise<number> {
  let failed = 0;
  for (const name of CPU_PROGRAMS) {
    const run = await runOnQemu(programElf(name));
    if (run.exitCode !== 0) {
      console.error(`${name}: exit ${run.exitCode} (${run.reason})\n${run.stdout}`);
      failed++;
      continue;
    }
    fs.mkdirSync(path.dirname(goldenPath(name)), { recursive: true });
    fs.writeFileSync(goldenPath(name), run.stdout);
    console.log(`${name}: ${run.stdout.split('\n').length - 1} lines`);
  }
  return failed ? 1 : 0;
}

writeGoldens().then((code) => (process.exitCode = code), (e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
