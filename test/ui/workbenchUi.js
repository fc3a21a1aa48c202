// DOM helpers for UI checks in the code-server workbench (selectors of VS Code 1.100).
/* global document, HTMLInputElement -- the waitForFunction body runs in the page */
'use strict';

/** Runs a palette command by its title, as F1 + typing + Enter. */
async function runFromPalette(page, title) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first();
  // The palette lists a development extension's commands once the extension host has scanned it,
  // a few seconds after the workbench shows: type again until the command is there. A webview that
  // takes the focus (the walkthrough's picture as it renders) closes the palette: open it again.
  for (let tries = 1; ; tries++) {
    try {
      if (!(await input.isVisible())) await openPalette(page, input);
      await input.fill(`>${title}`, { timeout: 2000 });
      await row.waitFor({ timeout: 1000 });
      break;
    } catch (e) {
      if (tries === 30) throw e;
      await input.fill('>', { timeout: 1000 }).catch(() => undefined);
    }
  }
  await page.keyboard.press('Enter');
}

/** F1, and when a webview (a walkthrough picture, the panel) holds the keyboard and swallows it,
 * the title bar's command center, which opens the same quick input from the workbench itself. */
async function openPalette(page, input) {
  await page.keyboard.press('F1');
  try {
    await input.waitFor({ state: 'visible', timeout: 3000 });
  } catch {
    await page.locator('.command-center .command-center-center').first().click();
    await input.waitFor({ state: 'visible' });
  }
}

/** Picks the row of an open quick pick whose label contains `label`, after typing `filter`. */
async function pickInQuickPick(page, filter, label) {
  // The palette closes as the command's own quick pick opens: wait until the input is the pick's
  // (visible, no longer holding the palette's '>' text), or the fill races the closing palette.
  await page.waitForFunction(() => {
    const input = document.querySelector('.quick-input-widget input');
    return input instanceof HTMLInputElement && input.offsetParent !== null && !input.value.startsWith('>');
  });
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor();
  await page.locator('.quick-input-widget input').fill(filter);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${label}"]`).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The notification toast whose text contains `text`. */
function toast(page, text) {
  return page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
}

/** Visible lines of the Output view (only the lines in view are in the DOM). */
function outputLines(page) {
  return page.locator('[id="workbench.panel.output"] .view-lines');
}

module.exports = { runFromPalette, openPalette, pickInQuickPick, toast, outputLines };
