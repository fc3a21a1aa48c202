// Debian's gdb-multiarch in batch mode against `ampw gdbserver` (the compiled CLI, a process of its
// own) on gdb-m4.elf, built from C with -O0 -g: what a user types and what gdb prints. The same
// script runs against QEMU's gdb stub on the same ELF, and the transcripts must agree.
import assert from 'assert';
import * as path from 'path';
import { gdbAvailable, runGdb, startAmpwServer, startQemuServer, type GdbSignal, type Server } from '../../oracle/gdbBatch';
import { qemuAvailable } from '../../oracle/qemu';
import { REPO_ROOT } from '../../fixtures/fixtures';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
const ELF = 'build/gdb-m4.elf';
const CLI = path.join(REPO_ROOT, 'out/src/cli/main.js');

const ours = (): Promise<Server> => startAmpwServer(CLI, ['--board', 'stm32mp157', ELF], FIXTURES);

/** Runs `commands` against a fresh server of ours; the gdb transcript and the server's status and stdout. */
async function session(commands: readonly string[], signal?: GdbSignal): Promise<{ gdb: string; status: number | null; stdout: string }> {
  const server = await ours();
  try {
    const gdb = await runGdb(server.port, ELF, commands, FIXTURES, signal);
    return { gdb: gdb.output, status: await server.exited, stdout: server.stdout() };
  } finally {
    server.stop();
  }
}

/** Break on a C line, step into a call, finish it, next, stepi; locals, globals, memory, registers; a watchpoint; the fault handler. */
const SCRIPT = [
  'break main',
  'continue',
  'break gdb.c:20',
  'continue',
  'info locals',
  'step',
  'step',
  'info locals',
  'finish',
  'next',
  'next',
  'stepi',
  'stepi',
  'print $pc',
  'backtrace',
  'print table',
  'x/8wx table',
  'print scale',
  'info registers r0 r1 r2 r3 r7 sp lr pc xpsr',
  'watch counter',
  'continue',
  'continue',
  'delete',
  'set var mode = 2',
  'break hardfault_handler',
  'continue',
  'backtrace',
  'print/x $xpsr',
  'x/wx 0xe000ed28',
];

