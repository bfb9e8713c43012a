/**
 * Data and checks for scripts/validate.mjs: the scorecard's checks and where their data comes from, the
 * registry documents built from package-lock.json, and the wrapper's own checks on top of node-red-dev's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * node-red-dev 0.1.6's checks. source: local (package files only), catalogue (the catalogue file),
 * recorded (node-red's registry entry), lockfile (dependency tree), registry (live npm registry only).
 */
export const CHECKS = [
  { id: 'P01', what: 'package has a license', source: 'local' },
  { id: 'P03', what: 'repository or bugs URL', source: 'local' },
  { id: 'P04', what: 'valid package name', source: 'local' },
  { id: 'P05', what: '"node-red" keyword', source: 'local' },
  { id: 'P06', what: 'node-red version range fits a current release', source: 'recorded' },
  { id: 'P07', what: 'engines.node fits the latest node-red', source: 'recorded' },
  { id: 'P08', what: 'no similarly named package in the catalogue', source: 'catalogue' },
  { id: 'N01', what: 'node types unique in the catalogue', source: 'catalogue' },
  { id: 'N02', what: 'an example flow for every non-config node', source: 'local' },
  { id: 'D01', what: 'at most 6 dependencies', source: 'local' },
  { id: 'D02', what: 'no known-incompatible package in the dependency tree', source: 'lockfile' },
  { id: 'D03', what: 'dependencies at their latest version', source: 'registry' },
];

/** name -> a registry document ("packument") holding every version of it package-lock.json installs. */
export function packumentsFromLock(lock) {
  const docs = new Map();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path || entry.link || !entry.version) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const doc = docs.get(name) ?? { name, 'dist-tags': {}, versions: {} };
    doc.versions[entry.version] = { name, version: entry.version, dependencies: entry.dependencies ?? {}, optionalDependencies: entry.optionalDependencies ?? {} };
    doc['dist-tags'].latest = entry.version;
    docs.set(name, doc);
  }
  return docs;
}

/** Node types the built editor files register, with whether each is a config node. */
export function registeredTypes(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const types = new Map();
  for (const js of Object.values(pkg['node-red'].nodes)) {
    const html = readFileSync(join(root, js.replace(/\.js$/, '.html')), 'utf8');
    const calls = [...html.matchAll(/registerType\(\s*["']([^"']+)["']/g)];
    calls.forEach((m, i) => {
      const def = html.slice(m.index, calls[i + 1]?.index ?? html.length);
      types.set(m[1], /category:\s*["']config["']/.test(def));
    });
  }
  return types;
}

/** The production dependency tree of package-lock.json, as name@version. */
function lockedProdTree(lock) {
  return Object.entries(lock.packages ?? {})
    .filter(([path, e]) => path && !e.dev && e.version)
    .map(([path, e]) => `${e.name ?? path.slice(path.lastIndexOf('node_modules/') + 13)}@${e.version}`);
}

/**
 * Checks the wrapper adds, because node-red-dev 0.1.6 passes some of its own vacuously: N02 counts only
 * the node types it could parse (and prints "Unable to parse" otherwise); D02 passes when it cannot load
 * the tree (it prints "could not load"), and walks only the first dependency (a `return` inside its loop).
 */
export function extraChecks({ root, scorecard, output, live }) {
  const semver = require(require.resolve('semver', { paths: [require.resolve('node-red-dev/package.json')] }));
  const types = registeredTypes(root);
  const actionTypes = [...types].filter(([, isConfig]) => !isConfig).map(([t]) => t).sort();
  const covered = [...(scorecard.N02?.nodes ?? [])].sort();
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const bad = JSON.parse(readFileSync(require.resolve('node-red-dev/src/badpackages.json'), 'utf8'));
  const badFound = lockedProdTree(lock).filter((id) => {
    const at = id.lastIndexOf('@');
    const [name, version] = [id.slice(0, at), id.slice(at + 1)];
    return name in bad && semver.satisfies(version, bad[name]);
  });
  const checks = [
    {
      id: 'X1',
      what: 'node-red-dev parsed every editor file',
      ok: !/Unable to parse/.test(output),
      detail: 'node-red-dev printed "Unable to parse": check the <script type="text/javascript"> of nodes/*.html',
      source: 'nodes/*.html',
    },
    {
      id: 'X2',
      what: `N02 covered all ${actionTypes.length} non-config types`,
      ok: actionTypes.length > 0 && JSON.stringify(actionTypes) === JSON.stringify(covered),
      detail: `expected ${actionTypes.join(', ')}; N02 listed ${covered.join(', ') || 'none'}`,
      source: `nodes/*.html, ${examples.length} examples`,
    },
    {
      id: 'X3',
      what: 'D02 loaded the dependency tree',
      ok: !/could not load/.test(output),
      detail: 'npm-remote-ls printed "could not load": D02 passed without looking',
      source: 'package-lock.json',
    },
    {
      id: 'X4',
      what: 'D02 over every production dependency',
      ok: badFound.length === 0,
      detail: badFound.join(', '),
      source: 'package-lock.json',
    },
  ];
  if (!live) {
    const blocked = [...new Set([...output.matchAll(/blocked a lookup of (\S+)/g)].map((m) => m[1]))];
    checks.push({ id: 'X5', what: 'nothing tried to reach the network', ok: blocked.length === 0, detail: `lookups of ${blocked.join(', ')} were blocked`, source: 'offline-hook.cjs' });
  }
  return checks;
}
