// The "Remote Processors" tree: one node per core of the simulated board (state, firmware), with
// its carveouts, trace buffers, vdevs and their vrings, rpmsg channels and endpoints. Rendered from
// core's snapshot; refreshed per changed core from the session's events (no polling), with ids
// that stay the same across refreshes so expansion and selection are kept.
import * as vscode from 'vscode';
import type { CoreSnapshot, SystemSnapshot, VdevSnapshot } from '../core/system';
import type { AmpSession } from './session';
import type { RpmsgBusSnapshot as BusView, RpmsgChannelSnapshot as ChannelView, RpmsgEndpointSnapshot as EndpointView } from '../core/rpmsg/rpmsgSnapshot';
import { MemoryFault } from '../core/soc/memoryAccess';
import { readVring } from '../core/virtio/vringView';
import { VirtqueueError } from '../core/virtio/virtqueueError';
import { isTerminalNode, rpmsgView } from './rpmsgView';
import { traceUri } from './ampDocuments';

export type ProcessorNode =
  | { readonly kind: 'core'; readonly id: string; readonly rproc: string }
  | { readonly kind: 'carveouts'; readonly id: string; readonly rproc: string }
  | { readonly kind: 'carveout'; readonly id: string; readonly rproc: string; readonly index: number }
  | { readonly kind: 'trace'; readonly id: string; readonly rproc: string; readonly trace: string }
  | { readonly kind: 'vdev'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'vring'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly vring: number }
  | { readonly kind: 'channels'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'channel'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly device: string }
  | { readonly kind: 'endpoints'; readonly id: string; readonly rproc: string; readonly vdev: number }
  | { readonly kind: 'endpoint'; readonly id: string; readonly rproc: string; readonly vdev: number; readonly addr: number };

