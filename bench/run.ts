/**
 * `npm run bench`: builds the node sets, runs every benchmark in a child process of its own, one after
 * the other, and prints the table of every measure with its goal and PASS/MISS.
 *   npx tsx bench/run.ts [--no-build] [name ...]     (names: plugwise-parse, heating-command, ...)
 * Exits 1 only when a benchmark fails to run: a MISS is a figure to look at, not a failure (these machines
 * are noisy, and timing never decides a build).
 */
import { execFileSync, fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, verdict, type Measure } from './lib';

/** In the order of the table. */
const BENCHES = [
  'plugwise-parse',
  'plugwise-fanout',
  'heating-command',
  'heating-tokens',
  'ems-history-memory',
  'plugwise-history',
  'thinknx-digest',
  'nodered-start',
  'package-size',
];

function runOne(name: string): Promise<{ measures: Measure[]; code: number | null; ms: number }> {
  return new Promise((resolve) => {
    const measures: Measure[] = [];
    const t0 = performance.now();
    const child = fork(join(__dirname, `${name}.ts`), [], { stdio: 'inherit' });
    child.on('message', (m: { type?: string; measure?: Measure }) => {
      if (m.type === 'measure' && m.measure) measures.push(m.measure);
    });
    child.once('exit', (code) => resolve({ measures, code, ms: performance.now() - t0 }));
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHES.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are ${BENCHES.join(', ')}`);
  if (!args.includes('--no-build')) {
    console.log('building the node sets (node scripts/build.mjs)');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const all: Measure[] = [];
  const failed: string[] = [];
  for (const name of names.length ? names : BENCHES) {
    const { measures, code, ms } = await runOne(name);
    console.log(`   (${name}: ${(ms / 1000).toFixed(1)} s)`);
    if (code !== 0 || measures.length === 0) failed.push(`${name} (exit ${code})`);
    all.push(...measures);
  }
  const rows = [['', 'measure', 'result', 'goal'], ...all.map((m) => [verdict(m), m.measure, m.value, m.goal || '(report)'])];
  console.log(`\n== summary (${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n${table(rows)}`);
  if (failed.length) console.log(`\nfailed to run: ${failed.join(', ')}`);
  const missed = all.filter((m) => m.pass === false).length;
  console.log(`\n${all.length} measures: ${all.filter((m) => m.pass).length} PASS, ${missed} MISS, ${all.filter((m) => m.pass === undefined).length} INFO`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
