import assert from 'node:assert/strict';
import { formatResourceTable } from '../../../src/core/rsc/debugfs';
import { layoutResourceTable } from './encode';
import { goodFirmware, tableOf } from './firmware';

describe('rsc debugfs resource_table', () => {
  it('words the gcc-built table as rproc_rsc_table_show does', () => {
    assert.equal(
      formatResourceTable(tableOf(goodFirmware())),
      [
        'Entry 0 is of type carveout',
        '  Device Address 0x10030000',
        '  Physical Address 0x10030000',
        '  Length 0x8000 Bytes',
        '  Flags 0x0',
        '  Reserved (should be zero) [0]',
        '  Name shm',
        '',
        'Entry 1 is of type trace',
        '  Device Address 0x100000c8',
        '  Length 0x400 Bytes',
        '  Reserved (should be zero) [0]',
        '  Name cm4_log',
        '',
        'Entry 2 is of type vdev',
        '  ID 7',
        '  Notify ID 0',
        '  Device features 0x1',
        '  Guest features 0x0',
        '  Config length 0x0',
        '  Status 0x0',
        '  Number of vrings 2',
        '  Reserved (should be zero) [0][0]',
        '',
        '  Vring 0',
        '    Device Address 0x10040000',
        '    Alignment 16',
        '    Number of buffers 16',
        '    Notify ID 0',
        '    Physical Address 0x0',
        '',
        '  Vring 1',
        '    Device Address 0x10041000',
        '    Alignment 16',
        '    Number of buffers 16',
        '    Notify ID 1',
        '    Physical Address 0x0',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints %d members as the signed ints the kernel passes, devmem and unknown entries too', () => {
    const t = layoutResourceTable([
      { kind: 'devmem', type: 1, da: 0xffffffff, pa: 1, len: 2, flags: 3, reserved: 0xffffffff, name: 'regs' },
      { kind: 'unknown', type: 0xfffffffe, raw: new Uint8Array(4) },
    ]);
    const text = formatResourceTable(t);
    assert.match(text, /^Entry 0 is of type devmem\n {2}Device Address 0xffffffff\n/);
    assert.match(text, /Reserved \(should be zero\) \[-1\]\n/);
    assert.match(text, /Unknown resource type found: -2 \[hdr: 0000000000000050\]\n$/);
  });

  it('says so when there is no table', () => {
    assert.equal(formatResourceTable(undefined), 'No resource table found\n');
  });
});
