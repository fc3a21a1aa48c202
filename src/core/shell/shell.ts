// A small shell over the simulated host's files: the lines a user types on the board
// (`echo start > /sys/class/remoteproc/remoteproc0/state`, `cat .../trace0`, `dmesg`) work here,
// with the usual messages and exit statuses. `sleep` advances virtual time; `cp` reads the
// real disk through an injected reader so core stays free of I/O.
import { KernelError, strerror } from '../kernel/errno';
import type { AmpSystem } from '../system';
import { FileTree } from './fileTree';
import { rpmsgExportEpt } from '../rpmsg/attachRpmsg';

/** The host machine's disk, as `cp` needs it. Throws KernelError('ENOENT'...) when unreadable. */
export interface HostDisk {
  readFile(path: string): Uint8Array;
}

export interface ShellOutput {
  /** Bytes of files go out untouched (a core dump through `cat` stays an ELF). */
  out(data: string | Uint8Array): void;
  err(text: string): void;
}

export interface CommandContext {
  readonly system: AmpSystem;
  readonly files: FileTree;
  readonly disk: HostDisk;
  /** Standard output of the command (a redirect collects it). */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** Resolves a path against the working directory. */
  path(p: string): string;
  /** What the previous command of a pipeline wrote; undefined when not in a pipeline. */
  readonly stdin: Uint8Array | undefined;
}

export type Command = (args: string[], ctx: CommandContext) => number;

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

interface Simple {
  argv: string[];
  /** Indexes of argv words with an unquoted `*` or `?`, expanded against the tree at run time. */
  globs: Set<number>;
  redirect?: { path: string; append: boolean };
}

