// The one argument parser of `ampw`: `--flag value`, `--flag=value`, boolean flags, one-letter
// aliases (`-c value`), `-h`, `--` to end flags. Anything it does not know is a usage error (exit 2), never ignored.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Takes a value (`--board stm32mp157`); otherwise a boolean switch. */
  readonly value?: boolean;
  /** The values allowed, when it takes one. */
  readonly choices?: readonly string[];
  /** Placeholder in help text, e.g. `BOARD`. */
  readonly meta?: string;
  /** A one-letter alias: `-c` for `--command`. */
  readonly short?: string;
  /** May be given more than once (a value flag): every value is kept, in order. */
  readonly repeat?: boolean;
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  /** Every value of a `repeat` flag, in order (`flags` holds the last). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positional: readonly string[];
  readonly help: boolean;
}

export function parseArgs(args: readonly string[], specs: FlagSpecs): ParsedArgs {
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : Object.keys(specs).find((k) => a === `-${specs[k].short}`);
    const spec = name !== undefined && Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (name === undefined || !spec) throw new UsageError(`unknown option '${a.startsWith('--') ? `--${name}` : a}'`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i];
    if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`option '--${name}' must be one of ${spec.choices.join(', ')} (got '${value}')`);
    }
    flags.set(name, value);
    if (spec.repeat) lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { flags, lists, positional, help };
}

/** The option lines of a command's help text, aligned. */
export function describeFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : ''}--${name}${s.value ? ` ${s.meta ?? 'VALUE'}` : ''}`;
    const choices = s.choices ? ` (${s.choices.join('|')})` : '';
    return [left, `${s.help}${choices}`] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}\n`).join('');
}
