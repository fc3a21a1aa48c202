// The example firmware shipped with ampw (`examples/<board>/`), found from the running script so it
// works from dist/ (bundled), from out/ (tests) and from an installed package alike.
import * as fs from 'fs';
import * as path from 'path';

/** The shipped example ELF for a board's core (its file name carries the core id), if there is one. */
export function bundledExample(boardId: string, coreId: string): string | undefined {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const boardDir = path.join(dir, 'examples', boardId);
    if (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(boardDir)) continue;
    const elf = fs.readdirSync(boardDir).find((f) => f.endsWith('.elf') && f.includes(coreId));
    return elf && path.join(boardDir, elf);
  }
  return undefined;
}
