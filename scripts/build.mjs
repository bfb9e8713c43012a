#!/usr/bin/env node
// Builds what ships in nodes/: per vendor (every folder of src/nodes/ with an index.ts, "common" aside)
//   nodes/<vendor>.js    the runtime, one CommonJS bundle (undici, fast-xml-parser and multicast-dns stay external)
//   nodes/<vendor>.html  the editor: the vendor's editor script, then each node's template and help
//   nodes/locales/<lang>/<vendor>.json and nodes/icons/
// Editor code is not minified: the Flow Library and node-red-dev read the registerType literals.
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'nodes');
const out = join(root, 'nodes');

async function vendors() {
  const names = [];
  for (const entry of await readdir(src, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'common' && existsSync(join(src, entry.name, 'index.ts'))) names.push(entry.name);
  }
  return names.sort();
}

async function buildRuntime(vendor) {
  await build({
    entryPoints: [join(src, vendor, 'index.ts')],
    outfile: join(out, `${vendor}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['undici', 'fast-xml-parser', 'multicast-dns'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    // Node-RED calls module.exports(RED): the bundle exports the default function itself.
    footer: { js: 'module.exports = module.exports.default;' },
  });
}

async function buildEditor(vendor) {
  const editorDir = join(src, vendor, 'editor');
  const script = await build({
    entryPoints: [join(editorDir, 'index.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2019',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const parts = [`<script type="text/javascript">\n${script.outputFiles[0].text}</script>\n`];
  const files = (await readdir(editorDir)).filter((f) => f.endsWith('.html') && !f.endsWith('.help.html')).sort();
  for (const file of files) {
    const type = file.replace(/\.html$/, '');
    const template = await readFile(join(editorDir, file), 'utf8');
    parts.push(`<script type="text/html" data-template-name="${type}">\n${template.trim()}\n</script>\n`);
    const helpFile = join(editorDir, `${type}.help.html`);
    if (existsSync(helpFile)) {
      const help = await readFile(helpFile, 'utf8');
      parts.push(`<script type="text/html" data-help-name="${type}">\n${help.trim()}\n</script>\n`);
    }
  }
  await writeFile(join(out, `${vendor}.html`), parts.join('\n'));
}

async function copyLocales(vendor) {
  const dir = join(src, vendor, 'locales');
  if (!existsSync(dir)) return;
  for (const lang of await readdir(dir)) {
    await mkdir(join(out, 'locales', lang), { recursive: true });
    await cp(join(dir, lang, `${vendor}.json`), join(out, 'locales', lang, `${vendor}.json`));
  }
}

async function main() {
  // `node scripts/build.mjs thinknx` rebuilds one node set and leaves the others in place.
  const only = process.argv.slice(2);
  if (only.length === 0) await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const list = only.length ? only : await vendors();
  await Promise.all(list.map(async (v) => {
    await buildRuntime(v);
    await buildEditor(v);
    await copyLocales(v);
  }));
  if (existsSync(join(root, 'icons'))) await cp(join(root, 'icons'), join(out, 'icons'), { recursive: true });
  console.log(`built ${list.length} node set(s): ${list.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
