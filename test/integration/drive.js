// Runs the mocha suites inside the real VS Code extension host (code-server) and reprints their
// output. Last line: `integration: N passed, N failed, N skipped`. Exit 0 only when every test passed.
// env: PORT, EXT (extension root), WS (workspace), TESTS (compiled suite entry), VERBOSE=1, TIMEOUT_S,
// AMP_SHOWN_LOG (a file that gets the text of every notification shown).
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const { openWorkbench, recordShown, timeout } = require('./workbench');

const { PORT, EXT, WS, TESTS } = process.env;
const limitS = Number(process.env.TIMEOUT_S || 300);
// Mocha's spec reporter lines, failures with their stacks, and the suite's own summary.
const MOCHA_LINE = /^\s*(✔|✓|\d+\) |at |\d+ (passing|failing|pending)|Error|AssertionError|[+-] |actual|expected)|^ {2,}\S/;

(async () => {
  let summary;
  const { browser, page, exited } = await openWorkbench({
    port: PORT, ext: EXT, ws: WS, tests: TESTS,
    onLine: (line) => {
      const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(line.trim());
      if (m) summary = m;
      else if (process.env.VERBOSE || MOCHA_LINE.test(line)) console.log(line);
    },
  });
  if (process.env.AMP_SHOWN_LOG) recordShown(page, process.env.AMP_SHOWN_LOG);
  const code = await Promise.race([exited, timeout(limitS * 1000)]);
  await browser.close();
  if (code === 'TIMEOUT') console.log(`integration: the suites did not finish within ${limitS} s`);
  else if (code !== 0) console.log(`extension host test exit code: ${code}`);
  const passed = summary ? Number(summary[1]) : 0;
  let failed = summary ? Number(summary[2]) : 1;
  const skipped = summary ? Number(summary[3]) : 0;
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`integration: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  console.log('integration: 0 passed, 1 failed');
  process.exit(2);
});
