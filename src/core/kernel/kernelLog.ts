// The host's kernel log: dev_info/dev_warn/dev_err lines with the device prefix the kernel
// prints (`remoteproc remoteproc0: ...`) and dmesg's virtual timestamp.
import { Emitter } from '../sim/emitter';

export type LogLevel = 'err' | 'warn' | 'info';

export interface LogLine {
  /** Virtual time in nanoseconds. */
  readonly timeNs: number;
  readonly level: LogLevel;
  /** `remoteproc remoteproc0`, `rproc-virtio rproc-virtio.0.auto`, ... */
  readonly device: string;
  readonly message: string;
}

/** `[    1.234567] ` as dmesg prints it. */
export function dmesgStamp(timeNs: number): string {
  const us = Math.floor(timeNs / 1000);
  const sec = Math.floor(us / 1_000_000);
  return `[${String(sec).padStart(5, ' ')}.${String(us % 1_000_000).padStart(6, '0')}]`;
}

export function formatLogLine(l: LogLine): string {
  return `${dmesgStamp(l.timeNs)} ${l.device ? `${l.device}: ` : ''}${l.message}`;
}

export class KernelLog {
  readonly lines: LogLine[] = [];
  readonly onLine = new Emitter<LogLine>();

  constructor(private readonly now: () => number) {}

  write(level: LogLevel, device: string, message: string): void {
    const line: LogLine = { timeNs: this.now(), level, device, message };
    this.lines.push(line);
    this.onLine.emit(line);
  }

  /** A device's logger, like dev_err/dev_warn/dev_info on it. */
  device(name: string): DeviceLog {
    return {
      name,
      err: (m) => this.write('err', name, m),
      warn: (m) => this.write('warn', name, m),
      info: (m) => this.write('info', name, m),
    };
  }

  /** Everything, as `dmesg` prints it. */
  text(): string {
    return this.lines.map((l) => formatLogLine(l) + '\n').join('');
  }
}

export interface DeviceLog {
  readonly name: string;
  err(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}