/** What a core looks like now: its snapshot and the rpmsg buses on its vdevs. */
interface CoreData {
  readonly snap: CoreSnapshot;
  readonly buses: Map<string, BusView>;
  /** avail->idx and used->idx of each active vring, by `vdev/vring`. */
  readonly rings: Map<string, { readonly avail: number; readonly used: number }>;
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

export class ProcessorsTree implements vscode.TreeDataProvider<ProcessorNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ProcessorNode | ProcessorNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private data = new Map<string, CoreData>();
  private readonly nodes = new Map<string, ProcessorNode>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly session: AmpSession) {
    this.sub = session.onDidChange((c) => {
      if (c.kind === 'reset') {
        this.data.clear();
        this.changeEmitter.fire(undefined);
      } else this.refresh(c.rprocs);
    });
  }

  /** Re-reads the given cores and tells VS Code about those nodes only. */
  refresh(rprocs: Iterable<string>): void {
    const system = this.session.current;
    if (!system) return;
    const changed: ProcessorNode[] = [];
    let snapshot: SystemSnapshot | undefined;
    for (const rproc of rprocs) {
      if (!this.data.has(rproc)) continue; // not shown yet: read when VS Code asks
      snapshot ??= system.snapshot();
      this.data.set(rproc, this.read(rproc, snapshot));
      const node = this.nodes.get(`core:${rproc}`);
      if (node) changed.push(node);
    }
    if (changed.length) this.changeEmitter.fire(changed);
  }

  private read(rproc: string, snapshot: SystemSnapshot): CoreData {
    const system = this.session.current!;
    const snap = snapshot.cores[system.rprocs.indexOf(system.rproc(rproc))];
    const rings = new Map<string, { avail: number; used: number }>();
    for (const v of snap.vdevs) {
      for (const vr of v.vrings) {
        if (!vr.active || vr.pa === undefined) continue;
        try {
          const ring = readVring(system.memory.host, vr.pa, vr.num, vr.align);
          rings.set(`${v.index}/${vr.index}`, { avail: ring.avail.idx, used: ring.used.idx });
        } catch (e) {
          if (!(e instanceof MemoryFault || e instanceof VirtqueueError)) throw e;
        }
      }
    }
    return { snap, buses: rpmsgView(system, rproc), rings };
  }

  private core(rproc: string): CoreData | undefined {
    let d = this.data.get(rproc);
    const system = this.session.current;
    if (!d && system) this.data.set(rproc, (d = this.read(rproc, system.snapshot())));
    return d;
  }

  /** One object per id, so VS Code's references to a node stay valid across refreshes. */
  private node<T extends ProcessorNode>(n: T): T {
    const have = this.nodes.get(n.id);
    if (have && JSON.stringify(have) === JSON.stringify(n)) return have as T;
    this.nodes.set(n.id, n);
    return n;
  }

  getChildren(parent?: ProcessorNode): ProcessorNode[] {
    const system = this.session.current;
    if (!system) return []; // the welcome view explains what to do
    if (!parent) return system.rprocs.map((r) => this.node({ kind: 'core', id: `core:${r.devName}`, rproc: r.devName }));
    const d = this.core(parent.rproc);
    if (!d) return [];
    const base = `core:${parent.rproc}`;
    const { snap } = d;
    switch (parent.kind) {
      case 'core':
        return [
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
        return (this.bus(d, parent.vdev)?.channels ?? []).map((c) =>
          this.node({ kind: 'channel', id: `${base}/vdev:${parent.vdev}/channel:${c.device}`, rproc: parent.rproc, vdev: parent.vdev, device: c.device }));
      case 'endpoints':
        return (this.bus(d, parent.vdev)?.endpoints ?? []).map((e) =>
          this.node({ kind: 'endpoint', id: `${base}/vdev:${parent.vdev}/endpoint:${e.addr}`, rproc: parent.rproc, vdev: parent.vdev, addr: e.addr }));
      default:
        return [];
    }
  }

  getParent(node: ProcessorNode): ProcessorNode | undefined {
    const core = `core:${node.rproc}`;
    const vdev = 'vdev' in node ? `${core}/vdev:${node.vdev}` : '';
    const parent: Record<ProcessorNode['kind'], string | undefined> = {
      core: undefined, carveouts: core, trace: core, vdev: core, carveout: `${core}/carveouts`,
      vring: vdev, channels: vdev, endpoints: vdev, channel: `${vdev}/channels`, endpoint: `${vdev}/endpoints`,
    };
    const id = parent[node.kind];
    return id === undefined ? undefined : this.nodes.get(id);
  }

  private bus(d: CoreData, vdev: number): BusView | undefined {
    const v = d.snap.vdevs.find((x) => x.index === vdev);
    return v?.virtio ? d.buses.get(v.virtio) : undefined;
  }

  getTreeItem(node: ProcessorNode): vscode.TreeItem {
    const d = this.core(node.rproc);
    const item = new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    if (!d) return item;
    const { snap } = d;
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'core': {
        const [icon, colour] = STATE_ICON[snap.state] ?? ['question', undefined];
        item.label = snap.name;
        item.description = `${snap.state} · ${snap.state === 'attached' ? 'unknown firmware' : snap.firmware}`;
        item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
        // Plain text: the firmware name is the user's file name, never markup.
        item.tooltip = `${snap.name} (${snap.rproc}, core ${snap.core}, ${snap.driver})\n` +
          `state ${snap.state} · firmware ${snap.firmware} · recovery ${snap.recovery} · coredump ${snap.coredump} · crashes ${snap.crashCount}` +
          (snap.table ? `\nresource table: ${snap.table.size} bytes, ${snap.table.where}${snap.table.pa !== undefined ? ` at pa ${hex(snap.table.pa)}` : ''}` : '');
        item.contextValue = `core.${snap.state}`;
        // Always expandable: VS Code keeps a leaf a leaf when the same id later gets children.
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        item.accessibilityInformation = { label: `${snap.name} ${snap.state}, firmware ${snap.firmware}` };
        return item;
      }
      case 'carveouts':
        item.label = 'carveouts';
        item.description = String(snap.carveouts.length);
        item.iconPath = new vscode.ThemeIcon('layers');
        item.collapsibleState = collapsed;
        return item;
      case 'carveout': {
        const c = snap.carveouts[node.index];
        if (!c) return item;
        item.label = c.name;
        item.description = `da ${hex(c.da)} · pa ${hex(c.pa)} · ${size(c.len)}${c.mapped ? '' : ' · not mapped'}`;
        item.iconPath = new vscode.ThemeIcon('symbol-array');
        item.tooltip = `${c.name}: device address ${hex(c.da)}, physical address ${hex(c.pa)}, ${c.len} bytes (${hex(c.len)})${c.mapped ? ', mapped by the host' : ''}`;
        return item;
      }
      case 'trace': {
        const t = snap.traces.find((x) => x.name === node.trace);
        if (!t) return item;
        const lines = t.text ? t.text.split('\n').filter(Boolean).length : 0;
        item.label = t.name;
        item.description = `da ${hex(t.da)} · ${size(t.len)} · ${lines} line${lines === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('output');
        item.tooltip = t.text.split('\n').slice(-6).join('\n') || '(empty)';
        item.command = { command: 'amp.openTrace', title: 'Open Trace Buffer', arguments: [{ rproc: node.rproc, trace: t.name }] };
        item.resourceUri = traceUri(node.rproc, t.name);
        item.contextValue = 'trace';
        return item;
      }
      case 'vdev': {
        const v = snap.vdevs.find((x) => x.index === node.vdev);
        if (!v) return item;
        item.label = `vdev${v.index}${v.id === 7 ? ' (rpmsg)' : ` (id ${v.id})`}`;
        item.description = `${v.virtio ?? v.platformDevice} · ${statusText(v.status)}`;
        item.tooltip = vdevTooltip(v);
        item.iconPath = new vscode.ThemeIcon('symbol-interface');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        return item;
      }
      case 'vring': {
        const vr = snap.vdevs.find((x) => x.index === node.vdev)?.vrings.find((x) => x.index === node.vring);
        if (!vr) return item;
        const idx = d.rings.get(`${node.vdev}/${vr.index}`);
        item.label = `vring${vr.index}`;
        item.description = [`da ${hex(vr.da)}`, `num ${vr.num}`, `align ${vr.align}`, `notifyid ${vr.notifyid}`,
          ...(idx ? [`avail ${idx.avail}`, `used ${idx.used}`] : [])].join(' · ');
        item.tooltip = `vring${vr.index}: da ${hex(vr.da)}, pa ${hex(vr.pa)}, ${vr.num} descriptors, align ${vr.align}, notify id ${vr.notifyid}${vr.active ? ', in use by a virtqueue' : ''}`;
        item.iconPath = new vscode.ThemeIcon(vr.active ? 'sync' : 'circle-small');
        return item;
      }
      case 'channels':
      case 'endpoints': {
        const bus = this.bus(d, node.vdev);
        const n = node.kind === 'channels' ? bus?.channels.length ?? 0 : bus?.endpoints.length ?? 0;
        item.label = node.kind === 'channels' ? 'rpmsg channels' : 'endpoints';
        const traffic = node.kind === 'channels' && bus ? ` · sent ${bus.stats.sent}, received ${bus.stats.received}` : '';
        item.description = `${bus?.bus ?? ''} · ${n}${traffic}`;
        item.iconPath = new vscode.ThemeIcon(node.kind === 'channels' ? 'radio-tower' : 'symbol-numeric');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        return item;
      }
      case 'channel': {
        const c = this.bus(d, node.vdev)?.channels.find((x) => x.device === node.device);
        if (!c) return item;
        channelItem(item, c);
        return item;
      }
      case 'endpoint': {
        const e = this.bus(d, node.vdev)?.endpoints.find((x) => x.addr === node.addr);
        if (!e) return item;
        endpointItem(item, e);
        return item;
      }
    }
  }

  /** The channel a channel or endpoint node stands for, for the terminal command. */
  nodeOf(node: ProcessorNode): { rproc: string; node: string | undefined } | undefined {
    const d = this.data.get(node.rproc);
    if (!d || (node.kind !== 'channel' && node.kind !== 'endpoint')) return undefined;
    const bus = this.bus(d, node.vdev);
    if (node.kind === 'channel') return { rproc: node.rproc, node: bus?.channels.find((c) => c.device === node.device)?.node };
    return { rproc: node.rproc, node: bus?.endpoints.find((e) => e.addr === node.addr)?.node };
  }

  dispose(): void {
    this.sub.dispose();
    this.changeEmitter.dispose();
  }
}

function vdevTooltip(v: VdevSnapshot): string {
  return `${v.platformDevice}${v.virtio ? ` → ${v.virtio}` : ''}, virtio id ${v.id}\n` +
    `dfeatures ${hex(v.dfeatures)}, gfeatures ${hex(v.gfeatures)}, ${statusText(v.status)}`;
}

function channelItem(item: vscode.TreeItem, c: ChannelView): void {
  item.label = c.name;
  item.description = `src ${hex(c.src)} → dst ${hex(c.dst)}${c.node ? ` · ${c.node}` : ''}`;
  item.tooltip = `${c.device}\nname ${c.name}, src ${hex(c.src)}, dst ${hex(c.dst)}\ndriver ${c.driver ?? '(none bound)'}${c.node ? `\n${c.node}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(isTerminalNode(c.node) ? 'terminal' : 'symbol-event');
  item.contextValue = isTerminalNode(c.node) ? 'channel.terminal' : 'channel';
}

function endpointItem(item: vscode.TreeItem, e: EndpointView): void {
  item.label = hex(e.addr);
  item.description = `${e.device}${e.node ? ` · ${e.node}` : ''}`;
  item.tooltip = `endpoint ${hex(e.addr)} (${e.addr}) of ${e.device}${e.node ? `, ${e.node}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('symbol-numeric');
  item.contextValue = isTerminalNode(e.node) ? 'endpoint.terminal' : 'endpoint';
}
