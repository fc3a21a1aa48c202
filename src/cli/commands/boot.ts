// `ampw boot FILE --board B`: the main job on the simulated SoC. Puts the image in /lib/firmware,
// writes `start` to the core's sysfs `state` as a user would, lets virtual time run, and prints
// the host's kernel log, the remote's trace buffers and what its firmware printed on its console.
// The simulator's own notes on a remote (a stand-in runs, the core locked up, an unmodelled
// peripheral) go to stderr as they happen, never into the kernel log.
import * as path from 'path';
import type { FlagSpecs, ParsedArgs } from '../args';
import { UsageError } from '../args';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue } from '../command';
import { fileErrorReason, type CliIO } from '../io';
import { KernelError, strerror } from '../../core/kernel/errno';
import { consolePath, createSystem, type AmpSystem } from '../../core/system';
import { driverFor } from '../../core/remoteproc/drivers';
import { REMOTE_APPS, type RemoteAppName } from '../../core/remote/remoteApps';
import { MODELLED_CPUS, selectRemoteProgram } from '../../core/remote/selectRemoteProgram';
import type { UnmodelledPolicy } from '../../core/soc/peripherals/unmodelled';

const dec = new TextDecoder();

// Options `ampw boot` and `ampw shell` share: the board and core, the firmware image put in the
// simulated /lib/firmware, the seed, and whether a boot loader already started the core.
export const simFlags: FlagSpecs = {
  board: { value: true, meta: 'BOARD', help: 'board id (ampw boards) or board .json file' },
  core: { value: true, meta: 'CORE', help: "remote core id (default: the board's first)" },
  seed: { value: true, meta: 'N', help: 'seed of the simulation (same seed, same run)' },
  'early-boot': {
    help: 'the boot loader already started the core with the firmware: it probes as detached; K3 attaches at probe, ZynqMP and stm32 on `start` (stm32 at probe with --auto-boot, as st,auto-boot)',
  },
  'auto-boot': { help: 'the kernel boots the firmware at probe (rproc auto_boot: K3, stm32 with st,auto-boot; not ZynqMP), as Linux comes up' },
  'remote-app': {
    value: true,
    meta: 'APP',
    choices: Object.keys(REMOTE_APPS),
    help: `run a labelled stand-in application instead of the firmware's code: ${Object.entries(REMOTE_APPS).map(([k, v]) => `${k} (${v})`).join(', ')}; default: the firmware's own code where the core's CPU is modelled (${MODELLED_CPUS.join(', ')}), else the stand-in with the services the firmware names`,
  },
  unmodelled: {
    value: true,
    meta: 'WHAT',
    choices: ['ignore', 'fault'],
    help: 'a firmware access to a peripheral no model serves: ignore (reads zero, reported once per peripheral; default) or fault (a precise BusFault)',
  },
};

export class FirmwareReadError extends Error {}

/** Builds the system; `firmwareFile` (a path on this machine) goes to /lib/firmware. */
export async function buildSystem(a: ParsedArgs, io: CliIO, firmwareFile: string | undefined): Promise<{ system: AmpSystem; rproc: string }> {
  const choice = await chooseBoard(io, flagValue(a, 'board'), flagValue(a, 'core'));
  if (!choice) throw new UsageError("option '--board' is required");
  const seedText = flagValue(a, 'seed') ?? '1';
  if (!/^\d+$/.test(seedText)) throw new UsageError(`option '--seed' needs a non-negative integer (got '${seedText}')`);
  let firmware: { name: string; data: Uint8Array; core: string } | undefined;
  if (firmwareFile !== undefined) {
    try {
      firmware = { name: path.basename(firmwareFile), data: await io.readFile(path.resolve(io.cwd, firmwareFile)), core: choice.core.id };
    } catch (e) {
      throw new FirmwareReadError(`${firmwareFile}: ${fileErrorReason(e)}`);
    }
  }
  const early = a.flags.get('early-boot') === true;
  if (early && !firmware) throw new UsageError("option '--early-boot' needs a firmware image");
  const app = flagValue(a, 'remote-app') as RemoteAppName | undefined;
  if (a.flags.get('auto-boot') === true && driverFor(choice.core, early).autoBoot === false) {
    throw new UsageError(`option '--auto-boot': ${choice.core.driver} clears auto_boot, the kernel never boots or attaches ${choice.core.id} at probe (write start instead)`);
  }
  const system = createSystem({
    board: choice.board,
    seed: Number(seedText),
    firmware: early ? undefined : firmware,
    earlyBoot: early && firmware ? [firmware] : undefined,
    autoBoot: a.flags.get('auto-boot') === true,
    unmodelled: flagValue(a, 'unmodelled') as UnmodelledPolicy | undefined,
    // before the cores probe, so a core attached at probe runs the chosen application too
    setup: (s) => {
      s.events.on((e) => {
        if (e.kind === 'notice') io.stderr(`ampw: ${e.core}: ${e.text}\n`);
      });
      if (app) s.setProgramSelector((elf, core) => selectRemoteProgram(elf, core, app));
    },
  });
  return { system, rproc: system.rproc(choice.core.id).devName };
}

export const bootCommand = defineCommand({
  name: 'boot',
  summary: 'Boot a firmware ELF on the simulated board and print the kernel log and trace',
  synopsis: 'FILE --board BOARD [--core CORE] [--time MS] [--seed N] [--early-boot] [--auto-boot] [--remote-app APP]',
  details:
    'Exit status: 0 when the remote processor is up (running, or attached with --early-boot),\n' +
    '1 when the boot failed (the log says why, in the kernel\'s words), 2 for usage or file errors.\n\n' +
    'Example:\n  ampw boot examples/stm32mp157/rproc-m4-fw.elf --board stm32mp157\n',
  flags: {
    ...simFlags,
    time: { value: true, meta: 'MS', help: 'virtual milliseconds to run after the start (default 100)' },
  },
  async run(a, io) {
    if (a.positional.length !== 1) throw new UsageError('expected exactly one firmware FILE');
    const timeText = flagValue(a, 'time') ?? '100';
    if (!/^\d+(\.\d+)?$/.test(timeText)) throw new UsageError(`option '--time' needs a number of milliseconds (got '${timeText}')`);
    let built;
    try {
      built = await buildSystem(a, io, a.positional[0]);
    } catch (e) {
      if (!(e instanceof FirmwareReadError)) throw e;
      io.stderr(`ampw boot: ${e.message}\n`);
      return 2;
    }
    const { system, rproc } = built;
    const r = system.rproc(rproc);
    let failed: string | undefined;
    if (r.state !== 'attached' && a.flags.get('auto-boot') !== true) {
      try {
        system.files.write(`/sys/class/remoteproc/${rproc}/state`, 'start\n');
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        failed = strerror(e.errno);
      }
    }
    system.runFor(Number(timeText) * 1e6);
    io.stdout(system.dmesg());
    for (const t of r.traces) {
      const text = dec.decode(system.files.read(`/sys/kernel/debug/remoteproc/${rproc}/${t.name}`));
      io.stdout(`\n# cat /sys/kernel/debug/remoteproc/${rproc}/${t.name}\n${text}${text.endsWith('\n') || !text ? '' : '\n'}`);
    }
    const console = system.consoleText(rproc);
    if (console) io.stdout(`\n# cat ${consolePath(r.core.id)}\n${console}${console.endsWith('\n') ? '' : '\n'}`);
    const up = r.state === 'running' || r.state === 'attached';
    if (!up) io.stderr(`ampw boot: ${rproc} is ${r.state}${failed ? ` (start: ${failed})` : ''}\n`);
    return up ? 0 : 1;
  },
});
