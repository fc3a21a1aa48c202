import assert from 'node:assert/strict';
import type { RpmsgTerminal } from '../../../src/extension/rpmsgTerminal';
import type { AmpApi } from '../../../src/extension/extension';
import { eventually } from './helpers';
import { act, clearSettings, freshSession, openTerminal, typeInto } from './faces';

const count = (s: string, part: string): number => s.split(part).length - 1;

describe('RPMsg terminal', () => {
  let api: AmpApi;
  let pty: RpmsgTerminal;
  after(clearSettings);

  before(async () => {
    api = await freshSession();
    await act('amp.boot');
    pty = await openTerminal(api);
  });

  it('opens on the only tty, /dev/ttyRPMSG0, and says what it is bound to', () => {
    assert.equal(pty.node, '/dev/ttyRPMSG0');
    assert.match(pty.transcript, /\[AMP\] \/dev\/ttyRPMSG0 \(rpmsg-tty on remoteproc0\)/);
  });

  it('sends a typed line and shows the remote\'s echo after the local echo', async () => {
    typeInto(pty, 'hello amp\r');
    await eventually('the echo', () => (pty.received.includes('hello amp\n') ? true : undefined));
    // The line as typed (local echo), then the remote's answer: two finished lines on screen.
    await eventually('both lines on screen', () => (count(pty.transcript, 'hello amp\r\n') === 2 ? true : undefined));
  });

  it('edits the line: backspace, arrows, insert in the middle; history with the up arrow', async () => {
    typeInto(pty, 'abX\x7fc\x1b[D\x1b[D\x1b[Dz\r');
    await eventually('the edited line', () => (pty.received.includes('zabc\n') ? true : undefined));
    assert.ok(!pty.received.includes('X'));
    typeInto(pty, '\x1b[A\r');
    await eventually('the recalled line', () => (count(pty.received, 'zabc\n') === 2 ? true : undefined));
  });

  it('turns local echo off and on (Ctrl+E)', async () => {
    typeInto(pty, '\x05quiet\r');
    await eventually('the echo of quiet', () => (pty.received.includes('quiet\n') ? true : undefined));
    assert.equal(count(pty.transcript, 'quiet'), 1, 'only the remote\'s echo');
    assert.equal(count(pty.transcript, 'quiet\r\n'), 1);
    assert.match(pty.transcript, /local echo off/);
    typeInto(pty, '\x05');
    await eventually('local echo on', () => (pty.localEcho ? true : undefined));
  });

  it('hex mode (Ctrl+X): typed pairs are bytes, received bytes shown in hex', async () => {
    typeInto(pty, '\x1841 42 0a\r');
    await eventually('AB echoed', () => (pty.received.includes('AB\n') ? true : undefined));
    await eventually('hex on screen', () => (pty.transcript.includes('41 42 0a\r\n') ? true : undefined));
    typeInto(pty, 'zz\r');
    await eventually('the refusal', () => (pty.transcript.includes("not hex bytes: 'zz'") ? true : undefined));
    typeInto(pty, '\x18');
    await eventually('hex off', () => (pty.hex ? undefined : true));
  });

  it('says when the channel goes away with a crash, and when it is back after recovery', async () => {
    await act('amp.crash', undefined, 'watchdog');
    await eventually('the notice', () => (pty.transcript.includes('[AMP] /dev/ttyRPMSG0 went away: remoteproc0 crashed') ? true : undefined));
    await eventually('the return', () => (pty.transcript.includes('[AMP] rpmsg-tty is back as /dev/ttyRPMSG0') ? true : undefined));
    typeInto(pty, 'after recovery\r');
    await eventually('the echo after recovery', () => (pty.received.includes('after recovery\n') ? true : undefined));
  });

  it('runs several terminals at once: a second endpoint made by rpmsg_export_ept on the same service', async () => {
    assert.deepEqual(await api.session.shell('rpmsg_export_ept /dev/rpmsg_ctrl0 rpmsg-tty -1 0x400'), { status: 0, out: '', err: '' });
    const second = await openTerminal(api, '/dev/rpmsg0');
    assert.equal(second.node, '/dev/rpmsg0');
    assert.equal(api.terminals.length, 2);
    typeInto(pty, 'via tty\r');
    await eventually('the tty echo', () => (pty.received.includes('via tty\n') ? true : undefined));
    // The example firmware echoes each message to its sender: the second endpoint's line comes
    // back to the second terminal, not to the tty.
    typeInto(second, 'via rpmsg0\r');
    await eventually('the echo of the second endpoint\'s line', () => (second.received.includes('via rpmsg0\n') ? true : undefined));
    assert.ok(!pty.received.includes('via rpmsg0'));
    await act('amp.stop');
    await eventually('both notices', () => [pty, second].every((t) => t.transcript.includes('went away: remoteproc0 stopped')) ? true : undefined);
    typeInto(pty, 'nobody\r');
    await eventually('the refusal', () => (pty.transcript.includes('not connected') ? true : undefined));
  });
});
