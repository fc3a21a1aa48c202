// The resource-table panel's front end: renders a TableView snapshot (header, entries, memory map,
// findings, hex view) and keeps the selection. Every string of the snapshot comes from an ELF and
// is hostile: the DOM is built with createElement and textContent only, never parsed from text.

import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { EntryView, FieldView, FindingView, MapItem, TableView } from '../../src/core/rsc/tableView';
import type { FromPanel, PanelTarget, ToPanel } from '../../src/common/panelMessages';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the panel being hidden and shown again (the webview is recreated then). */
interface SavedState {
  readonly file?: string;
  readonly selected?: PanelTarget;
  readonly closed?: readonly number[];
}

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app') as HTMLElement;
let view: TableView | undefined;
let selected: PanelTarget | undefined;
let closed = new Set<number>(vscode.getState()?.closed ?? []);

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const m = event.data;
  if (m.type === 'snapshot') {
    const saved = vscode.getState();
    view = m.view;
    // A rebuilt ELF keeps what the user had selected; a reveal from a command wins.
    selected = m.reveal ?? (saved?.file === m.view.file ? saved.selected : undefined);
    if (saved?.file !== m.view.file) closed = new Set();
    render(m.view);
  } else if (m.type === 'reveal') {
    select(m.target, true);
  } else if (m.type === 'unreadable') {
    view = undefined;
    app.replaceChildren(el('h1', {}, m.file), el('p', { class: 'error' }, m.reason));
    report();
  }
});
vscode.postMessage({ type: 'ready' });

// ---- building blocks ----

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const hex = (n: number): string => `0x${n.toString(16)}`;
// ---- rendering ----

function render(v: TableView): void {
  const counts = el('span', { class: 'counts' });
  for (const s of ['error', 'warning', 'info'] as const) {
    const badge = el('vscode-badge', { class: s, title: `${v.counts[s]} ${s}` }, `${v.counts[s]} ${s}${v.counts[s] === 1 ? '' : 's'}`);
    counts.append(badge);
  }
  const facts = [
    v.board ? `${v.board.name}, core ${v.board.core}` : 'no board',
    v.elf ? `ELF${v.elf.class} ${v.elf.endian}-endian, machine ${v.elf.machine}, entry ${hex(v.elf.entry)}` : 'not a readable ELF',
    v.section ? `${v.section.name} at ${hex(v.section.addr)} (file offset ${hex(v.section.offset)}, ${v.section.size} bytes)` : 'no .resource_table section',
  ];
  const head = el('header', {},
    el('h1', {}, v.file),
    el('p', { class: v.ok ? 'verdict ok' : 'verdict refused' }, v.ok ? 'The kernel would boot it.' : 'The kernel would refuse it.', ' ', counts),
    el('p', { class: 'facts' }, facts.join(' · ')));

  const left = el('div', { class: 'column' }, tableHeader(v), entriesPart(v), findingsPart(v), sectionsPart(v));
  const right = el('div', { class: 'column' }, mapPart(v), hexPart(v));
  app.replaceChildren(head, el('div', { class: 'layout' }, left, right));
  if (selected) select(selected, false);
  else report();
}

function fieldTable(fields: readonly FieldView[], owner: PanelTarget): HTMLTableElement {
  const body = el('tbody');
  for (const f of fields) {
    const row = el('tr', { 'data-off': String(f.offset), 'data-len': String(f.size) }, el('th', { scope: 'row' }, f.name), el('td', {}, f.value), el('td', { class: 'off' }, `+${f.offset}`));
    // Pointing at a field shows its bytes; the selection stays on its owner.
    row.addEventListener('mouseenter', () => highlight(f.offset, f.size, 'hover'));
    row.addEventListener('mouseleave', () => clearHighlight('hover'));
    row.addEventListener('click', () => select(owner, false));
    body.append(row);
  }
  return el('table', { class: 'fields' }, el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'value'), el('th', {}, 'offset'))), body);
}

function tableHeader(v: TableView): HTMLElement {
  if (!v.header) return el('p', { class: 'muted' }, 'No resource table header could be read.');
  const c = el('vscode-collapsible', { heading: 'struct resource_table', description: `ver ${v.header.ver}, num ${v.header.num}`, id: 'table-header' });
  (c as HTMLElement & { open: boolean }).open = true;
  c.append(fieldTable(v.header.fields, { entry: -1 }));
  return c;
}

