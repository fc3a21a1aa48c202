// The host's check of what its webview posts: a message is used only when its shape is one of
// FromPanel's, since a page (or a script injected into it) can post anything.
import type { FromPanel, PanelRendered } from './panelMessages';

const COUNTS = ['entries', 'findings', 'mapShapes', 'overlaps', 'hexBytes', 'highlighted'] as const satisfies readonly (keyof PanelRendered)[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Why `target` is no PanelTarget, or undefined when it is one. */
function targetProblem(target: unknown): string | undefined {
  if (!isRecord(target)) return 'selected is not an object';
  const keys = Object.keys(target);
  if (keys.length !== 1 || (keys[0] !== 'entry' && keys[0] !== 'finding')) return 'selected names neither one entry nor one finding';
  return isCount(target[keys[0]]) ? undefined : `selected.${keys[0]} is not an index`;
}

/** Why `state` is no PanelRendered, or undefined when it is one. */
function renderedProblem(state: unknown): string | undefined {
  if (!isRecord(state)) return 'state is not an object';
  if (typeof state.file !== 'string') return 'state.file is not a string';
  const bad = COUNTS.find((k) => !isCount(state[k]));
  if (bad) return `state.${bad} is not a count`;
  return state.selected === undefined ? undefined : targetProblem(state.selected);
}

/** Why `m` is no FromPanel message (for the log), or undefined when it is one. */
export function fromPanelProblem(m: unknown): string | undefined {
  if (!isRecord(m)) return 'not an object';
  switch (m.type) {
    case 'ready':
      return undefined;
    case 'rendered':
      return renderedProblem(m.state);
    default:
      return typeof m.type === 'string' ? `unknown type '${m.type.slice(0, 40)}'` : 'no type';
  }
}

export function isFromPanel(m: unknown): m is FromPanel {
  return fromPanelProblem(m) === undefined;
}