/** What differs between the two servers by design: gdb's last line (QEMU says it is attached, we that we loaded the program) and where semihosting output goes (ours: to gdb). */
const comparable = (transcript: string) =>
  transcript
    .split('\n')
    .filter((l) => !/^\[Inferior 1 /.test(l) && !/^(result|scaled)=/.test(l))
    .join('\n');

describe('gdb: gdb-multiarch against ampw gdbserver', function () {
  this.timeout(120000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  it('break main and a C line, step, finish, next, stepi, locals, globals, x/8wx, registers, a watchpoint, the HardFault handler: as gdb prints them on QEMU', async () => {
    const r = await session(SCRIPT);
    const lines = [
      'Breakpoint 1, main () at gdb-m4/gdb.c:40',
      'Breakpoint 2, accumulate (n=8) at gdb-m4/gdb.c:20',
      'add (a=0, b=1) at gdb-m4/gdb.c:13',
      'sum = 1',
      'Value returned is $1 = 1',
      '21\t    counter++;',
      '#1  0x00000344 in main () at gdb-m4/gdb.c:40',
      '$3 = {1, 2, 3, 5, 8, 13, 21, 34}',
      '0x424 <table>:\t0x00000001\t0x00000002\t0x00000003\t0x00000005',
      '0x434 <table+16>:\t0x00000008\t0x0000000d\t0x00000015\t0x00000022',
      '$4 = 1.5',
      'sp             0xffb8              0xffb8',
      'Hardware watchpoint 3: counter',
      'Old value = 1',
      'New value = 2',
      'Breakpoint 4, hardfault_handler () at gdb-m4/gdb.c:35',
      '#1  <signal handler called>',
      '#2  0x00000324 in undefined_instruction () at gdb-m4/gdb.c:30',
      '$5 = 0x61000003',
      '0xe000ed28:\t0x00010000',
    ];
    for (const l of lines) assert.ok(r.gdb.split('\n').includes(l), `missing line ${JSON.stringify(l)} in:\n${r.gdb}`);
    assert.match(r.gdb, /^result=87\nscaled=130\n/m, 'semihosting output reaches gdb');
    assert.strictEqual(r.status, 0, 'gdb killed the program on quitting; the server ended');
    if (!qemuAvailable()) return;
    const qemu = await startQemuServer(ELF, FIXTURES);
    try {
      const q = await runGdb(qemu.port, ELF, SCRIPT, FIXTURES);
      assert.ok(q.output.includes('#1  <signal handler called>'), q.output);
      assert.strictEqual(comparable(r.gdb), comparable(q.output));
    } finally {
      qemu.stop();
    }
  });

  it('Ctrl-C (SIGINT to gdb) interrupts a spinning loop; info registers shows the M-profile core, FPU status and the stack pointers', async () => {
    const r = await session(['break main', 'continue', 'set var mode = 1', 'delete', 'continue', 'backtrace', 'print counter > 1000', 'info registers'], { after: /scaled=130/, signal: 'SIGINT' });
    assert.match(r.gdb, /\nProgram received signal SIGINT, Interrupt\.\nspin \(\) at gdb-m4\/gdb\.c:27\n/);
    assert.match(r.gdb, /#1 {2}0x00000384 in main \(\) at gdb-m4\/gdb\.c:44/);
    assert.match(r.gdb, /\$1 = 1\n/);
    const names = [...r.gdb.matchAll(/^(\w+) +0x[0-9a-f]+ /gm)].map((m) => m[1]);
    assert.deepStrictEqual(names, [...Array.from({ length: 13 }, (_, n) => `r${n}`), 'sp', 'lr', 'pc', 'xpsr', 'fpscr', 'msp', 'psp', 'primask', 'basepri', 'faultmask', 'control']);
  });

  it('monitor reset loads the program again and halts at its reset vector; the program then runs to its exit', async () => {
    const r = await session(['break accumulate', 'continue', 'set var table[0] = 100', 'monitor reset', 'maintenance flush register-cache', 'print $pc', 'print table[0]', 'delete', 'continue']);
    assert.match(r.gdb, /\nm4: reset, pc 0x00000070, sp 0x00010000\n/);
    assert.match(r.gdb, /\$1 = \(void \(\*\)\(\)\) 0x70 <reset_handler>\n\$2 = 1\n/);
    assert.match(r.gdb, /result=87\nscaled=130\n\[Inferior 1 \(Remote target\) exited normally\]/);
    assert.strictEqual(r.status, 0);
  });

  it('detach leaves the program running on: its output on the server\'s stdout, its exit status the server\'s', async () => {
    const r = await session(['break accumulate', 'continue', 'set var table[0] = 14', 'detach']);
    assert.match(r.gdb, /\[Inferior 1 \(Remote target\) detached\]/);
    assert.strictEqual(r.stdout, 'result=100\nscaled=150\n');
    assert.strictEqual(r.status, 0);
  });

  it('gdb killed while the program runs: the server stops the program and ends (status 0)', async () => {
    const r = await session(['break main', 'continue', 'set var mode = 1', 'delete', 'continue'], { after: /scaled=130/, signal: 'SIGKILL' });
    assert.match(r.gdb, /scaled=130/);
    assert.strictEqual(r.status, 0);
  });

  it('an interrupt taken in a thread on the process stack: the backtrace goes through the exception frame into the thread (msp/psp in the description)', async () => {
    const server = await startAmpwServer(CLI, ['--board', 'stm32mp157', 'build/cpu/rtos.elf'], FIXTURES);
    try {
      const r = await runGdb(server.port, 'build/cpu/rtos.elf', ['break systick_handler', 'continue', 'continue', 'continue', 'backtrace 4', 'print/x $lr'], FIXTURES);
      // QEMU's stub, whose description has no msp/psp, makes gdb read the frame from the main stack: `#2  main () at cpu/rtos.c:170`
      assert.match(r.output, /#0 {2}systick_handler \(\) at cpu\/rtos\.c:\d+\n#1 {2}<signal handler called>\n#2 {2}compute \(\) at cpu\/rtos\.c:\d+\n#3 {2}thread_entry \(which=2\) at cpu\/rtos\.c:\d+\n/);
      assert.match(r.output, /\$1 = 0xffffffed\n/, 'EXC_RETURN: Thread mode, process stack');
    } finally {
      server.stop();
    }
  });
});
