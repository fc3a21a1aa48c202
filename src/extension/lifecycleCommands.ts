// The life-cycle commands of the palette and the tree: boot, stop, crash, recover, attach, detach.
// Each is one write to the core's sysfs or debugfs file, as on the board; a refusal is shown in the
// kernel's words (the write's errno text and the error lines it logged).
import * as vscode from 'vscode';
import type { AmpSession, ActionResult } from './session';
import { SessionError } from './session';
import type { AmpSystem } from '../core/system';
import { pickElf } from './pickElf';
import { settingsTarget } from './settingsTarget';

/** What a tree node or a caller may pass: the core to act on (default: amp.core). */
export interface CoreArg {
  readonly rproc?: string;
}

export const CRASH_KINDS = [
  { label: 'watchdog', type: 1, detail: 'the remote stopped kicking its watchdog' },
  { label: 'fatal error', type: 2, detail: 'the remote reported a fatal error' },
  { label: 'mmu fault', type: 0, detail: 'the remote accessed memory its MMU does not map' },
] as const;

/** Virtual time a boot is given to bring its channels up before the command returns. */
const SETTLE_NS = 10e6;

export function registerLifecycleCommands(session: AmpSession, log: vscode.LogOutputChannel): vscode.Disposable {
  const run = (id: string, fn: (...args: never[]) => Promise<ActionResult | undefined>) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      if (!requireTrust()) return undefined;
      try {
        return await fn(...args);
      } catch (e) {
        if (!(e instanceof SessionError)) throw e;
        log.error(e.message);
        void vscode.window.showErrorMessage(`AMP: ${e.message}`);
        return undefined;
      }
    });
  return vscode.Disposable.from(
    run('amp.boot', (arg?: CoreArg) => boot(session, log, arg)),
    // stop and detach from a wrong state: the kernel refuses (EINVAL), and its words are shown.
    run('amp.stop', (arg?: CoreArg) => simple(session, log, arg, 'state', 'stop')),
    run('amp.crash', (arg?: CoreArg, kind?: string) => crash(session, log, arg, kind)),
    run('amp.recover', (arg?: CoreArg) => simple(session, log, arg, 'recovery', 'recover', ['crashed'])),
    run('amp.attach', (arg?: CoreArg) => attach(session, log, arg)),
    run('amp.detach', (arg?: CoreArg) => simple(session, log, arg, 'state', 'detach')),
  );
}

/** Untrusted workspaces get validation only (package.json capabilities.untrustedWorkspaces). */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window.showWarningMessage('AMP: booting and talking to a remote core needs a trusted workspace (its settings choose the firmware that runs); validation works without.', manage)
    .then((b) => b && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

async function target(session: AmpSession, arg: CoreArg | undefined): Promise<{ rproc: string; name: string; state: string; configured: boolean }> {
  const system = await session.system();
  const configured = await session.rproc();
  const rproc = arg?.rproc ?? configured;
  const r = system.rproc(rproc);
  return { rproc, name: r.name, state: r.state, configured: rproc === configured };
}

/** A state the action cannot start from: say so instead of writing (the kernel would count a second power-up). */
function refuse(log: vscode.LogOutputChannel, t: { rproc: string; name: string; state: string }, what: string, allowed: readonly string[]): ActionResult {
  const error = `${t.rproc} (${t.name}) is ${t.state}: ${what} needs it ${allowed.join(' or ')}`;
  return report(log, { rproc: t.rproc, state: t.state, error }, what);
}

function report(log: vscode.LogOutputChannel, result: ActionResult, what: string): ActionResult {
  if (result.error) {
    log.error(`${what}: ${result.error}`);
    void vscode.window.showErrorMessage(`AMP: ${what} refused: ${result.error}`, 'Show Kernel Log').then((b) => b && vscode.commands.executeCommand('amp.showLog'));
  } else log.info(`${what}: ${result.rproc} is ${result.state}`);
  return result;
}

/**
 * One write. `from`: the states the action makes sense in, for the actions the kernel would take
 * silently from any other state (a second `start` counts a second power-up, `recover` of a
 * running core does nothing); without it the kernel decides and its errno is the answer.
 */
async function simple(session: AmpSession, log: vscode.LogOutputChannel, arg: CoreArg | undefined, file: 'state' | 'recovery', word: string, from?: readonly string[]): Promise<ActionResult> {
  const t = await target(session, arg);
  const what = `${word} ${t.rproc}`;
  if (from && !from.includes(t.state)) return refuse(log, t, what, from);
  const result = await session.act(file, word, t.rproc);
  await session.runFor(SETTLE_NS);
  return report(log, { ...result, state: (await session.system()).rproc(t.rproc).state }, what);
}

async function boot(session: AmpSession, log: vscode.LogOutputChannel, arg: CoreArg | undefined): Promise<ActionResult | undefined> {
  const t = await target(session, arg);
  if (t.state !== 'offline') {
    if (t.state === 'detached') return attach(session, log, arg);
    return refuse(log, t, `boot ${t.rproc}`, ['offline']);
  }
  const system = await session.system();
  let firmware: { uri: vscode.Uri; name: string } | undefined;
  if (t.configured) {
    if (!vscode.workspace.getConfiguration('amp').get<string>('firmware')) {
      const picked = await pickElf(undefined, 'Firmware ELF to boot');
      if (!picked) return undefined;
      await setFirmware(picked);
    }
    const fw = await session.readFirmware();
    firmware = fw;
    const err = installFirmware(session, system, t.rproc, fw);
    if (err) return report(log, { rproc: t.rproc, state: t.state, error: err }, `boot ${t.rproc}`);
  }
  const title = `AMP: booting ${t.name} (${t.rproc})${firmware ? ` with ${firmware.name}` : ''}`;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, async (progress) => {
    const off = session.onDidLog((l) => l.device.includes(t.rproc) && progress.report({ message: l.message }));
    try {
      const r = await session.act('state', 'start', t.rproc);
      await session.runFor(SETTLE_NS);
      return { ...r, state: system.rproc(t.rproc).state };
    } finally {
      off.dispose();
    }
  });
  if (result.error || result.state !== 'running') return bootFailed(log, result, firmware?.uri);
  log.info(`boot ${t.rproc}: ${t.name} is ${result.state}`);
  return result;
}

