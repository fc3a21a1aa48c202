// The panel host uses a webview message only when it has one of FromPanel's shapes.
import assert from 'assert';
import { fromPanelProblem, isFromPanel } from '../../../src/common/fromPanelCheck';

const rendered = {
  file: '/w/fw.elf',
  entries: 3,
  findings: 1,
  mapShapes: 9,
  overlaps: 0,
  hexBytes: 96,
  highlighted: 16,
};

describe('common: the check of webview messages', () => {
  it('accepts what the webview posts: ready, and rendered with or without a selection', () => {
    for (const m of [{ type: 'ready' }, { type: 'rendered', state: rendered }, { type: 'rendered', state: { ...rendered, selected: { entry: 2 } } }, { type: 'rendered', state: { ...rendered, selected: { finding: 0 } } }]) {
      assert.strictEqual(fromPanelProblem(m), undefined, JSON.stringify(m));
      assert.ok(isFromPanel(m));
    }
  });

  it('rejects anything else, saying why', () => {
    const cases: [unknown, string][] = [
      [undefined, 'not an object'],
      ['ready', 'not an object'],
      [[{ type: 'ready' }], 'not an object'],
      [{}, 'no type'],
      [{ type: 'snapshot', view: {} }, "unknown type 'snapshot'"],
      [{ type: 'x'.repeat(1000) }, `unknown type '${'x'.repeat(40)}'`],
      [{ type: 'rendered' }, 'state is not an object'],
      [{ type: 'rendered', state: { ...rendered, file: 7 } }, 'state.file is not a string'],
      [{ type: 'rendered', state: { ...rendered, hexBytes: '96' } }, 'state.hexBytes is not a count'],
      [{ type: 'rendered', state: { ...rendered, entries: -1 } }, 'state.entries is not a count'],
      [{ type: 'rendered', state: { ...rendered, overlaps: 0.5 } }, 'state.overlaps is not a count'],
      [{ type: 'rendered', state: { ...rendered, selected: 2 } }, 'selected is not an object'],
      [{ type: 'rendered', state: { ...rendered, selected: { entry: 1, finding: 1 } } }, 'selected names neither one entry nor one finding'],
      [{ type: 'rendered', state: { ...rendered, selected: { line: 1 } } }, 'selected names neither one entry nor one finding'],
      [{ type: 'rendered', state: { ...rendered, selected: { finding: '0' } } }, 'selected.finding is not an index'],
    ];
    for (const [m, why] of cases) {
      assert.strictEqual(fromPanelProblem(m), why, JSON.stringify(m)?.slice(0, 80));
      assert.strictEqual(isFromPanel(m), false);
    }
  });
});
