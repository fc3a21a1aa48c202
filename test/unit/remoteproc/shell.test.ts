import assert from 'assert';
import { STATE, exampleImage, exampleSystem, shellOf } from './helpers';

describe('shell over the simulated host', () => {
  it('cp from the host disk into /lib/firmware, point firmware at it, boot it', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys, { '/home/me/build/fw.elf': exampleImage('stm32mp157') });
    const r = sh.run(`cp /home/me/build/fw.elf /lib/firmware/ && echo fw.elf > /sys/class/remoteproc/remoteproc0/firmware && echo start > ${STATE()} && cat ${STATE()}`);
    assert.strictEqual(r.status, 0, r.err);
    assert.strictEqual(r.out, 'running\n');
    assert.ok(sys.dmesg().includes(`Booting fw image fw.elf, size ${exampleImage('stm32mp157').length}\n`));
    assert.strictEqual(sh.run('ls /lib/firmware').out, 'fw.elf\nrproc-m4-fw.elf\n');
  });

  it('says what failed the way a shell does, with the exit status', () => {
    const sh = shellOf(exampleSystem('stm32mp157'));
    assert.deepStrictEqual(sh.run('cat /nope'), { status: 1, out: '', err: 'cat: /nope: No such file or directory\n' });
    assert.deepStrictEqual(sh.run('cat /sys/class'), { status: 1, out: '', err: 'cat: /sys/class: Is a directory\n' });
    assert.deepStrictEqual(sh.run('ls /nope'), { status: 2, out: '', err: "ls: cannot access '/nope': No such file or directory\n" });
    assert.deepStrictEqual(sh.run('frobnicate'), { status: 127, out: '', err: 'sh: frobnicate: not found\n' });
    assert.deepStrictEqual(sh.run('cp /no/such /lib/firmware/'), { status: 1, out: '', err: "cp: cannot stat '/no/such': No such file or directory\n" });
    assert.deepStrictEqual(sh.run('echo x > /sys/class/remoteproc/remoteproc0/new'), { status: 1, out: '', err: 'sh: /sys/class/remoteproc/remoteproc0/new: Permission denied\n' });
    assert.deepStrictEqual(sh.run('echo x > /nodir/f'), { status: 1, out: '', err: 'sh: /nodir/f: No such file or directory\n' });
    assert.deepStrictEqual(sh.run('sleep soon'), { status: 1, out: '', err: "sleep: invalid time interval 'soon'\n" });
    assert.deepStrictEqual(sh.run("echo 'unterminated"), { status: 2, out: '', err: 'sh: unterminated quoted string\n' });
  });

  it('joins commands with ; && || and keeps going after a failure only where sh does', () => {
    const sh = shellOf(exampleSystem('stm32mp157'));
    assert.strictEqual(sh.run('false && echo no; echo yes').out, 'yes\n');
    assert.strictEqual(sh.run('false || echo rescued').out, 'rescued\n');
    const r = sh.run(`echo stop > ${STATE()}; echo after`);
    assert.strictEqual(r.status, 0);
    assert.strictEqual(r.out, 'after\n');
    assert.strictEqual(sh.shell.anyFailed, true);
  });

  it('sleep advances virtual time (seconds, as on the board); dmesg timestamps follow', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`sleep 1.5; echo start > ${STATE()}; sleep 2m`);
    assert.strictEqual(sys.now(), 121.5e9);
    assert.match(sys.dmesg(), /\[ {4}1\.500000\] remoteproc remoteproc0: powering up m4/);
  });

  it('expands * and ? against the tree, not inside quotes', () => {
    const sh = shellOf(exampleSystem('am64x'));
    assert.strictEqual(sh.run('cat /sys/class/remoteproc/remoteproc?/name').out, '78000000.r5f\n78200000.r5f\n78400000.r5f\n78600000.r5f\n');
    assert.strictEqual(sh.run('echo "/sys/class/remoteproc/*"').out, '/sys/class/remoteproc/*\n');
    assert.strictEqual(sh.run('echo /nothing/*').out, '/nothing/*\n');
  });

  it('pipes into grep, head and tail, as people read dmesg on the board', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}`);
    assert.strictEqual(sh.run('dmesg | grep "is now up" | tail -n 1').out, '[    0.000000] remoteproc remoteproc0: remote processor m4 is now up\n');
    assert.strictEqual(sh.run('dmesg | head -2 | tail -1').out, '[    0.000000] remoteproc remoteproc0: powering up m4\n');
    assert.strictEqual(sh.run('dmesg | grep -c rproc-virtio').out, '2\n');
    assert.deepStrictEqual(sh.run('dmesg | grep nothing-like-this'), { status: 1, out: '', err: '' });
    assert.strictEqual(sh.run('cat /sys/class/remoteproc/remoteproc0/name | cat').out, 'm4\n');
    assert.strictEqual(sh.run('echo a |').status, 2);
  });

  it('echo -n, quotes, >> to a regular file, comments', () => {
    const sh = shellOf(exampleSystem('stm32mp157'));
    sh.run('echo -n "a  b" > /tmp/f; echo c >> /tmp/f # comment');
    assert.strictEqual(sh.run('cat /tmp/f').out, 'a  bc\n');
  });

  it('tells what a helper may add: extra commands run with the same context', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.shell.addCommand('uptime', (_a, ctx) => {
      ctx.out(`${ctx.system.now() / 1e9}\n`);
      return 0;
    });
    assert.strictEqual(sh.run('sleep 3; uptime').out, '3\n');
  });
});
