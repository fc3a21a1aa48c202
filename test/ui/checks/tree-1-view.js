// The Remote Processors view as a user meets it: the welcome view, a boot from the palette (the
// firmware picked in the quick pick), what runs on the core and its console, then the tree rows
// of the running core and its channel.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const { runFromPalette, inPalette, pickInQuickPick } = require('../workbenchUi');

const EXAMPLE = 'examples/stm32mp157/rproc-m4-fw.elf';

function treeRow(page, text) {
  return page.locator('[id="workbench.parts.sidebar"] .monaco-list-row', { hasText: text }).first();
}

/** Drags the sidebar's edge so the rows' descriptions (addresses, sizes) fit in the pictures. */
async function widenSidebar(page, width) {
  const box = await page.locator('[id="workbench.parts.sidebar"]').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

module.exports = async function treeChecks({ page, check, screenshot }) {
  await check('the AMP Workbench activity opens Remote Processors with its welcome view', async () => {
    await page.locator('.activitybar [aria-label^="AMP Workbench"]').first().click();
    const welcome = page.locator('[id="workbench.parts.sidebar"] .welcome-view-content');
    // The view's contributions arrive once the extension host has scanned the development extension.
    await welcome.filter({ hasText: 'No board is simulated yet' }).waitFor({ timeout: 30000 });
    await welcome.locator('.monaco-button', { hasText: 'Select Board' }).waitFor();
    await welcome.locator('.monaco-button', { hasText: 'Open Example Firmware' }).waitFor();
  });

  await check('the welcome view\'s link opens the walkthrough: five steps, each with its picture', async () => {
    await page.locator('[id="workbench.parts.sidebar"] .welcome-view-content a', { hasText: 'Open the walkthrough' }).click();
    const walk = page.locator('.gettingStartedContainer');
    await walk.locator('.getting-started-category .category-title, .gettingStartedSlideDetails h2', { hasText: 'Get Started with AMP Workbench' }).first().waitFor();
    for (const title of ['Pick your board', 'Open the example firmware', 'Validate its resource table', 'Boot it on the simulated SoC', 'Talk to it over RPMsg']) {
      await walk.locator('.getting-started-step', { hasText: title }).first().waitFor();
    }
    // The selected step's picture: the SVG in a webview frame (theme colours through --vscode-* variables).
    const deadline = Date.now() + 15000;
    for (;;) {
      let found = false;
      for (const f of page.frames()) found = found || (await f.locator('svg text', { hasText: 'host: Linux' }).count().catch(() => 0)) > 0;
      if (found) break;
      if (Date.now() > deadline) throw new Error('the board step\'s SVG did not render');
      await page.waitForTimeout(200);
    }
    await screenshot('walkthrough.png');
    await runFromPalette(page, 'View: Close All Editors');
  });

  await check('F1 "AMP: Boot Remote Processor" asks for the firmware and boots it: the tree shows m4 running', async () => {
    await runFromPalette(page, 'AMP: Boot Remote Processor');
    await pickInQuickPick(page, 'rproc-m4-fw', EXAMPLE);
    await treeRow(page, 'running · rproc-m4-fw.elf').waitFor();
    await page.locator('.statusbar-item', { hasText: 'stm32mp157 / m4: running' }).first().waitFor();
  });

  await check('the core says the firmware\'s code runs; its menu\'s "Show Remote Console" opens "AMP Console: m4" in the Output panel', async () => {
    await treeRow(page, 'the firmware\'s code runs').waitFor();
    await treeRow(page, 'running · rproc-m4-fw.elf').click({ button: 'right' });
    // a click that lands while the menu is still being laid out leaves it open with the item
    // highlighted: click again until the menu has closed
    const item = page.locator('.context-view .action-label', { hasText: 'Show Remote Console' }).first();
    for (let attempt = 0; attempt < 5 && await item.isVisible(); attempt++) {
      await item.click().catch(() => undefined);
      await page.waitForTimeout(300);
    }
    const channel = page.locator('[id="workbench.parts.panel"] select.monaco-select-box').first();
    const deadline = Date.now() + 10000;
    for (;;) {
      const shown = await channel.evaluate((s) => s.options[s.selectedIndex]?.text).catch(() => undefined);
      if (shown === 'AMP Console: m4') break;
      if (Date.now() > deadline) throw new Error(`the Output panel shows ${JSON.stringify(shown)}, not "AMP Console: m4"`);
      await page.waitForTimeout(200);
    }
  });

  await check('the palette follows the state: Stop and Crash while running, no Boot, no Recover', async () => {
    for (const [title, shown] of [['AMP: Stop Remote Processor', true], ['AMP: Crash Remote Processor', true],
      ['AMP: Boot Remote Processor', false], ['AMP: Recover Remote Processor', false], ['AMP: Detach Remote Processor', false]]) {
      if (await inPalette(page, title) !== shown) throw new Error(`${title} ${shown ? 'missing from' : 'shown in'} the palette while running`);
    }
  });

  await check('the rows show carveouts, the trace buffer, the vdev with its vrings and the rpmsg-tty channel', async () => {
    for (const text of ['carveouts', 'trace0', 'vdev0 (rpmsg)', 'vring0', 'vring1', 'rpmsg channels', 'rpmsg-tty']) await treeRow(page, text).waitFor();
    await treeRow(page, 'src 0x400 → dst 0x400 · /dev/ttyRPMSG0').waitFor();
    await widenSidebar(page, 520);
    await treeRow(page, 'carveouts').click();
    await treeRow(page, 'vdev0vring0').waitFor();
    await screenshot('tree.png');
  });

  await check('inline actions: Stop on the running core, Open RPMsg Terminal on the tty channel', async () => {
    await treeRow(page, 'running · rproc-m4-fw.elf').hover();
    await treeRow(page, 'running · rproc-m4-fw.elf').locator('.actions [aria-label^="Stop Remote Processor"]').waitFor();
    await treeRow(page, 'rpmsg-tty').hover();
    await treeRow(page, 'rpmsg-tty').locator('.actions [aria-label^="Open RPMsg Terminal"]').waitFor();
  });

  await check('the status-bar item opens the board and core picker', async () => {
    await page.locator('.statusbar-item', { hasText: 'stm32mp157 / m4: running' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row[aria-label*="am64x / r5f0_0"]').first().waitFor();
    await page.locator('.quick-input-list .monaco-list-row[aria-label*="zynqmp / r5_0"]').first().waitFor();
    await page.keyboard.press('Escape');
  });
};
