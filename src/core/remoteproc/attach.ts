// rproc_attach() and rproc_detach(): take over a core someone else started, its resource table
// read from memory, and hand it back running with a clean table.
import { KernelError, codeOf } from '../kernel/errno';
import { cachedTable, loadedTable } from './tableRef';
import type { Rproc } from './rproc';

/** rproc_attach(): take over a core someone else started; its table is read from memory. */
export function rprocAttach(r: Rproc): void {
  r.driver.prepare(r);
  try {
    let loc;
    try {
      loc = r.driver.loadedTable(r);
    } catch (e) {
      r.log.err(`can't load resource table: ${codeOf(e)}`);
      throw e;
    }
    if (loc) {
      if (r.driver.canDetach) r.cleanTable = r.hostMem.readBytes(loc.pa, loc.size);
      r.cachedTable = undefined;
      r.tablePtr = loadedTable(r.hostMem, loc.pa, loc.size);
      r.tableSz = loc.size;
    }
    r.setUpResources();
    try {
      r.driver.attach(r);
    } catch (e) {
      r.log.err(`can't attach to rproc ${r.name}: ${codeOf(e)}`);
      throw e;
    }
    try {
      r.startSubdevices();
    } catch (e) {
      r.log.err(`failed to probe subdevices for ${r.name}: ${codeOf(e)}`);
      throw e;
    }
  } catch (e) {
    r.releaseResources();
    r.driver.unprepare(r);
    r.cleanTable = undefined;
    throw e;
  }
  r.setState('attached');
  r.log.info(`remote processor ${r.name} is now attached`);
}

export function rprocDetach(r: Rproc): void {
  if (r.state !== 'attached') throw new KernelError('EINVAL');
  r.powerDown(() => detachDevice(r));
}

/** __rproc_detach(). */
function detachDevice(r: Rproc): void {
  if (!r.driver.canDetach) throw new KernelError('EINVAL');
  r.stopSubdevices(false);
  // rproc_reset_rsc_table_on_detach(): keep what the host wrote, give the remote a clean table.
  if (r.tablePtr) {
    if (!r.cleanTable) throw new KernelError('EINVAL');
    const installed = r.tablePtr;
    r.cachedTable = installed.bytes();
    r.tablePtr = cachedTable(r.cachedTable);
    if (installed.pa !== undefined) r.hostMem.writeBytes(installed.pa, r.cleanTable);
    r.cleanTable = undefined;
  }
  r.holdingLock(() => r.driver.detach(r));
  r.setState('detached');
  r.log.info(`detached remote processor ${r.name}`);
}
