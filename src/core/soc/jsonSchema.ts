// A small JSON Schema (draft-07) checker for the keywords our own schemas use (board.schema.json):
// the same file VS Code reads for completion and squiggles checks the data here, so the editor and
// the tools agree. Every problem comes back with the JSON path of the value (`cores[0].memories[2].size`)
// and why, worded for a person: `expected a non-empty string, got nothing`.

/** The keywords checkJson() understands; the others (title aside) are annotations it ignores. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  /** The value matches at least one; `title` then words what was expected ("a number (or a \"0x...\" string)"). */
  readonly anyOf?: readonly JsonSchema[];
  readonly title?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  /** Only `false` (no fields besides `properties`) is understood. */
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly definitions?: Readonly<Record<string, JsonSchema>>;
}

export interface SchemaIssue {
  /** JSON path of the value: `` for the document, `host.cores`, `cores[0].memories[2].size`. */
  readonly path: string;
  readonly reason: string;
}

/** Every way `value` breaks `schema`, in document order; empty when it conforms. */
export function checkJson(schema: JsonSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  new Checker(schema, issues).check(schema, value, '');
  return issues;
}

/** A value in a message: its type, and the value itself when short. */
export function describeJson(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  null: 'null',
};

const patterns = new Map<string, RegExp>();

class Checker {
  constructor(
    private readonly root: JsonSchema,
    private readonly issues: SchemaIssue[],
  ) {}

  check(schema: JsonSchema, v: unknown, path: string): void {
    const s = this.resolve(schema);
    if (s.anyOf) {
      if (!s.anyOf.some((alt) => checkJsonAt(this.root, alt, v))) this.fail(path, `expected ${expected(s)}, got ${describeJson(v)}`);
      return;
    }
    if (s.enum && !s.enum.includes(v)) return this.fail(path, `expected ${expected(s)}, got ${describeJson(v)}`);
    if (s.type !== undefined && !hasType(v, s.type)) return this.fail(path, `expected ${expected(s)}, got ${describeJson(v)}`);
    if (typeof v === 'string') this.string(s, v, path);
    else if (typeof v === 'number') this.number(s, v, path);
    else if (Array.isArray(v)) {
      const items = s.items;
      if (items) v.forEach((x, i) => this.check(items, x, `${path}[${i}]`));
    } else if (typeof v === 'object' && v !== null) this.object(s, v as Record<string, unknown>, path);
  }

  private string(s: JsonSchema, v: string, path: string): void {
    if (s.minLength !== undefined && v.length < s.minLength) this.fail(path, `expected ${expected(s)}, got ${describeJson(v)}`);
    else if (s.pattern !== undefined && !pattern(s.pattern).test(v)) this.fail(path, `expected a string matching ${s.pattern}, got ${describeJson(v)}`);
  }

  private number(s: JsonSchema, v: number, path: string): void {
    if ((s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum)) {
      this.fail(path, `${v} is outside ${s.minimum ?? '-infinity'}..${s.maximum ?? 'infinity'}`);
    }
  }

  private object(s: JsonSchema, v: Record<string, unknown>, path: string): void {
    const props = s.properties ?? {};
    if (s.additionalProperties === false) {
      const names = Object.keys(props);
      for (const k of Object.keys(v)) if (!Object.hasOwn(props, k)) this.fail(join(path, k), `unknown field (expected one of ${names.join(', ')})`);
    }
    const required = new Set(s.required ?? []);
    for (const [k, sub] of Object.entries(props)) {
      if (Object.hasOwn(v, k)) this.check(sub, v[k], join(path, k));
      else if (required.has(k)) this.fail(join(path, k), `expected ${expected(this.resolve(sub))}, got nothing`);
    }
  }

  /** Follows `$ref: "#/definitions/NAME"` (the only references our schemas make). */
  resolve(s: JsonSchema): JsonSchema {
    if (s.$ref === undefined) return s;
    const name = /^#\/definitions\/([^/]+)$/.exec(s.$ref)?.[1];
    const target = name === undefined ? undefined : this.root.definitions?.[name];
    if (!target) throw new Error(`schema: unresolved $ref ${s.$ref}`);
    return this.resolve(target);
  }

  private fail(path: string, reason: string): void {
    this.issues.push({ path, reason });
  }
}

function checkJsonAt(root: JsonSchema, schema: JsonSchema, v: unknown): boolean {
  const issues: SchemaIssue[] = [];
  new Checker(root, issues).check(schema, v, '');
  return issues.length === 0;
}

/** What a schema asks for, as a noun phrase. */
function expected(s: JsonSchema): string {
  if (s.anyOf) return s.title ?? `one of ${s.anyOf.length} forms`;
  if (s.enum) return `one of ${s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ')}`;
  if (s.type === 'string' && (s.minLength ?? 0) > 0) return 'a non-empty string';
  return (s.type !== undefined && TYPE_WORDS[s.type]) || 'a value';
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === type;
  }
}

function pattern(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    patterns.set(source, re);
  }
  return re;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
