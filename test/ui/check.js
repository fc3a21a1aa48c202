// UI checks in the real workbench (code-server + Chromium), in their own page load: the extension
// is loaded from the development path and driven only through the DOM, as a user would.
// Each file in checks/ exports async ({ page, check, screenshot }) => ...; they run in name order
// on one page; after a failed check the rest of its file is skipped (counted), the next file still runs.
// env: PORT, EXT, WS, SCREENSHOTS (folder for the PNGs; none when unset), FAIL_SHOTS (folder for a
// screenshot taken as each check fails), CPU_THROTTLE, VERBOSE=1.
// Last line: `ui: N passed, N failed, N skipped`.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const fs = require('fs');
const path = require('path');
const { openWorkbench, timeout } = require('../integration/workbench');

const { PORT, EXT, WS, SCREENSHOTS, FAIL_SHOTS } = process.env;
// 22 checks take ~75 s on an idle machine and twice that when a shared one is loaded 10-fold.
const LIMIT_MS = 240000;
let passed = 0;
let failed = 0;
let skipped = 0;
// Set when the time limit ends the run: the checks still under way fail as the browser closes; not theirs to count.
let over = false;

/** Playwright colours its call log for a terminal; a log file wants the plain text. */
function plain(text) {
  // eslint-disable-next-line no-control-regex -- the escape character is what is matched
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** A failure's whole message (Playwright's call log says what it waited for) and where in test/ui it was. */
function failure(e) {
  if (!(e instanceof Error)) return [plain(String(e))];
  const where = (e.stack || '').split('\n').filter((l) => /^\s+at /.test(l) && l.includes(__dirname)).map((l) => l.trim());
  return [...plain(`${e.name}: ${e.message}`).split('\n'), ...where];
}

/** The `check` of one file: after its first failure the file's remaining checks are skipped. */
function checker(page, file) {
  let broken = false;
  return async function check(title, body) {
    if (broken) {
      skipped++;
      console.log(`  - ${title} (skipped: an earlier check of ${file} failed)`);
      return;
    }
    const start = Date.now();
    try {
      await body();
      passed++;
      console.log(`  ✔ ${title} (${Date.now() - start} ms)`);
    } catch (e) {
      if (over) return;
      failed++;
      broken = true;
      // The page as it was when the check gave up, before any clean-up changes it.
      const shot = FAIL_SHOTS && path.join(FAIL_SHOTS, `failure-${file}.png`);
      if (shot) await page.screenshot({ path: shot }).catch(() => {});
      console.log(`  ✖ ${title}\n    ${failure(e).join('\n    ')}`);
      if (shot) console.log(`    screenshot: ${path.basename(shot)}`);
    }
  };
}

async function runAll(page) {
  const screenshot = async (name) => {
    if (!SCREENSHOTS) return;
    // The colour theme applies a moment after the workbench shows; pictures should not depend on that.
    await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, name), animations: 'disabled' });
  };
  const failedBefore = failed;
  await checker(page, 'workbench')('the workbench loads with the project folder', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 30000 });
    await page.locator('.explorer-folders-view').first().waitFor();
  });
  if (failed > failedBefore) return;
  const dir = path.join(__dirname, 'checks');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    if (over) return;
    const name = path.basename(file, '.js');
    console.log(name);
    await require(path.join(dir, file))({ page, check: checker(page, name), screenshot }).catch((e) => {
      if (over) return;
      failed++;
      console.log(`  ✖ ${name} stopped outside its checks: ${plain(String(e))}`);
    });
  }
}

(async () => {
  const { browser, page } = await openWorkbench({ port: PORT, ext: EXT, ws: WS,
    onLine: (line) => process.env.VERBOSE && console.log(line) });
  page.setDefaultTimeout(20000);
  // CPU_THROTTLE=N: Chromium runs the page N times slower, to bring out the races a loaded machine shows.
  if (process.env.CPU_THROTTLE) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.CPU_THROTTLE) });
  }
  if (await Promise.race([runAll(page), timeout(LIMIT_MS)]) === 'TIMEOUT') {
    over = true;
    failed++;
    console.log(`  ✖ the UI checks did not finish within ${LIMIT_MS / 1000} s`);
    if (FAIL_SHOTS) await page.screenshot({ path: path.join(FAIL_SHOTS, 'failure-time-limit.png') }).catch(() => {});
  }
  await browser.close();
  console.log(`ui: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  console.log(`ui: ${passed} passed, ${failed + 1} failed, ${skipped} skipped`);
  process.exit(2);
});
