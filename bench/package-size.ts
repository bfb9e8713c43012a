/**
 * Package size: the tarball `npm pack` would publish (size, files), the runtime dependencies declared
 * (undici, fast-xml-parser and multicast-dns), everything they install with them, and what the shipped bundles
 * require (Node built-ins and the declared dependencies only: nothing bundled by mistake, nothing missing).
 *   npx tsx bench/package-size.ts
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ROOT, header, main, report, requireBuilt } from './lib';
import { packed, runtimeClosure } from './pack';

const ALLOWED = ['fast-xml-parser', 'multicast-dns', 'undici'];
const KIB = 1024;

/** Bare module names a bundle requires (relative paths left out). */
function requiredModules(file: string): string[] {
  const code = readFileSync(join(ROOT, file), 'utf8');
  const names = new Set<string>();
  for (const m of code.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const spec = m[1]!.replace(/^node:/, '');
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return [...names].sort();
}

main(async () => {
  requireBuilt('plugwise', 'heatingcontrol', 'thinknx', 'ems');
  header('package-size', '`npm pack --dry-run --json` (scripts not run: the build is what was last built), package.json, package-lock.json', false);
  const pkg = packed();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; 'node-red'?: { nodes?: Record<string, string> } };
  const declared = Object.keys(manifest.dependencies ?? {}).sort();
  const closure = runtimeClosure();
  const bundles = Object.values(manifest['node-red']?.nodes ?? {});
  const builtins = new Set(builtinModules.map((b) => b.replace(/^node:/, '')));
  const required = [...new Set(bundles.flatMap(requiredModules))].filter((m) => !builtins.has(m)).sort();
  const stray = required.filter((m) => !declared.includes(m));

  const largest = [...pkg.files].sort((a, b) => b.size - a.size).slice(0, 3);
  report({
    bench: 'package-size',
    measure: 'Package size (npm pack tarball)',
    value: `${(pkg.size / KIB).toFixed(1)} KiB, ${pkg.files.length} files`,
    goal: '',
    detail: `unpacked ${(pkg.unpackedSize / KIB).toFixed(0)} KiB; largest ${largest.map((f) => `${f.path} ${(f.size / KIB).toFixed(0)} KiB`).join(', ')}`,
  });
  report({
    bench: 'package-size',
    measure: 'Runtime dependencies',
    value: `${declared.join(', ')} (${closure.length} packages installed)`,
    goal: `only ${ALLOWED.join(' and ')}`,
    pass: declared.join() === ALLOWED.join() && stray.length === 0,
    detail: `the bundles require ${required.join(', ') || 'nothing'} beyond Node built-ins${stray.length ? `; NOT declared: ${stray.join(', ')}` : ''}; installed: ${closure.map((d) => `${d.name}@${d.version}`).join(', ')}`,
  });
});
