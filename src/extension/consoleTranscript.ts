// One core's remote console as text, without vscode: the firmware's bytes as they came, and the
// simulator's notices on lines of their own, marked as the simulator's. A notice that arrives in
// the middle of a firmware line ends that line first; the firmware's text goes on below it.
import { simulatorLine } from '../shared/simulatorNotice';

export class ConsoleTranscript {
  private all = '';

  /** Everything written so far. */
  get written(): string {
    return this.all;
  }

  /** Adds what the firmware printed or what the simulator says; returns the text to append. */
  add(kind: 'console' | 'notice', text: string): string {
    const out = kind === 'console' ? text : `${this.all && !this.all.endsWith('\n') ? '\n' : ''}${simulatorLine(text)}`;
    this.all += out;
    return out;
  }
}
