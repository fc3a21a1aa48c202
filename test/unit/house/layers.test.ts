// The layout DESIGN.md draws, checked against the imports: what the host kernel's subsystems
// share lives in src/core/kernel, the remote model knows nothing of the host, and src/ holds only
// what the product runs.
import assert from 'assert';
import { importsOf, sourceFiles } from './sourceImports';

/** The bundles' entry points (scripts/build.mjs). */
const ENTRY_POINTS = ['src/extension/extension.ts', 'src/debug/ampDebugSession.ts', 'src/cli/main.ts', 'media/panel/main.ts'];

/** Files of `dir` that import a file under one of `banned`, as `file -> imported`. */
function crossings(dir: string, banned: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((i) => i.file && banned.some((b) => i.file!.startsWith(b)))
      .map((i) => `${file} -> ${i.file}`),
  );
}

/** Every source file the entry points load, directly or not. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of importsOf(file)) if (i.file) stack.push(i.file);
  }
  return seen;
}

describe('house: layers', () => {
  it('rpmsg does not reach into remoteproc (what both use lives in kernel/ and virtio/)', () => {
    assert.deepStrictEqual(crossings('src/core/rpmsg', ['src/core/remoteproc/']), []);
  });

  it('the remote model imports nothing of the host kernel (its log, errno, remoteproc)', () => {
    assert.deepStrictEqual(crossings('src/core/remote', ['src/core/kernel/', 'src/core/remoteproc/']), []);
  });

  it('no module of src/ is loaded only by tests or benches', () => {
    const product = reachable(ENTRY_POINTS);
    const used = new Set([...sourceFiles('test'), ...sourceFiles('bench')].flatMap((f) => importsOf(f).map((i) => i.file)));
    assert.deepStrictEqual(sourceFiles('src').filter((f) => used.has(f) && !product.has(f)), []);
  });
});
