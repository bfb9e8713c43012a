import assert from 'node:assert/strict';
import { MAX_PAGES } from '../../src/core/paging';
import { EmsClient, type EmsQuery, type Keyed, type Series } from '../../src/vendors/ems';
import { historyRecord } from '../simulators/ems/data';
import { EMS_PASSWORD, EMS_USER, EmsRig, FAST_RETRY, isCode } from './rig';

const START = Date.UTC(2025, 0, 1, 0, 0, 0);
const HOUR = 3_600_000;

/** The points the API documents for a record, converted by hand: t, p seconds -> ms, v -> value. */
function expectedPoints(uid: number, start: number, end: number): Series {
  const points = [];
  for (let p = start / 1000 + 60; p <= end / 1000; p += 60) {
    const r = historyRecord(uid, p);
    points.push({ time: r.t! * 1000, value: r.v, min: r.min, max: r.max, d: r.d, periodTime: r.p! * 1000 });
  }
  return { uid, points };
}

function queryOf(path: string): URLSearchParams {
  return new URL(path, 'http://x').searchParams;
}

describe('ems client (against the simulator)', function () {
  const ems = new EmsRig();

  describe('paging', () => {
    const q = (extra: Partial<EmsQuery> = {}): EmsQuery => ({ operation: 'history', scope: 'all', uids: [100, 101, 102], start: START, end: START + HOUR, ...extra });

    it('follows 4 pages until a short one and returns exact points, sorted', async () => {
      await ems.setup();
      const r = await ems.client.collect(q({ pageSize: 50 }));
      const requests = ems.sim.server.requests.filter((x) => x.path.startsWith('/v1/history?'));
      assert.deepEqual(requests.map((x) => queryOf(x.path).get('page')), ['1', '2', '3', '4']);
      for (const x of requests) {
        const qs = queryOf(x.path);
        assert.equal(qs.get('limit'), '50');
        assert.equal(qs.get('uids'), '100,101,102');
        assert.equal(qs.get('start'), String(START), 'start leaves as ms');
        assert.equal(qs.get('end'), String(START + HOUR));
      }
      assert.equal(r.pages, 4);
      assert.equal(r.records, 180);
      assert.equal(r.truncated, false);
      assert.deepEqual(r.payload, [expectedPoints(100, START, START + HOUR), expectedPoints(101, START, START + HOUR), expectedPoints(102, START, START + HOUR)]);
      // Spot check against the formula, written out: 10 + minute-of-day / 100.
      assert.deepEqual((r.payload as Series[])[0]?.points[0], { time: 1735689659000, value: 10.01, min: 9.51, max: 10.51, d: 0, periodTime: 1735689660000 });
      console.log(`      paging: 180 points, limit 50 -> ${requests.length} requests, ${r.records} points`);
    });

    it('a full last page costs one empty request, and maxRecords at that boundary is not a truncation', async () => {
      await ems.setup();
      const r = await ems.client.collect(q({ pageSize: 60, maxRecords: 180 }));
      assert.equal(ems.sim.count('/v1/history?'), 4);
      assert.equal(r.pages, 3);
      assert.equal(r.records, 180);
      assert.equal(r.truncated, false);
    });

    it('maxRecords stops early with truncated, inside a page or at its end', async () => {
      await ems.setup();
      const inside = await ems.client.collect(q({ pageSize: 50, maxRecords: 120 }));
      assert.equal(inside.truncated, true);
      assert.equal(inside.records, 120);
      assert.deepEqual((inside.payload as Series[]).map((s) => [s.uid, s.points.length]), [[100, 60], [101, 60]]);
      assert.equal(ems.sim.count('/v1/history?'), 3, 'no page after the one that reached maxRecords');
      const atEnd = await ems.client.collect(q({ pageSize: 60, maxRecords: 120 }));
      assert.equal(atEnd.truncated, true, 'page 3 had more');
      assert.equal(atEnd.records, 120);
    });

    it('pages() hands out one page at a time and fetches only one ahead (backpressure)', async () => {
      await ems.setup();
      const it = ems.client.pages(q({ pageSize: 20 }))[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.done, false);
      assert.equal(first.value?.page, 1);
      assert.equal(first.value?.records, 20);
      assert.equal(first.value?.last, false);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(ems.sim.count('/v1/history?'), 2, 'page 2 read ahead, page 3 waits for the consumer');
      const second = await it.next();
      assert.equal(second.value?.page, 2);
      assert.equal(second.value?.total, 40);
      assert.equal(ems.sim.count('/v1/history?'), 3);
      await it.return(undefined);
      let last;
      for await (const p of ems.client.pages(q({ pageSize: 20 }))) last = p;
      assert.equal(last?.page, 9);
      assert.equal(last?.last, true);
      assert.equal(last?.total, 180);
    });

    it('a gateway that ignores page is stopped with BAD_RESPONSE, not followed forever', async () => {
      await ems.setup();
      ems.sim.ignorePaging = true;
      await assert.rejects(ems.client.collect(q({ pageSize: 50, maxRecords: 0 })), isCode('BAD_RESPONSE', /same records as page 1/));
      assert.equal(ems.sim.count('/v1/history?'), 2);
    });

    it('a gateway whose pages are always full stops at the page ceiling (1000) with truncated, even with maxRecords 0', async function () {
      this.timeout(60_000);
      await ems.setup();
      ems.sim.endlessHistory = true;
      const t0 = Date.now();
      const r = await ems.client.collect(q({ pageSize: 5, maxRecords: 0 }));
      assert.equal(r.pages, MAX_PAGES);
      assert.equal(r.records, MAX_PAGES * 5);
      assert.equal(r.truncated, true);
      assert.equal(r.truncatedBy, 'maxPages');
      assert.equal(ems.sim.count('/v1/history?'), MAX_PAGES + 1, 'the page after the ceiling is read only to know there was more');
      // Streaming: the last page handed out says so.
      let last;
      for await (const p of ems.client.pages(q({ pageSize: 5, maxRecords: 0, maxPages: 3 }))) last = p;
      assert.deepEqual([last?.page, last?.last, last?.truncated, last?.truncatedBy], [3, true, true, 'maxPages']);
      // maxRecords reached first still says maxRecords.
      const byRecords = await ems.client.collect(q({ pageSize: 5, maxRecords: 12, maxPages: 3 }));
      assert.deepEqual([byRecords.records, byRecords.truncatedBy], [12, 'maxRecords']);
      console.log(`      endless gateway: ${r.pages} pages, ${r.records} points, ${MAX_PAGES + 1} requests in ${Date.now() - t0} ms`);
    });
  });

  describe('operations and scopes', () => {
    it('history of a signal (bare array), a load and a device', async () => {
      await ems.setup();
      const w = { start: START, end: START + 600_000 };
      const signal = await ems.client.collect({ operation: 'history', scope: 'signal', uid: 103, ...w });
      assert.deepEqual(signal.payload, [expectedPoints(103, w.start, w.end)]);
      const load = await ems.client.collect({ operation: 'history', scope: 'load', uid: 2, ...w });
      assert.deepEqual((load.payload as Series[]).map((s) => s.uid), [100, 101, 102]);
      const device = await ems.client.collect({ operation: 'history', scope: 'device', uid: 59, ...w });
      assert.deepEqual(device.payload, [expectedPoints(105, w.start, w.end), expectedPoints(106, w.start, w.end)]);
      assert.ok(ems.sim.server.requests.some((r) => r.path.startsWith('/v1/signals/103/history?')));
    });

    it('realtime keeps ms and unknown fields; uids filter a scoped route locally', async () => {
      await ems.setup();
      ems.sim.extraFields = { quality: 'good' };
      const r = await ems.client.collect({ operation: 'realtime', scope: 'device', uid: 1, uids: [104, 100] });
      assert.equal(ems.sim.server.requests.at(-1)?.path, '/v1/devices/1/realtime', 'no uids or paging on a scoped route');
      assert.deepEqual(r.payload, [
        { uid: 100, si: 29, value: 230, time: ems.clock, r: 0, s: 1, quality: 'good' },
        { uid: 104, si: 30, value: 234, time: ems.clock, r: 0, s: 1, quality: 'good' },
      ]);
    });

    it('last, devices, loads, signals', async () => {
      await ems.setup();
      const last = await ems.client.collect({ operation: 'last', scope: 'load', uid: 60 });
      const p = ems.clock / 1000;
      assert.deepEqual((last.payload as Keyed[]).map((x) => [x.uid, x.time, x.periodTime]), [
        [105, (p - 1) * 1000, ems.clock],
        [106, (p - 1) * 1000, ems.clock],
      ]);
      const devices = await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.deepEqual((devices.payload as Keyed[]).map((d) => [d.uid, d.label, d.firmware]), [[1, 'Main meter', '2.4.1'], [59, 'EM1', '1.0.7']]);
      const tcp = await ems.client.collect({ operation: 'loads', scope: 'all', protocol: 'tcp' });
      assert.deepEqual(tcp.payload.map((l) => l.uid), [60]);
      const ofDevice = await ems.client.collect({ operation: 'loads', scope: 'device', uid: 1 });
      assert.deepEqual(ofDevice.payload.map((l) => l.uid), [2, 3]);
      const signals = await ems.client.collect({ operation: 'signals', scope: 'all', pageSize: 3 });
      assert.deepEqual(signals.payload.map((s) => s.uid), [100, 101, 102, 103, 104, 105, 106]);
      assert.equal(signals.pages, 3);
      await assert.rejects(ems.client.collect({ operation: 'signals', scope: 'load', uid: 999 }), isCode('NOT_FOUND', /check the uid/));
    });
  });

  describe('failures', () => {
    it('5xx is retried then SERVER_ERROR; malformed JSON BAD_RESPONSE; a silent gateway TIMEOUT', async () => {
      await ems.setup({}, { timeoutMs: 200 });
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.sim.server.setFault({ status: 500, path: '/v1/devices' });
      await assert.rejects(ems.client.collect({ operation: 'devices', scope: 'all' }), isCode('SERVER_ERROR', /HTTP 500/));
      assert.equal(ems.sim.count('/v1/devices'), 4, '1 + 3 attempts');
      ems.sim.server.setFault({ body: 'malformed', path: '/v1/devices' });
      await assert.rejects(ems.client.collect({ operation: 'devices', scope: 'all' }), isCode('BAD_RESPONSE', /not JSON/));
      ems.sim.server.setFault({ body: 'truncated', path: '/v1/history' });
      await assert.rejects(ems.client.collect({ operation: 'history', scope: 'all', start: START, end: START + HOUR }), isCode('BAD_RESPONSE'));
      ems.sim.server.setFault({ hang: true, path: '/v1/devices' });
      await assert.rejects(ems.client.collect({ operation: 'devices', scope: 'all' }), isCode('TIMEOUT', /did not answer/));
      ems.sim.server.setFault(undefined);
      assert.equal((await ems.client.collect({ operation: 'devices', scope: 'all' })).records, 2, 'recovers');
    });

    it('bad input is refused before anything is sent', async () => {
      await ems.setup();
      const bad: EmsQuery[] = [
        { operation: 'devices', scope: 'load', uid: 2 },
        { operation: 'history', scope: 'signal' },
        { operation: 'history', scope: 'all', pageSize: 0 },
        { operation: 'history', scope: 'all', pageSize: 1.5 },
        { operation: 'history', scope: 'all', maxRecords: -1 },
      ];
      for (const q of bad) await assert.rejects(ems.client.collect(q), isCode('BAD_INPUT'));
      assert.throws(() => new EmsClient({ baseUrl: 'ftp://x', username: 'a', password: 'b' }), isCode('BAD_INPUT', /http:\/\/ or https:\/\//));
      assert.equal(ems.sim.server.requests.length, 0);
    });

    it('the password and the token appear in no error', async () => {
      await ems.setup({}, { timeoutMs: 200 });
      const texts: string[] = [];
      const record = (err: unknown): void => {
        texts.push(JSON.stringify(err), String((err as Error).message), String((err as Error).stack));
      };
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      for (const fault of [{ status: 401 }, { status: 403 }, { status: 500 }, { body: 'malformed' }, { drop: true }, { hang: true }, { body: 'html' }] as const) {
        ems.sim.server.setFault({ ...fault, path: '/v1/' });
        await ems.client.collect({ operation: 'signals', scope: 'all' }).catch(record);
      }
      ems.sim.server.setFault(undefined);
      const wrong = new EmsClient({ baseUrl: ems.sim.url, username: EMS_USER, password: `${EMS_PASSWORD}x`, retry: FAST_RETRY });
      await wrong.test().catch(record);
      await wrong.close();
      assert.ok(texts.length >= 24, `${texts.length / 3} errors`);
      const all = texts.join('\n');
      assert.ok(!all.includes(EMS_PASSWORD), 'password leaked');
      assert.ok(ems.sim.issued.length >= 2);
      for (const token of ems.sim.issued) assert.ok(!all.includes(token) && !all.includes(token.split('.')[2] ?? 'x'), 'token leaked');
    });
  });
});
