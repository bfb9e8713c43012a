#!/usr/bin/env node
/**
 * `npm run validate`: the Flow Library scorecard (`node-red-dev validate`) without the internet.
 *
 * node-red-dev fetches the Flow Library catalogue (checks P08, N01), node-red's registry entry (P06, P07)
 * and the dependency tree and latest versions from the npm registry (D02, D03). This script answers those
 * from local data on a loopback server (test/validate/offline-hook.cjs points node-red-dev at it):
 *   - the catalogue: test/validate/catalogue.json (or --catalogue <file>, e.g. a downloaded copy of
 *     https://catalogue.nodered.org/catalogue.json);
 *   - node-red's dist-tags and engines: test/validate/registry/node-red.json, recorded from the registry
 *     (re-record with --refresh-registry, which needs the registry);
 *   - the dependency tree: package-lock.json.
 * D03 ("dependencies at their latest version") has no offline answer: it is reported as not run offline
 * and never fails the run; --live-registry runs it (advisory) and P06/P07/D02 against the real registry.
 *
 * Prints the scorecard JSON on stdout (everything else on stderr) and exits 1 when a check that can pass
 * offline fails. Options: --no-build, --catalogue <file>, --live-registry, --refresh-registry,
 * --output <file> (also write the scorecard there).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS, extraChecks, packumentsFromLock } from '../test/validate/checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'test', 'validate');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const live = flag('--live-registry');
const log = (...a) => console.error(...a);
const nodeRedRecord = join(here, 'registry', 'node-red.json');

function refreshRegistry() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const view = (what) => {
    const r = spawnSync(npm, ['view', ...what, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm view ${what.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const tags = view(['node-red', 'dist-tags']);
  const versions = {};
  for (const v of new Set(Object.values(tags))) versions[v] = { name: 'node-red', version: v, engines: view([`node-red@${v}`, 'engines']) };
  const record = { _about: 'node-red as the npm registry listed it (dist-tags, and engines of each tagged version), for checks P06 and P07 of scripts/validate.mjs. Re-record: node scripts/validate.mjs --refresh-registry', _recorded: new Date().toISOString().slice(0, 10), name: 'node-red', 'dist-tags': tags, versions };
  writeFileSync(nodeRedRecord, `${JSON.stringify(record, null, 2)}\n`);
  log(`recorded ${nodeRedRecord}: dist-tags ${JSON.stringify(tags)}`);
}

/** Loopback stand-in for catalogue.nodered.org and the npm registry. */
function startLocalServer(catalogueFile) {
  const catalogue = readFileSync(catalogueFile);
  const packuments = packumentsFromLock(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')));
  packuments.set('node-red', JSON.parse(readFileSync(nodeRedRecord, 'utf8')));
  const served = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status, body) => {
      served.push(`${status} ${url.pathname}`);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    if (url.pathname === '/catalogue/catalogue.json') return send(200, catalogue);
    if (url.pathname.startsWith('/registry/')) {
      const name = decodeURIComponent(url.pathname.slice('/registry/'.length));
      const doc = packuments.get(name);
      return doc ? send(200, doc) : send(404, { error: `${name} is not in package-lock.json` });
    }
    return send(404, { error: 'not found' });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, served, base: `http://127.0.0.1:${server.address().port}` })));
}

function runNodeRedDev(base, outFile) {
  const bin = join(dirname(require.resolve('node-red-dev/package.json')), 'bin', 'run');
  const noProxy = [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  const env = { ...process.env, VALIDATE_LOCAL_BASE: base, NO_PROXY: noProxy, no_proxy: noProxy };
  if (live) env.VALIDATE_LIVE_REGISTRY = '1';
  // registry-url (npm-remote-ls, package-json) reads npm's config through rc('npm'): env npm_registry.
  else env.npm_registry = `${base}/registry/`;
  const child = spawn(process.execPath, ['--require', join(here, 'offline-hook.cjs'), bin, 'validate', '--path', root, '--output', outFile], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d) => {
    output += d.toString();
    process.stderr.write(d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, output });
  }));
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function main() {
  if (flag('--refresh-registry')) refreshRegistry();
  if (!flag('--no-build')) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
    if (build.status !== 0) throw new Error('build failed');
  }
  const catalogueFile = option('--catalogue') ?? join(here, 'catalogue.json');
  if (!existsSync(catalogueFile)) throw new Error(`no catalogue file at ${catalogueFile}`);
  const recorded = JSON.parse(readFileSync(nodeRedRecord, 'utf8'));
  const local = await startLocalServer(catalogueFile);
  const tmp = mkdtempSync(join(tmpdir(), 'energy-gateways-validate-'));
  const outFile = join(tmp, 'scorecard.json');
  let run;
  try {
    log(`node-red-dev validate (${live ? 'live npm registry' : 'offline'}; catalogue ${catalogueFile})`);
    run = await runNodeRedDev(local.base, outFile);
  } finally {
    local.server.close();
  }
  const scorecard = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;
  rmSync(tmp, { recursive: true, force: true });
  if (!scorecard) {
    log(`node-red-dev validate wrote no scorecard (exit ${run.code ?? run.signal})`);
    process.exitCode = 1;
    return;
  }
  console.log(JSON.stringify(scorecard, null, 2));
  if (option('--output')) writeFileSync(option('--output'), `${JSON.stringify(scorecard, null, 2)}\n`);

  const sources = {
    local: 'package files',
    catalogue: `catalogue ${catalogueFile.startsWith(root) ? catalogueFile.slice(root.length + 1) : catalogueFile}`,
    recorded: live ? 'live registry' : `node-red registry entry recorded ${recorded._recorded}`,
    lockfile: live ? 'live registry' : 'package-lock.json',
    registry: live ? 'live registry' : 'needs the live registry',
  };
  const rows = [['check', 'what', 'result', 'data']];
  let failed = 0;
  for (const c of CHECKS) {
    const entry = scorecard[c.id];
    // Only checks with an offline answer decide the exit code (D03 is advisory even with --live-registry).
    const gating = c.source !== 'registry';
    let result = entry?.test === true ? 'pass' : entry ? 'FAIL' : 'MISSING';
    if (!gating) result = live ? `${result} (advisory)` : 'not offline';
    else if (result !== 'pass') failed++;
    rows.push([c.id, c.what, result, sources[c.source]]);
  }
  for (const x of extraChecks({ root, scorecard, output: run.output, live })) {
    if (!x.ok) failed++;
    rows.push([x.id, x.what, x.ok ? 'pass' : `FAIL: ${x.detail}`, x.source]);
  }
  log(`\n${table(rows)}`);
  log(`\nlocal server answered: ${[...new Set(local.served)].join(', ') || 'nothing'}`);
  if (failed) {
    log(`\nvalidate: ${failed} check(s) failed`);
    process.exitCode = 1;
  } else log(`\nvalidate: every check that can pass offline passes${live ? ' (D03 is advisory)' : ' (D03 needs the live registry)'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
