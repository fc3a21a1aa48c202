// The simulated host's files: sysfs and debugfs attributes backed by handlers with the kernel's
// semantics, device nodes (helper code adds /dev/ttyRPMSGn and friends the same way), and plain
// files (/lib/firmware). Errors are the kernel's errno, raised as KernelError.
import { KernelError } from '../kernel/errno';

export interface FileHandlers {
  /** Octal permission bits as `ls -l` would show them (0o644, 0o444, 0o200...). */
  readonly mode: number;
  /** Whole content; absent means the file has no read operation. */
  read?(): Uint8Array | string;
  /** One write() call with the whole buffer; absent means the file has no write operation. */
  write?(data: Uint8Array): void;
  /** Regular files only: `>>` appends; attributes and devices just see another write(). */
  append?(data: Uint8Array): void;
}

interface FileEntry {
  readonly kind: 'file';
  readonly handlers: FileHandlers;
}

interface DirEntry {
  readonly kind: 'dir';
  /** Plain directories accept new regular files (`/lib/firmware`); sysfs ones do not. */
  readonly creatable: boolean;
}

type Entry = FileEntry | DirEntry;

const enc = new TextEncoder();

export function toBytes(x: Uint8Array | string): Uint8Array {
  return typeof x === 'string' ? enc.encode(x) : x;
}

/** A regular file holding bytes. */
export function regularFile(initial: Uint8Array = new Uint8Array(0)): FileHandlers & { data: Uint8Array } {
  const f = {
    mode: 0o644,
    data: initial,
    read: () => f.data,
    write: (d: Uint8Array) => {
      f.data = d;
    },
    append: (d: Uint8Array) => {
      const all = new Uint8Array(f.data.length + d.length);
      all.set(f.data);
      all.set(d, f.data.length);
      f.data = all;
    },
  };
  return f;
}

export class FileTree {
  private readonly entries = new Map<string, Entry>([['/', { kind: 'dir', creatable: false }]]);

  static normalize(path: string): string {
    const parts: string[] = [];
    for (const p of path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    return '/' + parts.join('/');
  }

  mkdir(path: string, creatable = false): void {
    const p = FileTree.normalize(path);
    if (p !== '/') this.mkdir(parentOf(p), false);
    const e = this.entries.get(p);
    if (e?.kind === 'file') throw new KernelError('ENOTDIR');
    if (!e || (creatable && !e.creatable)) this.entries.set(p, { kind: 'dir', creatable });
  }

  /** Adds (or replaces) a file; parents are created. Returns the function that removes it. */
  addFile(path: string, handlers: FileHandlers): () => void {
    const p = FileTree.normalize(path);
    this.mkdir(parentOf(p));
    const entry: FileEntry = { kind: 'file', handlers };
    this.entries.set(p, entry);
    return () => {
      if (this.entries.get(p) === entry) this.entries.delete(p);
    };
  }

  /** Removes a path and everything under it. */
  remove(path: string): void {
    const p = FileTree.normalize(path);
    for (const k of [...this.entries.keys()]) if (k === p || k.startsWith(p + '/')) this.entries.delete(k);
  }

  exists(path: string): boolean {
    return this.entries.has(FileTree.normalize(path));
  }

  /** A new regular file may be created at `path` (its directory takes new files). */
  canCreate(path: string): boolean {
    const p = FileTree.normalize(path);
    const dir = this.entries.get(parentOf(p));
    return dir?.kind === 'dir' && dir.creatable;
  }

  isDir(path: string): boolean {
    return this.entries.get(FileTree.normalize(path))?.kind === 'dir';
  }

  mode(path: string): number | undefined {
    const e = this.entries.get(FileTree.normalize(path));
    return e?.kind === 'file' ? e.handlers.mode : e ? 0o755 : undefined;
  }

  /** Names directly under a directory, sorted. */
  list(path: string): string[] {
    const p = FileTree.normalize(path);
    const e = this.entries.get(p);
    if (!e) throw new KernelError('ENOENT');
    if (e.kind !== 'dir') return [p.slice(p.lastIndexOf('/') + 1)];
    const prefix = p === '/' ? '/' : p + '/';
    const names = new Set<string>();
    for (const k of this.entries.keys()) if (k !== p && k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]);
    return [...names].sort();
  }

  read(path: string): Uint8Array {
    const e = this.entries.get(FileTree.normalize(path));
    if (!e) throw new KernelError('ENOENT');
    if (e.kind === 'dir') throw new KernelError('EISDIR');
    // A file without a read operation: open succeeds for root, read() returns -EINVAL.
    if (!e.handlers.read) throw new KernelError('EINVAL');
    return toBytes(e.handlers.read());
  }

  /** open(O_WRONLY|O_CREAT|O_TRUNC) then one write(); `append` for `>>`. */
  write(path: string, data: Uint8Array | string, append = false): void {
    const p = FileTree.normalize(path);
    let e = this.entries.get(p);
    if (!e) {
      const dir = this.entries.get(parentOf(p));
      if (!dir || dir.kind !== 'dir') throw new KernelError('ENOENT');
      if (!dir.creatable) throw new KernelError('EACCES');
      e = { kind: 'file', handlers: regularFile() };
      this.entries.set(p, e);
    }
    if (e.kind === 'dir') throw new KernelError('EISDIR');
    // sysfs refuses to open an attribute without a store method for writing.
    if (!e.handlers.write) throw new KernelError('EACCES');
    const bytes = toBytes(data);
    if (append && e.handlers.append) e.handlers.append(bytes);
    else e.handlers.write(bytes);
  }
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
