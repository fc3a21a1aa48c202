// Linux errno values the host's subsystems (remoteproc, rpmsg, the shell) return, with the C
// library's strerror text that a shell prints for a failed write (`echo: write error: Device or
// resource busy`).

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EISDIR: 21,
  EINVAL: 22,
  ENOSPC: 28,
  ENOSYS: 38,
  EOVERFLOW: 75,
  ERANGE: 34,
  EAGAIN: 11,
  EPIPE: 32,
  EMSGSIZE: 90,
  EACCES: 13,
  ENOTDIR: 20,
} as const;

export type ErrnoName = keyof typeof ERRNO;

const STRERROR: Record<ErrnoName, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENOMEM: 'Cannot allocate memory',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  ENODEV: 'No such device',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  ENOSYS: 'Function not implemented',
  EOVERFLOW: 'Value too large for defined data type',
  ERANGE: 'Numerical result out of range',
  EAGAIN: 'Resource temporarily unavailable',
  EPIPE: 'Broken pipe',
  EMSGSIZE: 'Message too long',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
};

export function strerror(name: ErrnoName): string {
  return STRERROR[name];
}

export function errnoName(code: number): ErrnoName | undefined {
  const abs = Math.abs(code);
  for (const [k, v] of Object.entries(ERRNO)) if (v === abs) return k as ErrnoName;
  return undefined;
}

/** A kernel call failed with -errno; carries the name for the shell and the number for the log. */
export class KernelError extends Error {
  constructor(readonly errno: ErrnoName) {
    super(`${errno} (-${ERRNO[errno]}): ${STRERROR[errno]}`);
    this.name = 'KernelError';
  }

  /** As the kernel prints it: `-22`. */
  get code(): number {
    return -ERRNO[this.errno];
  }
}

/**
 * A KernelError, also one thrown by another bundle's copy of this module: the VS Code extension
 * writes into systems its debug adapter (a bundle of its own) made, and `instanceof` cannot see those.
 */
export function isKernelError(e: unknown): e is KernelError {
  if (e instanceof KernelError) return true;
  if (!(e instanceof Error) || e.name !== 'KernelError') return false;
  const errno: unknown = (e as { errno?: unknown }).errno;
  return typeof errno === 'string' && Object.hasOwn(ERRNO, errno);
}

/** The negative errno of a failure, as the kernel prints `%d`. */
export function codeOf(e: unknown): number {
  if (e instanceof KernelError) return e.code;
  throw e;
}
