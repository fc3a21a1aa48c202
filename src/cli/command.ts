// The shape every `ampw` subcommand has, and the helper that gives each one `--help` and strict
// flags for free.
import { FlagSpecs, ParsedArgs, describeFlags, parseArgs } from './args';
import type { CliIO } from './io';

export interface Command {
  readonly name: string;
  /** One line for `ampw --help`. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  /** Exit status: 0 fine, 1 the command's own "no" (e.g. findings), 2 usage or I/O errors. Throws UsageError for bad arguments. */
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  /** Synopsis after `ampw NAME `, e.g. `[--board B] FILE...`. */
  readonly synopsis: string;
  /** Paragraphs after the options: exit status, examples. */
  readonly details?: string;
  readonly flags: FlagSpecs;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export function defineCommand(def: CommandDef): Command {
  const usage =
    `Usage: ampw ${def.name} ${def.synopsis}\n\n${def.summary}\n\nOptions:\n${describeFlags(def.flags)}` + (def.details ? `\n${def.details.trimEnd()}\n` : '');
  return {
    name: def.name,
    summary: def.summary,
    usage,
    async run(args, io) {
      const parsed = parseArgs(args, def.flags);
      if (parsed.help) {
        io.stdout(usage);
        return 0;
      }
      return def.run(parsed, io);
    },
  };
}

/** A flag's value when the spec says it takes one. */
export function flagValue(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Every value a `repeat` flag was given, in order. */
export function flagValues(a: ParsedArgs, name: string): readonly string[] {
  return a.lists.get(name) ?? [];
}
