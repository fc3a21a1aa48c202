// The layout DESIGN.md draws, checked against the imports: what the host kernel's subsystems
// share lives in src/core/kernel, the remote model knows nothing of the host, and src/ holds only
// what the product runs.
import assert from 'assert';
import { importsOf, sourceFiles } from './sourceImports';

/** Files of `dir` that import a file under one of `banned`, as `file -> imported`. */
function crossings(dir: string, banned: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((i) => i.file && banned.some((b) => i.file!.startsWith(b)))
      .map((i) => `${file} -> ${i.file}`),
  );
}

describe('house: layers', () => {
  it('rpmsg does not reach into remoteproc (what both use lives in kernel/ and virtio/)', () => {
    assert.deepStrictEqual(crossings('src/core/rpmsg', ['src/core/remoteproc/']), []);
  });

});
