/**
 * Plugwise: XML -> entity model of the largest Adam fixture (safe parse, well-formedness check, the
 * python-plugwise entity model, camelCase) against fast-xml-parser's bare parse of the same bytes; then, on
 * every hub dump, one update (parse + model) side by side with python-plugwise 1.14.1's own, timed by
 * ../shared/reference/python-plugwise-1.14.1/run_fixture.py --repeat N in the same run.
 *   npx tsx bench/plugwise-parse.ts [--repeat 30]
 * python3 with Debian's python3-defusedxml, -munch, -packaging and -freezegun is needed for the python
 * column (python3 on PATH, else /usr/bin/python3); without it, or without ../shared, that column is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildSnapshot, detectHub, parseXml, pollPaths, type HubInfo } from '../src/vendors/plugwise';
import { PLUGWISE_DUMP_FILES, PLUGWISE_FIXTURES } from '../test/simulators/plugwise';
import { ROOT, alternate, header, main, median, ms, report, timed, x } from './lib';

const GOAL = 1.5;
const PER_BATCH = 20;
const ROUNDS = 15;
const WARMUP = 3;

/** Every core.domain_objects.xml under the Adam fixtures, largest first. */
function largestAdamFixture(): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'core.domain_objects.xml') found.push(full);
    }
  };
  for (const d of readdirSync(PLUGWISE_FIXTURES)) if (d.startsWith('adam')) walk(join(PLUGWISE_FIXTURES, d));
  found.sort((a, b) => statSync(b).size - statSync(a).size);
  if (!found[0]) throw new Error(`no Adam fixture in ${PLUGWISE_FIXTURES}`);
  return found[0];
}

const FILES = PLUGWISE_DUMP_FILES;

const REFERENCE = process.env.PLUGWISE_REFERENCE ?? join(ROOT, '..', 'shared', 'reference', 'python-plugwise-1.14.1');

function run(cmd: string, args: string[], timeoutMs = 300_000): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ ok: err === null, out: `${stdout}${stderr}` }),
    );
  });
}

/** A python3 that can run run_fixture.py, or why there is none. */
async function findPython(): Promise<{ python?: string; note?: string }> {
  if (!existsSync(join(REFERENCE, 'run_fixture.py'))) return { note: `no ${relative(ROOT, REFERENCE)}/run_fixture.py (set PLUGWISE_REFERENCE)` };
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = await run(python, ['-c', 'import defusedxml, munch, packaging, freezegun'], 30_000);
    if (probe.ok) return { python };
  }
  return { note: 'no python3 with defusedxml, munch, packaging and freezegun (apt-get install python3-aiohttp python3-defusedxml python3-munch python3-packaging python3-freezegun)' };
}

interface Row {
  name: string;
  files: string;
  kib: number;
  ours: number;
  oursParse: number;
  python?: number;
  pythonParse?: number;
  note?: string;
}

/** One update of ours on a dump: the documents of a full update, parse + model, median of `repeat`. */
async function oursOn(dir: string, repeat: number): Promise<Omit<Row, 'name'>> {
  const served = (p: string): string => {
    const f = FILES[p];
    if (f === undefined || !existsSync(join(dir, f))) throw new Error(`no ${p}`);
    return readFileSync(join(dir, f), 'utf8');
  };
  const info: HubInfo = await detectHub(async (p) => served(p));
  const paths = pollPaths(info, true);
  const docs = Object.fromEntries(paths.map((p) => [p, served(p)]));
  const now = Date.now();
  buildSnapshot(info, docs, now); // warm up
  const totals: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < repeat; i++) {
    let t0 = performance.now();
    buildSnapshot(info, docs, now);
    totals.push(performance.now() - t0);
    t0 = performance.now();
    for (const p of paths) parseXml(docs[p]);
    parses.push(performance.now() - t0);
  }
  const bytes = paths.reduce((n, p) => n + Buffer.byteLength(docs[p]), 0);
  return { files: paths.map((p) => FILES[p]).join('+'), kib: bytes / 1024, ours: median(totals), oursParse: median(parses) };
}

