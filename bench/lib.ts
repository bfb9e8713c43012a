/**
 * What every benchmark shares: the summary line of a measure (goal, PASS/MISS), alternating A/B timing
 * with warm-up and medians, and a short note on the machine the figures come from.
 *
 * Each benchmark prints one line per measure, starting with PASS, MISS or INFO (a figure with no goal):
 *   PASS  plugwise parse + entity model: 1.12x the bare parse (goal <= 1.5x)
 * Run by bench/run.ts (a child process with an IPC channel), the measure is also sent to the parent,
 * which prints the final table.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

export interface Measure {
  /** The benchmark file (without .ts). */
  bench: string;
  /** The measure as the issue names it. */
  measure: string;
  /** The figure, with its unit. */
  value: string;
  /** The goal as text ("<= 1.5x"); empty when the figure is only reported. */
  goal: string;
  /** undefined: reported only (INFO). */
  pass?: boolean;
  /** One short line of context (absolute figures, counts). */
  detail?: string;
}

export function verdict(m: Pick<Measure, 'pass'>): 'PASS' | 'MISS' | 'INFO' {
  return m.pass === undefined ? 'INFO' : m.pass ? 'PASS' : 'MISS';
}

/** Prints the summary line of a measure (and hands it to bench/run.ts when it runs us). */
export function report(m: Measure): void {
  const goal = m.goal ? ` (goal ${m.goal})` : '';
  console.log(`${verdict(m).padEnd(5)} ${m.measure}: ${m.value}${goal}${m.detail ? ` | ${m.detail}` : ''}`);
  const send = process.send?.bind(process);
  if (send) sending.push(new Promise((resolve) => send({ type: 'measure', measure: m }, undefined, {}, () => resolve())));
}

/** IPC messages on their way to bench/run.ts (the process waits for them before it exits). */
const sending: Promise<void>[] = [];

/** Title, what is measured, and (for timings) the caveat that goes with the figures. */
export function header(title: string, what: string, timing = true): void {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`\n== ${title}`);
  console.log(`   ${what}`);
  const caveat = timing ? ' Timings are compared side by side in one run (medians); other work on the machine still moves them.' : ' Counts, not timings.';
  console.log(`   machine: ${cpus().length} cores, load ${load}, Node ${process.version}.${caveat}`);
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0..1) of `values`, interpolated between neighbours. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

/** "1.02-1.18x": the middle half (quartiles) of per-round ratios. */
export function middleHalf(ratios: number[]): string {
  return `${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)}x`;
}

export interface Paired {
  /** Times (or any figure) of A and of B, in the order measured. */
  a: number[];
  b: number[];
  /** a/b of each round. */
  ratios: number[];
  /** Median of the per-round ratios: each round's A and B ran back to back, so drift cancels out. */
  ratio: number;
}

/**
 * Runs `a` and `b` alternately (A B, then B A, ...) after `warmup` rounds that are not counted, and gives
 * the per-round ratios. Each function returns its own figure (usually ms for a batch of work).
 */
export async function alternate(rounds: number, warmup: number, a: () => Promise<number>, b: () => Promise<number>): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const out: Paired = { a: [], b: [], ratios: [], ratio: NaN };
  for (let i = 0; i < rounds; i++) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await a();
      tb = await b();
    } else {
      tb = await b();
      ta = await a();
    }
    out.a.push(ta);
    out.b.push(tb);
    out.ratios.push(ta / tb);
  }
  out.ratio = median(out.ratios);
  return out;
}

/** ms a (sync or async) body takes. */
export async function timed(body: () => unknown): Promise<number> {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
}

export function ms(value: number): string {
  const size = Math.abs(value);
  return `${value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2)} ms`;
}

export function x(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** The benchmarks that run the shipped node sets need them built. */
export function requireBuilt(...vendors: string[]): void {
  const missing = vendors.filter((v) => !existsSync(join(ROOT, 'nodes', `${v}.js`)));
  if (missing.length) throw new Error(`nodes/${missing[0]}.js is missing: run \`npm run build\` first (npm run bench builds).`);
}

/** Runs a benchmark's main: failures print and exit 1; success exits (no handle left open keeps us). */
export function main(body: () => Promise<void>): void {
  body().then(
    () => Promise.all(sending).then(() => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
