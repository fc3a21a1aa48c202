// Whether an outside tool the judges need (QEMU, gdb-multiarch) runs here; asked once per tool.
import { execFileSync } from 'child_process';

const known = new Map<string, boolean>();

/** True when `command --version` runs (scripts/setup.sh installs the tools). */
export function toolAvailable(command: string): boolean {
  let ok = known.get(command);
  if (ok === undefined) {
    try {
      execFileSync(command, ['--version'], { stdio: 'ignore' });
      ok = true;
    } catch {
      ok = false;
    }
    known.set(command, ok);
  }
  return ok;
}
