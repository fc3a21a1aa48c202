// AMP: Start GDB Server in a real VS Code: Debian's gdb-multiarch, run from the extension host,
// connects to the server over the extension's own system (the one the tree shows), stops the core
// on a breakpoint while the host's time stands still (or, with amp.debug.haltSystem off, runs on),
// and leaves it running when it quits; a line typed in the RPMsg terminal stops gdb in the
// firmware's rx callback with the message in memory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as vscode from 'vscode';
import { EXAMPLE_ELF, ampLogText, eventually, workspaceUri } from './helpers';
import { clearSettings, freshSession, openTerminal, typeInto } from './faces';

const GDB = 'gdb-multiarch';

function gdbBatch(port: number, commands: readonly string[]): Promise<string> {
  const args = ['-batch', '-nx', '-ex', `target remote localhost:${port}`, ...commands.flatMap((c) => ['-ex', c]), workspaceUri(EXAMPLE_ELF).fsPath];
  const child = spawn(GDB, args, { cwd: workspaceUri('examples/stm32mp157').fsPath, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill(), 30000);
  return new Promise((resolve) =>
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    }),
  );
}

describe('AMP: Start GDB Server', function () {
  this.timeout(60000);
  before(function () {
    if (spawnSync(GDB, ['--version']).status !== 0) this.skip();
  });
  after(clearSettings);

  it('boots the configured firmware halted at its reset vector; gdb breaks in it with the whole system halted; gdb leaving lets it run on', async () => {
    const api = await freshSession();
    const started = await vscode.commands.executeCommand<{ port: number } | undefined>('amp.startGdbServer');
    assert.ok(started, 'the command gives the port it listens on');
    const system = api.session.current!;
    assert.equal(system.rproc('m4').state, 'running');
    assert.ok(system.halted, 'halted at the reset vector with the whole system, before gdb comes');
    assert.match(await ampLogText(), new RegExp(`target remote localhost:${started.port}`));
    const out = await gdbBatch(started.port, ['break rpmsg_serve', 'continue', 'backtrace', 'monitor time', 'monitor shell sleep 1', 'monitor time']);
    assert.match(out, /^reset_handler \(\) at startup\.c:16\n/);
    assert.match(out, /\nBreakpoint 1, rpmsg_serve \(\) at rpmsg\.c:129\n/);
    assert.match(out, /\n#\d {2}main \(\) at main\.c:83\n/);
    const times = [...out.matchAll(/^system time (\d+) ns/gm)].map((m) => m[1]);
    assert.equal(times.length, 2, out);
    assert.equal(times[0], times[1], "the host's sleep does not move a halted system's time");
    // gdb quit (and killed its inferior): the extension's system runs on, without gdb's breakpoints
    await eventually('the system running again', () => (system.halted ? undefined : true));
    const t = system.now();
    await eventually('time moving', () => (system.now() > t ? true : undefined));
    assert.match(system.dmesg(), /creating channel rpmsg-tty addr 0x400/);
  });

  it("a line typed in the RPMsg terminal stops gdb in the firmware's rx callback; the message read, stepped; gdb's detach lets the echo come back", async () => {
    const api = await freshSession();
    const started = await vscode.commands.executeCommand<{ port: number } | undefined>('amp.startGdbServer');
    assert.ok(started);
    const line = (await vscode.workspace.openTextDocument(workspaceUri('examples/stm32mp157/rpmsg.c'))).getText().split('\n').findIndex((l) => l.includes('const struct rpmsg_hdr *in = buf;')) + 1;
    const gdb = gdbBatch(started.port, [`break rpmsg.c:${line}`, 'continue', 'backtrace', 'print *in', 'x/3cb (char *)buf + 16', 'next', 'print len', 'delete', 'detach']);
    // gdb's continue boots the firmware on; its channel brings the tty.
    const system = api.session.current!;
    await eventually('/dev/ttyRPMSG0', () => (system.files.exists('/dev/ttyRPMSG0') ? true : undefined), 20000);
    const pty = await openTerminal(api, '/dev/ttyRPMSG0');
    typeInto(pty, 'hi\r');
    const out = await gdb;
    assert.match(out, /\nBreakpoint 1, rpmsg_serve \(\) at rpmsg\.c:13\d\n/, out);
    assert.match(out, /\n#\d {2}main \(\) at main\.c:\d+\n/);
    assert.match(out, /= \{src = 1024, dst = 1024, reserved = 0, len = 3, flags = 0\}\n/, 'the rpmsg header of the line typed');
    assert.match(out, /:\t104 'h'\t105 'i'\t10 '\\n'\n/, 'its bytes');
    assert.match(out, /\n\$\d+ = 3\n/, 'len, after the step');
    assert.match(out, /\[Inferior 1 \(Remote target\) detached\]/);
    await eventually('the echo in the terminal', () => (pty.received === 'hi\n' ? true : undefined));
  });

  it("amp.debug.haltSystem off: the core halts alone and the host runs on while gdb looks: the M4's watchdog resets it and the kernel recovers it", async () => {
    const api = await freshSession();
    const config = vscode.workspace.getConfiguration('amp');
    await config.update('debug.haltSystem', false, vscode.ConfigurationTarget.Global);
    try {
      const started = await vscode.commands.executeCommand<{ port: number } | undefined>('amp.startGdbServer');
      assert.ok(started);
      const system = api.session.current!;
      assert.match(await ampLogText(), /halted alone, the host running on: target remote localhost:\d+/);
      const out = await gdbBatch(started.port, ['break rpmsg_serve', 'continue', 'monitor time', 'shell sleep 1', 'monitor time', 'monitor log']);
      assert.match(out, /\nBreakpoint 1, rpmsg_serve \(\) at rpmsg\.c:129\n/, out);
      const [before, after] = [...out.matchAll(/^system time (\d+) ns/gm)].map((m) => Number(m[1]));
      assert.ok(after > before, `the host's time moved on while gdb looked: ${before} -> ${after}`);
      assert.match(out, /remoteproc remoteproc0: crash detected in m4: type watchdog\n/);
      assert.match(out, /remoteproc remoteproc0: recovering m4\n/);
      assert.equal(system.rproc('m4').state, 'running');
    } finally {
      await config.update('debug.haltSystem', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