function entriesPart(v: TableView): HTMLElement {
  const part = el('section', { 'aria-label': 'entries' }, el('h2', {}, `Entries (${v.entries.length})`));
  if (!v.entries.length) part.append(el('p', { class: 'muted' }, 'No entry decoded.'));
  for (const e of v.entries) part.append(entryPart(e));
  return part;
}

function entryPart(e: EntryView): HTMLElement {
  const c = el('vscode-collapsible', {
    class: `entry ${e.severity ?? ''}`,
    'data-entry': String(e.index),
    heading: `#${e.index} ${e.typeName}`,
    // The description keeps its case (the heading is shown upper-case): the name exactly as in the ELF.
    description: `${e.name !== undefined ? `"${e.name}" · ` : ''}offset ${e.offset}, ${e.size} bytes${e.severity ? ` · ${e.severity}` : ''}`,
  }) as HTMLElement & { open: boolean };
  c.open = !closed.has(e.index);
  const target = { entry: e.index };
  c.append(fieldTable(e.fields, target));
  e.vrings.forEach((r, i) => c.append(el('h4', {}, `vring ${i}`), fieldTable(r, target)));
  c.addEventListener('vsc-collapsible-toggle', (ev) => {
    if ((ev as CustomEvent<{ open: boolean }>).detail.open) closed.delete(e.index);
    else closed.add(e.index);
    select(target, false);
  });
  c.addEventListener('keydown', (ev) => moveFocus(ev, '.entry'));
  return c;
}

function findingsPart(v: TableView): HTMLElement {
  const list = el('ul', { class: 'findings', role: 'listbox', 'aria-label': 'findings' });
  for (const f of v.findings) list.append(findingItem(f));
  return el('section', { 'aria-label': 'findings' }, el('h2', {}, `Findings (${v.findings.length})`), v.findings.length ? list : el('p', { class: 'muted' }, 'Nothing to report.'));
}

function findingItem(f: FindingView): HTMLElement {
  const where = [f.entry !== undefined ? `entry #${f.entry}` : '', f.offset !== undefined ? `file offset ${hex(f.offset)}` : '', f.kernelFunction ?? '', f.errno ?? ''].filter(Boolean).join(' · ');
  const li = el('li', { class: `finding ${f.severity}`, role: 'option', tabindex: '-1', 'data-finding': String(f.id), 'aria-selected': 'false' },
    el('div', { class: 'line' }, el('span', { class: 'severity' }, f.severity), el('code', { class: 'rule' }, f.rule), el('span', { class: 'message' }, f.message)),
    el('div', { class: 'where' }, where));
  if (f.explanation) li.append(el('div', { class: 'why' }, f.explanation));
  if (f.fix) li.append(el('div', { class: 'fix' }, el('strong', {}, 'Fix: '), f.fix));
  if (f.mechanical) li.append(el('div', { class: 'fix mechanical' }, el('strong', {}, 'Quick fix: '), f.mechanical.title));
  li.addEventListener('click', () => select({ finding: f.id }, false));
  li.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      select({ finding: f.id }, false);
    } else moveFocus(ev, '.finding');
  });
  return li;
}

function sectionsPart(v: TableView): HTMLElement {
  const c = el('vscode-collapsible', { heading: 'ELF sections', description: `${v.sections.length}`, id: 'sections' });
  const body = el('tbody');
  for (const s of v.sections) body.append(el('tr', {}, el('td', {}, String(s.index)), el('td', { class: 'name' }, s.name), el('td', {}, hex(s.addr)), el('td', {}, hex(s.offset)), el('td', {}, String(s.size)), el('td', {}, s.alloc ? 'A' : '')));
  c.append(el('table', { class: 'fields' }, el('thead', {}, el('tr', {}, ...['#', 'name', 'addr', 'offset', 'size', 'flags'].map((h) => el('th', {}, h)))), body));
  return c;
}

// Roving focus: arrows move between siblings of one list, Home/End to its ends.
function moveFocus(ev: KeyboardEvent, selector: string): void {
  const all = Array.from(app.querySelectorAll<HTMLElement>(selector));
  const i = all.indexOf(ev.currentTarget as HTMLElement);
  const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[ev.key];
  if (to === undefined || !all[to]) return;
  ev.preventDefault();
  // A collapsible's focusable header is in its shadow root.
  (all[to].shadowRoot?.querySelector<HTMLElement>('[tabindex]') ?? all[to]).focus();
}

