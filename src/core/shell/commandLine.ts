// The shell's grammar: words with quotes, globs, `;`, `&&`, `||`, pipes, `>`/`>>` redirects and
// `#` comments, parsed into steps before anything runs (a syntax error runs nothing).

export interface Simple {
  argv: string[];
  /** Indexes of argv words with an unquoted `*` or `?`, expanded against the tree at run time. */
  globs: Set<number>;
  redirect?: { path: string; append: boolean };
}

export interface Step {
  /** Commands joined by `|`. */
  pipeline: Simple[];
  /** How this step joins the previous one. */
  join: ';' | '&&' | '||';
}

/** Words with quotes, `;`, `&&`, `||`, newlines, `>`/`>>` redirects and `#` comments. */
export function parse(text: string): Step[] {
  const steps: Step[] = [];
  let cur: Simple = { argv: [], globs: new Set() };
  let pipeline: Simple[] = [];
  let glob = false;
  let join: Step['join'] = ';';
  let word: string | undefined;
  let pendingRedirect: { append: boolean } | undefined;
  const endWord = () => {
    if (word === undefined) return;
    if (pendingRedirect) {
      cur.redirect = { path: word, append: pendingRedirect.append };
      pendingRedirect = undefined;
    } else {
      if (glob) cur.globs.add(cur.argv.length);
      cur.argv.push(word);
    }
    word = undefined;
    glob = false;
  };
  const endSimple = (token: string) => {
    endWord();
    if (pendingRedirect) throw new Error('syntax error: redirect without a file');
    if (cur.argv.length || cur.redirect) pipeline.push(cur);
    else if (token !== ';' || pipeline.length) throw new Error(`syntax error near unexpected token \`${token}'`);
    cur = { argv: [], globs: new Set() };
  };
  const endCmd = (next: Step['join']) => {
    endSimple(next);
    if (pipeline.length) steps.push({ pipeline, join });
    pipeline = [];
    join = next;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error('unterminated quoted string');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (ch === '#' && word === undefined) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (ch === ';' || ch === '\n') endCmd(';');
    else if (ch === '&' && text[i + 1] === '&') {
      endCmd('&&');
      i++;
    } else if (ch === '|' && text[i + 1] === '|') {
      endCmd('||');
      i++;
    } else if (ch === '|') {
      endSimple('|');
    } else if (ch === '>') {
      endWord();
      const append = text[i + 1] === '>';
      if (append) i++;
      pendingRedirect = { append };
    } else if (ch === ' ' || ch === '\t') endWord();
    else {
      if (ch === '*' || ch === '?') glob = true;
      word = (word ?? '') + ch;
    }
  }
  endCmd(';');
  return steps;
}
