// The vendors' own OpenAMP firmware for the STM32MP157's M4, booted from VS Code as a user does:
// board and firmware chosen by command, boot, the Remote Processors tree, an RPMsg terminal, the
// kernel log, the trace buffer, stop; and one in the `amp` debugger, stopped by a line typed in the
// terminal on the debugged system. The images cannot be committed (other people's code) and CI
// cannot build them: these tests run only when AMPW_VENDOR_FIRMWARE names a folder holding them
// (looked for by file name, in its subfolders too), and are skipped, saying why, otherwise.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AmpApi } from '../../../src/extension/extension';
import { ampLogText, eventually } from './helpers';
import { act, child, clearSettings, freshSession, openTerminal, rows, stopDebugging, typeInto, type Row } from './faces';

const FOLDER_VARIABLE = 'AMPW_VENDOR_FIRMWARE';

/** The images, by the names their builds give them. */
const IMAGES = {
  cubeTtyEcho: ['OpenAMP_TTY_echo.elf', 'tty_echo.elf'],
  cubeRaw: ['OpenAMP_raw.elf'],
  cubeFreeRtosEcho: ['OpenAMP_FreeRTOS_echo.elf'],
  zephyr: ['zephyr_openamp_rsc_table.elf'],
} as const;

/** The first file named `names` under `dir` (breadth first, a few levels: a build folder). */
function findImage(dir: string, names: readonly string[], depth = 3): string | undefined {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const name of names) if (entries.some((e) => e.isFile() && e.name === name)) return path.join(dir, name);
  if (depth === 0) return undefined;
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const found = findImage(path.join(dir, e.name), names, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** The rows under the booted core, found by label along `labels`. */
async function rowAt(api: AmpApi, ...labels: string[]): Promise<Row> {
  const [core] = await rows(api);
  let row: Row = core;
  for (const label of labels) row = await child(api, row.node, label);
  return row;
}

/** vdev0's channel rows named `name`, once `ok` holds for them. */
function channelRows(api: AmpApi, name: string, ok: (r: Row[]) => boolean, ms = 15000): Promise<Row[]> {
  return eventually(`the ${name} channels`, async () => {
    const [core] = await rows(api);
    const vdev = core && (await rows(api, core.node)).find((r) => r.item.label === 'vdev0 (rpmsg)');
    const channels = vdev && (await rows(api, vdev.node)).find((r) => r.item.label === 'rpmsg channels');
    const found = (channels ? await rows(api, channels.node) : []).filter((r) => r.item.label === name);
    return ok(found) ? found : undefined;
  }, ms);
}

/** The trace buffer as the user opens it from the tree (the trace0 row's command). */
async function traceText(api: AmpApi, until: (text: string) => boolean): Promise<string> {
  const trace = await eventually('the trace0 row', () => rowAt(api, 'trace0').catch(() => undefined));
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>(trace.item.command!.command, ...trace.item.command!.arguments!);
  return eventually('the trace text', () => (until(editor.document.getText()) ? editor.document.getText() : undefined), 15000);
}

describe('vendors\' firmware on the stm32mp157 (AMPW_VENDOR_FIRMWARE)', () => {
  const folder = process.env[FOLDER_VARIABLE];
  let api: AmpApi;
  /** Where the kernel log of the current test's boot starts in the AMP log. */
  let logFrom = 0;
  const logSinceBoot = async (): Promise<string> => (await ampLogText()).slice(logFrom);
  /** Waits for a kernel log line of this test's boot with every one of `parts`. */
  const logLine = (...parts: string[]): Promise<string> => eventually(`a kernel log line with ${JSON.stringify(parts)}`, async () =>
    (await logSinceBoot()).split('\n').find((l) => parts.every((p) => l.includes(p))));

  before(function () {
    if (!folder) {
      console.log(`  skipped: ${FOLDER_VARIABLE} is not set (it names a folder of STM32CubeMP1/Zephyr OpenAMP images, which are not in the repository)`);
      this.skip();
    }
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${FOLDER_VARIABLE}=${folder} is not a folder`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
  });

  /** Chooses the board and the image as a user does (AMP: Select Board, AMP: Select Firmware on the file), then boots. */
  async function boot(test: Mocha.Context, names: readonly string[]): Promise<string> {
    const image = findImage(folder!, names);
    if (!image) {
      console.log(`  skipped: no ${names.join(' or ')} in ${folder}`);
      test.skip();
    }
    api = await freshSession();
    logFrom = (await ampLogText()).length;
    assert.deepEqual(await vscode.commands.executeCommand('amp.selectBoard', 'stm32mp157', 'm4'), { board: 'stm32mp157', core: 'm4' });
    assert.equal(await vscode.commands.executeCommand('amp.selectFirmware', vscode.Uri.file(image!)), image);
    assert.deepEqual(await act('amp.boot'), { rproc: 'remoteproc0', state: 'running' });
    await logLine(`remoteproc remoteproc0: Booting fw image ${path.basename(image!)}`);
    const [core] = await rows(api);
    assert.equal(core.item.description, `running · ${path.basename(image!)}`);
    assert.equal((await rowAt(api, 'the firmware\'s code runs')).item.description, 'cortex-m4');
    return image!;
  }

  it('STM32CubeMP1 OpenAMP_TTY_echo: two rpmsg-tty channels in the tree, each echoes a line typed in its terminal, its trace, a stop without ack', async function () {
    this.timeout(60000);
    await boot(this, IMAGES.cubeTtyEcho);
    const channels = await channelRows(api, 'rpmsg-tty', (r) => r.length === 2);
    assert.deepEqual(channels.map((r) => [r.item.label, r.item.description]), [
      ['rpmsg-tty', 'src 0x400 → dst 0x400 · /dev/ttyRPMSG0'],
      ['rpmsg-tty', 'src 0x401 → dst 0x401 · /dev/ttyRPMSG1'],
    ]);
    // Each terminal opened from its channel's row, as from the row's context menu.
    const first = await openTerminal(api, channels[0].node);
    const second = await openTerminal(api, channels[1].node);
    assert.deepEqual([first.node, second.node], ['/dev/ttyRPMSG0', '/dev/ttyRPMSG1']);
    typeInto(first, 'hi\r');
    await eventually('the echo on ttyRPMSG0', () => (first.received.includes('hi\n') ? true : undefined));
    typeInto(second, 'there\r');
    await eventually('the echo on ttyRPMSG1', () => (second.received.includes('there\n') ? true : undefined));
    assert.ok(!first.received.includes('there'), 'each channel echoes its own line');
    const trace = await traceText(api, (t) => t.includes('Msg received on VIRTUAL UART1 channel'));
    assert.match(trace, /^\[00000\.000\]\[INFO \]Cortex-M4 boot successful with STM32Cube FW version: v\d+\.\d+\.\d+ \n/);
    assert.match(trace, /Virtual UART0 OpenAMP-rpmsg channel creation\n/);
    assert.match(trace, /Msg received on VIRTUAL UART0 channel: {2}hi\n/);
    assert.match(trace, /Msg received on VIRTUAL UART1 channel: {2}there\n/);
    // This firmware does not handle the shutdown channel: the kernel's warning, then the stop.
    assert.deepEqual(await act('amp.stop'), { rproc: 'remoteproc0', state: 'offline' });
    await logLine('remoteproc remoteproc0: warning: remote FW shutdown without ack');
    await logLine('remoteproc remoteproc0: stopped remote processor m4');
    await eventually('both terminals told', () => [first, second].every((t) => t.transcript.includes('went away: remoteproc0 stopped')) ? true : undefined);
  });

  it('STM32CubeMP1 OpenAMP_raw: the rpmsg-client-sample channel in the tree, the kernel\'s sample driver talks to it until goodbye', async function () {
    this.timeout(60000);
    await boot(this, IMAGES.cubeRaw);
    const [channel] = await channelRows(api, 'rpmsg-client-sample', (r) => r.length === 1);
    assert.equal(channel.item.description, 'src 0x400 → dst 0x400');
    await logLine('rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024: new channel: 0x400 -> 0x400!');
    await logLine('rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024: incoming msg 100 (src: 0x400)');
    await logLine('rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024: goodbye!');
    // The sample sends 100 messages after the name service's announcement; the firmware answers each.
    const counters = await rowAt(api, 'vdev0 (rpmsg)', 'rpmsg channels');
    assert.equal(counters.item.description, 'virtio0 · 3 · sent 100, received 101');
    const trace = await traceText(api, (t) => t.includes('goodbye!'));
    assert.match(trace, /\[INFO \]hello world! 99\n\S+\[INFO \]goodbye!\n/);
    assert.deepEqual(await act('amp.stop'), { rproc: 'remoteproc0', state: 'offline' });
    await logLine('remoteproc remoteproc0: stopped remote processor m4');
  });

  it('STM32CubeMP1 OpenAMP_FreeRTOS_echo: its rpmsg-tty channel in the tree echoes a line typed in the terminal', async function () {
    this.timeout(60000);
    await boot(this, IMAGES.cubeFreeRtosEcho);
    const [channel] = await channelRows(api, 'rpmsg-tty', (r) => r.length === 1);
    assert.deepEqual([channel.item.label, channel.item.description], ['rpmsg-tty', 'src 0x400 → dst 0x400 · /dev/ttyRPMSG0']);
    const pty = await openTerminal(api, channel.node);
    typeInto(pty, 'hello freertos\r');
    await eventually('the echo', () => (pty.received.includes('hello freertos\n') ? true : undefined));
    assert.deepEqual(await act('amp.stop'), { rproc: 'remoteproc0', state: 'offline' });
    await logLine('remoteproc remoteproc0: stopped remote processor m4');
  });

  it('Zephyr openamp_rsc_table: its banner on its console, the client sample\'s conversation in the kernel log, the channel gone when it ends', async function () {
    this.timeout(60000);
    await boot(this, IMAGES.zephyr);
    await logLine('virtio_rpmsg_bus virtio0: creating channel rpmsg-client-sample addr 0x400');
    await logLine('rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024: goodbye!');
    await logLine('virtio_rpmsg_bus virtio0: destroying channel rpmsg-client-sample addr 0x400');
    await logLine('rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024: rpmsg sample client driver is removed');
    assert.equal((await logSinceBoot()).match(/incoming msg \d+ \(src: 0x400\)/g)?.length, 100);
    // The firmware destroyed its channel after the sample's last message: the tree has none left,
    // and its counters hold the whole conversation.
    await channelRows(api, 'rpmsg-client-sample', (r) => r.length === 0);
    assert.equal((await rowAt(api, 'vdev0 (rpmsg)', 'rpmsg channels')).item.description, 'virtio0 · 2 · sent 100, received 102');
    // Zephyr prints to its console: the RAM console in the trace buffer (CONFIG_RAM_CONSOLE, as the
    // sample's own configuration has it) or UART7 (CONFIG_UART_CONSOLE), the remote console here.
    const banner = /\*\*\* Booting Zephyr OS version \d+\.\d+\.\d+ {1,2}\*\*\*\n/;
    const consoleText = (): string => api.consoleChannels().find((c) => c.name === 'AMP Console: m4')?.written ?? '';
    const trace = await traceText(api, (t) => t.includes('OpenAMP demo ended') || banner.test(consoleText()));
    const printed = banner.test(trace) ? trace : consoleText();
    assert.match(printed, banner);
    assert.match(printed, /OpenAMP\[remote\] {2}linux responder demo started\n/);
    assert.match(printed, /OpenAMP demo ended\n/);
    console.log(`  Zephyr's console text was in ${printed === trace ? 'trace0 (RAM console)' : 'AMP Console: m4 (UART7)'}`);
    assert.deepEqual(await act('amp.stop'), { rproc: 'remoteproc0', state: 'offline' });
    await logLine('remoteproc remoteproc0: stopped remote processor m4');
  });

  it("STM32CubeMP1 OpenAMP_TTY_echo in the amp debugger: the life cycle's rproc_handle_vdev and OpenAMP's rpmsg_init_vdev stop in one run; a line typed in the RPMsg terminal on the debugged system stops in VIRT_UART0_RxCpltCallback", async function () {
    this.timeout(90000);
    const image = findImage(folder!, IMAGES.cubeTtyEcho);
    if (!image) this.skip();
    api = await freshSession();
    const stops: { reason: string; threadId?: number; description?: string }[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('amp', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type: string; event?: string; body?: (typeof stops)[number] }) => {
          if (m.type === 'event' && m.event === 'stopped' && m.body) stops.push(m.body);
        },
      }),
    });
    const nextStop = (n: number) => eventually(`stop #${n + 1}`, () => stops[n], 30000);
    const functionBreakpoints = (...names: string[]) => {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      vscode.debug.addBreakpoints(names.map((n) => new vscode.FunctionBreakpoint(n)));
    };
    try {
      functionBreakpoints('rproc_handle_vdev', 'rpmsg_init_vdev', 'rpmsg_create_channel');
      assert.equal(await vscode.debug.startDebugging(undefined, { type: 'amp', request: 'launch', name: 'Cube TTY echo', program: image!, board: 'stm32mp157', stopOnEntry: false }), true);
      const session = await eventually('the amp session', () => vscode.debug.activeDebugSession);
      const top = async (thread: number) => (await session.customRequest('stackTrace', { threadId: thread })).stackFrames[0];
      const vdev = await nextStop(0);
      assert.deepEqual([vdev.threadId, vdev.reason], [1, 'function breakpoint']);
      assert.equal((await top(1)).name, 'rproc_handle_vdev');
      await session.customRequest('continue', { threadId: 1 });
      const init = await nextStop(1);
      assert.deepEqual([init.threadId, init.reason], [1001, 'function breakpoint'], init.description);
      assert.equal((await top(1001)).name, 'rpmsg_init_vdev');
      await session.customRequest('continue', { threadId: 1001 });
      assert.match((await nextStop(2)).description ?? '', /rpmsg_create_channel/);

      // The channel is there: a terminal from its row in the tree, which follows the session.
      const [tty0] = await channelRows(api, 'rpmsg-tty', (r) => r.length > 0);
      const pty = await openTerminal(api, tty0.node);
      functionBreakpoints('VIRT_UART0_RxCpltCallback');
      await eventually('the callback breakpoint set', async () => {
        const r = await session.customRequest('setFunctionBreakpoints', { breakpoints: [{ name: 'VIRT_UART0_RxCpltCallback' }] });
        return r.breakpoints[0].verified ? true : undefined;
      });
      await session.customRequest('continue', { threadId: 1 });
      typeInto(pty, 'hi\r');
      const rx = await nextStop(3);
      assert.deepEqual([rx.threadId, rx.reason], [1001, 'function breakpoint'], rx.description);
      const frame = await top(1001);
      assert.equal(frame.name, 'VIRT_UART0_RxCpltCallback');
      const size = await session.customRequest('evaluate', { expression: 'huart->RxXferSize', context: 'watch', frameId: frame.id });
      assert.equal(size.result, '3');
      const buf = await session.customRequest('evaluate', { expression: 'huart->pRxBuffPtr', context: 'watch', frameId: frame.id });
      const addr = Number(/0x[0-9a-f]+/.exec(buf.result)![0]);
      const mem = await session.customRequest('readMemory', { memoryReference: `m4:0x${addr.toString(16)}`, count: 3 });
      assert.equal(Buffer.from(mem.data, 'base64').toString('latin1'), 'hi\n');
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await session.customRequest('setFunctionBreakpoints', { breakpoints: [] });
      await session.customRequest('continue', { threadId: 1001 });
      await eventually('the echo in the terminal', () => (pty.received === 'hi\n' ? true : undefined), 15000);
    } finally {
      await stopDebugging(api);
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      tracker.dispose();
    }
  });
});
