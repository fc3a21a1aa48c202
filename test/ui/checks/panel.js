// The resource-table panel as a user sees it: opened from the palette, the decoded entries, the
// SVG memory map, keyboard selection lighting up the bytes, theme colours in dark, light and
// high contrast; then a firmware whose names are markup, which must show as text and run nothing.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
/* global window, document, getComputedStyle -- these run in the webview page through frame.evaluate */
'use strict';
const path = require('path');
const { runFromPalette, runExactly, pickInQuickPick } = require('../workbenchUi');

const EXAMPLE = 'examples/stm32mp157/rproc-m4-fw.elf';
const HOSTILE = 'test/fixtures/build/hostile-names.elf';
const BROKEN = 'test/fixtures/build/ampw-carveout-outside.elf';
const TOO_MANY_VRINGS = 'test/fixtures/build/rsc-too-many-vrings.elf';
const HOSTILE_NAMES = ['<img src=x onerror=window.p=1>', '</script><script>p=2</script>', '<img src=x onerror=window.p=4>', '</script><script>window.p=5</script>'];

/** The webview frame whose page shows `file` (Playwright flattens the webview's nested iframes). */
async function panelFrame(page, file) {
  for (let tries = 0; tries < 100; tries++) {
    for (const f of page.frames()) {
      const h1 = await f.$eval('#app h1', (e) => e.textContent).catch(() => null);
      if (h1 === file) return f;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no resource-table panel shows ${file}`);
}

async function openPanel(page, file) {
  await runFromPalette(page, 'AMP: Show Resource Table');
  await pickInQuickPick(page, path.basename(file, '.elf'), file);
  return panelFrame(page, file);
}

/** Picks a colour theme from "Preferences: Color Theme" by (part of) its label; returns the label picked. */
async function selectTheme(page, name) {
  await runExactly(page, 'Preferences: Color Theme');
  try {
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor();
    await page.locator('.quick-input-widget input').fill(name);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 5000 }).catch(async () => {
      const labels = await page.$$eval('.quick-input-list .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label')));
      throw new Error(`no theme "${name}" among ${JSON.stringify(labels)}`);
    });
    await row.click();
  } finally {
    if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
  }
}

/** Shows the panel alone: no side bar, no bottom panel, the page scrolled to its top. */
async function roomFor(page, frame) {
  for (const title of ['View: Close Primary Side Bar', 'View: Hide Panel']) {
    await runExactly(page, title).catch(() => {});
  }
  await frame.evaluate(() => window.scrollTo(0, 0));
}

/** The page's background and the theme variable it is drawn from. */
function colours(frame) {
  return frame.evaluate(() => ({
    body: getComputedStyle(document.body).backgroundColor,
    variable: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
    error: getComputedStyle(document.documentElement).getPropertyValue('--vscode-errorForeground').trim(),
  }));
}

module.exports = async function panelChecks(ctx) {
  try {
    await checks(ctx);
  } finally {
    // The next checks expect no ELF in the active editor (commands would take it) and the side bar.
    await runExactly(ctx.page, 'View: Close All Editors').catch(() => {});
    await runExactly(ctx.page, 'View: Show Explorer').catch(() => {});
  }
};

async function checks({ page, check, screenshot }) {
  // CSP refusals and script errors of any frame land in the page's console.
  const refused = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  page.on('pageerror', (e) => refused.push(`page error: ${e.message}`));

  let frame;
  await check('F1 "AMP: Show Resource Table" on the example: header, both entries decoded, the SVG map, the bytes', async () => {
    frame = await openPanel(page, EXAMPLE);
    await frame.locator('.entry').nth(1).waitFor();
    const headings = await frame.$$eval('.entry', (es) => es.map((e) => e.getAttribute('heading')));
    if (headings.join('|') !== '#0 RSC_VDEV|#1 RSC_TRACE') throw new Error(`entries: ${headings.join('|')}`);
    const trace = await frame.$eval('.entry[data-entry="1"]', (e) => e.getAttribute('description'));
    if (!trace.startsWith('"cm4_log" · offset 92, 48 bytes')) throw new Error(`trace entry: ${trace}`);
    // The collapsibles render their heading in their shadow DOM: vscode-elements is loaded and ran under the CSP.
    const shadow = await frame.$eval('.entry', (e) => e.shadowRoot && e.shadowRoot.textContent);
    if (!shadow || !shadow.includes('RSC_VDEV')) throw new Error('vscode-collapsible did not render');
    await frame.locator('#table-header td', { hasText: '1' }).first().waitFor();
    const rects = await frame.$$eval('#memory-map rect', (r) => r.length);
    if (rects < 6) throw new Error(`memory map has ${rects} shapes`);
    await frame.locator('#memory-map .window-label', { hasText: 'mcusram' }).first().waitFor();
    const bytes = await frame.$$eval('#hex .b', (b) => b.length);
    if (bytes !== 140) throw new Error(`hex view shows ${bytes} bytes`);
  });

  await check('keyboard: arrows move between entries; between findings, Enter selects one and lights up its bytes', async () => {
    await frame.evaluate(() => document.querySelector('.entry').shadowRoot.querySelector('[tabindex]').focus());
    await page.keyboard.press('ArrowDown');
    const entry = await frame.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-entry'));
    if (entry !== '1') throw new Error(`focus on entry ${entry}`);
    const first = frame.locator('.finding').first();
    await first.focus();
    await first.press('Enter');
    await frame.locator('.finding[aria-selected="true"]').first().waitFor();
    await first.press('ArrowDown');
    const focused = await frame.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-finding'));
    if (focused !== '1') throw new Error(`focus on finding ${focused}`);
    await page.keyboard.press('Enter');
    await frame.locator('.finding[data-finding="1"][aria-selected="true"]').waitFor();
    const lit = await frame.$$eval('#hex .hl', (b) => b.map((x) => Number(x.getAttribute('data-off'))));
    // vring1 of the vdev: 20 bytes at table offset 72.
    if (lit.length !== 20 || lit[0] !== 72) throw new Error(`highlighted ${lit.length} bytes from ${lit[0]}`);
  });

  await check('theme colours: dark, light and high contrast reach the page through --vscode-* variables', async () => {
    const initial = await colours(frame);
    const initialTheme = (await page.locator('.monaco-workbench').first().getAttribute('class')).includes('vscode-theme-light') ? 'Light Modern' : 'Dark Modern';
    await roomFor(page, frame);
    const seen = {};
    let before = initial.body;
    for (const [theme, shot] of [['Dark Modern', 'panel-dark.png'], ['Light Modern', 'panel-light.png'], ['Dark High Contrast', undefined]]) {
      await selectTheme(page, theme);
      // The page gets the new variables a moment after the workbench; a theme that looks the same is caught below.
      await frame.waitForFunction((b) => getComputedStyle(document.body).backgroundColor !== b, before, { timeout: 5000 }).catch(() => {});
      seen[theme] = await colours(frame);
      before = seen[theme].body;
      if (shot) await screenshot(shot);
    }
    await selectTheme(page, initialTheme);
    const all = Object.values(seen);
    if (new Set(all.map((c) => c.body)).size !== 3) throw new Error(`backgrounds ${JSON.stringify(seen)}`);
    if (all.some((c) => !c.variable || !c.error)) throw new Error(`theme variables missing: ${JSON.stringify(seen)}`);
    if (seen['Dark High Contrast'].body !== 'rgb(0, 0, 0)') throw new Error(`high contrast background ${seen['Dark High Contrast'].body}`);
  });

  await check('hostile names (<img onerror>, </script>) show as text in the table, the sections and the map; nothing runs', async () => {
    // With an ELF in the active editor the command would take that one.
    await runExactly(page, 'View: Close All Editors');
    const f = await openPanel(page, HOSTILE);
    await f.locator('.entry').nth(2).waitFor();
    // The collapsibles render their shadow DOM a moment after the page: wait until every name shows, then judge.
    await f.waitForFunction((names) => {
      const shadows = Array.from(document.querySelectorAll('.entry')).map((e) => (e.shadowRoot && e.shadowRoot.textContent) || '').join(' ');
      return names.every((n) => (document.body.textContent || '').includes(n)) && shadows.includes(names[0]) && shadows.includes(names[1]);
    }, HOSTILE_NAMES).catch(() => {});
    const seen = await f.evaluate((names) => {
      const text = document.body.textContent || '';
      const shadows = Array.from(document.querySelectorAll('.entry')).map((e) => (e.shadowRoot && e.shadowRoot.textContent) || '').join(' ');
      const titles = Array.from(document.querySelectorAll('#memory-map title')).map((t) => t.textContent).join(' ');
      return {
        asText: names.filter((n) => text.includes(n)),
        inHeadings: names.filter((n) => shadows.includes(n)),
        inMap: names.filter((n) => titles.includes(n)),
        images: document.querySelectorAll('img').length + Array.from(document.querySelectorAll('.entry')).reduce((n, e) => n + (e.shadowRoot ? e.shadowRoot.querySelectorAll('img').length : 0), 0),
        // VS Code injects its own inline script (acquireVsCodeApi); ours is panel.js; none may come from the ELF.
        scripts: Array.from(document.scripts).filter((s) => s.src).map((s) => s.src.split('/').pop()),
        fromElf: Array.from(document.scripts).filter((s) => /window\.p=\d|<\/script>/.test(s.textContent || '')).length,
        marker: typeof window.p,
      };
    }, HOSTILE_NAMES);
    if (seen.asText.length !== HOSTILE_NAMES.length) throw new Error(`shown as text: ${JSON.stringify(seen.asText)}`);
    if (seen.inHeadings.length !== 2) throw new Error(`entry headings: ${JSON.stringify(seen.inHeadings)}`);
    if (!seen.inMap.includes(HOSTILE_NAMES[1])) throw new Error(`map titles: ${JSON.stringify(seen.inMap)}`);
    if (seen.images !== 0) throw new Error(`${seen.images} <img> elements were created`);
    if (seen.scripts.join() !== 'panel.js' || seen.fromElf) throw new Error(`scripts: ${seen.scripts.join()}, ${seen.fromElf} from the ELF`);
    if (seen.marker !== 'undefined') throw new Error('an onerror handler ran (window.p is set)');
    // The visible text, as a user reads it.
    await f.getByText(HOSTILE_NAMES[0], { exact: true }).first().waitFor();
  });

  await check('a broken firmware: errors first-class, the stray carveout drawn outside the core\'s memory in the error colour', async () => {
    await runExactly(page, 'View: Close All Editors');
    const f = await openPanel(page, BROKEN);
    await f.locator('.finding.error').nth(1).waitFor();
    await f.locator('.verdict.refused').waitFor();
    const map = await f.evaluate(() => {
      const error = getComputedStyle(document.documentElement).getPropertyValue('--vscode-errorForeground').trim();
      const probe = document.createElement('span');
      probe.style.color = error;
      document.body.append(probe);
      const errorRgb = getComputedStyle(probe).color;
      probe.remove();
      const carveout = document.querySelector('#memory-map rect.item.carveout.error');
      return { errorRgb, fill: carveout && getComputedStyle(carveout).fill, outside: document.querySelectorAll('#memory-map rect.window.outside').length };
    });
    if (!map.fill || map.fill !== map.errorRgb) throw new Error(`carveout fill ${map.fill}, error colour ${map.errorRgb}`);
    if (map.outside !== 1) throw new Error(`${map.outside} "outside the core's memory" rows`);
    await f.locator('.entry.error[data-entry="0"]').waitFor();
    await roomFor(page, f);
    await screenshot('panel-errors.png');
  });

  await check('Problems: the rule of a broken ELF\'s error links to the panel, which opens at that finding', async () => {
    await runExactly(page, 'View: Close All Editors');
    await page.locator('[id="status.problems"]').click();
    const filter = page.locator('.viewpane-filter input').first();
    await filter.fill('too many vrings: 3');
    const row = page.locator('[id="workbench.panel.markers"] .monaco-list-row', { hasText: 'too many vrings: 3' }).first();
    await row.locator('a.monaco-link', { hasText: 'kernel/too_many_vrings' }).click();
    const f = await panelFrame(page, TOO_MANY_VRINGS);
    const selected = f.locator('.finding[aria-selected="true"]');
    await selected.waitFor();
    const text = await selected.locator('.message').textContent();
    if (text !== 'too many vrings: 3') throw new Error(`selected finding: ${text}`);
    const lit = await f.$$eval('#hex .hl', (b) => b.length);
    if (lit === 0) throw new Error('no byte highlighted');
    await filter.fill('');
    await runExactly(page, 'View: Hide Panel').catch(() => {});
  });

  await check('the CSP held: no refused resource, no script error in any frame', async () => {
    if (refused.length) throw new Error(refused.join('\n'));
  });
}
