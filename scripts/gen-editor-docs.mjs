// Writes markdownDescription next to every titled field of schemas/sheet.schema.json and config.schema.json: "**title** — description".
// yaml-language-server (VS Code's YAML extension) shows only markdownDescription or description in a
// completion list, never the title, so without this a clerk choosing a key would not see its Japanese
// name (主管課). Hover shows the title as a heading, then this text. Run by `npm run gen:types`;
// with --check, fails when the file is out of date (npm test runs it).
import { readFileSync, writeFileSync } from 'node:fs';

const files = ['../schemas/sheet.schema.json', '../schemas/config.schema.json'].map((f) => new URL(f, import.meta.url));
const check = process.argv.includes('--check');

function withDocs(node) {
  if (Array.isArray(node)) return node.map(withDocs);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'markdownDescription') continue;
    out[key] = key === 'examples' || key === 'enum' || key === 'const' || key === 'default' ? value : withDocs(value);
    if (key === 'description' && typeof node.title === 'string')
      out.markdownDescription = `**${node.title}** — ${value}`;
  }
  if (typeof node.title === 'string' && typeof node.description !== 'string')
    out.markdownDescription = `**${node.title}**`;
  return out;
}

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const next = `${JSON.stringify(withDocs(JSON.parse(text)), null, 2)}\n`;
  const name = file.pathname.split('/').slice(-2).join('/');
  if (check) {
    if (next !== text) {
      console.error(`${name}: markdownDescription is out of date; run npm run gen:types`);
      process.exit(1);
    }
  } else if (next !== text) {
    writeFileSync(file, next);
    console.log(`wrote ${name} (markdownDescription)`);
  }
}
