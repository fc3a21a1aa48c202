// DOM helpers for UI checks in the code-server workbench (selectors of VS Code 1.100).
/* global document, HTMLInputElement -- the waitForFunction body runs in the page */
'use strict';

/**
 * Opens the palette, types `text` until `row` (a locator of its list) shows, then `choose`s it.
 * The quick input closes when it loses the focus, and a webview takes the focus a moment after it is
 * shown, re-themed or laid out again (the walkthrough's picture, the resource-table panel): on a
 * loaded machine that moment comes after F1, the palette closes under the typing and its input
 * stays in the DOM, hidden, where a fill waits for it in vain. So every step is short and the whole
 * is retried, opening the palette again when it is gone. `absentAfter`: how many times the open
 * palette may show the text without the row before the command counts as absent (a development
 * extension's commands join the list a few seconds after the workbench shows).
 */
async function chooseInPalette(page, text, row, absentAfter, choose) {
  const input = page.locator('.quick-input-widget input');
  let absent = 0;
  for (let tries = 1; ; tries++) {
    try {
      if (!(await input.isVisible())) await openPalette(page, input);
      await input.fill(text, { timeout: 2000 });
      await row.waitFor({ timeout: 1000 });
      await choose();
      return;
    } catch (e) {
      if (await input.isVisible() && (await input.inputValue().catch(() => '')) === text) absent++;
      if (tries === 30 || absent === absentAfter) {
        if (await input.isVisible()) await page.keyboard.press('Escape');
        throw e;
      }
      // The same text typed again would not filter again.
      await input.fill('>', { timeout: 1000 }).catch(() => undefined);
    }
  }
}

/** Runs a palette command by (part of) its title, as F1 + typing + Enter. */
async function runFromPalette(page, title) {
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first();
  await chooseInPalette(page, `>${title}`, row, 30, () => page.keyboard.press('Enter'));
}

/** Runs a workbench command by its exact title (typing may list a longer title first); fails soon
 * when its precondition hides it (View: Hide Panel with no panel). */
async function runExactly(page, title) {
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label="${title}"], .quick-input-list .monaco-list-row[aria-label^="${title},"]`).first();
  await chooseInPalette(page, `>${title}`, row, 3, () => row.click({ timeout: 2000 }));
}

/** True when the palette lists a command whose title starts with `title` (its when clause holds). */
async function inPalette(page, title) {
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`);
  for (let tries = 1; ; tries++) {
    if (!(await input.isVisible())) await openPalette(page, input);
    await input.fill(`>${title}`, { timeout: 2000 }).catch(() => undefined);
    // Filtering is synchronous once the list is open; give it a frame to render.
    await page.waitForTimeout(300);
    const n = await rows.count();
    // Counted while the palette was still open with the title typed (see chooseInPalette): the answer holds.
    if (await input.isVisible() && await input.inputValue() === `>${title}`) {
      await page.keyboard.press('Escape');
      return n > 0;
    }
    if (tries === 10) throw new Error(`the palette kept closing while "${title}" was typed`);
  }
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

module.exports = { runFromPalette, runExactly, inPalette, openPalette, pickInQuickPick, toast, outputLines };