// ---- memory map ----

const WIDTH = 720;
const LANES: Record<MapItem['kind'], number> = { reserved: 0, segment: 1, carveout: 2, devmem: 2, table: 3, trace: 3, vring: 4 };
const LANE_H = 11;
const LABEL_MIN_WIDTH = 60;
const ROW_H = 16 + LANE_H * 5 + 8;

function mapPart(v: TableView): HTMLElement {
  const map = v.memoryMap;
  const rows: { name: string; da: number; size: number; items: MapItem[] }[] = map.windows.map((w) => ({ name: `${w.name} (${w.kind})`, da: w.da, size: w.size, items: [] }));
  const outside: MapItem[] = [];
  for (const it of map.items) {
    const row = rows.find((r) => it.da >= r.da && it.da < r.da + r.size);
    if (row) row.items.push(it);
    else outside.push(it);
  }
  if (outside.length) {
    const lo = Math.min(...outside.map((i) => i.da));
    const hi = Math.max(...outside.map((i) => i.da + i.size));
    rows.push({ name: rows.length ? "outside the core's memory" : 'device addresses', da: lo, size: Math.max(1, hi - lo), items: outside });
  }
  rows.sort((a, b) => a.da - b.da);
  const s = svg('svg', { viewBox: `0 0 ${WIDTH} ${Math.max(1, rows.length) * ROW_H}`, role: 'img', id: 'memory-map', class: 'map' });
  s.append(Object.assign(svg('title'), { textContent: 'Memory map of the core: segments, carveouts, vrings, trace buffer, table' }));
  rows.forEach((r, n) => {
    const y = n * ROW_H;
    const x = (da: number): number => Math.max(0, Math.min(WIDTH, ((da - r.da) / r.size) * WIDTH));
    s.append(textAt(`${r.name}  ${hex(r.da)}–${hex(r.da + r.size)}`, 2, y + 11, 'window-label'));
    s.append(svg('rect', { x: 0, y: y + 14, width: WIDTH, height: LANE_H * 5, class: r.name.startsWith('outside') ? 'window outside' : 'window' }));
    for (const it of r.items) {
      const x0 = x(it.da);
      const top = y + 14 + LANES[it.kind] * LANE_H + 1;
      const width = Math.max(2, x(it.da + it.size) - x0);
      const rect = svg('rect', { x: x0, y: top, width, height: LANE_H - 2, class: `item ${it.kind}${it.error ? ' error' : ''}` });
      rect.append(Object.assign(svg('title'), { textContent: `${it.kind} ${it.label}: ${hex(it.da)}, ${hex(it.size)} bytes` }));
      if (it.entry !== undefined) {
        const entry = it.entry;
        rect.setAttribute('data-entry', String(entry));
        rect.addEventListener('click', () => select({ entry }, true));
      }
      s.append(rect);
      // Named where there is room; the tooltip always names it.
      if (width >= LABEL_MIN_WIDTH) s.append(textAt(it.label, x0 + 2, top + LANE_H - 4, 'item-label'));
    }
    for (const o of map.overlaps) {
      if (o.da < r.da || o.da >= r.da + r.size) continue;
      const x0 = x(o.da);
      const rect = svg('rect', { x: x0, y: y + 14, width: Math.max(2, x(o.da + o.size) - x0), height: LANE_H * 5, class: 'overlap' });
      rect.append(Object.assign(svg('title'), { textContent: `overlap of ${o.between[0]} and ${o.between[1]} at ${hex(o.da)}, ${hex(o.size)} bytes` }));
      s.append(rect);
    }
  });
  const legend = el('ul', { class: 'legend' }, ...(['reserved', 'segment', 'carveout', 'table', 'trace', 'vring'] as const).map((k) => el('li', { class: k }, k === 'reserved' ? 'device-tree carveout' : k)), el('li', { class: 'overlap' }, 'overlap'));
  return el('section', { 'aria-label': 'memory map' }, el('h2', {}, 'Memory map'), rows.length ? s : el('p', { class: 'muted' }, 'Nothing to draw.'), legend);
}

function textAt(text: string, x: number, y: number, cls: string): SVGTextElement {
  const t = svg('text', { x, y, class: cls });
  t.textContent = text;
  return t;
}

