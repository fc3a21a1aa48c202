// UI checks in the real workbench (code-server + Chromium), in their own page load: the extension
// is loaded from the development path and driven only through the DOM, as a user would.
// env: PORT, EXT, WS, SCREENSHOTS (folder for the PNGs; none when unset), VERBOSE=1.
// Last line: `ui: N passed, N failed`.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const path = require('path');
const { openWorkbench, timeout } = require('../integration/workbench');

const { PORT, EXT, WS, SCREENSHOTS } = process.env;
const EXAMPLE = 'examples/stm32mp157/rproc-m4-fw.elf';
const BROKEN = 'test/fixtures/build/rsc-too-many-vrings.elf';
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
    console.log(`  ✖ ${title}\n    ${String(e && e.stack || e).split('\n').slice(0, 4).join('\n    ')}`);
    throw e;
  }
}

/** Runs a palette command by its title, as F1 + typing + Enter. */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first();
  // The palette lists a development extension's commands once the extension host has scanned it,
  // a few seconds after the workbench shows: type again until the command is there.
  for (let tries = 1; ; tries++) {
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 1000 });
      break;
    } catch (e) {
      if (tries === 30) throw e;
      await input.fill('>');
    }
  }
  await page.keyboard.press('Enter');
}

/** Validates one ELF through the palette and its quick pick; returns the notification it gives. */
async function validateFromPalette(page, file) {
  await runFromPalette(page, 'AMP: Validate Firmware ELF');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor();
  await input.fill(path.basename(file, '.elf'));
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${file}"]`).first().waitFor();
  await page.keyboard.press('Enter');
  return page.locator('.notifications-toasts .notification-list-item', { hasText: `AMP: ${file}:` }).first();
}

async function main(page) {
  await check('the workbench loads with the project folder', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 30000 });
    await page.locator('.explorer-folders-view').first().waitFor();
  });

  await check('F1 "AMP: Validate Firmware ELF" on the example: the kernel would boot it', async () => {
    const toast = await validateFromPalette(page, EXAMPLE);
    await toast.filter({ hasText: 'the kernel would boot it (0 errors' }).waitFor();
  });

  await check('its "Show Output" opens the AMP channel with the run', async () => {
    await page.locator('.notifications-toasts .notification-list-item', { hasText: EXAMPLE })
      .locator('.monaco-button', { hasText: 'Show Output' }).first().click();
    const output = page.locator('[id="workbench.panel.output"] .view-lines');
    await output.filter({ hasText: `validate ${EXAMPLE} for board stm32mp157, core m4` }).waitFor();
    await output.filter({ hasText: `${EXAMPLE}: the kernel would boot it` }).waitFor();
  });

  await check('a broken fixture: an error notification, the kernel\'s words in the channel', async () => {
    const toast = await validateFromPalette(page, BROKEN);
    await toast.filter({ hasText: 'the kernel would refuse it (1 error' }).waitFor();
    await toast.locator('.codicon-error').first().waitFor();
    await page.locator('[id="workbench.panel.output"] .view-lines')
      .filter({ hasText: `${BROKEN}: kernel/too_many_vrings: too many vrings: 3` }).waitFor();
    if (SCREENSHOTS) {
      // The colour theme applies a moment after the workbench shows; pictures should not depend on that.
      await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'validate.png'), animations: 'disabled' });
    }
  });
}

(async () => {
  const { browser, page } = await openWorkbench({ port: PORT, ext: EXT, ws: WS,
    onLine: (line) => process.env.VERBOSE && console.log(line) });
  page.setDefaultTimeout(20000);
  const outcome = await Promise.race([main(page).then(() => 'done', () => 'failed'), timeout(120000)]);
  if (outcome === 'TIMEOUT') { failed++; console.log('  ✖ the UI checks did not finish within 120 s'); }
  if (failed && process.env.FAIL_SHOT) await page.screenshot({ path: process.env.FAIL_SHOT }).catch(() => {});
  await browser.close();
  console.log(`ui: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  console.log(`ui: ${passed} passed, ${failed + 1} failed`);
  process.exit(2);
});
