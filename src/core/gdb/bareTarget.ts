// A bare program on a Cortex-M4 as gdb's target: loaded and run as `ampw run` runs it
// (bareProgram.ts: resets go on, the peripherals' callbacks come in the core's time), with a
// debugger attached, so BKPT halts instead of escalating to HardFault. Resumed, it runs in slices
// of SLICE_CYCLES, so whoever drives it reads its transport (Ctrl-C) between them.
import type { CortexM4 } from '../cpu/armv7m/cortexM4';
import { debugReadBlock, debugWriteBlock } from '../cpu/armv7m/debugAccess';
import { loadBareProgram, runBareSlice, stepBareProgram, type BareProgram, type BareProgramOptions, type BareStop } from '../cpu/bareProgram';
import type { Firmware } from '../remoteproc/firmware';
import type { Board, CoreDesc } from '../soc/board';
import { M4Target, type DebugPointSink } from './m4Target';
import { m4MemoryMap } from './m4MemoryMap';
import { ASLEEP, type GdbTarget, type MemoryRegion, type MonitorCommand, type Resume, type ThreadResumes, type TargetStop } from './target';

/** About 5 ms of the core's work per slice at its usual speed here. */
const SLICE_CYCLES = 500_000;
/** Instructions a range step takes per slice. */
const RANGE_STEPS = 20_000;

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export class BareTarget extends M4Target implements GdbTarget {
  readonly threads: readonly string[];
  readonly monitorCommands: readonly MonitorCommand[];
  private loaded: BareProgram;
  private resumed: { readonly how: Resume; readonly stopped: (stop: TargetStop, thread: number) => void; stepOver: boolean } | undefined;
  private sleeping = false;
  private exit: number | undefined;

  constructor(
    private readonly board: Board,
    private readonly core: CoreDesc,
    private readonly firmware: Firmware,
    private readonly options: BareProgramOptions = {},
  ) {
    super();
    this.loaded = this.load();
    this.threads = [`${core.id} (${core.cpu})`];
    this.monitorCommands = [
      {
        name: 'reset',
        help: "load the program's segments again and reset the core from its vector table (halted there)",
        run: () => {
          this.loaded = this.load();
          this.exit = undefined;
          const s = this.m4.state;
          return `${core.id}: reset, pc ${hex(s.pc)}, sp ${hex(s.r[13])}\n`;
        },
      },
      {
        name: 'cycles',
        help: "the core's virtual time: cycles and instructions since reset",
        run: () => {
          const s = this.m4.state;
          return `${core.id}: ${s.cycles} cycles, ${s.instructions} instructions, ${this.m4.nanoseconds} ns at ${this.m4.clockHz} Hz\n`;
        },
      },
    ];
  }

  /** The program now (monitor reset loads it anew). */
  get program(): BareProgram {
    return this.loaded;
  }

  get m4(): CortexM4 {
    return this.loaded.core;
  }

  get exitCode(): number | undefined {
    return this.exit;
  }

  get idle(): string | undefined {
    return this.resumed !== undefined && this.sleeping ? ASLEEP : undefined;
  }

  /** One core, one thread. */
  selectThread(thread: number): boolean {
    return thread === 1;
  }

  /** Throws BareProgramError when the image does not fit the core (as loadBareProgram). */
  private load(): BareProgram {
    const program = loadBareProgram(this.board, this.core, this.firmware, { ...this.options, debuggerAttached: true });
    this.applyPoints(program.core);
    return program;
  }

  readMemory(addr: number, length: number): Uint8Array {
    return debugReadBlock(this.m4.bus, addr, length);
  }

  writeMemory(addr: number, data: Uint8Array): boolean {
    return debugWriteBlock(this.m4.bus, addr, data);
  }

  protected registerCore(): CortexM4 | undefined {
    return this.m4;
  }

  protected pointSink(): DebugPointSink {
    return this.m4;
  }

  memoryMap(): readonly MemoryRegion[] {
    return m4MemoryMap(this.m4.bus.space, this.core);
  }

  resume(threads: ThreadResumes, stopped: (stop: TargetStop, thread: number) => void): void {
    if (this.exit !== undefined) return stopped({ kind: 'exit', code: this.exit }, 1);
    // the one thread: gdb resumes at least one
    const how = threads[0] ?? { kind: 'continue' };
    this.resumed = { how, stopped, stepOver: true };
    this.sleeping = false;
    if (how.kind === 'step') this.runSlice();
  }

  interrupt(): void {
    if (this.resumed) this.finish({ kind: 'interrupt' });
  }

  runSlice(): void {
    const r = this.resumed;
    if (!r || this.sleeping) return;
    const program = this.loaded;
    if (r.how.kind === 'continue') {
      // The first instruction is stepped, so a breakpoint where the core stands does not hold it.
      if (r.stepOver) {
        r.stepOver = false;
        if (this.settle(stepBareProgram(program))) return;
      }
      this.settle(runBareSlice(program, SLICE_CYCLES));
      return;
    }
    const { start, end } = r.how.kind === 'range' ? r.how : { start: 0, end: 0 };
    for (let n = 0; n < RANGE_STEPS; n++) {
      if (this.settle(stepBareProgram(program))) return;
      const pc = program.core.state.pc;
      if (pc < start || pc >= end) return this.finish({ kind: 'step' });
      const kind = this.breakpointKind(pc);
      if (kind) return this.finish({ kind: 'breakpoint', breakpoint: kind });
    }
  }

  /** Takes the program's stop: true when it ended the resume (or put the core to sleep for good). */
  private settle(stop: BareStop | undefined): boolean {
    if (!stop) return false;
    switch (stop.kind) {
      case 'budget':
        return false;
      case 'sleep':
        this.sleeping = true;
        return true;
      case 'exit':
        this.exit = stop.code ?? 0;
        this.finish({ kind: 'exit', code: this.exit });
        return true;
      case 'breakpoint':
        this.finish({ kind: 'breakpoint', breakpoint: this.breakpointKind(stop.pc) ?? 'software' });
        return true;
      case 'watch': {
        const w = stop.watchpoint;
        // gdb matches the address against its watchpoints' ranges: an access that starts below one is reported at its start
        const addr = w ? Math.max(w.addr, stop.address ?? w.addr) : (stop.address ?? 0);
        this.finish({ kind: 'watch', access: w?.access ?? 'access', addr });
        return true;
      }
      case 'halt':
        this.finish({ kind: 'halt', message: stop.message ?? `halted at ${hex(stop.pc)}` });
        return true;
      case 'fault':
      case 'lockup':
        this.finish({ kind: 'fault', message: stop.message ?? `${stop.kind} at ${hex(stop.pc)}` });
        return true;
    }
  }

  private finish(stop: TargetStop): void {
    const r = this.resumed;
    this.resumed = undefined;
    this.sleeping = false;
    r?.stopped(stop, 1);
  }
}
