// `--remote-app` picks what the remote runs instead of the services named in the firmware, and
// `--early-boot` attaches with rpmsg wired before the cores probe: a core the boot loader started
// comes up with its vdev and channels, as rproc_attach() handles the table read from memory.
import assert from 'node:assert/strict';
import { ampw as run } from '../cli/cliHarness';
import { REPO_ROOT } from '../../fixtures/fixtures';

const ampw = (args: string[]) => run(args, { cwd: REPO_ROOT });
const STATE = '/sys/class/remoteproc/remoteproc0/state';
const FW = {
  stm32mp157: 'examples/stm32mp157/rproc-m4-fw.elf',
  am64x: 'examples/am64x/am64-main-r5f0_0-fw.elf',
  zynqmp: 'examples/zynqmp/rproc-r5_0-fw.elf',
};

describe('ampw --remote-app and --early-boot with rpmsg', () => {
  it('--remote-app replaces the services the firmware names, on boot and shell', async () => {
    // the am64x example names rpmsg-tty and rpmsg-client-sample
    const shell = await ampw(['shell', '--board', 'am64x', '--firmware', FW.am64x, '--remote-app', 'tty-channel', '-c', `echo start > ${STATE}; sleep 1; ls /sys/bus/rpmsg/devices`]);
    assert.equal(shell.code, 0, shell.stderr);
    assert.equal(shell.stdout, 'virtio0.rpmsg-tty-channel.-1.1024\nvirtio0.rpmsg_ctrl.0.0\nvirtio0.rpmsg_ns.53.53\n');
    const boot = await ampw(['boot', FW.stm32mp157, '--board', 'stm32mp157', '--remote-app', 'client-sample']);
    assert.equal(boot.code, 0, boot.stderr);
    assert.match(boot.stdout, /virtio_rpmsg_bus virtio0: creating channel rpmsg-client-sample addr 0x400\n/);
    assert.match(boot.stdout, /rpmsg_client_sample virtio0\.rpmsg-client-sample\.-1\.1024: new channel: 0x400 -> 0x400!/);
    assert.doesNotMatch(boot.stdout, /rpmsg-tty/);
    const echo = await ampw(['shell', '--board', 'zynqmp', '--firmware', FW.zynqmp, '--remote-app', 'echo', '-c', `echo start > ${STATE}; sleep 1; ls /sys/bus/rpmsg/devices`]);
    assert.equal(echo.stdout, 'virtio0.rpmsg-openamp-demo-channel.-1.1024\nvirtio0.rpmsg_ctrl.0.0\nvirtio0.rpmsg_ns.53.53\n');
  });

  it('an unknown --remote-app is a usage error naming the known ones', async () => {
    for (const cmd of [['shell', '--board', 'stm32mp157', '-c', 'true'], ['boot', FW.stm32mp157, '--board', 'stm32mp157']]) {
      const r = await ampw([...cmd, '--remote-app', 'blinky']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /option '--remote-app' must be one of echo, tty, tty-channel, client-sample \(got 'blinky'\)/);
    }
  });

  const talk = `cat ${STATE}; sleep 1; echo hi > /dev/ttyRPMSG0; sleep 1; cat /dev/ttyRPMSG0`;
  it('am64x --early-boot: attached at probe with its channel; the tty echoes', async () => {
    const r = await ampw(['shell', '--board', 'am64x', '--firmware', FW.am64x, '--early-boot', '-c', `${talk}; dmesg`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^attached\nhi\n/);
    assert.match(r.stdout, /is now attached\n(.*\n)*.*virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400\n/);
  });

  it('zynqmp --early-boot: detached until `start` attaches (the driver clears auto_boot); the tty echoes', async () => {
    const r = await ampw(['shell', '--board', 'zynqmp', '--firmware', FW.zynqmp, '--early-boot', '-c', `cat ${STATE}; echo start > ${STATE}; ${talk}; dmesg`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^detached\nattached\nhi\n/);
    assert.match(r.stdout, /is now attached\n(.*\n)*.*virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400\n/);
  });

  it('stm32mp157 --early-boot: detached until `start` attaches (no st,auto-boot); with --auto-boot attached at probe; both echo', async () => {
    const plain = await ampw(['shell', '--board', 'stm32mp157', '--firmware', FW.stm32mp157, '--early-boot', '-c', `cat ${STATE}; echo start > ${STATE}; ${talk}`]);
    assert.deepEqual([plain.code, plain.stdout, plain.stderr], [0, 'detached\nattached\nhi\n', '']);
    const auto = await ampw(['shell', '--board', 'stm32mp157', '--firmware', FW.stm32mp157, '--early-boot', '--auto-boot', '-c', talk]);
    assert.deepEqual([auto.code, auto.stdout, auto.stderr], [0, 'attached\nhi\n', '']);
  });

  it('--early-boot --remote-app: the application chosen runs on the core attached at probe', async () => {
    const r = await ampw(['shell', '--board', 'am64x', '--firmware', FW.am64x, '--early-boot', '--remote-app', 'echo', '-c', 'sleep 1; ls /sys/bus/rpmsg/devices']);
    assert.deepEqual([r.code, r.stdout], [0, 'virtio0.rpmsg-openamp-demo-channel.-1.1024\nvirtio0.rpmsg_ctrl.0.0\nvirtio0.rpmsg_ns.53.53\n']);
  });
});
