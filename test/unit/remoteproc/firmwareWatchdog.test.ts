import assert from 'assert';
import type { SystemEvent } from '../../../src/core/system';
import { STATE, fixtureSystem, shellOf } from './helpers';

// The firmware's own watchdog, inside the whole system: wwdg-m4-lockup refreshes WWDG1 from
// SysTick five times, then locks up; the watchdog resets the M4 and, through EXTI event 68, the
// host's stm32_rproc_wdg() reports the crash, once.
describe('remoteproc/the M4 firmware\'s watchdog (WWDG1 → EXTI 68 → stm32_rproc_wdg)', () => {
  it('a firmware that locks up stays running until its watchdog bites; then the kernel reports one crash and recovers', () => {
    const sys = fixtureSystem('stm32mp157', 'm4', 'wwdg-m4-lockup');
    const notices: string[] = [];
    sys.events.on((e: SystemEvent) => e.kind === 'notice' && notices.push(e.text));
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; sleep 0.005`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    assert.match(notices.join('\n'), /^locked up in HardFault at 0x[0-9a-f]{8} \(CFSR 0x[0-9a-f]{8}: [A-Z ]+\)$/m);
    assert.match(sys.snapshot().cores[0].execution?.note ?? '', /^locked up in HardFault/, 'the tree has what sysfs cannot say');
    assert.doesNotMatch(sys.dmesg(), /crash detected/, 'the host knows nothing yet');
    sh.run('sleep 0.5');
    assert.ok(notices.includes('WWDG1 reset the core: the counter reached 0x3f'), notices.join('|'));
    assert.strictEqual(sys.dmesg().match(/crash detected in m4: type watchdog\n/g)?.length, 1, sys.dmesg());
    assert.match(sys.dmesg(), /handling crash #1 in m4\n.*recovering m4\n/s);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    assert.match(sys.consoleText('m4'), /reset by WWDG1/, 'the restarted firmware read the reset flag in RCC');
  });

  it('a bite while stop waits for the shutdown ack is logged, and its handler finds the core offline (stop holds rproc->lock); held in reset, the watchdog counts no more', () => {
    const sys = fixtureSystem('stm32mp157', 'm4', 'wwdg-m4-lockup');
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; sleep 0.001; echo stop > ${STATE()}`);
    const log = sys.dmesg();
    // this firmware never takes the shutdown message: the kernel waits 500 ms, the watchdog bites at
    // 25 ms (five 1-ms refreshes, then 64 counts of 4096 × 8 PCLK1 cycles, PCLK1 = 209 MHz / 2)
    assert.match(log, /\[ {4}0\.025070\] remoteproc remoteproc0: crash detected in m4: type watchdog\n\[ {4}0\.501000\] remoteproc remoteproc0: warning: remote FW shutdown without ack\n\[ {4}0\.501000\] remoteproc remoteproc0: stopped remote processor m4\n$/);
    sh.run('sleep 0.001');
    assert.doesNotMatch(sys.dmesg(), /handling crash/, 'the crash work ran after stop, on an offline core');
    sh.run('sleep 1');
    assert.strictEqual(sys.dmesg().match(/crash detected/g)?.length, 1);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n');
  });
});
