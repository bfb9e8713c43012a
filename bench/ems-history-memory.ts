/**
 * EMS history, 1,000,000 points, `pages` output: an ems-history node (output "pages") in a real Node-RED
 * runtime, reading from the EMS simulator (its own process) through the real client (login, route table,
 * paging with read-ahead, normalization to series in ms), against a bare undici + JSON.parse loop making
 * the same HTTP calls. The client alone (its `pages()` iterator) is measured too, for reference.
 * Timing runs (no GC forced) alternate and give the median throughput ratio; memory runs (a full GC every
 * 50 pages) give the RSS growth: peak while reading, minus before. Every run is a process of its own (no
 * run inherits another's heap or RSS). Adapted from the first version of this file (GC every 50 pages in
 * every run, which slowed the Node-RED run most: its heap is the largest).
 *   npx tsx bench/ems-history-memory.ts [points]
 */
import { fork } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, request } from 'undici';
import { EmsClient, type Series } from '../src/vendors/ems';
import { header, main, median, report, requireBuilt } from './lib';
import { counter, sink, startRuntime } from './runtime';
import { simulatorProcess } from './sim';

const USER = 'bench';
const PASSWORD = 'bench-pass';
const SIGNALS = 5; // device 1 of the simulator has signals 100-104
const PAGE_SIZE = 1000;
const START = Date.UTC(2024, 0, 1);
const MIB = 1048576;
const ROUNDS = 7;
const GC_EVERY = 50;
const RSS_GOAL_MIB = 64;
const THROUGHPUT_GOAL = 0.8;

type Kind = 'node' | 'client' | 'bare';
interface Job {
  kind: Kind;
  baseUrl: string;
  end: number;
  /** Force a full GC every this many pages (0: never): the memory runs. */
  gcEvery: number;
}
interface Run {
  kind: Kind;
  gcEvery: number;
  points: number;
  ms: number;
  rssGrowth: number;
  heapGrowth: number;
}

/**
 * Runs `body`, sampling RSS every 10 ms and at every page (process.memoryUsage.rss(), which is cheap).
 * With `gcEvery`, a full GC runs every that many pages, so that RSS shows what the read holds rather than
 * when V8 chooses to collect (a 60 MB Node-RED heap lets garbage pile up far longer than a small one);
 * the timing runs force no GC (it costs the big Node-RED heap more than the others). The heap is
 * measured after one GC at the end: what the read left behind.
 */
async function measure(kind: Kind, gcEvery: number, body: (tick: (page: number) => void) => Promise<number>): Promise<Run> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let rssPeak = rssBefore;
  const sample = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  const points = await body((page) => {
    sample();
    if (gcEvery && page % gcEvery === 0) gc();
  });
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  gc();
  return { kind, gcEvery, points, ms, rssGrowth: rssPeak - rssBefore, heapGrowth: process.memoryUsage().heapUsed - heapBefore };
}

const historyQuery = (end: number, start = START) => ({ operation: 'history' as const, scope: 'device' as const, uid: 1, start, end, pageSize: PAGE_SIZE, maxRecords: 0 });

/** The ems-history node, output "pages", in Node-RED; every page msg is counted at a sink and dropped. */
async function viaNode(job: Job): Promise<Run> {
  const rt = await startRuntime(
    [
      { id: 'srv', type: 'ems-server', name: 'bench', baseUrl: job.baseUrl, allowSelfSigned: false },
      { id: 'hist', type: 'ems-history', server: 'srv', operation: 'history', scope: 'device', uid: '1', uids: '', range: '24h', pageSize: PAGE_SIZE, maxRecords: 0, output: 'pages', wires: [['out']] },
      sink('out'),
    ],
    { srv: { username: USER, password: PASSWORD } },
  );
  const hist = rt.node('hist');
  const out = counter(rt, 'out');
  let points = 0;
  let ticks: ((page: number) => void) | undefined;
  let complete: (() => void) | undefined;
  rt.node('out').on('input', (msg) => {
    for (const s of msg.payload as Series[]) points += s.points.length;
    ticks?.(out.count);
    if (msg.complete === true) complete?.();
  });
  const read = (end: number, start?: number): Promise<void> =>
    new Promise((resolve) => {
      complete = resolve;
      hist.receive({ start: start ?? START, end });
    });
  await read(START + 10 * PAGE_SIZE * 60_000 / SIGNALS, START); // warm-up: login, socket, JIT (10 pages)
  points = 0;
  const run = await measure('node', job.gcEvery, async (tick) => {
    ticks = tick;
    await read(job.end);
    return points;
  });
  await rt.stop();
  return run;
}

/** The client's pages() iterator, each page dropped after a turn of the event loop (as the node does). */
async function viaClient(job: Job): Promise<Run> {
  const client = new EmsClient({ baseUrl: job.baseUrl, username: USER, password: PASSWORD });
  for await (const page of client.pages(historyQuery(START + 10 * PAGE_SIZE * 60_000 / SIGNALS))) void page; // warm-up
  const run = await measure('client', job.gcEvery, async (tick) => {
    let points = 0;
    let pages = 0;
    for await (const page of client.pages(historyQuery(job.end))) {
      for (const s of page.payload as Series[]) points += s.points.length;
      tick(++pages);
      await new Promise((r) => setImmediate(r));
    }
    return points;
  });
  await client.close();
  return run;
}

