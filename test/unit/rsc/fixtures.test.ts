// The team's C-built fixtures on the bundled boards: every valid image passes the kernel's checks,
// every broken one gets the kernel's sentence from the function that prints it.
import assert from 'node:assert/strict';
import { validateFirmware } from '../../../src/core/rsc/validate';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { BROKEN_FIXTURES, VALID_FIXTURES, readFixture } from '../../fixtures/fixtures';

function target(boardId?: string, coreId?: string) {
  if (!boardId) return {};
  const board = findBoard(boardId);
  const core = board?.cores.find((c) => c.id === coreId);
  assert.ok(board && core, `board ${boardId}/${coreId}`);
  return { board, core };
}

describe('rsc validate: team fixtures on their boards', () => {
  for (const f of VALID_FIXTURES) {
    it(`${f.name} (${f.board ?? 'no board'}): ${f.kernelMessage ?? 'no kernel error'}`, () => {
      const v = validateFirmware(readFixture(f.name), target(f.board, f.core));
      const kernelErrors = v.findings.filter((x) => x.rule.startsWith('kernel/') && x.severity === 'error').map((x) => x.message);
      assert.deepEqual(kernelErrors, f.kernelMessage ? [f.kernelMessage] : []);
      assert.equal(v.table?.entries.some((e) => e.kind === 'vdev'), f.services.length > 0, 'an rpmsg vdev where it names services');
    });
  }

  // Where the list's severity and the driver differ, the driver wins: stm32_rproc_parse_fw() boots
  // on when find_table() fails, and a failed rproc-virtio probe does not stop rproc_fw_boot().
  const tolerated = (fn: string) => fn === 'find_table' || fn === 'rproc_parse_vring';
  for (const f of BROKEN_FIXTURES) {
    it(`${f.name}: "${f.message}" from ${f.kernelFunction}`, () => {
      const v = validateFirmware(readFixture(f.name), target(f.board, f.core));
      const hit = v.findings.find((x) => x.message === f.message);
      assert.ok(hit, JSON.stringify(v.findings.map((x) => x.message)));
      assert.ok(hit.rule.startsWith('kernel/'));
      assert.equal(hit.kernelFunction, f.kernelFunction);
      const severity = tolerated(f.kernelFunction) ? 'warning' : f.severity;
      assert.equal(hit.severity, severity);
      assert.equal(v.ok, severity !== 'error');
      assert.equal(typeof hit.offset, 'number');
    });
  }
});
