// The Debug Adapter Protocol face of the life-cycle runtime: requests in, runtime calls, events
// out. Runs inline in VS Code (DebugAdapterInlineImplementation) and over stdio (`ampw dap`).
import {
  Breakpoint,
  DebugSession,
  Handles,
  InitializedEvent,
  InvalidatedEvent,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  Event,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AmpSystem } from '../core/system';
import { Emitter } from '../core/sim/emitter';
import { AmpLaunchArguments, resolveLaunch } from './launchConfig';
import { EXCEPTION_FILTERS, LaunchError, LifecycleRuntime, StepKind, type ThreadKind } from './lifecycleRuntime';
import type { CodeStepKind } from './codeThread';
import { parseRegisterValue, registerNodes } from './coreRegisters';
import { FAULT_FILTERS, type FaultFilter } from './faultCatch';
import { FirmwareSymbols } from './firmwareSymbols';
import { FirmwareSource, type CodeFrame } from './firmwareSource';
import { readVariable, valueNode, variableNodes, type ReadValue, type VariableContext } from './codeVariables';
import { evaluateExpression, toNumber, type ExpressionScope, type ExprValue } from './codeExpression';
import { disassembleAt } from './codeDisassembly';
import { disasmSymbols, type DisasmSymbols } from '../core/cpu/armv7m/disasm/elfSymbols';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { LaunchMode } from './lifecycleSource';
import type { Frame } from './phaseRecorder';
import { scopes, VarNode } from './variables';

/** Source reference of the debugged core's life cycle (one core per session). */
const SOURCE_REF = 1;
/** Largest readMemory answer: the view asks for pages, never for gigabytes. */
const MAX_READ = 1 << 20;
/** A core's code thread id: this plus the rproc's index (life-cycle threads are the index plus 1). */
const CODE_THREAD = 1001;
/** Stack frame ids of the code thread: this plus the frame's level. */
const CODE_FRAME = 1000;
/** How long launch and attach wait for configurationDone before they answer (vscode-mock-debug waits as long). */
const CONFIGURATION_WAIT_MS = 1000;

const FRAME_FUNCTION: Record<Frame, { fn: string; key: string }> = {
  boot: { fn: 'rproc_boot', key: 'request_firmware' },
  attach: { fn: 'rproc_boot (attach)', key: 'attach' },
  recovery: { fn: 'rproc_trigger_recovery', key: 'recovery' },
  run: { fn: 'running', key: 'running' },
  crash: { fn: 'rproc_crash_handler_work', key: 'crash' },
  stop: { fn: 'rproc_shutdown', key: 'stop' },
};

export interface AmpSessionOptions {
  /** Where relative paths in a configuration start when it has no `cwd`. */
  readonly cwd: string;
  /** setImmediate in Node; injected so the runtime stays free of timers. */
  readonly defer?: (fn: () => void) => void;
}

export class AmpDebugSession extends DebugSession {
  private runtime: LifecycleRuntime | undefined;
  private launch: { args: AmpLaunchArguments; mode: LaunchMode } | undefined;
  private configured!: Promise<void>;
  private markConfigured!: () => void;
  private readonly handles = new Handles<() => VarNode[]>();
  private lastException: { label: string; text: string } | undefined;
  private breakpointLines: number[] = [];
  private functionBreakpoints: DebugProtocol.FunctionBreakpoint[] = [];
  private filters: string[] = [...EXCEPTION_FILTERS, ...FAULT_FILTERS].map((f) => f.filter);
  private instructionBreakpoints: DebugProtocol.InstructionBreakpoint[] = [];
  private dataBreakpoints: DebugProtocol.DataBreakpoint[] = [];
  private symbols: FirmwareSymbols | undefined;
  private firmwareSource: FirmwareSource | undefined;
  private disasmNames: DisasmSymbols | undefined;
  /** The code thread's call stack at the current stop; undefined until asked for. */
  private stack: CodeFrame[] | undefined;
  /** The C breakpoints VS Code set, by source path. */
  private readonly sourceBreakpoints = new Map<string, DebugProtocol.SourceBreakpoint[]>();

