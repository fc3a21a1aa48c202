// What the "Remote Processors" tree shows, without vscode: the nodes (one per core, with what runs
// on it, its carveouts, trace buffers, vdevs and their vrings, rpmsg channels and endpoints) and
// each node's row (label, description, tooltip, icon), read from core's snapshot. Node ids stay the same
// across re-reads, so VS Code keeps expansion and selection. processorsTree.ts makes TreeItems of it.
import type { CoreSnapshot, ExecutionSnapshot, VdevSnapshot, AmpSystem } from '../core/system';
import type { RpmsgBusSnapshot as BusView, RpmsgChannelSnapshot as ChannelView, RpmsgEndpointSnapshot as EndpointView } from '../core/rpmsg/rpmsgSnapshot';
import { isTerminalNode, rpmsgView } from './rpmsgView';

export type ProcessorNode =
  | { readonly kind: 'core'; readonly id: string; readonly rproc: string }
  /** What runs on a released core: the firmware's code (and how it stopped) or a labelled stand-in. */
  | { readonly kind: 'execution'; readonly id: string; readonly rproc: string }
  | { readonly kind: 'carveouts'; readonly id: string; readonly rproc: string }
  | { readonly kind: 'carveout'; readonly id: string; readonly rproc: string; readonly index: number }
  | { readonly kind: 'trace'; readonly id: string; readonly rproc: string; readonly trace: string }
  | { readonly kind: 'vdev'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'vring'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly vring: number }
  | { readonly kind: 'channels'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'channel'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly device: string }
  | { readonly kind: 'endpoints'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'endpoint'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly addr: number };

/** One row of the tree, as plain data. */
export interface ProcessorRow {
  readonly label: string;
  readonly description?: string;
  /** Plain text: names come from firmware and user files, never markup. */
  readonly tooltip?: string;
  /** A codicon id, with a theme colour id where the state has one. */
  readonly icon?: string;
  readonly colour?: string;
  readonly expand: 'none' | 'collapsed' | 'expanded';
  readonly contextValue?: string;
  readonly accessibility?: string;
  /** A trace buffer's row opens that trace. */
  readonly trace?: { readonly rproc: string; readonly trace: string };
  /** The execution row opens the core's remote console. */
  readonly console?: { readonly rproc: string };
}

/** What a core looks like now: its snapshot, its CPU and the rpmsg buses on its vdevs. */
interface CoreData {
  readonly snap: CoreSnapshot;
  readonly cpu: string;
  readonly buses: Map<string, BusView>;
}

const STATE_ICON: Record<string, [string, string | undefined]> = {
  running: ['pass-filled', 'testing.iconPassed'],
  attached: ['plug', 'testing.iconPassed'],
  crashed: ['error', 'errorForeground'],
  offline: ['circle-large-outline', undefined],
  detached: ['debug-disconnect', 'editorWarning.foreground'],
  suspended: ['debug-pause', undefined],
  deleted: ['trash', 'disabledForeground'],
};

const EMPTY: ProcessorRow = { label: '', expand: 'none' };

const hex = (v: number | undefined): string => (v === undefined ? '—' : `0x${(v >>> 0).toString(16)}`);

