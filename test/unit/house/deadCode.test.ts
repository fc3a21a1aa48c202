// Exported functions of the core that nothing calls are dead code: they go rather than drift.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { ROOT, sourceFiles } from './sourceImports';

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Names of the functions `file` declares with `export function`. */
function exportedFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return source.statements
    .filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && !!s.name && !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    .map((s) => s.name!.text);
}

describe('house: dead code', () => {
  it('every exported function of src/core is called from somewhere (its own file, src/, test/ or bench/)', () => {
    const texts = new Map([...sourceFiles('src'), ...sourceFiles('test'), ...sourceFiles('bench')].map((f) => [f, read(f)]));
    const unused = sourceFiles('src/core').flatMap((file) =>
      exportedFunctions(file)
        .filter((name) => {
          const word = new RegExp(`\\b${name}\\b`);
          const inOwn = texts.get(file)!.split(word).length - 1;
          return inOwn <= 1 && ![...texts].some(([other, text]) => other !== file && word.test(text));
        })
        .map((name) => `${file}: ${name}`),
    );
    assert.deepStrictEqual(unused, []);
  });
});