/** undici + JSON.parse: the same requests (login once, then every page in turn), nothing else. */
async function bare(job: Job): Promise<Run> {
  const agent = new Agent({ connections: 2 });
  const login = await request(`${job.baseUrl}/v1/auth/login`, {
    dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  const { token } = (await login.body.json()) as { token: string };
  const readAll = async (end: number, tick: (page: number) => void): Promise<number> => {
    let points = 0;
    for (let page = 1; ; page++) {
      const url = `${job.baseUrl}/v1/devices/1/history?start=${START}&end=${end}&limit=${PAGE_SIZE}&page=${page}`;
      const res = await request(url, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
      const parsed = JSON.parse(await res.body.text()) as { history: Record<string, unknown[]> };
      let n = 0;
      for (const list of Object.values(parsed.history)) n += list.length;
      points += n;
      tick(page);
      if (n < PAGE_SIZE) return points;
    }
  };
  await readAll(START + 10 * PAGE_SIZE * 60_000 / SIGNALS, () => undefined); // warm-up
  const run = await measure('bare', job.gcEvery, (tick) => readAll(job.end, tick));
  await agent.close();
  return run;
}

function runIn(job: Job): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--run', JSON.stringify(job)], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as Run));
    child.once('exit', (code) => (code ? reject(new Error(`the ${job.kind} run exited with ${code}`)) : undefined));
  });
}

const mib = (b: number): string => `${(b / MIB).toFixed(1)} MiB`;
const rate = (r: Run): number => r.points / (r.ms / 1000);

async function suite(): Promise<void> {
  requireBuilt('ems');
  const target = Number(process.argv[2] ?? 1_000_000);
  const minutes = Math.ceil(target / SIGNALS);
  const end = START + minutes * 60_000;
  header('ems-history-memory', `${SIGNALS} signals x ${minutes} minutes = ${SIGNALS * minutes} points, limit ${PAGE_SIZE}; ${ROUNDS} alternating timing rounds, then one memory run each of node and bare; every run in its own process`);
  const sim = await simulatorProcess('ems', { username: USER, password: PASSWORD });
  const runs: Run[] = [];
  const one = async (kind: Kind, gcEvery: number): Promise<void> => {
    const r = await runIn({ kind, baseUrl: sim.url, end, gcEvery });
    if (r.points !== SIGNALS * minutes) throw new Error(`${kind}: expected ${SIGNALS * minutes} points, got ${r.points}`);
    const what = gcEvery ? `memory (GC every ${gcEvery} pages)` : 'timing';
    console.log(`   ${kind.padEnd(6)} ${what.padEnd(28)} ${(r.ms / 1000).toFixed(2)} s, ${Math.round(rate(r)).toLocaleString('en-US')} points/s, RSS growth ${mib(r.rssGrowth)}, heap left after GC ${mib(r.heapGrowth)}`);
    runs.push(r);
  };
  const order: Kind[][] = [['node', 'client', 'bare'], ['bare', 'client', 'node']];
  for (let round = 0; round < ROUNDS; round++) for (const kind of order[round % 2]!) await one(kind, 0);
  for (const kind of ['node', 'bare'] as const) await one(kind, GC_EVERY);
  await sim.stop();
  const timing = (kind: Kind): Run[] => runs.filter((r) => r.kind === kind && !r.gcEvery);
  const memory = (kind: Kind): Run => runs.find((r) => r.kind === kind && r.gcEvery)!;
  const rss = memory('node').rssGrowth;
  const throughput = median(timing('node').map((r, i) => rate(r) / rate(timing('bare')[i]!)));
  const clientThroughput = median(timing('client').map((r, i) => rate(r) / rate(timing('bare')[i]!)));
  const noGc = median(timing('node').map((r) => r.rssGrowth));
  report({
    bench: 'ems-history-memory',
    measure: `EMS history ${(SIGNALS * minutes).toLocaleString('en-US')} points, pages output: RSS growth`,
    value: mib(rss),
    goal: `<= ${RSS_GOAL_MIB} MiB`,
    pass: rss <= RSS_GOAL_MIB * MIB,
    detail: `bare loop ${mib(memory('bare').rssGrowth)}; without forced GCs (V8 collecting when it likes) ${mib(noGc)}`,
  });
  report({
    bench: 'ems-history-memory',
    measure: `EMS history ${(SIGNALS * minutes).toLocaleString('en-US')} points, pages output: throughput vs bare undici + JSON.parse`,
    value: `${throughput.toFixed(2)}x`,
    goal: `>= ${THROUGHPUT_GOAL}x`,
    pass: throughput >= THROUGHPUT_GOAL,
    detail: `${Math.round(median(timing('node').map(rate))).toLocaleString('en-US')} vs ${Math.round(median(timing('bare').map(rate))).toLocaleString('en-US')} points/s; client alone ${clientThroughput.toFixed(2)}x`,
  });
}

const runArg = process.argv.indexOf('--run');
if (runArg > 0) {
  const job = JSON.parse(process.argv[runArg + 1] ?? '{}') as Job;
  const run = job.kind === 'node' ? viaNode : job.kind === 'client' ? viaClient : bare;
  run(job).then(
    (r) => process.send?.(r, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main(suite);
}
