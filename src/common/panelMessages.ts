// The one message protocol between the resource-table panel's host (src/extension/panel) and its
// webview (media/panel/main.ts). Both sides import these types; nothing else crosses the boundary.
// Data only: the webview never evaluates anything it receives.

import type { TableView } from '../core/rsc/tableView';

/** What to select in the panel: an entry of the table or a finding (its id in the snapshot). */
export type PanelTarget = { readonly entry: number } | { readonly finding: number };

/** Host -> webview. */
export type ToPanel =
  /** A new or rebuilt ELF: render all of it, then select `reveal` when given. */
  | { readonly type: 'snapshot'; readonly view: TableView; readonly reveal?: PanelTarget }
  /** Select an entry or finding of the snapshot already shown. */
  | { readonly type: 'reveal'; readonly target: PanelTarget }
  /** The file could not be read at all. */
  | { readonly type: 'unreadable'; readonly file: string; readonly reason: string };

/** What the webview shows after it rendered, so the host (and its tests) know what the user sees. */
export interface PanelRendered {
  readonly file: string;
  readonly entries: number;
  readonly findings: number;
  /** Shapes drawn in the memory map's SVG (windows, items, overlaps). */
  readonly mapShapes: number;
  readonly overlaps: number;
  /** Hex bytes shown, and how many are highlighted for the selection. */
  readonly hexBytes: number;
  readonly highlighted: number;
  readonly selected?: PanelTarget;
}

/** Webview -> host. */
export type FromPanel =
  /** The script runs and listens: send the snapshot (again, after the webview was recreated). */
  | { readonly type: 'ready' }
  /** Rendering or a selection is done. */
  | { readonly type: 'rendered'; readonly state: PanelRendered };
