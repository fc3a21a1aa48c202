// package.json's `dependencies` are what the product needs at run time; everything else, tests,
// benches and type declarations included, is a devDependency.
import assert from 'assert';
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, importsOf, packageOf, sourceFiles } from './sourceImports';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

/** Packages the product's code (src/) loads at run time: no `import type`, no Node built-ins, not the host's `vscode`. */
function runtimePackages(): Set<string> {
  const out = new Set<string>();
  for (const file of sourceFiles('src')) {
    for (const i of importsOf(file)) {
      const name = packageOf(i.specifier);
      if (name && !i.typeOnly && name !== 'vscode' && !builtinModules.includes(name)) out.add(name);
    }
  }
  return out;
}

describe('house: dependencies', () => {
  it('every runtime dependency is loaded by src/ at run time, and every package src/ loads is one', () => {
    const declared = Object.keys(manifest.dependencies ?? {}).sort();
    assert.deepStrictEqual(declared, [...runtimePackages()].sort());
  });
});
