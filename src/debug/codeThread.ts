// A remote core's code as a thread of the debug session, free of any protocol: the firmware's
// breakpoints (instructions, C lines, functions, with conditions, hit counts and log messages),
// watchpoints, fault catching and stepping, over the GDB target the core is debugged by. Whoever
// runs the system calls `check` after each piece of running: a stop of the target either becomes
// the thread's stop or (a false condition, a log message, a step not done yet) a resume.
import type { GdbTarget, Resume, TargetStop, WatchAccess } from '../core/gdb/target';
import { RegisterFile } from './coreRegisters';
import { describeCaughtFault, faultHandlers, type FaultFilter } from './faultCatch';

export type CodeStepKind = 'continue' | 'instruction' | 'next' | 'stepIn' | 'stepOut';
export type CodeStopReason = 'step' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'entry';

export interface CodeStop {
  readonly reason: CodeStopReason;
  readonly description: string;
  /** The exception's words (reason 'exception'). */
  readonly text?: string;
  readonly label?: string;
}

/** What a breakpoint at an address does when the core reaches it. */
export interface BreakpointAction {
  readonly kind: 'breakpoint' | 'function breakpoint' | 'instruction breakpoint';
  /** What the stop says ("rpmsg.c:120", "rpmsg_serve"). */
  readonly what: string;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

interface Armed extends BreakpointAction {
  hits: number;
}

export interface DataWatch {
  readonly addr: number;
  readonly length: number;
  readonly access: WatchAccess;
  readonly what: string;
}

/** How the code thread evaluates a condition or a log message's `{expr}` at a stop. */
export interface CodeEvaluator {
  /** The expression's value as a number (for conditions); throws an Error with the reason. */
  value(expr: string): number;
  /** The expression's value as text (for log messages). */
  text(expr: string): string;
}

/** Where the code stands in source terms, for stepping by line (from the debug information). */
export interface CodeLines {
  /** The address range of the line `pc` is on, or undefined where no line is known (step by instruction there). */
  lineRange(pc: number): { start: number; end: number } | undefined;
  /** The source line of `pc` as a key ("rpmsg.c:131"), to tell whether a step left its line. */
  lineKey(pc: number): string | undefined;
  /** The innermost frame's CFA (the SP its caller had at the call) and return address, from the unwinder; undefined where it cannot tell. */
  frame(): { cfa: number; returnAddress: number; interrupt?: boolean } | undefined;
}

type Plan =
  | { readonly kind: 'continue' }
  | { readonly kind: 'instruction' }
  /** Step while in `range`; a frame whose CFA is at or below `sp` (the SP the step began with) is a call made from the line. */
  | { readonly kind: 'line'; readonly into: boolean; readonly range: { start: number; end: number }; readonly sp: number; readonly line: string | undefined }
  /** Run to `to` in the frame whose SP is back at `sp` (not a deeper, recursive call's), then maybe go on stepping. */
  | { readonly kind: 'return'; readonly to: number; readonly sp: number; readonly then?: Plan };

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export class CodeThread {
  readonly regs: RegisterFile;
  private actions = new Map<number, Armed[]>();
  private faults = new Set<FaultFilter>();
  private handlers = new Map<number, number[]>();
  private watches: DataWatch[] = [];
  /** The breakpoints on the target now: what the others ask for, plus a step's return address. */
  private installed = new Set<number>();
  private returnBreak: number | undefined;
  private plan: Plan | undefined;
  private landed: TargetStop | undefined;
  lines: CodeLines | undefined;
  evaluator: CodeEvaluator | undefined;

  constructor(
    readonly target: GdbTarget,
    /** Text a log point prints, without a newline. */
    private readonly log: (text: string) => void,
  ) {
    this.regs = new RegisterFile(target);
  }

  /** The thread is resumed: the system's runs move the core. */
  get resumed(): boolean {
    return this.plan !== undefined;
  }

  get pc(): number {
    return this.regs.read('pc') ?? 0;
  }

  /** Breakpoints or watchpoints are set, or a step is under way: a run goes on for them however quiet the host is. */
  get armed(): boolean {
    return this.actions.size > 0 || this.watches.length > 0 || (this.plan !== undefined && this.plan.kind !== 'continue');
  }

  /** Stops a resumed core where it stands (the session stopped for another reason); its stop is not reported. */
  hold(): void {
    if (!this.plan) return;
    this.plan = undefined;
    this.target.interrupt();
    this.landed = undefined;
    if (this.returnBreak !== undefined) this.setReturnBreak(undefined);
  }

  /** Breakpoints of one kind (line, function or instruction), replacing that kind's earlier set. */
  setBreakpoints(kind: BreakpointAction['kind'], at: readonly { addr: number; action: BreakpointAction }[]): void {
    for (const [addr, list] of this.actions) {
      const keep = list.filter((a) => a.kind !== kind);
      if (keep.length) this.actions.set(addr, keep);
      else this.actions.delete(addr);
    }
    for (const { addr, action } of at) this.actions.set(addr, [...(this.actions.get(addr) ?? []), { ...action, hits: 0 }]);
    this.sync();
  }

  setFaultFilters(filters: readonly FaultFilter[]): void {
    this.faults = new Set(filters);
    this.sync();
  }

  /** Replaces the data breakpoints; false for each the target refused. */
  setWatches(watches: readonly DataWatch[]): boolean[] {
    for (const w of this.watches) this.target.removeWatchpoint(w.addr, w.length, w.access);
    const ok = watches.map((w) => this.target.insertWatchpoint(w.addr, w.length, w.access));
    this.watches = watches.filter((_, i) => ok[i]);
    return ok;
  }

  /** Sets the target's breakpoints to what is asked for now (the vector table may have moved). */
  private sync(): void {
    this.handlers = this.faults.size ? faultHandlers(this.target, this.faults) : new Map();
    const want = new Set<number>([...this.actions.keys(), ...this.handlers.keys()]);
    if (this.returnBreak !== undefined) want.add(this.returnBreak);
    for (const a of this.installed) if (!want.has(a)) this.target.removeBreakpoint(a, 'hardware');
    for (const a of want) if (!this.installed.has(a)) this.target.insertBreakpoint(a, 'hardware');
    this.installed = want;
  }

  /** Starts the core for a step of `kind`; the stop comes out of a later `check`. */
  resume(kind: CodeStepKind): void {
    if (this.plan?.kind === 'continue' && kind === 'continue') return;
    // A step starts from a core that stands still.
    this.hold();
    this.sync();
    this.go(this.planFor(kind));
  }

  private planFor(kind: CodeStepKind): Plan {
    if (kind === 'continue') return { kind: 'continue' };
    const range = kind === 'instruction' ? undefined : this.lines?.lineRange(this.pc);
    if (kind === 'stepOut') {
      const f = this.lines?.frame();
      return f ? { kind: 'return', to: f.returnAddress, sp: f.cfa } : { kind: 'continue' };
    }
    if (!range) return { kind: 'instruction' };
    return { kind: 'line', into: kind === 'stepIn', range, sp: this.regs.read('sp') ?? 0, line: this.lines?.lineKey(this.pc) };
  }

  private go(plan: Plan): void {
    this.plan = plan;
    this.landed = undefined;
    const how: Resume = plan.kind === 'line' ? { kind: 'range', ...plan.range } : plan.kind === 'instruction' ? { kind: 'step' } : { kind: 'continue' };
    if (plan.kind === 'return') this.setReturnBreak(plan.to);
    this.target.resume([how], (stop) => (this.landed = stop));
  }

  private setReturnBreak(addr: number | undefined): void {
    this.returnBreak = addr === undefined ? undefined : (addr & ~1) >>> 0;
    this.sync();
  }

  /** Pause: the core stops at its next slice. */
  pause(): void {
    if (!this.plan) return;
    this.target.interrupt();
  }

  /** After a piece of running: the thread's stop when the target stopped for good, else undefined (still running). */
  check(): CodeStop | undefined {
    const stop = this.landed;
    if (!stop || !this.plan) return undefined;
    this.landed = undefined;
    const plan = this.plan;
    this.plan = undefined;
    const verdict = this.judge(stop, plan);
    if (verdict === 'resume') {
      this.go(plan);
      return undefined;
    }
    if ('next' in verdict) {
      this.go(verdict.next);
      return undefined;
    }
    if (this.returnBreak !== undefined) this.setReturnBreak(undefined);
    return verdict;
  }

  private judge(stop: TargetStop, plan: Plan): CodeStop | 'resume' | { next: Plan } {
    const pc = this.pc;
    switch (stop.kind) {
      case 'interrupt':
        return { reason: 'pause', description: `paused at ${hex8(pc)}` };
      case 'exit':
        return { reason: 'exception', label: 'exit', description: `the firmware called SYS_EXIT with status ${stop.code}`, text: `exit status ${stop.code}` };
      case 'fault':
        return { reason: 'exception', label: 'fault', description: stop.message, text: stop.message };
      case 'halt':
        return { reason: 'exception', label: 'BKPT', description: stop.message, text: stop.message };
      case 'watch': {
        const w = this.watches.find((x) => stop.addr >= x.addr && stop.addr < x.addr + x.length);
        return { reason: 'data breakpoint', description: `${w?.what ?? hex8(stop.addr)}: ${stop.access} at ${hex8(stop.addr)}` };
      }
      case 'breakpoint':
        return this.atBreakpoint(pc, plan);
      case 'step':
        return this.stepped(pc, plan);
    }
  }

  private atBreakpoint(pc: number, plan: Plan): CodeStop | 'resume' | { next: Plan } {
    const caught = this.handlers.get(pc);
    const exc = (this.regs.read('xpsr') ?? 0) & 0x1ff;
    if (caught?.includes(exc)) {
      const f = describeCaughtFault(this.target, this.regs);
      return { reason: 'exception', label: f.label, description: f.text, text: f.text };
    }
    const hit = this.hitActions(pc);
    if (hit) return hit;
    // The return of the frame the step began in, not of a deeper, recursive call reaching the same address.
    if (plan.kind === 'return' && pc === this.returnBreak && (this.regs.read('sp') ?? 0) >= plan.sp) {
      return plan.then ? this.afterReturn(plan.then, pc) : { reason: 'step', description: `returned to ${hex8(pc)}` };
    }
    return 'resume';
  }

  /** The breakpoints at `pc` that want a stop, after their conditions, hit counts and log messages. */
  private hitActions(pc: number): CodeStop | undefined {
    const list = this.actions.get(pc);
    if (!list) return undefined;
    let stop: Armed | undefined;
    for (const a of list) {
      if (a.condition && !this.holds(a.condition, a.what)) continue;
      a.hits++;
      if (a.hitCondition && !hitConditionMet(a.hitCondition, a.hits)) continue;
      if (a.logMessage !== undefined) {
        this.log(this.interpolate(a.logMessage));
        continue;
      }
      stop ??= a;
    }
    if (!stop) return undefined;
    return { reason: stop.kind, description: `${stop.what} (${hex8(pc)})` };
  }

  private holds(condition: string, what: string): boolean {
    try {
      return (this.evaluator?.value(condition) ?? 1) !== 0;
    } catch (e) {
      // A condition that cannot be evaluated stops, as gdb does, and says why.
      this.log(`${what}: condition '${condition}' cannot be evaluated: ${(e as Error).message}`);
      return true;
    }
  }

  private interpolate(message: string): string {
    return message.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
      try {
        return this.evaluator?.text(expr.trim()) ?? `{${expr}}`;
      } catch (e) {
        return `<${(e as Error).message}>`;
      }
    });
  }

  private stepped(pc: number, plan: Plan): CodeStop | { next: Plan } {
    if (plan.kind !== 'line') return { reason: 'step', description: `stepped to ${hex8(pc)}` };
    const f = this.lines?.frame();
    // Left the line into a call: step over runs to its return; step in stops where the line table knows the
    // callee. An interrupt taken meanwhile is run through, as gdb steps over a signal handler.
    if (f && f.cfa <= plan.sp && (!plan.into || f.interrupt || !this.lines?.lineRange(pc))) return { next: { kind: 'return', to: f.returnAddress, sp: f.cfa, then: plan } };
    return this.afterReturn(plan, pc);
  }

  /**
   * Out of the step's range (or back from a call): as gdb does, the step ends at the first
   * instruction of another line; the middle of a line, or more code of the same line (optimised
   * code interleaves lines), goes on.
   */
  private afterReturn(plan: Plan, pc: number): CodeStop | { next: Plan } {
    if (plan.kind === 'line') {
      const range = this.lines?.lineRange(pc);
      if (pc >= plan.range.start && pc < plan.range.end) return { next: plan };
      if (range && (range.start !== pc || (plan.line !== undefined && this.lines?.lineKey(pc) === plan.line))) return { next: { ...plan, range } };
    }
    return { reason: 'step', description: `stepped to ${hex8(pc)}` };
  }
}

/** VS Code's hit condition: `N` or `>= N` (from the Nth hit on), `> N`, `== N`, `% N` (every Nth). */
export function hitConditionMet(condition: string, hits: number): boolean {
  const m = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(condition);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>':
      return hits > n;
    case '==':
    case '=':
      return hits === n;
    case '%':
      return n > 0 && hits % n === 0;
    default:
      return hits >= n;
  }
}
