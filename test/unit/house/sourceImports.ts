// What each TypeScript file of the repository imports, read with the compiler's parser, so the
// house tests can check the layout (who may import whom, what ships) against the code itself.
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../../../..');

export interface SourceImport {
  /** As written: a package name or a relative path. */
  readonly specifier: string;
  /** The repository-relative source file a relative import names (with `.ts`), else undefined. */
  readonly file?: string;
  /** `import type` / `export type`: erased when compiled, needs nothing at run time. */
  readonly typeOnly: boolean;
}

/** Repository-relative paths of the `.ts` files under `dir`. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const p = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  // A relative name that is no source file (the bundle's external `./debugAdapter`) stays unresolved.
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => fs.existsSync(path.join(ROOT, candidate)));
}

/** The imports, re-exports and `require()` calls of one repository-relative file. */
export function importsOf(file: string): SourceImport[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: SourceImport[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    out.push({ specifier, file: resolveRelative(file, specifier), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for relative and `node:` imports. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
