// Writes dist/README.md, the README the .vsix carries (`vsce package --readme-path`): its pictures
// inlined as data: URIs. VS Code's Details page renders the README in a webview with no base URL
// and a CSP of `img-src https: data:`, so a relative picture never shows there, and an https one
// would need a published copy of the repository; inline pictures show offline. Links to other
// files (docs/*.md) stay relative: .vscodeignore ships their targets.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { extname } from 'node:path';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.gif': 'image/gif' };
const readme = readFileSync('README.md', 'utf8');
const packaged = readme.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => {
  if (/^[a-z]+:/i.test(target)) return whole;
  const type = TYPES[extname(target).toLowerCase()];
  if (!type) throw new Error(`README.md: picture ${target} is not PNG, JPEG or GIF (the Details page refuses SVG)`);
  return `![${alt}](data:${type};base64,${readFileSync(target).toString('base64')})`;
});
mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.md', packaged);