  constructor(private readonly options: AmpSessionOptions) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((resolve) => (this.markConfigured = resolve));
  }

  /**
   * What faces that follow the session (an RPMsg terminal on its system) hear: a slice of virtual
   * time ran, or a restart replaced the system.
   */
  readonly simulation = new Emitter<'ran' | 'replaced'>();

  /** The simulated system of the launched firmware: VS Code's Remote Processors tree shows it while the session lasts. */
  get system(): AmpSystem | undefined {
    return this.runtime?.system;
  }

  /** A run is under way (continue, a step): the system runs until the session stops again. */
  get running(): boolean {
    return this.runtime?.running ?? false;
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsSetVariable: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsBreakpointLocationsRequest: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['/'],
      supportsInstructionBreakpoints: true,
      supportsDisassembleRequest: true,
      supportsDataBreakpoints: true,
      supportsSteppingGranularity: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      exceptionBreakpointFilters: [
        ...EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: true })),
        ...FAULT_FILTERS.map((f) => ({ filter: f.filter, label: `${f.label} (firmware)`, description: f.description, default: true })),
      ],
    };
    this.sendResponse(response);
  }

  protected launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    return this.begin(response, args as AmpLaunchArguments, 'launch');
  }

  protected attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    return this.begin(response, args as AmpLaunchArguments, 'attach');
  }

  private async begin(response: DebugProtocol.Response, args: AmpLaunchArguments, mode: LaunchMode): Promise<void> {
    let stopOnEntry: boolean;
    try {
      stopOnEntry = this.createRuntime(args, mode);
    } catch (e) {
      return this.fail(response, e);
    }
    this.sendEvent(new InitializedEvent());
    // A client may await this answer before it sends configurationDone: answer after a short wait
    // at most, but boot only once configured, so breakpoints set in either order are honoured.
    await this.configuredOrTimeout();
    this.sendResponse(response);
    await this.configured;
    this.go(stopOnEntry || mode === 'attach');
  }

  private configuredOrTimeout(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CONFIGURATION_WAIT_MS)));
    return Promise.race([this.configured, waited]).finally(() => clearTimeout(timer));
  }

  private createRuntime(args: AmpLaunchArguments, mode: LaunchMode): boolean {
    const resolved = resolveLaunch(args, mode, this.options.cwd);
    const defer = this.options.defer ?? ((fn: () => void) => setImmediate(fn));
    const rt = new LifecycleRuntime({ ...resolved.options, defer, clock: () => performance.now() });
    const replaced = this.runtime !== undefined;
    this.runtime?.dispose();
    this.runtime = rt;
    if (replaced) this.simulation.emit('replaced');
    this.symbols = new FirmwareSymbols(rt.elf);
    this.firmwareSource = new FirmwareSource(rt.elf, rt.programPath);
    this.disasmNames = undefined;
    if (rt.code) {
      const src = this.firmwareSource;
      rt.code.lines = {
        lineRange: (pc) => src.lineRange(pc),
        lineKey: (pc) => {
          const l = src.lineAt(pc);
          return l && `${l.path}:${l.line}`;
        },
        frame: () => this.innermostFrame(rt),
      };
      rt.code.evaluator = {
        value: (e) => toNumber(this.evaluateCode(rt, e, 0), this.expressionScope(rt, 0)),
        text: (e) => this.valueText(rt, this.evaluateCode(rt, e, 0)),
      };
    }
    this.applyExceptionFilters(rt);
    this.launch = { args, mode };
    rt.events.on((e) => {
      if (e.kind === 'output') this.sendEvent(new OutputEvent(e.text, e.category));
      else if (e.kind === 'state') this.sendEvent(new Event('amp/state', this.stateBody(rt)));
      else if (e.kind === 'ran') this.simulation.emit('ran');
      else {
        this.handles.reset();
        this.stack = undefined;
        const label = e.label ?? EXCEPTION_FILTERS.find((f) => f.filter === e.filter)?.label ?? 'exception';
        this.lastException = e.reason === 'exception' ? { label, text: e.text ?? e.description } : undefined;
        const thread = e.thread === 'code' ? this.codeThreadId(rt) : this.threadId(rt);
        const ev = new StoppedEvent(e.reason, thread, e.reason === 'exception' ? e.text : undefined) as DebugProtocol.StoppedEvent;
        ev.body.description = e.description;
        ev.body.allThreadsStopped = true;
        this.sendEvent(ev);
      }
    });
    return resolved.stopOnEntry;
  }

  private go(stopOnEntry: boolean): void {
    const rt = this.runtime!;
    if (stopOnEntry) rt.entry();
    else rt.run('continue');
  }

  private stateBody(rt: LifecycleRuntime) {
    const p = rt.position;
    return { rproc: rt.rproc.devName, core: rt.rproc.core.id, name: rt.rproc.name, state: p.capture.core.state, line: p.line.line, phase: p.line.text, frame: p.frame, timeNs: p.capture.timeNs, live: rt.live };
  }

  private fail(response: DebugProtocol.Response, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.sendErrorResponse(response, { id: 1001, format: message.replace(/\{/g, '{{').replace(/\}/g, '}}'), showUser: true });
  }

  private rt(response: DebugProtocol.Response): LifecycleRuntime | undefined {
    if (!this.runtime) this.sendErrorResponse(response, { id: 1002, format: 'no firmware launched yet', showUser: false });
    return this.runtime;
  }

  private threadId(rt: LifecycleRuntime): number {
    return rt.rproc.index + 1;
  }

  private codeThreadId(rt: LifecycleRuntime): number {
    return CODE_THREAD + rt.rproc.index;
  }

  /** Which of the session's threads a request names; the life cycle's for any other. */
  private threadKind(rt: LifecycleRuntime, threadId: number | undefined): ThreadKind {
    return rt.code && threadId === this.codeThreadId(rt) ? 'code' : 'lifecycle';
  }

  /** A memory reference into the core's own address space (device addresses): "m4:0x10000000". */
  private coreReference(rt: LifecycleRuntime, addr: number): string {
    return `${rt.rproc.core.id}:0x${(addr >>> 0).toString(16).padStart(8, '0')}`;
  }

  private source(rt: LifecycleRuntime): Source {
    const s = new Source(`${rt.rproc.devName} ${rt.rproc.name} life cycle`, `${rt.system.board.id}-${rt.rproc.devName}-${rt.rproc.core.id}.amplc`, SOURCE_REF) as DebugProtocol.Source;
    s.adapterData = { rproc: rt.rproc.devName };
    s.presentationHint = 'emphasize';
    return s as Source;
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.markConfigured();
  }

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const specs = args.breakpoints ?? args.lines?.map((line) => ({ line })) ?? [];
    const lines = specs.map((b) => b.line);
    const file = args.source.path;
    if (file && !file.endsWith('.amplc') && args.source.sourceReference !== SOURCE_REF) {
      // VS Code sends every source's breakpoints to every session: the firmware's C files are the code thread's.
      this.sourceBreakpoints.set(file, specs);
      response.body = { breakpoints: this.applySourceBreakpoints(rt).get(file) ?? [] };
      this.sendResponse(response);
      return;
    }
    if (args.source.sourceReference !== SOURCE_REF && !file?.endsWith('.amplc')) {
      response.body = { breakpoints: lines.map((line) => ({ verified: false, line, message: 'an amp session stops on its life-cycle source and the firmware\'s C files only' })) };
      this.sendResponse(response);
      return;
    }
    this.breakpointLines = lines;
    const set = rt.setLineBreakpoints(this.breakpointLines);
    response.body = {
      breakpoints: set.map((b) => {
        const bp = new Breakpoint(b.verified, b.line, 1, this.source(rt)) as DebugProtocol.Breakpoint;
        if (b.message) bp.message = b.message;
        return bp;
      }),
    };
    this.sendResponse(response);
  }

  /** Every C breakpoint to addresses through the line table; the answer for each file, in the order set. */
  private applySourceBreakpoints(rt: LifecycleRuntime): Map<string, DebugProtocol.Breakpoint[]> {
    const src = this.firmwareSource!;
    const at: Parameters<NonNullable<LifecycleRuntime['code']>['setBreakpoints']>[1][number][] = [];
    const out = new Map<string, DebugProtocol.Breakpoint[]>();
    for (const [given, specs] of this.sourceBreakpoints) {
      const file = localPath(given);
      const name = path.basename(file);
      out.set(given, specs.map((b): DebugProtocol.Breakpoint => {
        const why = !rt.code ? `${rt.rproc.name} runs no firmware code here: ${rt.rproc.core.cpu} is not modelled, or a stand-in runs` : !src.debug ? src.problem! : !src.covers(file) ? `${file} is not a source of ${path.basename(rt.programPath)} (its C files: ${src.files().filter((f) => f.endsWith('.c')).join(', ')})` : undefined;
        if (why) return { verified: false, line: b.line, message: why };
        const p = src.places(file, b.line);
        if (!p.addresses.length) return { verified: false, line: b.line, message: `no code on or after line ${b.line} of ${name}` };
        for (const addr of p.addresses) at.push({ addr, action: { kind: 'breakpoint', what: `${name}:${p.line}`, condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage } });
        const bp = new Breakpoint(true, p.line, undefined, new Source(name, file)) as DebugProtocol.Breakpoint;
        bp.instructionReference = this.coreReference(rt, p.addresses[0]);
        return bp;
      }));
    }
    rt.code?.setBreakpoints('breakpoint', at);
    return out;
  }

  protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const end = args.endLine ?? args.line;
    response.body = { breakpoints: rt.source.lines.filter((l) => l.line >= args.line && l.line <= end).map((l) => ({ line: l.line })) };
    this.sendResponse(response);
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    this.functionBreakpoints = args.breakpoints;
    response.body = { breakpoints: this.applyFunctionBreakpoints(rt) };
    this.sendResponse(response);
  }

  /** A name the life cycle runs stops the life cycle; any other name of a firmware function stops its code. */
  private applyFunctionBreakpoints(rt: LifecycleRuntime): DebugProtocol.Breakpoint[] {
    const set = rt.setFunctionBreakpoints(this.functionBreakpoints.map((b) => b.name));
    const known = [...new Set(rt.source.lines.map((l) => l.functions[0]))].join(', ');
    const code: Parameters<NonNullable<LifecycleRuntime['code']>['setBreakpoints']>[1][number][] = [];
    const out = set.map((b, i): DebugProtocol.Breakpoint => {
      if (b.lines.length) return new Breakpoint(true, b.lines[0].line, 1, this.source(rt));
      const spec = this.functionBreakpoints[i];
      // Past the prologue where the debug information says where it ends (gdb's choice), else at the entry.
      const fn = rt.code && this.symbols!.find(b.name);
      const places = rt.code ? this.firmwareSource!.functionPlaces(b.name) : [];
      const addrs = places.length ? places : fn ? [fn.addr] : [];
      if (addrs.length) {
        for (const addr of addrs) code.push({ addr, action: { kind: 'function breakpoint', what: b.name, condition: spec.condition, hitCondition: spec.hitCondition } });
        const at = this.firmwareSource!.lineAt(addrs[0]);
        const bp = (at ? new Breakpoint(true, at.line, undefined, new Source(path.basename(at.path), at.path)) : new Breakpoint(true)) as DebugProtocol.Breakpoint;
        bp.instructionReference = this.coreReference(rt, addrs[0]);
        return bp;
      }
      const bp = new Breakpoint(false) as DebugProtocol.Breakpoint;
      bp.message = `no life-cycle step runs '${b.name}' (known: ${known})${rt.code ? ' and the firmware has no function of that name' : ''}`;
      return bp;
    });
    rt.code?.setBreakpoints('function breakpoint', code);
    return out;
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.filters = args.filters;
    if (this.runtime) this.applyExceptionFilters(this.runtime);
    this.sendResponse(response);
  }

  private applyExceptionFilters(rt: LifecycleRuntime): void {
    rt.setExceptionFilters(this.filters);
    rt.code?.setFaultFilters(this.filters.filter((f): f is FaultFilter => FAULT_FILTERS.some((x) => x.filter === f)));
  }

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const none = (why: string) => {
      response.body = { dataId: null, description: why };
      this.sendResponse(response);
    };
    const debug = this.firmwareSource?.debug;
    if (!rt.code || !debug) return none(rt.code ? this.firmwareSource!.problem! : `${rt.rproc.name} runs no firmware code here`);
    // A global by name (the Globals scope), or an expression naming memory (a watch such as
    // `to_host.used->idx`, evaluated in the frame given while the core is halted): its address and size.
    const global = debug.globals().find((v) => v.name === args.name);
    let r: ReadValue | undefined;
    try {
      if (global) r = readVariable(this.variableContext(rt), global, undefined, true);
      else if (rt.codeRuns) {
        const v = this.evaluateCode(rt, args.name, args.frameId !== undefined && args.frameId >= CODE_FRAME ? args.frameId - CODE_FRAME : 0);
        if (v.kind === 'typed') r = v.value;
      }
    } catch (e) {
      return none((e as Error).message);
    }
    const size = r?.type && debug.types.sizeOf(r.type);
    if (!size || r?.address === undefined) return none(`${args.name} is not a global or an expression in memory: data breakpoints watch the firmware's memory`);
    response.body = { dataId: `${rt.rproc.core.id}:0x${r.address.toString(16)}:${size}:${args.name}`, description: `${args.name} (${size} bytes at 0x${r.address.toString(16)})`, accessTypes: ['write', 'read', 'readWrite'], canPersist: true };
    this.sendResponse(response);
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    this.dataBreakpoints = args.breakpoints;
    response.body = { breakpoints: this.applyDataBreakpoints(rt) };
    this.sendResponse(response);
  }

  private applyDataBreakpoints(rt: LifecycleRuntime): DebugProtocol.Breakpoint[] {
    const watches = this.dataBreakpoints.map((b) => {
      const m = /^([^:]+):0x([0-9a-f]+):(\d+)(?::(.+))?$/.exec(b.dataId);
      if (!m || m[1] !== rt.rproc.core.id) return undefined;
      const access = b.accessType === 'read' ? 'read' : b.accessType === 'readWrite' ? 'access' : 'write';
      // the name the breakpoint was made from (a dataId persisted before names were kept has none)
      return { addr: parseInt(m[2], 16), length: Number(m[3]), access, what: m[4] ?? `0x${m[2]}` } as const;
    });
    const ok = rt.code?.setWatches(watches.filter((w) => w !== undefined)) ?? [];
    let k = 0;
    return watches.map((w) => (w && ok[k++] ? { verified: true, message: w.what } : { verified: false, message: w ? 'the core refused the watchpoint' : 'not a data breakpoint of this core' }));
  }

  protected setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    this.instructionBreakpoints = args.breakpoints;
    response.body = { breakpoints: this.applyInstructionBreakpoints(rt) };
    this.sendResponse(response);
  }

  private applyInstructionBreakpoints(rt: LifecycleRuntime): DebugProtocol.Breakpoint[] {
    const at: Parameters<NonNullable<LifecycleRuntime['code']>['setBreakpoints']>[1][number][] = [];
    const out = this.instructionBreakpoints.map((b): DebugProtocol.Breakpoint => {
      const base = parseCodeReference(b.instructionReference, rt.rproc.core.id);
      if (!rt.code) return { verified: false, message: `${rt.rproc.name} runs no firmware code here: ${rt.rproc.core.cpu} is not modelled, or a stand-in runs` };
      if (base === undefined) return { verified: false, message: `bad instruction reference '${b.instructionReference}'` };
      const addr = (base + (b.offset ?? 0)) >>> 0;
      at.push({ addr, action: { kind: 'instruction breakpoint', what: this.symbols!.describe(addr), condition: b.condition, hitCondition: b.hitCondition } });
      return { verified: true, instructionReference: this.coreReference(rt, addr) };
    });
    rt.code?.setBreakpoints('instruction breakpoint', at);
    return out;
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.lastException;
    response.body = { exceptionId: e?.label ?? 'none', description: e?.text ?? 'no exception', breakMode: 'always' };
    this.sendResponse(response);
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const rt = this.runtime;
    const threads = rt ? rt.system.rprocs.map((r) => new Thread(r.index + 1, `${r.devName} (${r.name})`)) : [];
    if (rt?.code) threads.push(new Thread(this.codeThreadId(rt), `${rt.rproc.core.id} code (${rt.rproc.core.cpu})`));
    response.body = { threads };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const frames: StackFrame[] = [];
    const other = rt.system.rprocs[args.threadId - 1];
    if (this.threadKind(rt, args.threadId) === 'code') {
      frames.push(...this.codeFrames(rt));
    } else if (args.threadId !== this.threadId(rt)) {
      if (other) frames.push(this.label(100 + other.index, `${other.devName} (${other.name}): ${other.state}`));
    } else {
      const p = rt.position;
      const src = this.source(rt);
      frames.push(new StackFrame(1, p.line.functions[0], src, p.line.line, 1));
      if (p.line.depth === 1) {
        const parent = [...rt.source.lines].reverse().find((l) => l.line < p.line.line && l.depth === 0);
        if (parent) frames.push(new StackFrame(2, parent.functions[0], src, parent.line, 1));
      }
      const f = FRAME_FUNCTION[p.frame];
      const at = rt.source.find(f.key) ?? rt.source.find('attached');
      if (at && at.line !== p.line.line && at.line !== frames[frames.length - 1].line) frames.push(new StackFrame(3, f.fn, src, at.line, 1));
      frames.push(this.label(4, `${rt.rproc.devName} (${rt.rproc.name}): ${p.capture.core.state}`));
    }
    const start = args.startFrame ?? 0;
    const count = args.levels || frames.length;
    response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
    this.sendResponse(response);
  }

  /** The code thread's frames: the call stack from the unwinder, or where the core stands without debug information. */
  private codeFrames(rt: LifecycleRuntime): StackFrame[] {
    if (!rt.codeRuns) return [this.label(CODE_FRAME, rt.codeState)];
    const stack = this.codeStack(rt);
    if (stack.length === 0) {
      const pc = rt.code!.pc;
      const f = new StackFrame(CODE_FRAME, this.symbols!.describe(pc)) as DebugProtocol.StackFrame;
      f.instructionPointerReference = this.coreReference(rt, pc);
      return [f as StackFrame];
    }
    return stack.map((c, level) => {
      const f = (c.source ? new StackFrame(CODE_FRAME + level, c.name, new Source(path.basename(c.source.path), c.source.path), c.source.line, c.source.column) : new StackFrame(CODE_FRAME + level, c.name)) as DebugProtocol.StackFrame;
      if (c.info.frame.kind === 'exception') f.presentationHint = 'label';
      else f.instructionPointerReference = this.coreReference(rt, c.info.frame.pc);
      if (c.info.frame.kind === 'code' && !c.source) f.presentationHint = 'subtle';
      return f as StackFrame;
    });
  }

  /** The call stack of the core at this stop (read once per stop). */
  private codeStack(rt: LifecycleRuntime): CodeFrame[] {
    if (!this.stack) this.stack = rt.code && rt.codeRuns ? this.firmwareSource!.stack(rt.code.regs, this.coreMemory(rt)) : [];
    return this.stack;
  }

  private coreMemory(rt: LifecycleRuntime): (addr: number, size: number) => Uint8Array | undefined {
    const target = rt.code!.target;
    return (addr, size) => {
      const b = target.readMemory(addr >>> 0, size);
      return b.length ? b : undefined;
    };
  }

  /** The innermost frame for a step, from the unwinder; at a function's first instruction LR and SP say it without one. */
  private innermostFrame(rt: LifecycleRuntime): { cfa: number; returnAddress: number; interrupt?: boolean } | undefined {
    const regs = rt.code!.regs;
    const frames = this.firmwareSource!.stack(regs, this.coreMemory(rt), 3);
    const cfa = frames[0]?.info.frame.cfa;
    // An exception handler returns to the instruction it interrupted, the frame below its entry.
    if (cfa !== undefined && frames[1]?.info.frame.kind === 'exception') return frames[2] && { cfa, returnAddress: frames[2].info.frame.pc, interrupt: true };
    if (cfa !== undefined && frames[1]) return { cfa, returnAddress: frames[1].info.frame.pc };
    const pc = regs.read('pc') ?? 0;
    if (this.symbols!.at(pc)?.offset !== 0) return undefined;
    return { cfa: regs.read('sp') ?? 0, returnAddress: (regs.read('lr') ?? 0) & ~1 };
  }

  private label(id: number, name: string): StackFrame {
    const f = new StackFrame(id, name) as DebugProtocol.StackFrame;
    f.presentationHint = 'label';
    return f as StackFrame;
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    if (args.frameId >= CODE_FRAME) {
      response.body = { scopes: this.codeScopes(rt, args.frameId - CODE_FRAME) };
      this.sendResponse(response);
      return;
    }
    response.body = { scopes: scopes(rt.position.capture, rt.rproc.core).map((s) => new Scope(s.name, this.handles.create(s.children), s.expensive ?? false)) };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const children = this.handles.get(args.variablesReference);
    const nodes = children ? children() : [];
    const start = args.start ?? 0;
    const slice = args.count ? nodes.slice(start, start + args.count) : nodes.slice(start);
    response.body = { variables: slice.map((n) => this.variable(n)) };
    this.sendResponse(response);
  }

  private variable(n: VarNode): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: n.name, value: n.value, variablesReference: n.children ? this.handles.create(n.children) : 0 };
    if (n.memoryReference) v.memoryReference = n.memoryReference;
    if (n.type) v.type = n.type;
    if (!n.attribute && !n.register) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const node = (this.handles.get(args.variablesReference)?.() ?? []).find((n) => n.name === args.name);
    if (node?.register && rt.code) return this.setRegister(response, rt, node.register, args.value);
    if (!node?.attribute) {
      this.sendErrorResponse(response, { id: 1003, format: `'${args.name}' is not something the kernel lets a user change (writable: recovery, coredump, firmware)`, showUser: true });
      return;
    }
    try {
      rt.writeAttribute(node.attribute, args.value.replace(/^["']|["']$/g, ''));
    } catch (e) {
      return this.fail(response, e);
    }
    const now = scopes(rt.position.capture, rt.rproc.core)[0].children().find((n) => n.name === args.name);
    response.body = { value: now?.value ?? args.value };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  private codeScopes(rt: LifecycleRuntime, level: number): Scope[] {
    const code = rt.code;
    if (!code || !rt.codeRuns) return [];
    const out = [new Scope('Registers', this.handles.create(() => registerNodes(code.regs)), false)];
    const debug = this.firmwareSource!.debug;
    const frame = this.codeStack(rt)[level];
    if (!debug) return out;
    const ctx = this.variableContext(rt);
    if (frame && frame.info.frame.kind === 'code') out.unshift(new Scope('Locals', this.handles.create(() => variableNodes(ctx, debug.locals(frame.info.frame, frame.exact), frame.info.frame, frame.exact)), false));
    out.push(new Scope('Globals', this.handles.create(() => variableNodes(ctx, debug.globals(), undefined, true)), true));
    return out;
  }

  /** What an expression in frame `level` of the code thread reads: its locals, the globals, the registers. */
  private expressionScope(rt: LifecycleRuntime, level: number): ExpressionScope {
    const code = rt.code!;
    const debug = this.firmwareSource!.debug;
    const ctx = debug && this.variableContext(rt);
    const frame = level === 0 ? this.firmwareSource!.stack(code.regs, this.coreMemory(rt), 1)[0] : this.codeStack(rt)[level];
    return {
      ctx,
      regs: code.regs,
      variable: (name) => {
        if (!debug || !ctx) return undefined;
        const f = frame?.info.frame.kind === 'code' ? frame : undefined;
        const local = f && debug.locals(f.info.frame, f.exact).find((v) => v.name === name);
        if (local && f) return readVariable(ctx, local, f.info.frame, f.exact);
        const global = debug.globals().find((v) => v.name === name);
        return global && readVariable(ctx, global, undefined, true);
      },
    };
  }

  private evaluateCode(rt: LifecycleRuntime, expression: string, level: number): ExprValue {
    return evaluateExpression(expression, this.expressionScope(rt, level));
  }

  private valueText(rt: LifecycleRuntime, v: ExprValue): string {
    if (v.kind === 'number') return String(v.value);
    const debug = this.firmwareSource!.debug!;
    return v.value.bytes ? debug.types.format(v.value.type, v.value.bytes, debug.sections.little, this.coreMemory(rt)) : '<optimized out>';
  }

  private variableContext(rt: LifecycleRuntime): VariableContext {
    return { debug: this.firmwareSource!.debug!, memory: this.coreMemory(rt), reference: (a) => this.coreReference(rt, a) };
  }

  private setRegister(response: DebugProtocol.SetVariableResponse, rt: LifecycleRuntime, name: string, text: string): void {
    const code = rt.code!;
    const v = parseRegisterValue(name, text);
    if (v === undefined || !code.regs.write(name, v)) {
      this.sendErrorResponse(response, { id: 1006, format: `cannot set ${name} to '${text}' (a number: decimal or 0x hex${/^s\d/.test(name) ? ', or a float' : ''})`, showUser: true });
      return;
    }
    const now = registerNodes(code.regs).flatMap((n) => [n, ...(n.name === 'FPU' ? n.children!() : [])]).find((n) => n.register === name);
    response.body = { value: now?.value ?? text };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables', 'stacks']));
  }

  protected disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const base = parseCodeReference(args.memoryReference, rt.rproc.core.id) ?? parseReference(args.memoryReference);
    if (!rt.code || base === undefined) {
      this.sendErrorResponse(response, { id: 1007, format: rt.code ? `bad memory reference '${args.memoryReference}'` : `${rt.rproc.name} runs no firmware code here to disassemble`, showUser: true });
      return;
    }
    const target = rt.code.target;
    this.disasmNames ??= disasmSymbols(rt.elf);
    const ctx = { read: (a: number, n: number) => target.readMemory(a >>> 0, n), names: this.disasmNames, symbols: this.symbols!, source: this.firmwareSource! };
    response.body = { instructions: disassembleAt(ctx, (base + (args.offset ?? 0)) >>> 0, args.instructionOffset ?? 0, Math.max(0, Math.min(args.instructionCount, 4096))) };
    this.sendResponse(response);
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const count = Math.max(0, Math.min(args.count, MAX_READ));
    const da = parseCodeReference(args.memoryReference, rt.rproc.core.id);
    if (da !== undefined && rt.code) {
      const addr = (da + (args.offset ?? 0)) >>> 0;
      const bytes = rt.code.target.readMemory(addr, count);
      response.body = { address: this.coreReference(rt, addr), data: Buffer.from(bytes).toString('base64'), unreadableBytes: args.count - bytes.length };
      this.sendResponse(response);
      return;
    }
    const base = parseReference(args.memoryReference);
    if (base === undefined) {
      this.sendErrorResponse(response, { id: 1004, format: `bad memory reference '${args.memoryReference}' (expected a physical address such as 0x10040000, or ${rt.rproc.core.id}:0x... for the core's own view)`, showUser: true });
      return;
    }
    const pa = base + (args.offset ?? 0);
    const data = rt.readMemory(pa, count);
    response.body = { address: `0x${pa.toString(16)}`, data: Buffer.from(data).toString('base64'), unreadableBytes: args.count - data.length };
    this.sendResponse(response);
  }

  protected writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    const da = parseCodeReference(args.memoryReference, rt.rproc.core.id);
    if (da !== undefined && rt.code) {
      const addr = (da + (args.offset ?? 0)) >>> 0;
      const data = new Uint8Array(Buffer.from(args.data, 'base64'));
      if (!rt.code.target.writeMemory(addr, data)) return this.fail(response, new Error(`${rt.rproc.core.id} cannot write ${data.length} bytes at 0x${addr.toString(16)}`));
      response.body = { bytesWritten: data.length };
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['variables']));
      return;
    }
    const base = parseReference(args.memoryReference);
    if (base === undefined) {
      this.sendErrorResponse(response, { id: 1004, format: `bad memory reference '${args.memoryReference}'`, showUser: true });
      return;
    }
    try {
      response.body = { bytesWritten: rt.writeMemory(base + (args.offset ?? 0), new Uint8Array(Buffer.from(args.data, 'base64'))) };
    } catch (e) {
      return this.fail(response, e);
    }
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    if ((args.context === 'watch' || args.context === 'hover') && rt.code && args.frameId !== undefined && args.frameId >= CODE_FRAME) {
      if (!rt.codeRuns) return this.sendErrorResponse(response, { id: 1005, format: rt.codeState, showUser: false });
      try {
        const v = this.evaluateCode(rt, args.expression, args.frameId - CODE_FRAME);
        const debug = this.firmwareSource!.debug;
        const node = v.kind === 'typed' && debug ? valueNode(this.variableContext(rt), args.expression, debug.types.name(v.value.type), this.valueText(rt, v), v.value) : undefined;
        response.body = { result: this.valueText(rt, v), type: node?.type, variablesReference: node?.children ? this.handles.create(node.children) : 0, memoryReference: node?.memoryReference };
      } catch (e) {
        // Bad DWARF or memory that cannot be read is an answer too, never a crash.
        return this.sendErrorResponse(response, { id: 1005, format: (e as Error).message.replace(/\{/g, '{{').replace(/\}/g, '}}'), showUser: false });
      }
      this.sendResponse(response);
      return;
    }
    if (args.context === 'watch' || args.context === 'hover') {
      const hit = scopes(rt.position.capture, rt.rproc.core).flatMap((s) => s.children()).find((n) => n.name === args.expression.trim());
      if (!hit) {
        this.sendErrorResponse(response, { id: 1005, format: `not a processor variable: ${args.expression}`, showUser: false });
        return;
      }
      response.body = { result: hit.value, variablesReference: hit.children ? this.handles.create(hit.children) : 0, memoryReference: hit.memoryReference };
      this.sendResponse(response);
      return;
    }
    const { output, status } = rt.evaluate(args.expression);
    const text = output.replace(/\n$/, '');
    response.body = { result: status ? `${text}${text ? '\n' : ''}[exit status ${status}]` : text, variablesReference: 0 };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const rt = this.rt(response);
    if (!rt) return;
    // DAP columns start at 1 here; the runtime counts from 0.
    const c = rt.complete(args.text, args.column - 1);
    const length = args.column - 1 - c.start;
    response.body = { targets: c.items.map((label) => ({ label, start: c.start + 1, length, type: (label.endsWith('/') ? 'folder' : 'file') as DebugProtocol.CompletionItemType })) };
    this.sendResponse(response);
  }

  protected sourceRequest(response: DebugProtocol.SourceResponse): void {
    const rt = this.rt(response);
    if (!rt) return;
    response.body = { content: rt.source.text, mimeType: 'text/x-amp-lifecycle' };
    this.sendResponse(response);
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    this.step(response, 'continue', args.threadId);
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(response, 'next', args.threadId, args.granularity);
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.step(response, 'stepIn', args.threadId, args.granularity);
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.step(response, 'stepOut', args.threadId, args.granularity);
  }

  private step(response: DebugProtocol.Response, kind: StepKind, threadId: number, granularity?: DebugProtocol.SteppingGranularity): void {
    const rt = this.rt(response);
    if (!rt) return;
    const on = this.threadKind(rt, threadId);
    if (kind === 'continue') (response as DebugProtocol.ContinueResponse).body = { allThreadsContinued: rt.resumesCode(on) };
    this.sendResponse(response);
    rt.run(kind, on, on === 'code' ? codeStep(kind, granularity) : 'continue');
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    const rt = this.runtime;
    rt?.pause(this.threadKind(rt, args.threadId));
    this.sendResponse(response);
  }

  protected restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    const prev = this.launch;
    if (!prev) return this.fail(response, new LaunchError('nothing to restart: no launch yet'));
    const args2 = (args?.arguments as AmpLaunchArguments | undefined) ?? prev.args;
    let stopOnEntry: boolean;
    try {
      stopOnEntry = this.createRuntime(args2, prev.mode);
    } catch (e) {
      return this.fail(response, e);
    }
    const rt = this.runtime!;
    rt.setLineBreakpoints(this.breakpointLines);
    this.applyFunctionBreakpoints(rt);
    this.applyExceptionFilters(rt);
    this.applyInstructionBreakpoints(rt);
    this.applySourceBreakpoints(rt);
    this.applyDataBreakpoints(rt);
    this.sendResponse(response);
    this.go(stopOnEntry || prev.mode === 'attach');
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.dispose();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.runtime?.dispose();
    this.runtime = undefined;
    this.sendResponse(response);
  }
}