function size(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

/** Virtio status bits as include/uapi/linux/virtio_config.h names them. */
function statusText(s: number | undefined): string {
  if (s === undefined) return 'no status';
  const names: [number, string][] = [[1, 'ACKNOWLEDGE'], [2, 'DRIVER'], [4, 'DRIVER_OK'], [8, 'FEATURES_OK'], [0x40, 'NEEDS_RESET'], [0x80, 'FAILED']];
  const set = names.filter(([b]) => s & b).map(([, n]) => n);
  return `status ${hex(s)}${set.length ? ` ${set.join('|')}` : ''}`;
}

export class ProcessorsModel {
  private readonly data = new Map<string, CoreData>();
  private readonly nodes = new Map<string, ProcessorNode>();

  /** `system` gives the current simulated system, if one was made. */
  constructor(private readonly system: () => AmpSystem | undefined) {}

  /** Forgets every core's data (the system was replaced). */
  clear(): void {
    this.data.clear();
  }

  /** Re-reads the given cores that were shown; returns their core nodes, for the change event. */
  reread(rprocs: Iterable<string>): ProcessorNode[] {
    const system = this.system();
    if (!system) return [];
    const changed: ProcessorNode[] = [];
    let snapshot;
    for (const rproc of rprocs) {
      if (!this.data.has(rproc)) continue; // not shown yet: read when VS Code asks
      snapshot ??= system.snapshot();
      this.data.set(rproc, read(system, rproc, snapshot.cores));
      const node = this.nodes.get(`core:${rproc}`);
      if (node) changed.push(node);
    }
    return changed;
  }

  private core(rproc: string): CoreData | undefined {
    let d = this.data.get(rproc);
    const system = this.system();
    if (!d && system) this.data.set(rproc, (d = read(system, rproc, system.snapshot().cores)));
    return d;
  }

  /** One object per id, so VS Code's references to a node stay valid across refreshes. */
  private node<T extends ProcessorNode>(n: T): T {
    const have = this.nodes.get(n.id);
    if (have && JSON.stringify(have) === JSON.stringify(n)) return have as T;
    this.nodes.set(n.id, n);
    return n;
  }

  children(parent?: ProcessorNode): ProcessorNode[] {
    const system = this.system();
    if (!system) return []; // the welcome view explains what to do
    if (!parent) return system.rprocs.map((r) => this.node({ kind: 'core', id: `core:${r.devName}`, rproc: r.devName }));
    const d = this.core(parent.rproc);
    if (!d) return [];
    const base = `core:${parent.rproc}`;
    const { snap } = d;
    switch (parent.kind) {
      case 'core':
        return [
          ...(snap.execution ? [this.node({ kind: 'execution', id: `${base}/execution`, rproc: parent.rproc })] : []),
          ...(snap.carveouts.length ? [this.node({ kind: 'carveouts', id: `${base}/carveouts`, rproc: parent.rproc })] : []),
          ...snap.traces.map((t) => this.node({ kind: 'trace', id: `${base}/trace:${t.name}`, rproc: parent.rproc, trace: t.name })),
          ...snap.vdevs.map((v) => this.node({ kind: 'vdev', id: `${base}/vdev:${v.index}`, rproc: parent.rproc, vdev: v.index })),
        ];
      case 'carveouts':
        return snap.carveouts.map((c, index) => this.node({ kind: 'carveout', id: `${base}/carveout:${c.name}`, rproc: parent.rproc, index }));
      case 'vdev': {
        const v = snap.vdevs.find((x) => x.index === parent.vdev);
        if (!v) return [];
        const bus = v.virtio ? d.buses.get(v.virtio) : undefined;
        const vb = `${base}/vdev:${v.index}`;
        return [
          ...v.vrings.map((vr) => this.node({ kind: 'vring', id: `${vb}/vring:${vr.index}`, rproc: parent.rproc, vdev: v.index, vring: vr.index })),
          ...(bus?.channels.length ? [this.node({ kind: 'channels', id: `${vb}/channels`, rproc: parent.rproc, vdev: v.index })] : []),
          ...(bus?.endpoints.length ? [this.node({ kind: 'endpoints', id: `${vb}/endpoints`, rproc: parent.rproc, vdev: v.index })] : []),
        ];
      }
      case 'channels':
        return (bus(d, parent.vdev)?.channels ?? []).map((c) =>
          this.node({ kind: 'channel', id: `${base}/vdev:${parent.vdev}/channel:${c.device}`, rproc: parent.rproc, vdev: parent.vdev, device: c.device }));
      case 'endpoints':
        return (bus(d, parent.vdev)?.endpoints ?? []).map((e) =>
          this.node({ kind: 'endpoint', id: `${base}/vdev:${parent.vdev}/endpoint:${e.addr}`, rproc: parent.rproc, vdev: parent.vdev, addr: e.addr }));
      default:
        return [];
    }
  }

  parent(node: ProcessorNode): ProcessorNode | undefined {
    const core = `core:${node.rproc}`;
    const vdev = 'vdev' in node ? `${core}/vdev:${node.vdev}` : '';
    const parent: Record<ProcessorNode['kind'], string | undefined> = {
      core: undefined, execution: core, carveouts: core, trace: core, vdev: core, carveout: `${core}/carveouts`,
      vring: vdev, channels: vdev, endpoints: vdev, channel: `${vdev}/channels`, endpoint: `${vdev}/endpoints`,
    };
    const id = parent[node.kind];
    return id === undefined ? undefined : this.nodes.get(id);
  }

  row(node: ProcessorNode): ProcessorRow {
    const d = this.core(node.rproc);
    if (!d) return EMPTY;
    const { snap } = d;
    switch (node.kind) {
      case 'core': {
        const [icon, colour] = STATE_ICON[snap.state] ?? ['question', undefined];
        return {
          label: snap.name,
          description: `${snap.state} · ${snap.state === 'attached' ? 'unknown firmware' : snap.firmware}`,
          icon,
          colour,
          tooltip: `${snap.name} (${snap.rproc}, core ${snap.core}, ${snap.driver})\n` +
            `state ${snap.state} · firmware ${snap.firmware} · recovery ${snap.recovery} · coredump ${snap.coredump} · crashes ${snap.crashCount}` +
            (snap.table ? `\nresource table: ${snap.table.size} bytes, ${snap.table.where}${snap.table.pa !== undefined ? ` at pa ${hex(snap.table.pa)}` : ''}` : '') +
            (snap.execution ? `\n${executionText(snap.execution, d.cpu)}` : ''),
          contextValue: `core.${snap.state}`,
          // Always expandable: VS Code keeps a leaf a leaf when the same id later gets children.
          expand: 'expanded',
          accessibility: `${snap.name} ${snap.state}, firmware ${snap.firmware}${snap.execution ? `, ${executionText(snap.execution, d.cpu)}` : ''}`,
        };
      }
      case 'execution':
        return snap.execution ? executionRow(snap.execution, d.cpu, snap, node.rproc) : EMPTY;
      case 'carveouts':
        return { label: 'carveouts', description: String(snap.carveouts.length), icon: 'layers', expand: 'collapsed' };
      case 'carveout': {
        const c = snap.carveouts[node.index];
        if (!c) return EMPTY;
        return {
          label: c.name,
          description: `da ${hex(c.da)} · pa ${hex(c.pa)} · ${size(c.len)}${c.mapped ? '' : ' · not mapped'}`,
          icon: 'symbol-array',
          tooltip: `${c.name}: device address ${hex(c.da)}, physical address ${hex(c.pa)}, ${c.len} bytes (${hex(c.len)})${c.mapped ? ', mapped by the host' : ''}`,
          expand: 'none',
        };
      }
      case 'trace': {
        const t = snap.traces.find((x) => x.name === node.trace);
        if (!t) return EMPTY;
        const lines = t.text ? t.text.split('\n').filter(Boolean).length : 0;
        return {
          label: t.name,
          description: `da ${hex(t.da)} · ${size(t.len)} · ${lines} line${lines === 1 ? '' : 's'}`,
          icon: 'output',
          tooltip: t.text.split('\n').slice(-6).join('\n') || '(empty)',
          trace: { rproc: node.rproc, trace: t.name },
          contextValue: 'trace',
          expand: 'none',
        };
      }
      case 'vdev': {
        const v = snap.vdevs.find((x) => x.index === node.vdev);
        if (!v) return EMPTY;
        return {
          label: `vdev${v.index}${v.id === 7 ? ' (rpmsg)' : ` (id ${v.id})`}`,
          description: `${v.virtio ?? v.platformDevice} · ${statusText(v.status)}`,
          tooltip: vdevTooltip(v),
          icon: 'symbol-interface',
          expand: 'expanded',
        };
      }
      case 'vring': {
        const vr = snap.vdevs.find((x) => x.index === node.vdev)?.vrings.find((x) => x.index === node.vring);
        if (!vr) return EMPTY;
        const idx = vr.availIdx !== undefined && vr.usedIdx !== undefined ? [`avail ${vr.availIdx}`, `used ${vr.usedIdx}`] : [];
        return {
          label: `vring${vr.index}`,
          description: [`da ${hex(vr.da)}`, `num ${vr.num}`, `align ${vr.align}`, `notifyid ${vr.notifyid}`, ...idx].join(' · '),
          tooltip: `vring${vr.index}: da ${hex(vr.da)}, pa ${hex(vr.pa)}, ${vr.num} descriptors, align ${vr.align}, notify id ${vr.notifyid}${vr.active ? ', in use by a virtqueue' : ''}`,
          icon: vr.active ? 'sync' : 'circle-small',
          expand: 'none',
        };
      }
      case 'channels':
      case 'endpoints': {
        const b = bus(d, node.vdev);
        const n = node.kind === 'channels' ? b?.channels.length ?? 0 : b?.endpoints.length ?? 0;
        const traffic = node.kind === 'channels' && b ? ` · sent ${b.stats.sent}, received ${b.stats.received}` : '';
        return {
          label: node.kind === 'channels' ? 'rpmsg channels' : 'endpoints',
          description: `${b?.bus ?? ''} · ${n}${traffic}`,
          icon: node.kind === 'channels' ? 'radio-tower' : 'symbol-numeric',
          expand: 'expanded',
        };
      }
      case 'channel': {
        const c = bus(d, node.vdev)?.channels.find((x) => x.device === node.device);
        return c ? channelRow(c) : EMPTY;
      }
      case 'endpoint': {
        const e = bus(d, node.vdev)?.endpoints.find((x) => x.addr === node.addr);
        return e ? endpointRow(e) : EMPTY;
      }
    }
  }

  /** The device node a channel or endpoint node stands for, for the terminal command. */
  nodeOf(node: ProcessorNode): { rproc: string; node: string | undefined } | undefined {
    const d = this.data.get(node.rproc);
    if (!d || (node.kind !== 'channel' && node.kind !== 'endpoint')) return undefined;
    const b = bus(d, node.vdev);
    if (node.kind === 'channel') return { rproc: node.rproc, node: b?.channels.find((c) => c.device === node.device)?.node };
    return { rproc: node.rproc, node: b?.endpoints.find((e) => e.addr === node.addr)?.node };
  }
}

function read(system: AmpSystem, rproc: string, cores: readonly CoreSnapshot[]): CoreData {
  const r = system.rproc(rproc);
  return { snap: cores[system.rprocs.indexOf(r)], cpu: r.core.cpu, buses: rpmsgView(system, rproc) };
}

/** One line on what runs: the stand-in's label or how the firmware's core stopped, verbatim. */
function executionText(x: ExecutionSnapshot, cpu: string): string {
  if (x.runsFirmware) return x.note ?? `the firmware's code runs on the ${cpu}`;
  return x.note ?? "modelled remote: a stand-in, not the firmware's code";
}

/**
 * The firmware's code runs; or it stopped (an error: the kernel cannot see that, its state stays
 * `running` as on the board); or a stand-in runs instead of it (said with its label, every time).
 */
function executionRow(x: ExecutionSnapshot, cpu: string, snap: CoreSnapshot, rproc: string): ProcessorRow {
  const common = { expand: 'none' as const, contextValue: 'execution', console: { rproc } };
  if (x.runsFirmware && !x.note) {
    return { ...common, label: 'the firmware\'s code runs', description: cpu, icon: 'chip', tooltip: `The firmware's own instructions run on the simulated ${cpu}: its rpmsg channels, echoes, trace and console come from its code.` };
  }
  const label = executionText(x, cpu);
  if (x.runsFirmware) {
    return {
      ...common,
      label,
      icon: 'error',
      colour: 'errorForeground',
      tooltip: `The firmware's core stopped: ${label}.\nThe kernel does not see this (the core stays ${snap.state}, as on the board): only a watchdog or the firmware's silence tells it.`,
    };
  }
  return {
    ...common,
    label,
    icon: 'info',
    colour: 'notificationsInfoIcon.foreground',
    tooltip: `${label}\nA stand-in written in TypeScript plays an OpenAMP-style application on this firmware's resource table: the channels, echoes and timing here are the stand-in's, not the firmware's.`,
  };
}

function bus(d: CoreData, vdev: number): BusView | undefined {
  const v = d.snap.vdevs.find((x) => x.index === vdev);
  return v?.virtio ? d.buses.get(v.virtio) : undefined;
}

function vdevTooltip(v: VdevSnapshot): string {
  return `${v.platformDevice}${v.virtio ? ` → ${v.virtio}` : ''}, virtio id ${v.id}\n` +
    `dfeatures ${hex(v.dfeatures)}, gfeatures ${hex(v.gfeatures)}, ${statusText(v.status)}`;
}

function channelRow(c: ChannelView): ProcessorRow {
  const terminal = isTerminalNode(c.node);
  return {
    label: c.name,
    description: `src ${hex(c.src)} → dst ${hex(c.dst)}${c.node ? ` · ${c.node}` : ''}`,
    tooltip: `${c.device}\nname ${c.name}, src ${hex(c.src)}, dst ${hex(c.dst)}\ndriver ${c.driver ?? '(none bound)'}${c.node ? `\n${c.node}` : ''}`,
    icon: terminal ? 'terminal' : 'symbol-event',
    contextValue: terminal ? 'channel.terminal' : 'channel',
    expand: 'none',
  };
}

function endpointRow(e: EndpointView): ProcessorRow {
  return {
    label: hex(e.addr),
    description: `${e.device}${e.node ? ` · ${e.node}` : ''}`,
    tooltip: `endpoint ${hex(e.addr)} (${e.addr}) of ${e.device}${e.node ? `, ${e.node}` : ''}`,
    icon: 'symbol-numeric',
    contextValue: isTerminalNode(e.node) ? 'endpoint.terminal' : 'endpoint',
    expand: 'none',
  };
}
