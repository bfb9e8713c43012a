/**
 * Node-RED start with this package installed vs without it: the same settings file, an empty flow, a
 * userDir of its own per run (scripts/userdir.ts), the package installed in its node_modules as npm would
 * (the files `npm pack` ships, runtime dependencies beside it; bench/pack.ts), or not at all.
 * Each run is a fresh `node node_modules/node-red/red.js`; a probe loaded with --require notes the time
 * since the process began, and its CPU time, when Node-RED logs "Started flows". Runs alternate in pairs
 * (with/without, then without/with) after a warm-up pair; the figure is the median of the paired differences.
 *   npx tsx bench/nodered-start.ts [pairs]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { makeUserDir, nodeRedScript } from '../scripts/userdir';
import { install, packed, packedCopy } from './pack';
import { header, main, median, ms, report, requireBuilt } from './lib';

const GOAL_MS = 50;
const PAIRS = Number(process.argv[2] ?? 20);
const PACKAGE = 'node-red-contrib-energy-gateways';

const PROBE = `const { performance } = require('node:perf_hooks');
const write = process.stdout.write.bind(process.stdout);
let seen = false;
process.stdout.write = (chunk, ...rest) => {
  if (!seen && String(chunk).includes('Started flows')) {
    seen = true;
    const cpu = process.cpuUsage();
    write('BENCH-STARTED ' + performance.now() + ' ' + (cpu.user + cpu.system) / 1000 + '\\n');
  }
  return write(chunk, ...rest);
};
`;

interface Start {
  /** ms from the process's start to "Started flows". */
  wall: number;
  /** CPU ms used by then. */
  cpu: number;
}

/** The modules of the node sets a running Node-RED has (its admin API). */
async function loadedModules(url: string): Promise<string[]> {
  const res = await request(`${url}/nodes`, { headers: { accept: 'application/json' } });
  const sets = (await res.body.json()) as { module: string }[];
  return [...new Set(sets.map((s) => s.module))];
}

/** One start; also checks that the package's node sets were (or were not) loaded. */
function startOnce(copy: string, withPackage: boolean): Promise<Start> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const settings = makeUserDir({ dir, port: 0, flows: [], logLevel: 'info' });
  unlinkSync(join(dir, 'node_modules', PACKAGE));
  if (withPackage) install(copy, join(dir, 'node_modules'), PACKAGE);
  else writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'energy-gateways-userdir', private: true }));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', join(dir, 'probe.cjs'), nodeRedScript(), '--settings', settings, '--userDir', dir, '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let start: Start | undefined;
    let checking = false;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const cleanup = (): void => {
        rmSync(dir, { recursive: true, force: true });
        if (err || !start) reject(err ?? new Error('no start time'));
        else resolve(start);
      };
      if (child.exitCode !== null || child.signalCode !== null) return cleanup();
      child.once('exit', cleanup);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => finish(new Error(`Node-RED did not start within 60 s:\n${out}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const probe = /BENCH-STARTED (\S+) (\S+)/.exec(out);
      if (probe) start ??= { wall: Number(probe[1]), cpu: Number(probe[2]) };
      const url = /Server now running at (http:\/\/\S+?)\/?\s/.exec(out)?.[1];
      if (!start || url === undefined || checking) return;
      checking = true;
      // Outside the measure: ask the runtime which node sets it has, to be sure what was measured.
      loadedModules(url).then(
        (modules) => finish(modules.includes(PACKAGE) === withPackage ? undefined : new Error(`${PACKAGE} ${withPackage ? 'missing' : 'loaded'}: ${modules.join(', ')}`)),
        (err: Error) => finish(err),
      );
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => finish(new Error(`Node-RED exited (${code}) before it started:\n${out}`)));
  });
}

main(async () => {
  requireBuilt('plugwise', 'heatingcontrol', 'thinknx', 'ems');
  header('nodered-start', `process start -> "Started flows", empty flow, same settings; ${PAIRS} alternating pairs after a warm-up pair`);
  const copy = packedCopy(packed().files.map((f) => f.path));
  const withIt: Start[] = [];
  const without: Start[] = [];
  await startOnce(copy, true);
  await startOnce(copy, false);
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      withIt.push(await startOnce(copy, true));
      without.push(await startOnce(copy, false));
    } else {
      without.push(await startOnce(copy, false));
      withIt.push(await startOnce(copy, true));
    }
  }
  rmSync(copy, { recursive: true, force: true });
  const diffs = withIt.map((w, i) => w.wall - without[i]!.wall).sort((a, b) => a - b);
  const extra = median(diffs);
  const q = (f: number): number => diffs[Math.floor(f * (diffs.length - 1))]!;
  console.log(`   paired differences (ms): quartiles ${q(0.25).toFixed(0)} / ${q(0.5).toFixed(0)} / ${q(0.75).toFixed(0)}, range ${q(0).toFixed(0)} .. ${q(1).toFixed(0)}`);
  const extraCpu = median(withIt.map((w, i) => w.cpu - without[i]!.cpu));
  const sign = (v: number): string => `${v >= 0 ? '+' : ''}${ms(v)}`;
  report({
    bench: 'nodered-start',
    measure: 'Node-RED start with the package loaded vs without',
    value: sign(extra),
    goal: `<= +${GOAL_MS} ms`,
    pass: extra <= GOAL_MS,
    detail: `median start ${ms(median(withIt.map((s) => s.wall)))} with, ${ms(median(without.map((s) => s.wall)))} without; CPU ${sign(extraCpu)}`,
  });
});
