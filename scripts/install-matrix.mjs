#!/usr/bin/env node
/**
 * `npm run test:install`: the package as a user gets it, on every supported Node-RED line.
 *
 * Builds and packs the package, then for node-red 3.1.x (latest patch), the latest 4.x and the latest 5.x
 * (on the Node 22 binary of test/nr5, as node-red 5 needs Node >= 22.9): installs that node-red in a folder
 * of its own (cached by version in <OS temp>/energy-gateways-node-red-cache, or $INSTALL_MATRIX_CACHE),
 * makes a plain userDir in a temp folder, npm-installs the tarball into it, starts Node-RED on a free
 * loopback port and checks:
 *   - the tarball holds the built nodes, locales, icons and every example;
 *   - GET /nodes: the four node sets loaded without error, all nine node types registered; their en-US
 *     message catalogs and icons served;
 *   - the startup log: no warning or error about this package;
 *   - every example flow, as Node-RED serves it from the installed package (Import > Examples), pointed at
 *     the demo simulators (test/simulators/*.ts, free ports, demo credentials): POST /flows answers 204, the
 *     log shows no error, and each vendor's simulator receives requests. The dashboard examples
 *     (examples/dashboard-*.json) need FlowFuse Dashboard 2.0, which a plain install does not have: they
 *     are listed and shipped, not deployed (a note says so).
 * Prints a summary table, cleans up its temp folder and processes, exits 1 on any failure.
 * Options: --only <3.1.x|4.x|5.x> (repeatable), --keep (keep the temp folder).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { require as tsxRequire } from 'tsx/cjs/api';
import { NodeRedRun, ensureNodeRed, exec, freePort, node22, nodeVersion, npm, npmBin, resolveVersion, running } from '../test/install/nodered.mjs';
import { PACKAGE, NODE_TYPES, checkCatalogs, checkNodeSets, exampleFlow, isDashboardExample, logProblems, startSimulators } from '../test/install/examples.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const semver = require(require.resolve('semver', { paths: [require.resolve('node-red-dev/package.json')] }));
const { makeUserDir } = tsxRequire(join(root, 'scripts', 'userdir.ts'), import.meta.url);

const MATRIX = [
  { label: '3.1.x', range: '~3.1' },
  { label: '4.x', range: '^4' },
  { label: '5.x', range: '^5' },
];
const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));
const keep = args.includes('--keep');
// In the OS temp folder, not under the repo: there, node-red could resolve a missing dependency of its own
// from the repo's node_modules by walking up the folders.
const cacheRoot = process.env.INSTALL_MATRIX_CACHE ?? join(tmpdir(), 'energy-gateways-node-red-cache');
const log = (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const exampleNames = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const iconNames = readdirSync(join(root, 'icons')).filter((f) => f.endsWith('.svg')).sort();
const tmp = mkdtempSync(join(tmpdir(), 'energy-gateways-install-'));
const live = { run: undefined, sims: undefined, interrupted: false };

async function cleanup() {
  for (const child of running) child.kill('SIGTERM');
  await live.run?.stop().catch(() => undefined);
  await live.sims?.stop().catch(() => undefined);
  if (!keep) rmSync(tmp, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    live.interrupted = true;
    log(`\n${sig}: stopping`);
    void cleanup().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}
// Ends by itself whatever happens.
const watchdog = setTimeout(() => {
  log('install matrix: still running after 25 minutes, giving up');
  void cleanup().then(() => process.exit(1));
}, 25 * 60_000);

async function pack() {
  await exec(npmBin, ['run', 'build'], root, { inherit: true });
  // The build has just run: skip prepack's second one.
  const [info] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root));
  const files = info.files.map((f) => f.path);
  const sets = Object.entries(pkg['node-red'].nodes);
  const missing = [...sets.flatMap(([id, js]) => [js, js.replace(/\.js$/, '.html'), join(dirname(js), 'locales', 'en-US', `${id}.json`).replace(/\\/g, '/')]), ...exampleNames.map((e) => `examples/${e}.json`), ...iconNames.map((i) => `nodes/icons/${i}`)].filter((f) => !files.includes(f));
  if (missing.length) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  return { tarball: join(tmp, info.filename), size: info.size, count: files.length };
}

/** Waits until the run-once injects have fired and the simulators have been quiet for a moment. */
async function settle(sims, onceDelayMs) {
  const total = () => [...sims.values()].reduce((n, s) => n + s.handle.requests(), 0);
  const start = Date.now();
  const minWait = onceDelayMs ? onceDelayMs + 1000 : 800;
  let last = total();
  let changed = Date.now();
  while (Date.now() - start < 15_000) {
    await sleep(100);
    if (total() !== last) [last, changed] = [total(), Date.now()];
    if (Date.now() - start >= minWait && Date.now() - changed >= 600) return;
  }
}