/**
 * Puts the firmware in /lib/firmware and names it in the core's `firmware` attribute: request_firmware()
 * reads /lib/firmware at each boot, so a rebuilt ELF is what boots next. The refused write's error, if any.
 */
export function installFirmware(session: AmpSession, system: AmpSystem, rproc: string, fw: { name: string; data: Uint8Array }): string | undefined {
  session.run(() => system.files.write(`/lib/firmware/${fw.name}`, fw.data));
  return session.write(system, `/sys/class/remoteproc/${rproc}/firmware`, `${fw.name}\n`);
}

function bootFailed(log: vscode.LogOutputChannel, result: ActionResult, fw: vscode.Uri | undefined): ActionResult {
  const error = result.error ?? `${result.rproc} is ${result.state}`;
  log.error(`boot ${result.rproc} failed: ${error}`);
  const buttons = fw ? ['Show Resource Table', 'Show Kernel Log'] : ['Show Kernel Log'];
  void vscode.window.showErrorMessage(`AMP: boot of ${result.rproc} failed: ${error}`, ...buttons).then((b) => {
    if (b === 'Show Resource Table') void vscode.commands.executeCommand('amp.showResourceTable', fw);
    else if (b) void vscode.commands.executeCommand('amp.showLog');
  });
  return { ...result, error };
}

async function crash(session: AmpSession, log: vscode.LogOutputChannel, arg: CoreArg | undefined, kind: string | undefined): Promise<ActionResult | undefined> {
  const t = await target(session, arg);
  const from = ['running', 'attached'];
  if (!from.includes(t.state)) return refuse(log, t, `crash ${t.rproc}`, from);
  const picked = kind
    ? CRASH_KINDS.find((k) => k.label === kind)
    : await vscode.window.showQuickPick(CRASH_KINDS.map((k) => ({ ...k })), { placeHolder: `Crash ${t.name}: the kind the remote reports` });
  if (!picked) {
    if (kind) throw new SessionError(`unknown crash kind '${kind}' (${CRASH_KINDS.map((k) => k.label).join(', ')})`);
    return undefined;
  }
  // debugfs `crash` takes enum rproc_crash_type, as `echo 1 > .../crash` does on the board.
  const result = await session.act('crash', String(picked.type), t.rproc);
  await session.runFor(SETTLE_NS);
  return report(log, { ...result, state: (await session.system()).rproc(t.rproc).state }, `crash ${t.rproc} (${picked.label})`);
}

async function attach(session: AmpSession, log: vscode.LogOutputChannel, arg: CoreArg | undefined): Promise<ActionResult | undefined> {
  const t = await target(session, arg);
  if (t.state === 'detached') return simple(session, log, arg, 'state', 'start', ['detached']);
  if (t.state === 'offline' && t.configured && !vscode.workspace.getConfiguration('amp').get<boolean>('earlyBoot')) {
    const button = 'Start It from the Boot Loader';
    const answer = await vscode.window.showInformationMessage(
      `AMP: ${t.rproc} (${t.name}) is offline: the kernel attaches only to a core a boot loader started. Simulate that (setting amp.earlyBoot)?`, button);
    if (answer !== button) return undefined;
    await vscode.workspace.getConfiguration('amp').update('earlyBoot', true, settingsTarget('earlyBoot'));
    const now = await target(session, arg);
    // K3 attaches at probe; stm32 and ZynqMP wait for `start`.
    if (now.state === 'detached') return simple(session, log, arg, 'state', 'start', ['detached']);
    return report(log, { rproc: now.rproc, state: now.state }, `attach ${now.rproc}`);
  }
  return refuse(log, t, `attach ${t.rproc}`, ['detached']);
}

export async function setFirmware(uri: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const value = folder ? vscode.workspace.asRelativePath(uri, false) : uri.fsPath;
  await vscode.workspace.getConfiguration('amp').update('firmware', value, settingsTarget('firmware'));
}
