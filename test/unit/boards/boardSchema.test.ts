// Board files are checked with board.schema.json, the file package.json gives VS Code for
// `.amp/boards/*.json`: one schema for the editor and the tools, read by our own checker.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BOARD_SCHEMA, parseBoard } from '../../../src/core/soc/boardSchema';
import { checkJson, type JsonSchema } from '../../../src/core/soc/jsonSchema';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** The keywords checkJson() acts on, and the annotations it may ignore. */
const UNDERSTOOD = new Set(['$ref', 'type', 'enum', 'anyOf', 'properties', 'required', 'additionalProperties', 'items', 'minLength', 'pattern', 'minimum', 'maximum', 'definitions']);
const ANNOTATIONS = new Set(['$schema', 'title', 'description']);

function keywords(s: JsonSchema, out: Set<string>): Set<string> {
  for (const [k, v] of Object.entries(s)) {
    out.add(k);
    if (k === 'properties' || k === 'definitions') for (const sub of Object.values(v as Record<string, JsonSchema>)) keywords(sub, out);
    else if (k === 'items') keywords(v as JsonSchema, out);
    else if (k === 'anyOf') for (const sub of v as JsonSchema[]) keywords(sub, out);
  }
  return out;
}

describe('boards: the JSON Schema', () => {
  it('is the file package.json contributes for .amp/boards/*.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const entry = pkg.contributes.jsonValidation.find((j: { fileMatch: string }) => j.fileMatch === '.amp/boards/*.json');
    assert.ok(entry, 'no jsonValidation entry for .amp/boards/*.json');
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(ROOT, entry.url), 'utf8')), BOARD_SCHEMA);
  });

  it('uses only keywords the checker understands, so nothing the editor enforces is skipped here', () => {
    const unknown = [...keywords(BOARD_SCHEMA, new Set())].filter((k) => !UNDERSTOOD.has(k) && !ANNOTATIONS.has(k));
    assert.deepStrictEqual(unknown, []);
    assert.ok(keywords(BOARD_SCHEMA, new Set()).has('anyOf'));
  });

  it('says what a missing field should have been', () => {
    const j = JSON.parse(JSON.stringify(stm32));
    delete j.cores[0].cpu;
    delete j.cores[0].driver;
    delete j.host.cores;
    assert.deepStrictEqual(checkJson(BOARD_SCHEMA, j), [
      { path: 'host.cores', reason: 'expected a number below 2^53 (or a "0x..." string), got nothing' },
      { path: 'cores[0].cpu', reason: 'expected a non-empty string, got nothing' },
      { path: 'cores[0].driver', reason: 'expected one of stm32_rproc, k3_r5_rproc, zynqmp_r5_remoteproc, got nothing' },
    ]);
  });

  it('words a wrong value with what was expected and what was there', () => {
    const j = JSON.parse(JSON.stringify(stm32));
    j.cores[0].tableRequired = 'no';
    j.cores[0].memories[0].kind = 'flash';
    j.reservedMemory = {};
    j.extra = 1;
    assert.deepStrictEqual(checkJson(BOARD_SCHEMA, j), [
      { path: 'extra', reason: 'unknown field (expected one of $schema, id, name, description, sources, notes, host, reservedMemory, cores)' },
      { path: 'reservedMemory', reason: 'expected an array, got an object' },
      { path: 'cores[0].memories[0].kind', reason: 'expected one of sram, tcm, ddr, retram, ocram, mmio, got "flash"' },
      { path: 'cores[0].tableRequired', reason: 'expected true or false, got "no"' },
    ]);
  });

  it('holds numbers below 2^53, as JSON integers or hex or decimal strings', () => {
    const pa = (v: unknown) => {
      const j = JSON.parse(JSON.stringify(stm32));
      j.host.memory[0].pa = v;
      return checkJson(BOARD_SCHEMA, j).map((i) => i.path);
    };
    for (const good of [0, 2 ** 53 - 1, '0x1fffffffffffff', '0X00000000001fffffffffffff', '999999999999999', '0']) assert.deepStrictEqual(pa(good), [], String(good));
    for (const bad of [2 ** 53, -1, 0.5, '0x20000000000000', '1e3', '', '0x', ' 1', true, null]) assert.deepStrictEqual(pa(bad), ['host.memory[0].pa'], String(bad));
    const j = JSON.parse(JSON.stringify(stm32));
    j.host.memory[0].pa = '0x1fffffffffffff';
    j.host.memory[0].size = '1';
    assert.strictEqual(parseBoard(j, 'x.json').host.memory?.[0].pa, 2 ** 53 - 1);
  });
});