/** run_fixture.py's figures on a dump: median of one update and of its parse alone (ms). */
async function pythonOn(python: string, dir: string, repeat: number): Promise<{ total?: number; parse?: number; note?: string }> {
  const r = await run(python, [join(REFERENCE, 'run_fixture.py'), dir, '--repeat', String(repeat)]);
  const m = /median_ms=([\d.]+).*parse_median_ms=([\d.]+)/.exec(r.out);
  if (!m) return { note: r.out.trim().split('\n').pop()?.slice(0, 80) ?? 'no output' };
  return { total: Number(m[1]), parse: Number(m[2]), note: r.ok ? undefined : 'run_fixture.py reports a difference' };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

/** Every dump with its expected output (the refused ones have no update to time). */
async function sideBySide(repeat: number): Promise<void> {
  const dumps = readdirSync(PLUGWISE_FIXTURES)
    .filter((d) => existsSync(join(PLUGWISE_FIXTURES, d, `${d}.json`)))
    .sort();
  const { python, note } = await findPython();
  header(
    'plugwise-parse vs python-plugwise',
    `one update (parse + entity model) on each of ${dumps.length} dumps, median of ${repeat}: ours in this process, python-plugwise 1.14.1 by run_fixture.py --repeat ${repeat} (${python ?? 'skipped'})`,
  );
  if (note !== undefined) console.log(`   python column skipped: ${note}`);
  const rows: Row[] = [];
  for (const name of dumps) {
    const dir = join(PLUGWISE_FIXTURES, name);
    const ours = await oursOn(dir, repeat);
    const py = python === undefined ? {} : await pythonOn(python, dir, repeat);
    rows.push({ name, ...ours, python: py.total, pythonParse: py.parse, note: py.note });
  }
  const cell = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
  console.log(
    table([
      ['dump', 'KiB', 'ours ms', 'of which parse', 'python ms', 'of which parse', 'python/ours'],
      ...rows.map((r) => [
        r.name + (r.note ? ` (${r.note})` : ''),
        r.kib.toFixed(0),
        cell(r.ours),
        cell(r.oursParse),
        cell(r.python),
        cell(r.pythonParse),
        r.python === undefined ? '-' : x(r.python / r.ours),
      ]),
    ]),
  );
  const ratios = rows.filter((r) => r.python !== undefined).map((r) => (r.python as number) / r.ours);
  report({
    bench: 'plugwise-parse',
    measure: 'Plugwise update (parse + model) vs python-plugwise 1.14.1, every shared dump',
    value: ratios.length ? `python-plugwise takes ${x(median(ratios))} our time (median over ${ratios.length} dumps)` : 'python column skipped',
    goal: '',
    detail: ratios.length
      ? `ours ${ms(median(rows.map((r) => r.ours)))}, python ${ms(median(ratios.map((_, i) => rows.filter((r) => r.python !== undefined)[i].python as number)))} per update (medians); range ${x(Math.min(...ratios))}..${x(Math.max(...ratios))}`
      : note,
  });
}

main(async () => {
  const at = process.argv.indexOf('--repeat');
  const repeat = at > 0 ? Math.max(1, Number(process.argv[at + 1]) || 30) : 30;
  const file = largestAdamFixture();
  const body = readFileSync(file, 'utf8');
  header('plugwise-parse', `${relative(ROOT, file)} (${(body.length / 1024).toFixed(0)} KiB): buildSnapshot vs new XMLParser().parse, ${PER_BATCH} per batch, ${ROUNDS} alternating batches after ${WARMUP} warm-up`);
  const info = await detectHub(async (path) => {
    if (path !== '/core/domain_objects') throw new Error(`unexpected ${path}`);
    return body;
  });
  if (info.model !== 'adam') throw new Error(`${file} is detected as ${info.model}, not an Adam`);
  const docs = { '/core/domain_objects': body };
  const now = Date.now();
  const entities = Object.keys(buildSnapshot(info, docs, now).entities).length;
  const bare = new XMLParser();

  const run = await alternate(
    ROUNDS,
    WARMUP,
    () =>
      timed(() => {
        for (let i = 0; i < PER_BATCH; i++) buildSnapshot(info, docs, now);
      }),
    () =>
      timed(() => {
        for (let i = 0; i < PER_BATCH; i++) bare.parse(body);
      }),
  );
  report({
    bench: 'plugwise-parse',
    measure: 'Plugwise parse + entity model (largest Adam fixture)',
    value: `${x(run.ratio)} the bare parse`,
    goal: `<= ${GOAL}x`,
    pass: run.ratio <= GOAL,
    detail: `${ms(median(run.a) / PER_BATCH)} vs ${ms(median(run.b) / PER_BATCH)} per document, ${entities} entities`,
  });
  await sideBySide(repeat);
});
