// A small shell over the simulated host's files: the lines a user types on the board
// (`echo start > /sys/class/remoteproc/remoteproc0/state`, `cat .../trace0`, `dmesg`) work here.
// It runs parsed command lines (commandLine.ts): pipes, redirects, globs, `&&`/`||`, and the
// kernel's queued work between steps; the commands are the utilities and the rpmsg tools.
import { KernelError, strerror } from '../kernel/errno';
import type { AmpSystem } from '../system';
import { FileTree } from './fileTree';
import { rpmsgExportEpt } from '../rpmsg/attachRpmsg';
import type { Command, CommandContext, HostDisk } from './command';
import { parse, type Simple, type Step } from './commandLine';
import { cat, cp, dmesg, echo, grep, lines, ls, sleep } from './utilities';

const enc = new TextEncoder();

export interface ShellOutput {
  /** Bytes of files go out untouched (a core dump through `cat` stays an ELF). */
  out(data: string | Uint8Array): void;
  err(text: string): void;
}

export class Shell {
  private readonly commands = new Map<string, Command>();
  /** Status of the last command ($?). */
  status = 0;
  /** Set once any command of this shell failed. */
  anyFailed = false;

  constructor(
    readonly system: AmpSystem,
    private readonly disk: HostDisk,
    private readonly io: ShellOutput,
  ) {
    this.addCommand('echo', echo);
    this.addCommand('cat', cat);
    this.addCommand('ls', ls);
    this.addCommand('dmesg', dmesg);
    this.addCommand('sleep', sleep);
    this.addCommand('cp', cp);
    this.addCommand('true', () => 0);
    this.addCommand('false', () => 1);
    this.addCommand('grep', grep);
    this.addCommand('head', (a, ctx) => lines(a, ctx, 'head'));
    this.addCommand('tail', (a, ctx) => lines(a, ctx, 'tail'));
    this.addCommand('rpmsg_export_ept', rpmsgExportEpt);
    // The prompt comes after the work the kernel queued while coming up (auto boot, attach).
    system.runUntil(system.now());
  }

  /** Other parts (rpmsg tools) add their commands here. */
  addCommand(name: string, fn: Command): void {
    this.commands.set(name, fn);
  }

  get commandNames(): string[] {
    return [...this.commands.keys()].sort();
  }

  /** Runs one line (or several, separated by newlines); returns the last status. */
  run(text: string): number {
    let steps: Step[];
    try {
      steps = parse(text);
    } catch (e) {
      this.io.err(`sh: ${(e as Error).message}\n`);
      this.status = 2;
      this.anyFailed = true;
      return this.status;
    }
    for (const s of steps) {
      if (s.join === '&&' && this.status !== 0) continue;
      if (s.join === '||' && this.status === 0) continue;
      this.status = this.execPipeline(s.pipeline);
      if (this.status !== 0) this.anyFailed = true;
      // Work the kernel queued (crash handling, mailbox deliveries due now) runs before the prompt.
      this.system.runUntil(this.system.now());
    }
    return this.status;
  }

  /** Each command's output feeds the next; the status is the last command's. */
  private execPipeline(p: Simple[]): number {
    let input: Uint8Array | undefined;
    let status = 0;
    p.forEach((c, i) => {
      const piped: Uint8Array[] | undefined = i < p.length - 1 ? [] : undefined;
      status = this.exec(c, input, piped);
      input = piped ? concat(piped) : undefined;
    });
    return status;
  }

  private exec(c: Simple, stdin: Uint8Array | undefined, pipe: Uint8Array[] | undefined): number {
    if (c.argv.length === 0) return this.status;
    const [name, ...args] = c.argv.flatMap((w, i) => (c.globs.has(i) ? expandGlob(this.system.files, w) : [w]));
    const fn = this.commands.get(name);
    if (!fn) {
      this.io.err(`sh: ${name}: not found\n`);
      return 127;
    }
    const files = this.system.files;
    const chunks: Uint8Array[] = [];
    const ctx: CommandContext = {
      system: this.system,
      files,
      disk: this.disk,
      out: (t) => {
        const sink = c.redirect ? chunks : pipe;
        if (sink) sink.push(typeof t === 'string' ? enc.encode(t) : t);
        else this.io.out(t);
      },
      err: (t) => this.io.err(t),
      path: (p) => FileTree.normalize(p),
      stdin,
    };
    if (c.redirect) {
      // The shell opens the target before the command runs.
      const target = FileTree.normalize(c.redirect.path);
      const openErr = openForWrite(files, target);
      if (openErr) {
        this.io.err(`sh: ${c.redirect.path}: ${strerror(openErr)}\n`);
        return 1;
      }
    }
    const status = fn(args, ctx);
    if (c.redirect) {
      const data = concat(chunks);
      try {
        files.write(FileTree.normalize(c.redirect.path), data, c.redirect.append);
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        this.io.err(`${name}: write error: ${strerror(e.errno)}\n`);
        return 1;
      }
    }
    return status;
  }
}

/** Pathname expansion of `*` and `?`, sorted; a pattern that matches nothing stays as it is. */
function expandGlob(files: FileTree, pattern: string): string[] {
  const parts = pattern.split('/');
  let paths = [pattern.startsWith('/') ? '' : '.'];
  for (const part of parts.slice(pattern.startsWith('/') ? 1 : 0)) {
    if (!/[*?]/.test(part)) {
      paths = paths.map((p) => `${p}/${part}`);
      continue;
    }
    const re = new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    paths = paths.flatMap((p) => (files.isDir(p || '/') ? files.list(p || '/').filter((n) => re.test(n)).map((n) => `${p}/${n}`) : []));
  }
  const found = paths.map((p) => (p.startsWith('./') ? p.slice(2) : p)).filter((p) => files.exists(p));
  return found.length ? found.sort() : [pattern];
}

function openForWrite(files: FileTree, path: string): KernelError['errno'] | undefined {
  if (files.exists(path)) {
    if (files.isDir(path)) return 'EISDIR';
    const mode = files.mode(path) ?? 0;
    return mode & 0o222 ? undefined : 'EACCES';
  }
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  if (!files.exists(parent)) return 'ENOENT';
  return files.canCreate(path) ? undefined : 'EACCES';
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