interface Step {
  /** Commands joined by `|`. */
  pipeline: Simple[];
  /** How this step joins the previous one. */
  join: ';' | '&&' | '||';
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

/** Words with quotes, `;`, `&&`, `||`, newlines, `>`/`>>` redirects and `#` comments. */
function parse(text: string): Step[] {
  const steps: Step[] = [];
  let cur: Simple = { argv: [], globs: new Set() };
  let pipeline: Simple[] = [];
  let glob = false;
  let join: Step['join'] = ';';
  let word: string | undefined;
  let pendingRedirect: { append: boolean } | undefined;
  const endWord = () => {
    if (word === undefined) return;
    if (pendingRedirect) {
      cur.redirect = { path: word, append: pendingRedirect.append };
      pendingRedirect = undefined;
    } else {
      if (glob) cur.globs.add(cur.argv.length);
      cur.argv.push(word);
    }
    word = undefined;
    glob = false;
  };
  const endSimple = (token: string) => {
    endWord();
    if (pendingRedirect) throw new Error('syntax error: redirect without a file');
    if (cur.argv.length || cur.redirect) pipeline.push(cur);
    else if (token !== ';' || pipeline.length) throw new Error(`syntax error near unexpected token \`${token}'`);
    cur = { argv: [], globs: new Set() };
  };
  const endCmd = (next: Step['join']) => {
    endSimple(next);
    if (pipeline.length) steps.push({ pipeline, join });
    pipeline = [];
    join = next;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error('unterminated quoted string');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (ch === '#' && word === undefined) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (ch === ';' || ch === '\n') endCmd(';');
    else if (ch === '&' && text[i + 1] === '&') {
      endCmd('&&');
      i++;
    } else if (ch === '|' && text[i + 1] === '|') {
      endCmd('||');
      i++;
    } else if (ch === '|') {
      endSimple('|');
    } else if (ch === '>') {
      endWord();
      const append = text[i + 1] === '>';
      if (append) i++;
      pendingRedirect = { append };
    } else if (ch === ' ' || ch === '\t') endWord();
    else {
      if (ch === '*' || ch === '?') glob = true;
      word = (word ?? '') + ch;
    }
  }
  endCmd(';');
  return steps;
}

function errText(e: unknown): string {
  if (e instanceof KernelError) return strerror(e.errno);
  throw e;
}

const echo: Command = (args, ctx) => {
  let newline = true;
  while (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  ctx.out(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

const cat: Command = (args, ctx) => {
  if (args.length === 0) {
    if (ctx.stdin) ctx.out(ctx.stdin);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    try {
      ctx.out(ctx.files.read(ctx.path(a)));
    } catch (e) {
      ctx.err(`cat: ${a}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

/** grep [-i] [-v] [-c] [-E] PATTERN [FILE...]: lines of stdin or the files that match. */
const grep: Command = (args, ctx) => {
  const opts = new Set<string>();
  while (args[0]?.startsWith('-') && args[0].length > 1) opts.add(args.shift()!.slice(1));
  const [pattern, ...paths] = args;
  if (pattern === undefined) {
    ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern, opts.has('i') ? 'i' : '');
  } catch {
    ctx.err(`grep: Invalid regular expression\n`);
    return 2;
  }
  let text = '';
  let status = 0;
  if (paths.length === 0) text = dec.decode(ctx.stdin ?? new Uint8Array(0));
  for (const p of paths) {
    try {
      text += dec.decode(ctx.files.read(ctx.path(p)));
    } catch (e) {
      ctx.err(`grep: ${p}: ${errText(e)}\n`);
      status = 2;
    }
  }
  const hits = text.split('\n').filter((l, i, all) => (i < all.length - 1 || l !== '') && re.test(l) !== opts.has('v'));
  if (opts.has('c')) ctx.out(`${hits.length}\n`);
  else if (hits.length) ctx.out(hits.join('\n') + '\n');
  return status || (hits.length ? 0 : 1);
};

/** head/tail [-n N | -N] [FILE]: the first or last lines. */
function lines(args: string[], ctx: CommandContext, which: 'head' | 'tail'): number {
  let n = 10;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^-(\d+)$/.exec(a) ?? (a === '-n' ? /^(\d+)$/.exec(args[++i] ?? '') : null);
    if (m) n = Number(m[1]);
    else if (a.startsWith('-')) {
      ctx.err(`${which}: invalid option -- '${a.slice(1)}'\n`);
      return 1;
    } else rest.push(a);
  }
  let data: Uint8Array;
  try {
    data = rest.length ? ctx.files.read(ctx.path(rest[0])) : (ctx.stdin ?? new Uint8Array(0));
  } catch (e) {
    ctx.err(`${which}: cannot open '${rest[0]}' for reading: ${errText(e)}\n`);
    return 1;
  }
  const all = dec.decode(data).split('\n');
  if (all[all.length - 1] === '') all.pop();
  const picked = which === 'head' ? all.slice(0, n) : all.slice(Math.max(0, all.length - n));
  if (picked.length) ctx.out(picked.join('\n') + '\n');
  return 0;
}

const ls: Command = (args, ctx) => {
  let status = 0;
  const paths = args.filter((a) => !a.startsWith('-'));
  const targets = paths.length ? paths : ['/'];
  targets.forEach((a, i) => {
    try {
      const names = ctx.files.list(ctx.path(a));
      if (targets.length > 1) ctx.out(`${i ? '\n' : ''}${a}:\n`);
      if (names.length) ctx.out(names.join('\n') + '\n');
    } catch (e) {
      ctx.err(`ls: cannot access '${a}': ${errText(e)}\n`);
      status = 2;
    }
  });
  return status;
};

const dmesg: Command = (_args, ctx) => {
  ctx.out(ctx.system.dmesg());
  return 0;
};

/** sleep NUMBER[smhd]: the board's `sleep`, in virtual time. */
const sleep: Command = (args, ctx) => {
  if (args.length === 0) {
    ctx.err('sleep: missing operand\n');
    return 1;
  }
  let ns = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      ctx.err(`sleep: invalid time interval '${a}'\n`);
      return 1;
    }
    const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]!;
    ns += Math.round(parseFloat(m[1]) * unit * 1e9);
  }
  ctx.system.runFor(ns);
  return 0;
};

/** cp SRC DEST: SRC from the simulated tree when it is there, else from the host's disk. */
const cp: Command = (args, ctx) => {
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length !== 2) {
    ctx.err(paths.length < 2 ? `cp: missing ${paths.length ? 'destination file operand after' : 'file operand'}${paths.length ? ` '${paths[0]}'` : ''}\n` : 'cp: copying several files is not supported here\n');
    return 1;
  }
  const [src, dst] = paths;
  let data: Uint8Array;
  try {
    const inTree = ctx.files.exists(ctx.path(src));
    if (inTree && ctx.files.isDir(ctx.path(src))) {
      ctx.err(`cp: -r not specified; omitting directory '${src}'\n`);
      return 1;
    }
    data = inTree ? ctx.files.read(ctx.path(src)) : ctx.disk.readFile(src);
  } catch (e) {
    ctx.err(`cp: cannot stat '${src}': ${errText(e)}\n`);
    return 1;
  }
  let target = ctx.path(dst);
  if (ctx.files.isDir(target)) target = `${target === '/' ? '' : target}/${src.split('/').pop()}`;
  try {
    ctx.files.write(target, data);
  } catch (e) {
    ctx.err(`cp: cannot create regular file '${dst}': ${errText(e)}\n`);
    return 1;
  }
  return 0;
};