// ---- hex view ----

function hexPart(v: TableView): HTMLElement {
  const part = el('section', { 'aria-label': 'hex view of .resource_table' }, el('h2', {}, '.resource_table bytes'));
  if (!v.section) return part.appendChild(el('p', { class: 'muted' }, 'No table bytes.')), part;
  const grid = el('div', { class: 'hex', id: 'hex' });
  const bytes = v.section.bytes;
  for (let row = 0; row < bytes.length; row += 16) {
    const line = el('div', { class: 'hex-row' }, el('span', { class: 'addr' }, row.toString(16).padStart(4, '0')));
    let ascii = '';
    for (let i = row; i < Math.min(row + 16, bytes.length); i++) {
      line.append(el('span', { class: 'b', 'data-off': String(i) }, bytes[i].toString(16).padStart(2, '0')));
      ascii += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
    }
    line.append(el('span', { class: 'ascii' }, ascii));
    grid.append(line);
  }
  part.append(grid);
  if (v.section.bytesCut) part.append(el('p', { class: 'muted' }, `Showing the first ${bytes.length} of ${v.section.size} bytes.`));
  return part;
}

function highlight(offset: number, length: number, cls: 'hl' | 'hover'): number {
  let n = 0;
  for (let i = offset; i < offset + length; i++) {
    const b = app.querySelector(`#hex .b[data-off="${i}"]`);
    if (!b) continue;
    b.classList.add(cls);
    n++;
  }
  return n;
}

function clearHighlight(cls: 'hl' | 'hover'): void {
  for (const b of Array.from(app.querySelectorAll(`#hex .${cls}`))) b.classList.remove(cls);
}

// ---- selection ----

function rangeOf(t: PanelTarget): { offset: number; length: number; entry?: number } | undefined {
  if (!view) return undefined;
  if ('entry' in t) {
    const e = view.entries[t.entry];
    if (t.entry === -1) return { offset: 0, length: 16 + 4 * (view.header?.num ?? 0) };
    return e && { offset: e.offset, length: e.size, entry: e.index };
  }
  const f = view.findings[t.finding];
  return f?.tableRange && { ...f.tableRange, ...(f.entry !== undefined ? { entry: f.entry } : {}) };
}

function select(t: PanelTarget, scroll: boolean): void {
  selected = t;
  clearHighlight('hl');
  for (const x of Array.from(app.querySelectorAll('.selected'))) x.classList.remove('selected');
  for (const x of Array.from(app.querySelectorAll('.finding[aria-selected="true"]'))) x.setAttribute('aria-selected', 'false');
  const r = rangeOf(t);
  if (r) highlight(r.offset, r.length, 'hl');
  const entry = 'entry' in t ? t.entry : r?.entry;
  const entryEl = entry !== undefined ? app.querySelector<HTMLElement & { open: boolean }>(`.entry[data-entry="${entry}"]`) : null;
  entryEl?.classList.add('selected');
  for (const x of Array.from(app.querySelectorAll(`#memory-map [data-entry="${entry}"]`))) x.classList.add('selected');
  const findingEl = 'finding' in t ? app.querySelector<HTMLElement>(`.finding[data-finding="${t.finding}"]`) : null;
  if (findingEl) {
    findingEl.classList.add('selected');
    findingEl.setAttribute('aria-selected', 'true');
    findingEl.tabIndex = 0;
  }
  if (scroll) {
    if (entryEl && 'entry' in t) {
      entryEl.open = true;
      closed.delete(t.entry);
    }
    (findingEl ?? entryEl)?.scrollIntoView({ block: 'center' });
    (findingEl ?? entryEl)?.focus();
    app.querySelector('#hex .hl')?.scrollIntoView({ block: 'nearest' });
  }
  report();
}

function report(): void {
  vscode.setState({ file: view?.file, selected, closed: [...closed] });
  const list = (sel: string) => app.querySelectorAll(sel).length;
  vscode.postMessage({
    type: 'rendered',
    state: {
      file: view?.file ?? '',
      entries: list('.entry'),
      findings: list('.finding'),
      mapShapes: list('#memory-map rect'),
      overlaps: list('#memory-map rect.overlap'),
      hexBytes: list('#hex .b'),
      highlighted: list('#hex .hl'),
      ...(selected ? { selected } : {}),
    },
  });
}
