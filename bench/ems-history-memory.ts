/**
 * EMS history in `pages` mode: 1,000,000 points streamed through the real client (login, route table,
 * paging with read-ahead, normalization to series in ms) from the simulator on 127.0.0.1, against a bare
 * undici + JSON.parse loop making the same HTTP calls. Prints RSS before / after / peak growth and points/s.
 *   npx tsx bench/ems-history-memory.ts [points]
 * The simulator runs in a child process, so its own allocations do not count in the RSS measured here.
 */
import { fork } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, request } from 'undici';
import { EmsClient, type Series } from '../src/vendors/ems';

const USER = 'bench';
const PASSWORD = 'bench-pass';
const SIGNALS = 5; // device 1 of the simulator has signals 100-104
const PAGE_SIZE = 1000;
const START = Date.UTC(2024, 0, 1);
const MIB = 1048576;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function simulatorChild(): Promise<void> {
  const { EmsSimulator } = await import('../test/simulators/ems');
  const sim = new EmsSimulator({ username: USER, password: PASSWORD });
  await sim.start();
  process.send?.({ port: sim.port });
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
}

interface Run {
  name: string;
  points: number;
  requests: number;
  ms: number;
  rssBefore: number;
  rssAfter: number;
  rssPeak: number;
  heapPeak: number;
}

/** Runs `body`, sampling RSS every 10 ms and at every page, heap after a GC every 50 pages. */
async function measure(name: string, body: (tick: (page: number) => void) => Promise<{ points: number; requests: number }>): Promise<Run> {
  gc();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let rssPeak = rssBefore;
  let heapPeak = heapBefore;
  const sample = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  const { points, requests } = await body((page) => {
    sample();
    if (page % 50 === 0) {
      gc();
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
  });
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  gc();
  return { name, points, requests, ms, rssBefore, rssAfter: process.memoryUsage().rss, rssPeak, heapPeak: heapPeak - heapBefore };
}

interface Job {
  kind: 'client' | 'bare';
  baseUrl: string;
  end: number;
}

/** One measured run, in a process of its own (so neither run inherits the other's heap or RSS). */
async function runChild(job: Job): Promise<Run> {
  if (job.kind === 'client') {
    const client = new EmsClient({ baseUrl: job.baseUrl, username: USER, password: PASSWORD });
    await client.collect({ operation: 'devices', scope: 'all' }); // login and a warm socket, outside the measure
    const before = client.http.sent;
    const run = await measure('client, pages', async (tick) => {
      let points = 0;
      let pages = 0;
      const query = { operation: 'history' as const, scope: 'device' as const, uid: 1, start: START, end: job.end, pageSize: PAGE_SIZE, maxRecords: 0 };
      for await (const page of client.pages(query)) {
        for (const s of page.payload as Series[]) points += s.points.length;
        tick(++pages);
        await new Promise((r) => setImmediate(r)); // as the node does: let the msg be delivered first
      }
      return { points, requests: client.http.sent - before };
    });
    await client.close();
    return run;
  }
  const agent = new Agent({ connections: 2 });
  const login = await request(`${job.baseUrl}/v1/auth/login`, {
    dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  const { token } = (await login.body.json()) as { token: string };
  const run = await measure('bare undici + JSON.parse', async (tick) => {
    let points = 0;
    let requests = 0;
    for (let page = 1; ; page++) {
      const url = `${job.baseUrl}/v1/devices/1/history?start=${START}&end=${job.end}&limit=${PAGE_SIZE}&page=${page}`;
      const res = await request(url, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
      const parsed = JSON.parse(await res.body.text()) as { history: Record<string, unknown[]> };
      requests++;
      let n = 0;
      for (const list of Object.values(parsed.history)) n += list.length;
      points += n;
      tick(page);
      if (n < PAGE_SIZE) break;
    }
    return { points, requests };
  });
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

async function main(): Promise<void> {
  const target = Number(process.argv[2] ?? 1_000_000);
  const minutes = Math.ceil(target / SIGNALS);
  const end = START + minutes * 60_000;
  const sim = fork(__filename, ['--simulator'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => sim.once('message', (m) => resolve((m as { port: number }).port)));
  const baseUrl = `http://127.0.0.1:${port}`;
  console.log(`EMS history, pages mode: ${SIGNALS} signals x ${minutes} minutes = ${SIGNALS * minutes} points, limit ${PAGE_SIZE}; simulator on ${baseUrl}; each run in its own process`);
  const viaClient = await runIn({ kind: 'client', baseUrl, end });
  const bare = await runIn({ kind: 'bare', baseUrl, end });
  sim.disconnect();

  const mib = (b: number): string => `${(b / MIB).toFixed(1)} MiB`;
  for (const r of [viaClient, bare]) {
    const rate = Math.round(r.points / (r.ms / 1000));
    console.log(
      `${r.name.padEnd(26)} ${r.points} points, ${r.requests} requests, ${(r.ms / 1000).toFixed(2)} s, ${rate.toLocaleString('en-US')} points/s | ` +
        `RSS before ${mib(r.rssBefore)}, after ${mib(r.rssAfter)}, peak growth ${mib(r.rssPeak - r.rssBefore)} | heap peak growth (after GC) ${mib(r.heapPeak)}`,
    );
  }
  console.log(`client throughput: ${((viaClient.points / viaClient.ms / (bare.points / bare.ms)) * 100).toFixed(0)}% of the bare loop`);
  if (viaClient.points !== SIGNALS * minutes) throw new Error(`expected ${SIGNALS * minutes} points, got ${viaClient.points}`);
}

const runArg = process.argv.indexOf('--run');
if (process.argv.includes('--simulator')) void simulatorChild();
else if (runArg > 0) {
  runChild(JSON.parse(process.argv[runArg + 1] ?? '{}') as Job).then(
    (run) => process.send?.(run, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
