// "AMP: Start GDB Server": a GDB server on 127.0.0.1 for the configured core inside the extension's
// own simulated system, the one the tree, the terminals and the kernel log show. An offline core is
// booted by the host and halts at its reset vector; a running one halts where it is. While gdb has
// the core halted, the whole system (the host included) stands still, unless amp.debug.haltSystem
// is off: then the host runs on, as beside a core a probe halted. gdb's leaving lets it run on.
import * as vscode from 'vscode';
import { serveGdb, type GdbTcpServer } from '../common/gdbTcpServer';
import { SystemTarget } from '../core/gdb/systemTarget';
import { MODELLED_CPUS } from '../core/remote/selectRemoteProgram';
import { installFirmware, requireTrust } from './lifecycleCommands';
import { SessionError, type AmpSession } from './session';

/** OpenOCD's port for the first core, which Cortex-Debug configurations name; another one when it is taken. */
const PREFERRED_PORT = 3333;

export function registerGdbServerCommand(session: AmpSession, log: vscode.LogOutputChannel): vscode.Disposable {
  let serving: { server: GdbTcpServer; port: number } | undefined;
  const onReset = session.onDidChange((c) => {
    if (c.kind === 'reset') serving?.server.close();
  });
  const command = vscode.commands.registerCommand('amp.startGdbServer', async (): Promise<{ port: number } | undefined> => {
    if (!requireTrust()) return undefined;
    if (serving) {
      void vscode.window.showInformationMessage(`AMP: the GDB server already waits: target remote localhost:${serving.port}`);
      return { port: serving.port };
    }
    const system = await session.system();
    const rproc = await session.rproc();
    const core = system.rproc(rproc).core;
    if (!MODELLED_CPUS.includes(core.cpu)) {
      void vscode.window.showErrorMessage(`AMP: ${core.id} is a ${core.cpu}, whose CPU is not modelled: gdb debugs ${MODELLED_CPUS.join(', ')} cores`);
      return undefined;
    }
    const offline = system.rproc(rproc).state === 'offline';
    if (offline) {
      let refused: string | undefined;
      try {
        refused = installFirmware(session, system, rproc, await session.readFirmware());
      } catch (e) {
        if (!(e instanceof SessionError)) throw e;
        refused = e.message;
      }
      if (refused) {
        void vscode.window.showErrorMessage(`AMP: the GDB server has no firmware to boot: ${refused}`);
        return undefined;
      }
    }
    const haltSystem = vscode.workspace.getConfiguration('amp').get<boolean>('debug.haltSystem', true);
    const target = new SystemTarget(system, rproc, { haltSystem });
    const said = session.run(() => (offline ? target.boot() : (target.debug.pause(), '')));
    if (said) log.info(said.trimEnd());
    if (!target.debug.running) {
      target.detach();
      void vscode.window.showErrorMessage(`AMP: ${core.id} did not start: ${said.trim() || 'see the kernel log'}`);
      return undefined;
    }
    const started = (await listen(target, PREFERRED_PORT)) ?? (await listen(target, 0));
    if (!started) {
      target.detach();
      void vscode.window.showErrorMessage('AMP: the GDB server cannot listen on 127.0.0.1');
      return undefined;
    }
    const current = (serving = started);
    void started.server.ended.then(() => {
      session.run(() => target.detach());
      if (serving === current) serving = undefined;
      log.info(`GDB server on 127.0.0.1:${current.port} closed; ${core.id} runs on`);
    });
    const line = `target remote localhost:${started.port}`;
    const halted = haltSystem ? 'halted with the whole system' : 'halted alone, the host running on';
    log.info(`GDB server for ${core.id} (${rproc}), ${halted}: ${line}`);
    void vscode.window.showInformationMessage(`AMP: GDB server for ${core.id}, ${halted}: ${line}`);
    return { port: started.port };
  });
  return vscode.Disposable.from(command, onReset, { dispose: () => serving?.server.close() });
}

/** The server once it listens on `port`, or undefined when it cannot. */
function listen(target: SystemTarget, port: number): Promise<{ server: GdbTcpServer; port: number } | undefined> {
  return new Promise((resolve) => {
    const server = serveGdb(target, port, {
      listening: (p) => resolve({ server, port: p }),
      failed: () => resolve(undefined),
    });
  });
}