async function testVersion(entry, tarball) {
  const t0 = Date.now();
  const row = { label: entry.label, version: '?', node: '-', types: '-', examples: '-', requests: '', time: '', result: 'FAIL', problems: [], notes: [] };
  const { version, from } = await resolveVersion(entry.range, cacheRoot);
  row.version = version;
  const install = await ensureNodeRed(version, cacheRoot);
  const engines = JSON.parse(readFileSync(join(install.pkgDir, 'package.json'), 'utf8')).engines?.node ?? '*';
  let nodeBin = process.execPath;
  if (!semver.satisfies(process.version, engines)) {
    const n22 = await node22(root);
    if (!n22.bin) return { ...row, result: 'skipped', notes: [`node-red ${version} needs Node ${engines}; ${n22.reason}`] };
    nodeBin = n22.bin;
  }
  row.node = await nodeVersion(nodeBin);
  if (!semver.satisfies(row.node, engines)) return { ...row, result: 'skipped', notes: [`node-red ${version} needs Node ${engines}, have ${row.node}`] };
  row.notes.push(`node-red ${version} (${from}; ${install.cached ? 'cached install' : `installed in ${seconds(Date.now() - t0)}`})`);

  const userDir = join(tmp, `userdir-${version}`);
  const port = await freePort();
  const settings = makeUserDir({ dir: userDir, port, flows: [], linkPackage: false });
  const t1 = Date.now();
  await npm(['install', tarball, '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline'], userDir);
  row.notes.push(`tarball installed in ${seconds(Date.now() - t1)}`);

  live.sims = await startSimulators(root);
  const { sims } = live.sims;
  live.run = new NodeRedRun();
  const run = live.run;
  const t2 = Date.now();
  await run.start({ nodeBin, pkgDir: install.pkgDir, userDir, settings, port });
  row.notes.push(`Node-RED up in ${seconds(Date.now() - t2)}`);

  const sets = await run.getJson('/nodes');
  const nodeCheck = checkNodeSets(sets, Object.keys(pkg['node-red'].nodes), pkg.version);
  row.types = `${nodeCheck.loaded}/${NODE_TYPES.length}`;
  row.problems.push(...nodeCheck.problems);
  row.problems.push(...checkCatalogs(await run.getJson('/nodes/messages?lng=en-US'), Object.keys(pkg['node-red'].nodes)));
  const icons = (await run.getJson('/icons'))[PACKAGE] ?? [];
  const missingIcons = iconNames.filter((i) => !icons.includes(i));
  if (missingIcons.length) row.problems.push(`icons not served: ${missingIcons.join(', ')}`);
  const startup = logProblems(run.log);
  row.problems.push(...startup.errors.map((e) => `startup error: ${e}`), ...startup.ours.map((e) => `startup warning: ${e}`));
  row.notes.push(...startup.others.map((e) => `other startup warning: ${e.split('\n')[0]}`));

  const listed = (await run.getJson(`/library/examples/flows/${PACKAGE}`)).filter((e) => e.fn).map((e) => e.fn).sort();
  const notListed = exampleNames.filter((e) => !listed.includes(e));
  if (notListed.length) row.problems.push(`examples not listed by Node-RED: ${notListed.join(', ')}`);
  const perType = new Map([...sims.keys()].map((t) => [t, { used: 0, requests: 0 }]));
  let deployed = 0;
  const needDashboard = listed.filter((name) => isDashboardExample(`${name}.json`));
  if (needDashboard.length) row.notes.push(`not deployed (they need @flowfuse/node-red-dashboard, not installed here): ${needDashboard.join(', ')}`);
  for (const name of listed.filter((n) => !needDashboard.includes(n))) {
    const nodes = await run.getJson(`/library/examples/flows/${PACKAGE}/${encodeURIComponent(name)}`);
    const { flows, configTypes, onceDelayMs } = exampleFlow(name, nodes, sims);
    const before = new Map([...sims].map(([t, s]) => [t, s.handle.requests()]));
    const mark = run.log.length;
    const res = await run.deploy(flows);
    if (res.status !== 204) {
      row.problems.push(`${name}: POST /flows answered ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    await settle(sims, onceDelayMs);
    const found = logProblems(run.log.slice(mark));
    const bad = [...found.errors, ...found.ours];
    row.problems.push(...bad.map((e) => `${name}: ${e}`));
    for (const t of configTypes) {
      const p = perType.get(t);
      p.used++;
      p.requests += sims.get(t).handle.requests() - before.get(t);
    }
    if (!bad.length) deployed++;
  }
  row.examples = `${deployed}/${exampleNames.length - needDashboard.length}`;
  for (const [t, p] of perType) if (p.used && !p.requests) row.problems.push(`the ${t} simulator received no request from its ${p.used} example(s)`);
  row.requests = [...perType].map(([t, p]) => `${t.split('-')[0]} ${p.requests}`).join(', ');

  const mark = run.log.length;
  const empty = await run.deploy([]);
  if (empty.status !== 204) row.problems.push(`clearing the flows: POST /flows answered ${empty.status}`);
  await sleep(300);
  await run.stop();
  row.problems.push(...logProblems(run.log.slice(mark)).errors.map((e) => `on stop: ${e}`));
  await live.sims.stop();
  live.run = live.sims = undefined;
  row.time = seconds(Date.now() - t0);
  row.result = row.problems.length ? 'FAIL' : 'pass';
  if (row.problems.length) row.notes.push(`Node-RED log (last 60 lines):\n${run.log.split('\n').slice(-60).join('\n')}`);
  return row;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function main() {
  mkdirSync(cacheRoot, { recursive: true });
  const t0 = Date.now();
  const packed = await pack();
  log(`packed ${packed.tarball.split(/[\\/]/).pop()} (${packed.count} files, ${packed.size} bytes); node-red cache ${cacheRoot}`);
  const rows = [];
  for (const entry of MATRIX.filter((m) => !only.length || only.includes(m.label))) {
    log(`\n== node-red ${entry.label}`);
    let row;
    try {
      row = await testVersion(entry, packed.tarball);
    } catch (err) {
      row = { label: entry.label, version: '?', node: '-', types: '-', examples: '-', requests: '', time: '', result: 'FAIL', problems: [String(err?.stack ?? err)], notes: [] };
      if (live.run?.log) row.notes.push(`Node-RED log (last 60 lines):\n${live.run.log.split('\n').slice(-60).join('\n')}`);
      await live.run?.stop().catch(() => undefined);
      await live.sims?.stop().catch(() => undefined);
      live.run = live.sims = undefined;
    }
    if (live.interrupted) return;
    for (const n of row.notes) log(`   ${n}`);
    for (const p of row.problems) log(`   PROBLEM ${p}`);
    log(`   ${row.result}${row.time ? ` in ${row.time}` : ''}`);
    rows.push(row);
  }
  await cleanup();
  clearTimeout(watchdog);
  log(`\n${table([
    ['node-red', 'Node', 'types loaded', 'examples deployed', 'simulator requests', 'time', 'result'],
    ...rows.map((r) => [`${r.version} (${r.label})`, r.node, r.types, r.examples, r.requests, r.time, r.result]),
  ])}`);
  log(`\ntotal ${seconds(Date.now() - t0)}${keep ? `; kept ${tmp}` : ''}`);
  const failed = rows.filter((r) => r.result === 'FAIL').length;
  if (failed || !rows.some((r) => r.result === 'pass')) {
    log(`install matrix: ${failed ? `${failed} version(s) failed` : 'no version could run'}`);
    process.exitCode = 1;
  }
}

main().catch(async (err) => {
  console.error(err);
  await cleanup();
  clearTimeout(watchdog);
  process.exitCode = 1;
});
