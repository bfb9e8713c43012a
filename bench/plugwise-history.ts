/**
 * plugwise-history, a month of 5-minute data from a Smile P1 (all its logs: electricity point, interval and
 * cumulative per tariff, phases): the requests the read takes and the memory it holds, read the way the
 * gateway's history() reads it (planRequests, one ranged GET at a time through the client's queue, the
 * joiner), against the simulator in this process. "pages" drops each request's series after a turn of the
 * event loop (output: pages); "single" keeps them all (output: single). RSS sampled every 10 ms and at
 * every request with a full GC every 5 requests; heap after a GC at the end, with the result still held.
 *   npx tsx bench/plugwise-history.ts [days]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PlugwiseClient } from '../src/vendors/plugwise/client';
import { countPoints, historyQuery, mergeSeries, planRequests, SeriesJoiner, type HistorySeries } from '../src/vendors/plugwise/history';
import { sourcesOf } from '../src/nodes/plugwise/gateway';
import { PlugwiseSimulator } from '../test/simulators/plugwise';
import { header, main, report } from './lib';

const MIB = 1048576;
const P1_HOME = 'a455b61e52394b2db5081ce025a430f3';
const DAYS = Number(process.argv[2] ?? 30);
const START = Date.UTC(2025, 0, 1);
const RSS_GOAL_MIB = 64;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Run {
  requests: number;
  points: number;
  ms: number;
  rssGrowth: number;
  heapHeld: number;
}

async function read(mode: 'pages' | 'single'): Promise<Run> {
  const sim = new PlugwiseSimulator({ fixture: 'p1v4_442_single', password: 'bench123' });
  await sim.start();
  const client = new PlugwiseClient({ host: '127.0.0.1', port: sim.port, password: 'bench123', timeoutMs: 30_000 });
  await client.read();
  const query = historyQuery(sourcesOf(client.lastRead!), P1_HOME, { start: START, end: START + DAYS * 86_400_000, interval: 'PT5M' });
  const spans = planRequests(query);
  const before = sim.server.requests.length;
  gc();
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  let rssPeak = rssBefore;
  const sample = (): void => void (rssPeak = Math.max(rssPeak, process.memoryUsage.rss()));
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  const joiner = new SeriesJoiner();
  let kept: HistorySeries[] = [];
  let points = 0;
  for (const [i, span] of spans.entries()) {
    const page = joiner.fresh(await client.history(query.source, { ...span, interval: query.interval }));
    points += countPoints(page);
    if (mode === 'single') kept = mergeSeries(kept, page);
    await new Promise((r) => setImmediate(r));
    sample();
    if (i % 5 === 4) gc();
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  gc();
  const heapHeld = process.memoryUsage().heapUsed - heapBefore;
  const requests = sim.server.requests.slice(before);
  void kept.length; // held until here: the single output's msg
  await client.close();
  await sim.stop();
  return { requests: requests.length, points, ms, rssGrowth: rssPeak - rssBefore, heapHeld };
}

async function replyBytes(): Promise<number> {
  const sim = new PlugwiseSimulator({ fixture: 'p1v4_442_single', password: 'bench123' });
  await sim.start();
  const client = new PlugwiseClient({ host: '127.0.0.1', port: sim.port, password: 'bench123' });
  const body = await client.get(`/core/locations;id=${P1_HOME};@from=2025-01-01T00:00:00Z;@to=2025-01-02T00:00:00Z;@interval=PT5M`);
  await client.close();
  await sim.stop();
  return Buffer.byteLength(body);
}

main(async () => {
  header(`plugwise-history: ${DAYS} days of 5-minute data from a Smile P1`, 'requests, points and memory of one read (pages: each request dropped; single: all kept).', false);
  const bytes = await replyBytes();
  await read('pages'); // warm-up: JIT, sockets
  const pages = await read('pages');
  const single = await read('single');
  const detail = (r: Run): string => `${r.points} points in ${r.requests} requests (~${(bytes / 1024).toFixed(0)} KiB each), ${(r.ms / 1000).toFixed(1)} s`;
  report({ bench: 'plugwise-history', measure: `requests for ${DAYS} days at PT5M`, value: `${pages.requests}`, goal: '', detail: `one request per day of 5-minute data (288 steps); reply of one day ${(bytes / 1024).toFixed(0)} KiB` });
  report({ bench: 'plugwise-history', measure: 'RSS growth, output pages', value: `${(pages.rssGrowth / MIB).toFixed(1)} MiB`, goal: `<= ${RSS_GOAL_MIB} MiB`, pass: pages.rssGrowth / MIB <= RSS_GOAL_MIB, detail: `${detail(pages)}; heap held after: ${(pages.heapHeld / MIB).toFixed(1)} MiB` });
  report({ bench: 'plugwise-history', measure: 'RSS growth, output single', value: `${(single.rssGrowth / MIB).toFixed(1)} MiB`, goal: '', detail: `${detail(single)}; heap held by the result: ${(single.heapHeld / MIB).toFixed(1)} MiB` });
});
