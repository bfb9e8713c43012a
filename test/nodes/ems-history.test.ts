import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Series } from '../../src/vendors/ems';
import { EmsSimulator } from '../simulators/ems';
import { historyRecord } from '../simulators/ems/data';
import { Collector, checkRedeploys, delay, helper, loadNodeSet, logText, onTab, statuses, until, simulatorForEachTest, type Msg } from './harness';

const ems = loadNodeSet('ems');
const USER = 'reader';
const PASSWORD = 'Ems-pw-7c21-xQ';
const CREDS = { srv: { username: USER, password: PASSWORD } };
const START = Date.UTC(2025, 0, 1);
const MIN = 60_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc'); // contexts made later (function nodes) do not get it

/**
 * node-red-node-test-helper spies on Node.prototype.send (sinon), and a spy keeps every msg it saw: the
 * harness would hold all pages. Its history is dropped as pages arrive so only the node's memory is measured.
 */
function forgetSentMessages(): void {
  const sandbox = (helper as unknown as { _sandbox?: { resetHistory(): void } })._sandbox;
  assert.ok(sandbox, 'the test helper keeps its spies in _sandbox');
  sandbox.resetHistory();
}

function serverNode(port: number): Record<string, unknown> {
  return { id: 'srv', type: 'ems-server', name: 'ems', baseUrl: `http://127.0.0.1:${port}`, allowSelfSigned: false };
}

function historyNode(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, type: 'ems-history', server: 'srv', operation: 'history', scope: 'device', uid: '1', uids: '', range: '24h',
    pageSize: 100, maxRecords: 100000, output: 'single', wires: [[`${id}-out`]], ...extra,
  };
}

