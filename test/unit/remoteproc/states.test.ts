import assert from 'assert';
import { DEBUG, STATE, exampleSystem, shellOf } from './helpers';

const SYS = '/sys/class/remoteproc/remoteproc0';

function fresh(board: 'stm32mp157' | 'am64x' | 'zynqmp' = 'stm32mp157') {
  const sys = exampleSystem(board);
  return { sys, sh: shellOf(sys) };
}

/** The log lines added by `fn`, without timestamps. */
function logOf(sys: ReturnType<typeof exampleSystem>, fn: () => void): string[] {
  const before = sys.log.lines.length;
  fn();
  return sys.log.lines.slice(before).map((l) => `${l.device}: ${l.message}`);
}

describe('remoteproc/states and sysfs refusals', () => {
  it('starts offline with the default attributes of the driver', () => {
    const { sh } = fresh();
    const r = sh.run(`cat ${SYS}/state ${SYS}/name ${SYS}/firmware ${SYS}/recovery ${SYS}/coredump`);
    assert.strictEqual(r.out, 'offline\nm4\nrproc-m4-fw.elf\nenabled\ndisabled\n');
    assert.strictEqual(fresh('am64x').sh.run(`cat ${SYS}/recovery`).out, 'disabled\n', 'k3_r5 disables recovery');
    assert.strictEqual(fresh('zynqmp').sh.run(`cat ${SYS}/recovery`).out, 'disabled\n', 'xlnx_r5 disables recovery');
  });

  it('start twice only counts power (no error, no second boot); the first stop then does nothing', () => {
    const { sys, sh } = fresh();
    assert.strictEqual(sh.run(`echo start > ${STATE()}`).status, 0);
    const second = logOf(sys, () => assert.strictEqual(sh.run(`echo start > ${STATE()}`).status, 0));
    assert.deepStrictEqual(second, []);
    assert.strictEqual(sys.rproc('m4').power, 2);
    sh.run(`echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    sh.run(`echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n');
  });

  it('stop when offline is EINVAL, silently in the log', () => {
    const { sys, sh } = fresh();
    let r!: ReturnType<typeof sh.run>;
    assert.deepStrictEqual(logOf(sys, () => (r = sh.run(`echo stop > ${STATE()}`))), []);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.err, 'echo: write error: Invalid argument\n');
  });

  it('an unknown word in state is EINVAL with "Unrecognised option"', () => {
    const { sys, sh } = fresh();
    let r!: ReturnType<typeof sh.run>;
    const log = logOf(sys, () => (r = sh.run(`echo run > ${STATE()}`)));
    assert.deepStrictEqual(log, ['remoteproc remoteproc0: Unrecognised option: run']);
    assert.strictEqual(r.err, 'echo: write error: Invalid argument\n');
  });

  it('firmware cannot change while running (EBUSY, logged on the platform device) and not to an empty name', () => {
    const { sys, sh } = fresh();
    sh.run(`echo start > ${STATE()}`);
    let r!: ReturnType<typeof sh.run>;
    const log = logOf(sys, () => (r = sh.run(`echo other-fw > ${SYS}/firmware`)));
    assert.deepStrictEqual(log, ["stm32-rproc 10000000.m4: can't change firmware while running"]);
    assert.strictEqual(r.err, 'echo: write error: Device or resource busy\n');
    sh.run(`echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`echo > ${SYS}/firmware`).err, 'echo: write error: Invalid argument\n');
    assert.match(sys.dmesg(), /stm32-rproc 10000000\.m4: can't provide empty string for firmware name/);
    assert.strictEqual(sh.run(`echo other-fw > ${SYS}/firmware; cat ${SYS}/firmware`).out, 'other-fw\n');
  });

  it('a missing firmware file fails the boot with the loader warning and -2', () => {
    const { sys, sh } = fresh();
    sh.run(`echo nope.elf > ${SYS}/firmware`);
    let r!: ReturnType<typeof sh.run>;
    const log = logOf(sys, () => (r = sh.run(`echo start > ${STATE()}`)));
    assert.deepStrictEqual(log, [
      'remoteproc remoteproc0: powering up m4',
      'remoteproc remoteproc0: Direct firmware load for nope.elf failed with error -2',
      'remoteproc remoteproc0: request_firmware failed: -2',
      'remoteproc remoteproc0: Boot failed: -2',
    ]);
    assert.strictEqual(r.err, 'echo: write error: No such file or directory\n');
    assert.strictEqual(sys.rproc('m4').power, 0, 'a failed boot gives the power count back');
  });

  it('name is read-only: the shell cannot open it for writing', () => {
    const { sh } = fresh();
    const r = sh.run(`echo x > ${SYS}/name`);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.err, `sh: ${SYS}/name: Permission denied\n`);
  });

  it('detach is EINVAL unless attached', () => {
    const { sh } = fresh();
    sh.run(`echo start > ${STATE()}`);
    assert.strictEqual(sh.run(`echo detach > ${STATE()}`).err, 'echo: write error: Invalid argument\n');
  });

  it('recovery accepts enabled, disabled, recover and refuses anything else', () => {
    const { sh } = fresh();
    assert.strictEqual(sh.run(`echo disabled > ${SYS}/recovery; cat ${SYS}/recovery`).out, 'disabled\n');
    assert.strictEqual(sh.run(`echo enabled > ${SYS}/recovery; cat ${SYS}/recovery`).out, 'enabled\n');
    assert.strictEqual(sh.run(`echo recover > ${SYS}/recovery`).status, 0);
    assert.strictEqual(sh.run(`echo maybe > ${SYS}/recovery`).err, 'echo: write error: Invalid argument\n');
    assert.strictEqual(sh.run(`echo disabled > ${DEBUG()}/recovery; cat ${DEBUG()}/recovery`).out, 'disabled\n');
    assert.strictEqual(sh.run(`echo disabledXX > ${DEBUG()}/recovery`).status, 1, 'debugfs compares count bytes');
  });

  it('coredump accepts disabled, enabled, inline; anything else is EINVAL with its message', () => {
    const { sys, sh } = fresh();
    assert.strictEqual(sh.run(`echo inline > ${SYS}/coredump; cat ${SYS}/coredump`).out, 'inline\n');
    assert.strictEqual(sh.run(`echo enabled > ${DEBUG()}/coredump; cat ${DEBUG()}/coredump`).out, 'enabled\n');
    assert.strictEqual(sh.run(`echo all > ${SYS}/coredump`).err, 'echo: write error: Invalid argument\n');
    assert.match(sys.dmesg(), /remoteproc remoteproc0: Invalid coredump configuration/);
  });

  it('a crash with recovery enabled: detected, handled, recovered, running again', () => {
    const { sys, sh } = fresh();
    sh.run(`echo start > ${STATE()}`);
    const log = logOf(sys, () => sh.run(`echo 1 > ${DEBUG()}/crash`));
    assert.deepStrictEqual(log, [
      'remoteproc remoteproc0: crash detected in m4: type watchdog',
      'remoteproc remoteproc0: handling crash #1 in m4',
      'remoteproc remoteproc0: recovering m4',
      'remoteproc remoteproc0: stopped remote processor m4',
      'rproc-virtio rproc-virtio.0.auto: assigned reserved memory node vdev0buffer@10042000',
      'virtio_rpmsg_bus virtio0: rpmsg host is online',
      'rproc-virtio rproc-virtio.0.auto: registered virtio0 (type 7)',
      'remoteproc remoteproc0: remote processor m4 is now up',
    ]);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    assert.strictEqual(sys.rproc('m4').crashCount, 1);
  });

  it('a crash with recovery disabled stays crashed; coredump cannot change then; recover brings it back', () => {
    const { sys, sh } = fresh();
    sh.run(`echo disabled > ${SYS}/recovery; echo start > ${STATE()}; echo 2 > ${DEBUG()}/crash`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'crashed\n');
    assert.match(sys.dmesg(), /crash detected in m4: type fatal error\n.*handling crash #1 in m4\n$/);
    const r = sh.run(`echo enabled > ${SYS}/coredump`);
    assert.strictEqual(r.err, 'echo: write error: Device or resource busy\n');
    assert.match(sys.dmesg(), /can't change coredump configuration/);
    // A second crash report while crashed is only logged.
    sh.run(`echo 0 > ${DEBUG()}/crash`);
    assert.match(sys.dmesg(), /crash detected in m4: type mmufault\n$/);
    assert.strictEqual(sys.rproc('m4').crashCount, 1);
    sh.run(`echo recover > ${SYS}/recovery`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    assert.strictEqual(sh.run(`cat ${SYS}/recovery`).out, 'disabled\n', 'recover does not change the flag');
  });

  it('stop from crashed shuts down; a crash report while offline is only logged', () => {
    const { sys, sh } = fresh();
    sh.run(`echo disabled > ${SYS}/recovery; echo start > ${STATE()}; echo 1 > ${DEBUG()}/crash; echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n');
    const log = logOf(sys, () => sh.run(`echo 1 > ${DEBUG()}/crash`));
    assert.deepStrictEqual(log, ['remoteproc remoteproc0: crash detected in m4: type watchdog']);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n');
  });

  it('the crash file takes a number (kstrtouint) and has no read', () => {
    const { sh } = fresh();
    assert.strictEqual(sh.run(`echo watchdog > ${DEBUG()}/crash`).err, 'echo: write error: Invalid argument\n');
    assert.strictEqual(sh.run(`cat ${DEBUG()}/crash`).err, `cat: ${DEBUG()}/crash: Invalid argument\n`);
  });

  it('a remote that faults is caught by the STM32 watchdog and recovered; on K3 the host only logs it', () => {
    const { sys, sh } = fresh();
    sh.run(`echo start > ${STATE()}`);
    sys.rproc('m4').remote.halt();
    sys.rproc('m4').remoteCrashed('mmu fault');
    sys.runFor(999e6);
    assert.doesNotMatch(sys.dmesg(), /crash detected/, 'the IWDG has not bitten yet');
    sys.runFor(1e6);
    assert.match(sys.dmesg(), /\[ {4}1\.000000\] remoteproc remoteproc0: crash detected in m4: type watchdog\n.*handling crash #1 in m4\n.*recovering m4/);
    const k3 = fresh('am64x');
    k3.sh.run(`echo start > ${STATE()}`);
    const r = k3.sys.rproc('r5f0_0');
    r.remoteCrashed('fatal error');
    assert.match(k3.sys.dmesg(), /platform 78000000\.r5f: K3 R5F rproc 78000000\.r5f crashed\n$/);
    assert.strictEqual(r.state, 'running');
  });

  it('trace and carveout files follow the run: created at boot, gone at stop', () => {
    const { sh } = fresh();
    assert.strictEqual(sh.run(`ls ${DEBUG()}`).out, 'carveout_memories\ncoredump\ncrash\nname\nrecovery\nresource_table\n');
    sh.run(`echo start > ${STATE()}`);
    assert.match(sh.run(`ls ${DEBUG()}`).out, /trace0/);
    assert.match(sh.run(`cat ${DEBUG()}/carveout_memories`).out, /^Carveout memory entry:\n\tName: retram\n\tVirtual address: [0-9a-f]{8}\n\tDMA address: 0x38000000\n\tDevice address: 0x0\n\tLength: 0x10000 Bytes\n\n/);
    sh.run(`echo stop > ${STATE()}`);
    assert.doesNotMatch(sh.run(`ls ${DEBUG()}`).out, /trace0/);
    assert.strictEqual(sh.run(`cat ${DEBUG()}/resource_table`).out, 'No resource table found\n');
    assert.strictEqual(sh.run(`cat ${DEBUG()}/carveout_memories`).out, '');
  });
});
