// One core's remote console as text, without vscode: the firmware's bytes as they came, and the
// simulator's notices on lines of their own, marked as the simulator's. A notice that arrives in
// the middle of a firmware line ends that line first; the firmware's text goes on below it.
import { simulatorLine } from '../common/simulatorNotice';

/** How much of what was written is kept for readers (the output channel itself keeps it all). */
const KEEP = 1 << 20;

export class ConsoleTranscript {
  private all = '';

  /** What was written, the last KEEP characters: a firmware that prints without end costs no more. */
  get written(): string {
    return this.all;
  }

  /** Adds what the firmware printed or what the simulator says; returns the text to append. */
  add(kind: 'console' | 'notice', text: string): string {
    const out = kind === 'console' ? text : `${this.all && !this.all.endsWith('\n') ? '\n' : ''}${simulatorLine(text)}`;
    this.all = (this.all + out).slice(-KEEP);
    return out;
  }
}