const CATCH = [
  { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

function flow(...nodes: Record<string, unknown>[]): object[] {
  const out: object[] = [];
  for (const n of nodes) out.push(n, ...(n.wires ? [{ id: `${String(n.id)}-out`, type: 'helper' }] : []));
  return onTab([...out, ...CATCH]);
}

function send(id: string, msg: Record<string, unknown>): void {
  (helper.getNode(id) as { receive(m: object): void }).receive(msg);
}

/** The series the node must emit for signals `uids` over [start, end], from the documented record shape. */
function expected(uids: number[], start: number, end: number): Series[] {
  return uids.map((uid) => {
    const points = [];
    for (let p = start / 1000 + 60; p <= end / 1000; p += 60) {
      const r = historyRecord(uid, p);
      points.push({ time: (r.t ?? 0) * 1000, value: r.v, min: r.min, max: r.max, d: r.d, periodTime: (r.p ?? 0) * 1000 });
    }
    return { uid, points };
  });
}

describe('ems-history (built node set, against the simulator)', function () {
  let sim: EmsSimulator;

  simulatorForEachTest(() => new EmsSimulator({ username: USER, password: PASSWORD }), (s) => (sim = s));

  it('history: one msg with every point of 4 pages, sorted, in ms; the msg passes through', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h')), CREDS);
    const out = new Collector('h-out');
    const seen = statuses('h');
    const end = START + 70 * MIN; // 5 signals x 70 points = 350: pages of 100, 100, 100, 50
    send('h', { payload: 'go', keep: 'me', start: new Date(START).toISOString(), end: new Date(end) });
    const [msg] = await out.waitFor(1);
    assert.equal(msg?.keep, 'me');
    assert.equal(msg?.topic, 'ems/history/device/1');
    assert.deepEqual(msg?.payload, expected([100, 101, 102, 103, 104], START, end));
    assert.equal(msg?.records, 350);
    assert.equal(msg?.pages, 4);
    assert.equal(msg?.truncated, false);
    assert.deepEqual(msg?.window, { start: START, end });
    assert.equal(sim.count('/v1/devices/1/history?'), 4);
    assert.equal(seen[0]?.fill, 'yellow');
    assert.equal(seen.at(-1)?.fill, 'green');
    assert.match(String(seen.at(-1)?.text), /^5 series · 350 points · \d\d:\d\d:\d\d$/);
  });

  it('pages: one msg per page as it arrives, msg.complete on the last', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h', { output: 'pages' })), CREDS);
    const out = new Collector('h-out');
    send('h', { keep: 1, start: START, end: START + 70 * MIN });
    const msgs = await out.waitFor(4);
    await delay(100);
    assert.equal(out.msgs.length, 4);
    assert.deepEqual(msgs.map((m) => [m.page, m.records, m.total, m.complete]), [[1, 100, 100, false], [2, 100, 200, false], [3, 100, 300, false], [4, 50, 350, true]]);
    assert.ok(msgs.every((m) => m.keep === 1 && m.topic === 'ems/history/device/1' && m.truncated === false));
    assert.equal(new Set(msgs).size, 4, 'each page is its own msg');
    const points = msgs.flatMap((m) => (m.payload as Series[]).flatMap((s) => s.points.map((p) => `${s.uid}@${p.time}`)));
    assert.equal(new Set(points).size, 350, 'every point once');
  });

  it('the relative range, msg overrides, and the other operations', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h', { range: '2h', scope: 'signal', uid: '100' })), CREDS);
    const out = new Collector('h-out');
    const before = Date.now();
    send('h', {});
    await out.waitFor(1);
    const w = out.msgs[0]?.window as { start: number; end: number };
    assert.equal(w.end - w.start, 2 * 3_600_000);
    assert.ok(w.end >= before && w.end <= Date.now());
    assert.equal((out.msgs[0]?.payload as Series[])[0]?.points.length, 120);
    send('h', { uid: 103, range: '30min' });
    await out.waitFor(2);
    assert.equal(out.msgs[1]?.topic, 'ems/history/signal/103');
    assert.equal((out.msgs[1]?.payload as Series[])[0]?.points.length, 30);
    send('h', { operation: 'realtime', scope: 'all', uids: [105, 101] });
    send('h', { operation: 'devices', scope: 'all' });
    send('h', { operation: 'signals', scope: 'load', uid: '60' });
    send('h', { operation: 'last', scope: 'device', uid: 59, uids: '106' });
    await out.waitFor(6);
    const byTopic = new Map(out.msgs.map((m) => [m.topic, m.payload as { uid: number; [k: string]: unknown }[]]));
    assert.deepEqual(byTopic.get('ems/realtime')?.map((r) => [r.uid, typeof r.time, typeof r.value]), [[101, 'number', 'number'], [105, 'number', 'number']]);
    assert.deepEqual(byTopic.get('ems/devices')?.map((d) => d.label), ['Main meter', 'EM1']);
    assert.deepEqual(byTopic.get('ems/signals/load/60')?.map((s) => s.uid), [105, 106]);
    assert.deepEqual(byTopic.get('ems/last/device/59')?.map((s) => s.uid), [106]);
  });

  it('bad input: BAD_INPUT to the Catch node, nothing sent to the gateway or the output', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h')), CREDS);
    const out = new Collector('h-out');
    const caught = new Collector('caught');
    const seen = statuses('h');
    const bad = [
      { start: 'yesterday' },
      { start: START + MIN, end: START },
      { range: 'forever', start: '' },
      { operation: 'devices', scope: 'load' },
      { operation: 'watts' },
      { uids: 'a,b' },
      { uid: 'main' },
      { pageSize: 0 },
      { protocol: 'zigbee', operation: 'devices', scope: 'all' },
    ];
    for (const b of bad) send('h', { payload: 'x', ...b });
    const errors = await caught.waitFor(bad.length);
    assert.deepEqual(errors.map((e) => e.error?.code), bad.map(() => 'BAD_INPUT'));
    const messages = errors.map((e) => String(e.error?.message)).join('\n');
    for (const text of [/msg\.start must be a Date/, /window is empty/, /not a duration/, /"devices" cannot be read at scope "load"/, /operation must be one of/, /Every uid in uids must be a whole number/, /The uid must be a whole number/, /page size must be/, /msg\.protocol must be one of rtu, tcp, meterBus, virtual, P1/]) {
      assert.match(messages, text);
    }
    assert.ok(errors.every((e) => e.payload === 'x'), 'the failed msg reaches the Catch node');
    await delay(100);
    assert.equal(sim.server.requests.length, 0, 'not even a login');
    assert.equal(out.msgs.length, 0);
    assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'BAD_INPUT: no devices at scope load' });
  });

  it('maxRecords: msg.truncated and a warning', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h', { maxRecords: 150 })), CREDS);
    const out = new Collector('h-out');
    send('h', { start: START, end: START + 60 * MIN });
    await out.waitFor(1);
    assert.equal(out.msgs[0]?.truncated, true);
    assert.equal(out.msgs[0]?.records, 150);
    assert.deepEqual((out.msgs[0]?.payload as Series[]).map((s) => s.points.length), [60, 60, 30]);
    await until(() => logText().includes('Stopped after maxRecords (150)'), 2000, 'the warning');
  });

  it('AUTH_FAILED and gateway faults: one error each, red status, and no password or token anywhere', async () => {
    await helper.load(ems, flow(serverNode(sim.port), historyNode('h', { operation: 'devices', scope: 'all' })), { srv: { username: USER, password: `${PASSWORD}!` } });
    const caught = new Collector('caught');
    const seen = statuses('h');
    send('h', {});
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'AUTH_FAILED');
    assert.equal(seen.at(-1)?.text, 'AUTH_FAILED: login refused');
    await helper.unload();

    await helper.load(ems, flow(serverNode(sim.port), historyNode('h', { operation: 'signals', scope: 'all' })), CREDS);
    const out = new Collector('h-out');
    const caught2 = new Collector('caught');
    const seen2 = statuses('h');
    send('h', {});
    await out.waitFor(1);
    sim.revokeTokens();
    send('h', {});
    await out.waitFor(2);
    for (const fault of [{ status: 401 }, { status: 500 }, { body: 'malformed' }, { drop: true }] as const) {
      sim.server.setFault({ ...fault, path: '/v1/signals' });
      send('h', { payload: 'x' });
      await caught2.waitFor(caught2.msgs.length + 1, 15_000);
    }
    sim.server.setFault(undefined);
    assert.deepEqual(caught2.msgs.map((m) => m.error?.code), ['AUTH_FAILED', 'SERVER_ERROR', 'BAD_RESPONSE', 'UNREACHABLE']);
    const everything = JSON.stringify([out.msgs, caught.msgs, caught2.msgs, seen, seen2]) + logText();
    assert.ok(everything.length > 1000);
    assert.ok(!everything.includes(PASSWORD), 'password leaked');
    assert.ok(sim.issued.length >= 2);
    for (const t of sim.issued) assert.ok(!everything.includes(t) && !everything.includes(t.split('.')[2] ?? '-'), 'token leaked');
  });

  it('pages mode: 50,000 points stream with flat memory', async function () {
    this.timeout(60_000);
    const end = START + 10_000 * MIN; // 5 signals x 10,000 points
    const nodes = [serverNode(sim.port), historyNode('p', { output: 'pages', pageSize: 1000, maxRecords: 0 }), historyNode('s', { output: 'single', maxRecords: 0, pageSize: 1000 })];
    await helper.load(ems, flow(...nodes), CREDS);
    // Count what arrives and drop it, sampling the heap (after a GC) every few pages.
    let points = 0;
    let pages = 0;
    let complete = false;
    let peak = 0;
    const sink = helper.getNode('p-out') as { on(e: string, f: (m: Msg) => void): void };
    sink.on('input', (m: Msg) => {
      pages++;
      for (const s of m.payload as Series[]) points += s.points.length;
      forgetSentMessages();
      if (pages % 5 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      complete = m.complete === true;
    });
    send('s', { operation: 'devices', scope: 'all' }); // warm up: login, sockets, code paths
    await new Collector('s-out').waitFor(1);
    gc();
    const base = process.memoryUsage().heapUsed;
    const rss = process.memoryUsage().rss;
    send('p', { start: START, end });
    await until(() => complete, 50_000, 'the last page');
    const streamed = Math.max(0, peak - base);

    // The same points kept in one msg: what "not flat" would cost.
    const single = new Collector('s-out');
    gc();
    const before = process.memoryUsage().heapUsed;
    send('s', { start: START, end });
    await single.waitFor(1, 50_000);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    console.log(`      memory: ${points} points in ${pages} pages: heap peak +${(streamed / 1048576).toFixed(1)} MiB (rss ${(rss / 1048576).toFixed(0)} MiB); kept in one msg: +${(retained / 1048576).toFixed(1)} MiB`);
    assert.equal(points, 50_000);
    assert.equal(pages, 50);
    assert.equal(single.msgs[0]?.records, 50_000);
    assert.ok(retained > 3 * 1048576, `50,000 points take room when kept (${retained} bytes)`);
    assert.ok(streamed < retained / 4, `streaming grew the heap by ${streamed} bytes; keeping everything costs ${retained}`);
  });

  it('redeploys mid-stream leave no sockets, timers or requests behind', async () => {
    const nodes = [serverNode(sim.port), historyNode('p', { output: 'pages', pageSize: 50 })];
    await checkRedeploys({
      times: 20,
      load: () => helper.load(ems, flow(...nodes), CREDS),
      warmUp: async () => sim.server.setFault({ delayMs: 30, path: '/v1/devices/1/history' }),
      during: async (i) => {
        send('p', { start: START, end: START + 600 * MIN });
        await delay(i % 5 === 0 ? 150 : 20);
      },
      sim,
      requestsStop: 'no read survives its node',
    });
    sim.server.setFault(undefined);
  });

  it('a server without credentials or URL: BAD_INPUT, nothing sent', async () => {
    const srv = { ...serverNode(sim.port), baseUrl: '' };
    await helper.load(ems, flow(srv, historyNode('h')), {});
    const caught = new Collector('caught');
    send('h', {});
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'BAD_INPUT');
    assert.match(String(caught.msgs[0]?.error?.message), /no base URL/);
    assert.equal(sim.server.requests.length, 0);
  });
});
