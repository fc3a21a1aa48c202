// `ampw shell --board B`: a shell on the simulated host. The lines a user types on the board work
// here (`echo start > /sys/class/remoteproc/remoteproc0/state`, `cat .../trace0`, `dmesg`,
// `sleep 1` in virtual time, `cp FILE /lib/firmware/`). From `-c`, from stdin, or interactive.
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { defineCommand, flagValue } from '../command';
import { UsageError } from '../args';
import type { CliIO } from '../io';
import { KernelError } from '../../core/kernel/errno';
import type { HostDisk } from '../../core/shell/command';
import { Shell } from '../../core/shell/shell';
import { FirmwareReadError, buildSystem, simFlags } from './boot';
import { chooseBoard } from '../boardOption';
import { bundledExample } from '../examples';

const dec = new TextDecoder();

export const shellCommand = defineCommand({
  name: 'shell',
  summary: 'A shell on the simulated host: sysfs, debugfs, /lib/firmware, dmesg, in virtual time',
  synopsis: "--board BOARD [--core CORE] [--firmware FILE] [--seed N] [--early-boot] [--auto-boot] [--remote-app APP] [-c 'CMD; CMD']",
  details:
    'Commands: cat, echo [-n] WORDS [> FILE | >> FILE], ls, dmesg, sleep SECONDS (virtual time),\n' +
    'cp FILE DEST (FILE from this machine\'s disk unless it exists in the simulated tree), true, false,\n' +
    'grep [-i -v -c] PATTERN, head/tail [-n N], rpmsg_export_ept /dev/rpmsg_ctrlN NAME [SRC [DST]];\n' +
    'words with * and ? name existing files; pipes with |, lists with ;, && and ||.\n' +
    'Without -c the commands come from stdin, or a prompt on a terminal.\n' +
    'Without --firmware, the example firmware shipped for the core (examples/<board>/) is in /lib/firmware\n' +
    "and named in the core's firmware attribute, as an installed board would have one.\n\n" +
    'Exit status: 0 when every command succeeded; otherwise the last command\'s status if it failed\n' +
    '(1 for a refused write, 127 for an unknown command), else 1; 2 for usage errors.\n\n' +
    'Example:\n' +
    "  ampw shell --board stm32mp157 --firmware examples/stm32mp157/rproc-m4-fw.elf \\\n" +
    "    -c 'echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1; cat /sys/kernel/debug/remoteproc/remoteproc0/trace0'\n",
  flags: {
    ...simFlags,
    firmware: { value: true, meta: 'FILE', help: "firmware ELF put in /lib/firmware and named in the core's firmware attribute" },
    command: { value: true, short: 'c', meta: 'CMDS', help: 'commands to run, as sh -c' },
  },
  async run(a, io) {
    if (a.positional.length) throw new UsageError(`unexpected argument '${a.positional[0]}'`);
    let built;
    try {
      built = await buildSystem(a, io, flagValue(a, 'firmware') ?? (await exampleFor(a, io)));
    } catch (e) {
      if (!(e instanceof FirmwareReadError)) throw e;
      io.stderr(`ampw shell: ${e.message}\n`);
      return 2;
    }
    const shell = new Shell(built.system, hostDisk(io), { out: (d) => io.stdout(typeof d === 'string' ? d : dec.decode(d)), err: (t) => io.stderr(t) });
    const script = flagValue(a, 'command');
    if (script !== undefined) return finish(shell, shell.run(script));
    return finish(shell, await interactive(shell, io));
  },
});

/** This machine's files, for the shell's `cp` (relative to the working directory). */
export function hostDisk(io: CliIO): HostDisk {
  return {
    readFile: (p) => {
      try {
        return new Uint8Array(fs.readFileSync(path.resolve(io.cwd, p)));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new KernelError(code === 'EISDIR' ? 'EISDIR' : code === 'EACCES' ? 'EACCES' : 'ENOENT');
      }
    },
  };
}

/** The shipped example for the chosen core, when the user names no firmware. */
async function exampleFor(a: Parameters<typeof buildSystem>[0], io: CliIO): Promise<string | undefined> {
  const choice = await chooseBoard(io, flagValue(a, 'board'), flagValue(a, 'core'));
  return choice && bundledExample(choice.board.id, choice.core.id);
}

/** 0 when every command succeeded, else the last failing status. */
function finish(shell: Shell, last: number): number {
  return shell.anyFailed ? last || 1 : 0;
}

/** Lines from stdin: a prompt with line editing when a person types, else a script. */
async function interactive(shell: Shell, io: CliIO): Promise<number> {
  const input = io.stdin ?? process.stdin;
  const tty = input.isTTY === true;
  const rl = readline.createInterface({ input, output: tty ? process.stdout : undefined, terminal: tty });
  const prompt = `root@${shell.system.board.id}:~# `;
  if (tty) {
    rl.setPrompt(prompt);
    rl.prompt();
  }
  for await (const line of rl) {
    if (/^\s*exit\b/.test(line)) break;
    shell.run(line);
    if (tty) rl.prompt();
  }
  rl.close();
  if (tty) io.stdout('\n');
  return shell.status;
}
