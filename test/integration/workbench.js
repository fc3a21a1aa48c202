// Opens the code-server workbench in Debian's Chromium (headless, driven by playwright-core) as an
// Extension Development Host for the project. Shared by the integration driver and the UI checks.
/* global setTimeout, setInterval, document */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const util = require('util');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/**
 * port: code-server's port; ext: extension root; ws: workspace folder; tests: extensionTestsPath
 * (optional); onLine: gets every console line of the page, extension host output included.
 */
async function openWorkbench({ port, ext, ws, tests, onLine }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(ext)]];
  if (tests) payload.push(['extensionTestsPath', remote(tests)]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  let settle;
  // The workbench calls codeAutomationExit when the extensionTestsPath module's run() settles.
  const exited = new Promise((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => settle(code));
  page.on('console', async (msg) => {
    // Extension-host console.* arrives as console.log('%c INFO', css, format, ...args).
    const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?')));
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) args.splice(0, 2);
    onLine(args.length ? util.format(...args) : msg.text());
  });
  await page.goto(url);
  return { browser, page, exited };
}

/**
 * Appends every notification the workbench shows to `file`, one line each: tests in the extension
 * host read it to see what a user was told (they cannot read the workbench's DOM).
 */
function recordShown(page, file) {
  const fs = require('fs');
  const seen = new Set();
  const timer = setInterval(() => {
    page.evaluate(() => [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].map((e) => e.textContent))
      .then((texts) => {
        for (const t of texts.filter((x) => !seen.has(x))) {
          seen.add(t);
          fs.appendFileSync(file, `${t}\n`);
        }
      }, () => undefined);
  }, 100);
  timer.unref();
}

/** Resolves to 'TIMEOUT' after ms milliseconds: the harness never waits forever. */
function timeout(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms, 'TIMEOUT').unref());
}

module.exports = { openWorkbench, recordShown, timeout };
