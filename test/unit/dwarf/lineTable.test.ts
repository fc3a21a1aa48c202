// Every row of every line number program against binutils' `readelf --debug-dump=decodedline` on
// the same ELFs: -O0 and -O2 builds, DWARF 3 and DWARF 5 line tables, and the committed examples.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { parseAllLinePrograms } from '../../../src/core/dwarf/lineTable';
import { DwarfSections } from '../../../src/core/dwarf/sections';
import { EXAMPLES_DIR, fixture } from '../../fixtures/fixtures';
import * as fs from 'fs';

const ELFS = [
  fixture('gdb-m4'),
  fixture('dwarf-o2'),
  fixture('dwarf-o2-v4'),
  ...fs
    .readdirSync(EXAMPLES_DIR)
    .flatMap((d) => (fs.statSync(path.join(EXAMPLES_DIR, d)).isDirectory() ? fs.readdirSync(path.join(EXAMPLES_DIR, d)).filter((f) => f.endsWith('.elf')).map((f) => path.join(EXAMPLES_DIR, d, f)) : [])),
];

/**
 * readelf's rows as `name line address stmt` (line `-` for an end of sequence; readelf names a row's
 * file without its directory), and the paths of its file headings (directory + name).
 */
function readelf(file: string): { rows: string[]; paths: Set<string> } {
  const text = execFileSync('arm-none-eabi-readelf', ['-W', '--debug-dump=decodedline', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const rows: string[] = [];
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if (line.startsWith('Contents of')) continue;
    // A unit's heading is its DW_AT_name (`./main.c` under -ffile-prefix-map=DIR=.), where we drop `./`.
    if ((m = /^CU: (.*):$/.exec(line)) || (m = /^(\S.*):$/.exec(line))) paths.add(m[1].replace(/^\.\//, ''));
    else if ((m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)\s*(\d*)\s*(x?)\s*$/.exec(line))) {
      rows.push(`${m[2] === '-' ? '' : m[1]} ${m[2]} 0x${parseInt(m[3], 16).toString(16)}${m[5] ? ' x' : ''}`);
    }
  }
  return { rows, paths };
}

function ours(file: string): { rows: string[]; paths: Set<string> } {
  const sections = DwarfSections.fromElf(ElfFile.parse(new Uint8Array(fs.readFileSync(file))));
  const rows: string[] = [];
  const paths = new Set<string>();
  for (const p of parseAllLinePrograms(sections)) {
    for (const f of p.files) if (f) paths.add(f.path);
    for (const seq of p.sequences) {
      for (const r of seq) {
        const f = p.files[r.file];
        rows.push(r.endSequence ? ` - 0x${r.address.toString(16)}` : `${path.basename(f?.path ?? '?')} ${r.line} 0x${r.address.toString(16)}${r.isStmt ? ' x' : ''}`);
      }
    }
  }
  return { rows, paths };
}

describe('dwarf line table: every row as readelf --debug-dump=decodedline gives it', () => {
  for (const file of ELFS) {
    it(path.relative(path.dirname(EXAMPLES_DIR), file), () => {
      const theirs = readelf(file);
      const mine = ours(file);
      assert.ok(theirs.rows.length > 50, `readelf printed ${theirs.rows.length} rows`);
      assert.deepStrictEqual(mine.rows, theirs.rows);
      // Every path readelf heads rows with (directory + name) is one of the files we read.
      assert.deepStrictEqual([...theirs.paths].filter((p) => !mine.paths.has(p)), []);
    });
  }
});
