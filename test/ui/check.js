// UI checks in the real workbench (code-server + Chromium), in their own page load: the extension
// is loaded from the development path and driven only through the DOM, as a user would.
// Each file in checks/ exports async ({ page, check, screenshot }) => ...; they run in name order
// on one page; a failed check ends its file, the next file still runs.
// env: PORT, EXT, WS, SCREENSHOTS (folder for the PNGs; none when unset), FAIL_SHOT, VERBOSE=1.
// Last line: `ui: N passed, N failed`.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const fs = require('fs');
const path = require('path');
const { openWorkbench, timeout } = require('../integration/workbench');

const { PORT, EXT, WS, SCREENSHOTS } = process.env;
const LIMIT_MS = 120000;
let passed = 0;
let failed = 0;

async function check(title, body) {
  const start = Date.now();
  try {
    await body();
    passed++;
    console.log(`  ✔ ${title} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    console.log(`  ✖ ${title}\n    ${String((e && e.stack) || e).split('\n').slice(0, 4).join('\n    ')}`);
    throw e;
  }
}

async function runAll(page) {
  const screenshot = async (name) => {
    if (!SCREENSHOTS) return;
    // The colour theme applies a moment after the workbench shows; pictures should not depend on that.
    await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, name), animations: 'disabled' });
  };
  const loaded = await check('the workbench loads with the project folder', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 30000 });
    await page.locator('.explorer-folders-view').first().waitFor();
  }).then(() => true, () => false);
  if (!loaded) return;
  const dir = path.join(__dirname, 'checks');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    console.log(path.basename(file, '.js'));
    await require(path.join(dir, file))({ page, check, screenshot }).catch(() => {});
  }
}

(async () => {
  const { browser, page } = await openWorkbench({ port: PORT, ext: EXT, ws: WS,
    onLine: (line) => process.env.VERBOSE && console.log(line) });
  page.setDefaultTimeout(20000);
  if (await Promise.race([runAll(page), timeout(LIMIT_MS)]) === 'TIMEOUT') {
    failed++;
    console.log(`  ✖ the UI checks did not finish within ${LIMIT_MS / 1000} s`);
  }
  if (failed && process.env.FAIL_SHOT) await page.screenshot({ path: process.env.FAIL_SHOT }).catch(() => {});
  await browser.close();
  console.log(`ui: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  console.log(`ui: ${passed} passed, ${failed + 1} failed`);
  process.exit(2);
});
