// "AMP: Open RPMsg Terminal" on the core the tree check booted: type a line, read the echo in the
// terminal's rows, as a user sees it.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const { runFromPalette, pickInQuickPick } = require('../workbenchUi');

module.exports = async function terminalChecks({ page, check, screenshot }) {
  // Text rows exist with the DOM renderer (terminal.integrated.gpuAcceleration off in the test bed's settings).
  const rows = page.locator('.terminal-wrapper .xterm-rows').first();
  await check('F1 "AMP: Open RPMsg Terminal" opens a terminal on /dev/ttyRPMSG0', async () => {
    await runFromPalette(page, 'AMP: Open RPMsg Terminal');
    await page.locator('[id="workbench.parts.panel"]', { hasText: 'RPMsg ttyRPMSG0 (m4)' }).first().waitFor();
    await rows.filter({ hasText: '[AMP] /dev/ttyRPMSG0 (rpmsg-tty on remoteproc0)' }).waitFor();
  });

  await check('a typed line comes back from the remote: shown twice (local echo, then the echo)', async () => {
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type('hello from the host');
    await page.keyboard.press('Enter');
    const line = rows.locator(':scope > div', { hasText: 'hello from the host' });
    await line.nth(1).waitFor({ timeout: 10000 });
    await screenshot('terminal.png');
  });

  await check('F1 "AMP: Show Kernel Log" shows dmesg coloured by the amp-log grammar', async () => {
    await runFromPalette(page, 'AMP: Show Kernel Log');
    const editor = page.locator('.editor-instance .view-lines').first();
    await editor.filter({ hasText: 'remote processor m4 is now up' }).waitFor();
    // The grammar's tokens get theme classes (tokenising runs in the background: wait for it):
    // the timestamp, the driver, the device and the message differ from one another.
    const line = editor.locator('.view-line', { hasText: 'is now up' }).first();
    let classes = [];
    for (let i = 0; i < 50 && new Set(classes).size < 4; i++) {
      if (i) await page.waitForTimeout(100);
      classes = await line.locator('span > span').evaluateAll((spans) => spans.map((s) => s.className));
    }
    if (new Set(classes).size < 4) throw new Error(`dmesg line not coloured: ${classes.join(' ')}`);
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    await screenshot('kernel-log.png');
  });

  await check('F1 "AMP: Crash Remote Processor" (watchdog): the kernel recovers it, the terminal says so and talks again', async () => {
    await runFromPalette(page, 'AMP: Crash Remote Processor');
    await pickInQuickPick(page, 'watchdog', 'watchdog');
    await rows.filter({ hasText: '[AMP] /dev/ttyRPMSG0 went away: remoteproc0 crashed' }).waitFor();
    await rows.filter({ hasText: '[AMP] rpmsg-tty is back as /dev/ttyRPMSG0' }).waitFor();
    await page.locator('.editor-instance .view-lines', { hasText: 'crash detected in m4: type watchdog' }).first().waitFor();
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type('still there?');
    await page.keyboard.press('Enter');
    await rows.locator(':scope > div', { hasText: 'still there?' }).nth(1).waitFor({ timeout: 10000 });
    await screenshot('crash-recovery.png');
  });
};
