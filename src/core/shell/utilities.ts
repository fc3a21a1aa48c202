// The board's utilities the shell offers (echo, cat, grep, head, tail, ls, dmesg, sleep, cp),
// with their usual messages and exit statuses. `sleep` advances virtual time; `cp` reads the
// real disk through the injected HostDisk so core stays free of I/O.
import { KernelError, strerror } from '../kernel/errno';
import type { Command, CommandContext } from './command';

const dec = new TextDecoder('latin1');

function errText(e: unknown): string {
  if (e instanceof KernelError) return strerror(e.errno);
  throw e;
}

export const echo: Command = (args, ctx) => {
  let newline = true;
  while (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  ctx.out(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

export const cat: Command = (args, ctx) => {
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
export const grep: Command = (args, ctx) => {
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
export function lines(args: string[], ctx: CommandContext, which: 'head' | 'tail'): number {
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

export const ls: Command = (args, ctx) => {
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

export const dmesg: Command = (_args, ctx) => {
  ctx.out(ctx.system.dmesg());
  return 0;
};

/** sleep NUMBER[smhd]: the board's `sleep`, in virtual time. */
export const sleep: Command = (args, ctx) => {
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
export const cp: Command = (args, ctx) => {
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