/**
 * A source path as a path of this machine: VS Code in a browser (code-server) names the files of
 * the machine the extension host runs on with a scheme (`vscode-local:/...`, `file:///...`).
 */
function localPath(p: string): string {
  if (/^file:\/\//i.test(p)) return fileURLToPath(p);
  const m = /^[a-z][\w+.-]*:(\/.*)$/i.exec(p);
  return m && !/^[a-z]:[\\/]/i.test(p) ? m[1] : p;
}

/** A DAP step on the code thread: by instruction when the client asks for that granularity. */
function codeStep(kind: StepKind, granularity: DebugProtocol.SteppingGranularity | undefined): CodeStepKind {
  if (kind === 'continue') return 'continue';
  if (granularity === 'instruction' && kind !== 'stepOut') return 'instruction';
  return kind;
}

/** The address of a reference into core `core`'s own view ("m4:0x10000000"), else undefined. */
function parseCodeReference(ref: string, core: string): number | undefined {
  const m = /^([^:]+):(?:0x)?([0-9a-f]{1,8})$/i.exec(ref.trim());
  return m && m[1] === core ? parseInt(m[2], 16) : undefined;
}

function parseReference(ref: string): number | undefined {
  const m = /^(?:0x)?([0-9a-f]{1,8})$/i.exec(ref.trim());
  return m ? parseInt(m[1], 16) : undefined;
}
