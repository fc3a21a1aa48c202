// "AMP: Validate Firmware ELF" from the palette, as a user runs it.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node, no build step */
'use strict';
const path = require('path');
const { runFromPalette, pickInQuickPick, toast, outputLines } = require('../workbenchUi');

const EXAMPLE = 'examples/stm32mp157/rproc-m4-fw.elf';
const BROKEN = 'test/fixtures/build/rsc-too-many-vrings.elf';

async function validateFromPalette(page, file) {
  await runFromPalette(page, 'AMP: Validate Firmware ELF');
  await pickInQuickPick(page, path.basename(file, '.elf'), file);
  return toast(page, `AMP: ${file}:`);
}

module.exports = async function validateChecks({ page, check, screenshot }) {
  await check('F1 "AMP: Validate Firmware ELF" on the example: the kernel would boot it', async () => {
    const t = await validateFromPalette(page, EXAMPLE);
    await t.filter({ hasText: 'the kernel would boot it (0 errors' }).waitFor();
  });

  await check('its "Show Output" opens the AMP channel with the run', async () => {
    await toast(page, EXAMPLE).locator('.monaco-button', { hasText: 'Show Output' }).click();
    await outputLines(page).filter({ hasText: `validate ${EXAMPLE} for board stm32mp157, core m4` }).waitFor();
    await outputLines(page).filter({ hasText: `${EXAMPLE}: the kernel would boot it` }).waitFor();
  });

  await check('a broken fixture: an error notification, the kernel\'s words in the channel', async () => {
    const t = await validateFromPalette(page, BROKEN);
    await t.filter({ hasText: 'the kernel would refuse it (1 error' }).waitFor();
    await t.locator('.codicon-error').first().waitFor();
    await outputLines(page).filter({ hasText: `${BROKEN}: kernel/too_many_vrings: too many vrings: 3` }).waitFor();
    await screenshot('validate.png');
  });
};
