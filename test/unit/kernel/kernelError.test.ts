// A KernelError is known for one also when it comes from another copy of the errno module: the
// VS Code extension writes into systems its debug adapter's bundle made (an RPMsg terminal on the
// debugged system), and a refusal there must read as the kernel's, not crash the terminal.
import assert from 'assert';
import { isKernelError, KernelError } from '../../../src/core/kernel/errno';

describe('isKernelError', () => {
  it("knows another module copy's KernelError, and nothing else by its name alone", () => {
    const file = require.resolve('../../../src/core/kernel/errno');
    const ours = require.cache[file];
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module, as another bundle has
    const other = require(file) as typeof import('../../../src/core/kernel/errno');
    require.cache[file] = ours;
    assert.notEqual(other.KernelError, KernelError);
    const theirs = new other.KernelError('EPIPE');
    assert.equal(theirs instanceof KernelError, false);
    assert.equal(isKernelError(theirs), true);
    assert.equal(isKernelError(new KernelError('ENODEV')), true);
    const impostor = Object.assign(new Error('x'), { name: 'KernelError', errno: 'ENOTANERRNO' });
    assert.equal(isKernelError(impostor), false);
    assert.equal(isKernelError(new Error('EPIPE')), false);
    assert.equal(isKernelError({ name: 'KernelError', errno: 'EPIPE' }), false);
  });
});
