// Finds the C definition of a firmware's resource table in the workspace: the ELF's symbol at
// `.resource_table` names the variable; among the workspace's .c files that define it, the one the
// ELF's debug info names wins (several firmwares may each define `resource_table`).
import * as vscode from 'vscode';
import { ElfFile } from '../../core/elf/elfFile';
import { SectionHeader } from '../../core/elf/types';
import { TableDefinition, elfMentionsFile, findTableDefinition, tableSymbolName } from '../../core/rsc/tableSource';

export interface TableSourceFile {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly definition: TableDefinition;
}

const C_GLOB = '**/*.{c,cc,cpp}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.vscode-test,out,dist}/**';
/** Sources bigger than this are not firmware tables worth reading through. */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export class TableSourceLocator {
  private files: Promise<vscode.Uri[]> | undefined;
  private readonly texts = new Map<string, Promise<string | undefined>>();

  /** Forget what was read: sources may have changed. */
  reset(): void {
    this.files = undefined;
    this.texts.clear();
  }

  async locate(elf: ElfFile, section: SectionHeader, bytes: Uint8Array, entryNames: readonly string[]): Promise<TableSourceFile | undefined> {
    let symbol: string | undefined;
    try {
      symbol = tableSymbolName(elf, section);
    } catch {
      return undefined; // a malformed symbol table: the ELF's own diagnostics say so
    }
    if (!symbol) return undefined;
    const candidates: TableSourceFile[] = [];
    for (const uri of await (this.files ??= Promise.resolve(vscode.workspace.findFiles(C_GLOB, EXCLUDE_GLOB, 5000)))) {
      const text = await this.text(uri);
      if (!text || !text.includes(symbol)) continue;
      const definition = findTableDefinition(text, symbol, entryNames);
      if (definition) candidates.push({ uri, text, definition });
    }
    const named = candidates.filter((c) => elfMentionsFile(bytes, c.uri.path.slice(c.uri.path.lastIndexOf('/') + 1)));
    // Without debug info a single definition is still unambiguous; several are not.
    if (named.length === 1) return named[0];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  private text(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    let t = this.texts.get(key);
    if (!t) {
      t = (async () => {
        try {
          if ((await vscode.workspace.fs.stat(uri)).size > MAX_SOURCE_BYTES) return undefined;
          return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        } catch {
          return undefined;
        }
      })();
      this.texts.set(key, t);
    }
    return t;
  }
}
