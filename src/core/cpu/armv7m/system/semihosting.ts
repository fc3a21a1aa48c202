// Arm semihosting (BKPT 0xAB on M-profile; "Semihosting for AArch32 and AArch64", version 2.0):
// the operation in R0, its parameter block at R1, the result in R0. The console is the only file:
// ":tt" opens it, writes go to the owner's sink, and there is never anything to read. Time is the
// core's virtual time. Memory is reached as a debugger does (no MPU, no faults to the program): a
// block that is not mapped gives -1 with errno EFAULT.
import { MemoryFault, type MemoryAccess } from '../../../soc/memoryAccess';

export const enum SemihostingOp {
  SYS_OPEN = 0x01,
  SYS_CLOSE = 0x02,
  SYS_WRITEC = 0x03,
  SYS_WRITE0 = 0x04,
  SYS_WRITE = 0x05,
  SYS_READ = 0x06,
  SYS_READC = 0x07,
  SYS_ISTTY = 0x09,
  SYS_CLOCK = 0x10,
  SYS_TIME = 0x11,
  SYS_ERRNO = 0x13,
  SYS_HEAPINFO = 0x16,
  SYS_EXIT = 0x18,
  SYS_EXIT_EXTENDED = 0x20,
  SYS_ELAPSED = 0x30,
  SYS_TICKFREQ = 0x31,
}

/** The reason code of a normal exit (ADP_Stopped_ApplicationExit). */
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026;

/** errno values the host reports (newlib's numbering, which semihosting clients use). */
const ENOENT = 2;
const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 88;

/** Handles ":tt" opens as: read modes give stdin, write modes stdout, append modes stderr. */
const STDIN = 1;
const STDOUT = 2;
const STDERR = 3;
/** The longest string SYS_WRITE0 or a file name is read up to, so a missing NUL cannot run on. */
const MAX_STRING = 1 << 16;
/** The largest SYS_WRITE taken at once: more than any memory of the core, less than a wild length. */
const MAX_WRITE = 1 << 24;

/** What the core around it provides. */
export interface SemihostingHost {
  readonly memory: MemoryAccess;
  /** Core cycles since reset and the core clock in Hz: virtual time. */
  readonly cycles: number;
  readonly clockHz: number;
  /** Console output (stdout and stderr handles both). */
  write(bytes: Uint8Array): void;
  /** SYS_EXIT / SYS_EXIT_EXTENDED: the program's status (0 for a normal exit). */
  exit(status: number): void;
}

/** Thrown inside an operation when its parameter block is not readable. */
class BadBlock extends Error {}

export class Semihosting {
  private errno = 0;

  constructor(private readonly host: SemihostingHost) {}

  /** Performs operation `op` with parameter `r1`; returns the value for R0 (unsigned 32-bit). */
  call(op: number, r1: number): number {
    try {
      return this.dispatch(op >>> 0, r1 >>> 0) >>> 0;
    } catch (e) {
      if (!(e instanceof BadBlock) && !(e instanceof MemoryFault)) throw e;
      this.errno = EFAULT;
      return 0xffffffff;
    }
  }

  private dispatch(op: number, r1: number): number {
    const h = this.host;
    switch (op) {
      case SemihostingOp.SYS_OPEN: {
        const name = this.string(this.word(r1), this.word(r1 + 8));
        const mode = this.word(r1 + 4);
        if (name !== ':tt' || mode > 11) return this.fail(ENOENT);
        return mode < 4 ? STDIN : mode < 8 ? STDOUT : STDERR;
      }
      case SemihostingOp.SYS_CLOSE:
        return this.isConsole(this.word(r1)) ? 0 : this.fail(EBADF);
      case SemihostingOp.SYS_WRITEC:
        h.write(h.memory.readBytes(r1, 1));
        return 0;
      case SemihostingOp.SYS_WRITE0:
        h.write(this.bytesUntilNul(r1, MAX_STRING));
        return 0;
      case SemihostingOp.SYS_WRITE: {
        const [handle, buf, len] = [this.word(r1), this.word(r1 + 4), this.word(r1 + 8)];
        if (handle !== STDOUT && handle !== STDERR) {
          this.errno = EBADF;
          return len; // nothing written
        }
        if (len > MAX_WRITE) throw new BadBlock();
        h.write(h.memory.readBytes(buf, len));
        return 0;
      }
      case SemihostingOp.SYS_READ: {
        const [handle, len] = [this.word(r1), this.word(r1 + 8)];
        if (!this.isConsole(handle)) return this.fail(EBADF);
        return len; // end of file: no byte read
      }
      case SemihostingOp.SYS_READC:
        // The console has no input: -1, as getchar() reports end of file.
        return 0xffffffff;
      case SemihostingOp.SYS_ISTTY:
        return this.isConsole(this.word(r1)) ? 1 : 0;
      case SemihostingOp.SYS_CLOCK:
        return Math.floor((h.cycles * 100) / h.clockHz);
      case SemihostingOp.SYS_TIME:
        // Seconds of virtual time since reset: the simulation has no wall clock.
        return Math.floor(h.cycles / h.clockHz);
      case SemihostingOp.SYS_ERRNO:
        return this.errno;
      case SemihostingOp.SYS_HEAPINFO: {
        // Zeros say "unknown": the C library's start-up code falls back to its linker symbols.
        const block = this.word(r1);
        for (let i = 0; i < 4; i++) h.memory.write32(block + 4 * i, 0);
        return 0;
      }
      case SemihostingOp.SYS_EXIT:
        // On AArch32 R1 is the reason code itself; anything but a normal exit is status 1, as QEMU does.
        h.exit(r1 === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return 0;
      case SemihostingOp.SYS_EXIT_EXTENDED:
        h.exit(this.word(r1) === ADP_STOPPED_APPLICATION_EXIT ? this.word(r1 + 4) : 1);
        return 0;
      case SemihostingOp.SYS_ELAPSED:
        h.memory.write32(r1, h.cycles % 0x100000000);
        h.memory.write32(r1 + 4, Math.floor(h.cycles / 0x100000000));
        return 0;
      case SemihostingOp.SYS_TICKFREQ:
        return h.clockHz;
      default:
        return this.fail(ENOSYS);
    }
  }

  private isConsole(handle: number): boolean {
    return handle === STDIN || handle === STDOUT || handle === STDERR;
  }

  private fail(errno: number): number {
    this.errno = errno;
    return 0xffffffff;
  }

  private word(addr: number): number {
    return this.host.memory.read32(addr >>> 0) >>> 0;
  }

  private string(addr: number, len: number): string {
    if (len > MAX_STRING) throw new BadBlock();
    return new TextDecoder().decode(this.host.memory.readBytes(addr, len));
  }

  private bytesUntilNul(addr: number, max: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.host.memory.read8((addr + i) >>> 0);
      if (b === 0) break;
      out.push(b);
    }
    return Uint8Array.from(out);
  }
}
