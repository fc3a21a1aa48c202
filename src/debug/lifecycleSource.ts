// The virtual source the debugger shows per remote core: the remote's life cycle as lines, in the
// order the kernel goes through them (rproc_boot → rproc_fw_boot → rproc_start, then the vdevs,
// the rpmsg channels, crash and recovery). Lines come from the firmware itself: one per
// resource-table entry with its decoded summary, one per loaded segment.
import type { ElfFile } from '../core/elf/elfFile';
import type { ResourceTable, RscEntry } from '../core/rsc/types';

/** Where a line belongs: `boot` (or `attach`) runs to running; `run` is life after it. */
export type Section = 'boot' | 'attach' | 'run' | 'crash' | 'stop';

export interface LifecycleLine {
  /** 1-based line number in the source. */
  readonly line: number;
  /** Stable identity the recorder emits: `parse_fw`, `rsc:2`, `load:1`, `vdev:0`, `channel:rpmsg-tty`... */
  readonly key: string;
  readonly text: string;
  /** Kernel functions a function breakpoint may name for this line (the first names its frame). */
  readonly functions: readonly string[];
  /** 1 for a table entry or a segment inside its phase; 0 for phases. */
  readonly depth: 0 | 1;
  readonly section: Section;
}

export type LaunchMode = 'launch' | 'attach';

const PT_LOAD = 1;
const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

const VIRTIO_NAMES: Record<number, string> = { 1: 'net', 2: 'block', 3: 'console', 7: 'rpmsg' };

/** The decoded summary a resource line shows. */
export function entrySummary(e: RscEntry): string {
  switch (e.kind) {
    case 'carveout':
    case 'devmem':
      return `${e.kind} ${e.name}: da ${hex(e.da)}, pa ${hex(e.pa)}, len ${hex(e.len)}`;
    case 'trace':
      return `trace ${e.name}: da ${hex(e.da)}, len ${hex(e.len)}`;
    case 'vdev': {
      const rings = e.vrings.map((v) => `${v.num}@${hex(v.da)}`).join(', ');
      return `vdev id ${e.id} (${VIRTIO_NAMES[e.id] ?? 'virtio'}): ${e.num_of_vrings} vring(s) [${rings}], dfeatures ${hex(e.dfeatures)}`;
    }
    default:
      return `${e.kind} resource type ${e.type}`;
  }
}

function handlerOf(e: RscEntry): string {
  switch (e.kind) {
    case 'carveout':
      return 'rproc_handle_carveout';
    case 'devmem':
      return 'rproc_handle_devmem';
    case 'trace':
      return 'rproc_handle_trace';
    case 'vdev':
      return 'rproc_handle_vdev';
    default:
      return 'rproc_handle_rsc';
  }
}

export interface SourceInput {
  readonly mode: LaunchMode;
  readonly coreName: string;
  readonly firmwareName: string;
  readonly elf: ElfFile;
  /** The decoded table, when the image has one that decodes. */
  readonly table: ResourceTable | undefined;
  /** rpmsg services the firmware announces (their channels get a line each). */
  readonly services: readonly string[];
}

export class LifecycleSource {
  readonly lines: readonly LifecycleLine[];
  private readonly byKey = new Map<string, LifecycleLine>();

  constructor(input: SourceInput) {
    const out: Omit<LifecycleLine, 'line'>[] = [];
    const add = (key: string, text: string, functions: string[], section: Section, depth: 0 | 1 = 0) => out.push({ key, text, functions, depth, section });
    const boot: Section = input.mode === 'attach' ? 'attach' : 'boot';
    const entries = input.table?.entries ?? [];
    const vdevs = entries.filter((e) => e.kind === 'vdev');
    if (input.mode === 'attach') {
      add('attach', `attach to ${input.coreName} (${input.firmwareName})`, ['rproc_attach', 'rproc_boot'], boot);
      add('parse_fw', `read loaded resource table: ${entries.length} entries`, ['rproc_get_loaded_rsc_table', 'rproc_handle_resources'], boot);
    } else {
      add('request_firmware', `request firmware ${input.firmwareName}`, ['request_firmware', 'rproc_boot'], boot);
      add('sanity_check', 'sanity check', ['rproc_fw_sanity_check'], boot);
      add('parse_fw', input.table ? `parse resource table: ${entries.length} entries` : 'parse resource table', ['rproc_parse_fw', 'rproc_elf_load_rsc_table', 'rproc_handle_resources'], boot);
    }
    for (const e of entries) add(`rsc:${e.index}`, `resource ${e.index}: ${entrySummary(e)}`, [handlerOf(e)], boot, 1);
    add('alloc_carveouts', 'allocate carveouts', ['rproc_alloc_registered_carveouts'], boot);
    if (input.mode === 'launch') {
      add('load', 'load segments', ['rproc_load_segments', 'rproc_elf_load_segments'], boot);
      input.elf.programs.forEach((p, i) => {
        if (p.type === PT_LOAD && p.memsz) add(`load:${i}`, `load segment ${i}: da ${hex(p.paddr)}, ${hex(p.filesz)} bytes (memsz ${hex(p.memsz)})`, ['rproc_elf_load_segments'], boot, 1);
      });
      add('start', `start ${input.coreName}`, ['rproc_start'], boot);
    }
    vdevs.forEach((_, i) => add(`vdev:${i}`, `vdev ${i} DRIVER_OK`, ['virtio_device_ready', 'rproc_virtio_set_status', 'rproc_vdev_do_start', 'rproc_start_subdevices'], boot));
    add(input.mode === 'attach' ? 'attached' : 'running', input.mode === 'attach' ? 'attached' : 'running', [input.mode === 'attach' ? 'attached' : 'running'], boot);
    const channels = input.services.length ? input.services : vdevs.length ? ['*'] : [];
    for (const s of channels) add(`channel:${s}`, s === '*' ? 'channel created' : `channel ${s} created`, ['rpmsg_create_channel', 'rpmsg_ns_cb'], 'run');
    add('crash', 'crash', ['rproc_report_crash', 'rproc_crash_handler_work'], 'crash');
    add('recovery', 'recovery', ['rproc_trigger_recovery', 'rproc_boot_recovery'], 'crash');
    if (input.mode === 'attach') add('detach', 'detach', ['rproc_detach'], 'stop');
    add('stop', 'stop', ['rproc_shutdown', 'rproc_stop'], 'stop');
    this.lines = out.map((l, i) => ({ ...l, line: i + 1 }));
    for (const l of this.lines) this.byKey.set(l.key, l);
  }

  /** The line of a key; channels with a name the firmware did not announce go to the first channel line. */
  find(key: string): LifecycleLine | undefined {
    const l = this.byKey.get(key);
    if (l || !key.startsWith('channel:')) return l;
    return this.lines.find((x) => x.key.startsWith('channel:'));
  }

  at(line: number): LifecycleLine | undefined {
    return this.lines[line - 1];
  }

  /** Lines a function breakpoint named `name` stops on: a kernel function, it without `rproc_`, or the line's first word(s). */
  matchFunction(name: string): LifecycleLine[] {
    const n = name.trim();
    if (!n) return [];
    return this.lines.filter((l) => l.functions.includes(n) || l.functions.includes(`rproc_${n}`) || l.text === n || l.text.startsWith(`${n} `) || l.text.startsWith(`${n}:`));
  }

  get text(): string {
    return this.lines.map((l) => `${l.depth ? '    ' : ''}${l.text}\n`).join('');
  }
}
