/**
 * plugwise-history against the simulated hubs (built node set): the hub's own logs over a window, as
 * series in ms with the entity model's units; long windows in several requests through the gateway's
 * queue (polls in between), as pages; refusals that send nothing.
 */
import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { Collector, helper, loadNodeSet, onTab, until, type Msg } from './harness';

const plugwise = loadNodeSet('plugwise');
const SMILE_ID = 'hist1234';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Smile P1 (firmware 4.4.2): its Home location keeps the meter's point, interval and cumulative logs. */
const P1_HOME = 'a455b61e52394b2db5081ce025a430f3';
/** An Adam's "Living room" zone: temperature and thermostat (setpoint) logs. */
const LIVING_ROOM = 'f2bf9048bef64cc5b6d5110154e33c81';
/** Thursday 2 January 2025 00:00 at the hub (UTC+1). */
const THURSDAY = Date.UTC(2025, 0, 1, 23);

interface Point {
  time: number;
  value: number | boolean | string;
}
interface Series {
  log: string;
  kind: string;
  unit: string;
  interval: string | null;
  tariff?: string;
  points: Point[];
}

interface Rig {
  sim: PlugwiseSimulator;
  out: Collector;
  caught: Collector;
  polled: Collector;
}

let rig: Rig | undefined;

async function start(fixture: string, history: Record<string, unknown>): Promise<Rig> {
  const sim = new PlugwiseSimulator({ fixture, password: SMILE_ID });
  await sim.start();
  await helper.startServer();
  await helper.load(
    plugwise,
    onTab([
      { id: 'gw', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port: sim.port, pollInterval: '3600', timeout: '5' },
      { id: 'hist', type: 'plugwise-history', gateway: 'gw', entity: '', logs: '', range: '24h', interval: '', output: 'single', wires: [['out']], ...history },
      { id: 'in', type: 'plugwise-in', gateway: 'gw', output: 'snapshot', entity: '', poll: false, wires: [['polled']] },
      { id: 'out', type: 'helper' },
      { id: 'polled', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: ['hist'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]),
    { gw: { username: 'smile', password: SMILE_ID } },
  );
  rig = { sim, out: new Collector('out'), caught: new Collector('caught'), polled: new Collector('polled') };
  return rig;
}

function send(id: string, msg: Record<string, unknown>): void {
  (helper.getNode(id) as unknown as { receive(m: object): void }).receive(msg);
}

/** The history requests the hub got, as [@from, @to, @interval]. */
function historyRequests(sim: PlugwiseSimulator): string[][] {
  return sim.server.requests
    .filter((r) => r.path.includes(';@from='))
    .map((r) => ['@from', '@to', '@interval'].map((k) => new RegExp(`;${k}=([^;]*)`).exec(r.path)?.[1] ?? ''));
}

const plain = (v: unknown): Series[] => JSON.parse(JSON.stringify(v)) as Series[];
const find = (series: Series[], log: string, kind: string, tariff?: string): Series => {
  const s = series.find((x) => x.log === log && x.kind === kind && x.tariff === tariff);
  assert.ok(s, `a ${kind} ${log} series${tariff ? ` for ${tariff}` : ''} in ${series.map((x) => `${x.kind} ${x.log} ${x.tariff ?? ''}`).join(', ')}`);
  return s;
};

describe('plugwise-history (against the simulated hubs)', function () {
  this.timeout(30_000);

  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await rig?.sim.stop();
    rig = undefined;
  });

  it('a day of hourly electricity from a Smile P1, per tariff, in the entity model\'s units', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME, logs: 'electricity_consumed', interval: 'PT1H' });
    send('hist', { start: new Date(THURSDAY), end: new Date(THURSDAY + DAY).toISOString(), keep: 'me' });
    const [msg] = await r.out.waitFor(1);
    assert.equal(msg?.keep, 'me', 'the msg is passed through');
    assert.equal(msg?.topic, `plugwise/history/${P1_HOME}`);
    const series = plain(msg?.payload);
    assert.deepEqual(
      series.map((s) => [s.log, s.kind, s.tariff, s.unit, s.interval, s.points.length]),
      [
        ['electricity_consumed', 'point', 'nl_offpeak', 'W', 'PT1H', 24],
        ['electricity_consumed', 'point', 'nl_peak', 'W', 'PT1H', 24],
        ['electricity_consumed', 'interval', 'nl_offpeak', 'Wh', 'PT1H', 24],
        ['electricity_consumed', 'interval', 'nl_peak', 'Wh', 'PT1H', 24],
        ['electricity_consumed', 'cumulative', 'nl_offpeak', 'kWh', 'PT1H', 24],
        ['electricity_consumed', 'cumulative', 'nl_peak', 'kWh', 'PT1H', 24],
      ],
    );
    const peak = find(series, 'electricity_consumed', 'interval', 'nl_peak');
    const offpeak = find(series, 'electricity_consumed', 'interval', 'nl_offpeak');
    assert.deepEqual(peak.points.map((p) => p.time), Array.from({ length: 24 }, (_, h) => THURSDAY + h * HOUR), 'one point an hour, in ms, by time');
    // A weekday: peak 07:00-23:00 at the hub, off-peak the other hours; each hour's Wh in exactly one tariff.
    const hubHour = (t: number): number => new Date(t + HOUR).getUTCHours();
    for (let h = 0; h < 24; h++) {
      const [p, o] = [peak.points[h]?.value as number, offpeak.points[h]?.value as number];
      const isPeak = hubHour(peak.points[h]!.time) >= 7 && hubHour(peak.points[h]!.time) < 23;
      assert.ok(isPeak ? p > 50 && o === 0 : o > 50 && p === 0, `hour ${h}: peak ${p} Wh, off-peak ${o} Wh`);
    }
    const dayWh = [...peak.points, ...offpeak.points].reduce((a, p) => a + (p.value as number), 0);
    assert.ok(dayWh > 5000 && dayWh < 20000, `${dayWh} Wh in the day`);
    // The meter reading in kWh, rising.
    const meter = find(series, 'electricity_consumed', 'cumulative', 'nl_peak').points.map((p) => p.value as number);
    assert.ok(meter.every((v, i) => i === 0 || v > (meter[i - 1] as number)) && (meter[0] as number) > 1000, 'kWh, rising');
    assert.deepEqual(historyRequests(r.sim), [['2025-01-01T23:00:00Z', '2025-01-02T23:00:00Z', 'PT1H']], 'one request');
    assert.equal(msg?.records, 144);
    assert.equal(msg?.pages, 1);
    assert.deepEqual(msg?.window, { start: THURSDAY, end: THURSDAY + DAY });
  });

  it('a week of a zone\'s temperature and setpoint from an Adam (range 7d, msg.end)', async () => {
    const r = await start('adam_plus_anna_new', { entity: LIVING_ROOM, logs: 'temperature, thermostat', range: '7d', interval: 'PT1H' });
    send('hist', { end: THURSDAY + 7 * DAY });
    const [msg] = await r.out.waitFor(1);
    const series = plain(msg?.payload);
    assert.deepEqual(series.map((s) => [s.log, s.kind, s.unit, s.points.length]), [['temperature', 'point', 'degC', 168], ['thermostat', 'point', 'degC', 168]]);
    const setpoints = new Set(find(series, 'thermostat', 'point').points.map((p) => p.value));
    assert.deepEqual([...setpoints].sort(), [16, 21], 'the schedule\'s setpoints');
    const temps = find(series, 'temperature', 'point').points.map((p) => p.value as number);
    assert.ok(temps.every((t) => t > 14 && t < 23), 'room temperatures in degC');
    assert.equal(new Set(find(series, 'temperature', 'point').points.map((p) => p.time)).size, 168, 'no hour twice');
    assert.equal(historyRequests(r.sim).length, 1, 'a week of hourly data is one request');
    assert.ok(r.sim.server.requests.every((q) => q.path === '/core/domain_objects' || q.path.startsWith(`/core/locations;id=${LIVING_ROOM};@from=`)), 'the location route');
  });

  it('three days of 5-minute data: three requests, sent as pages, the same points as one msg', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME, logs: 'electricity_consumed', interval: 'PT5M', output: 'pages' });
    send('hist', { start: THURSDAY, end: THURSDAY + 3 * DAY, tag: 1 });
    const pages = await r.out.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(r.out.msgs.length, 3);
    assert.deepEqual(pages.map((m) => [m.page, m.pages, m.complete, m.records, m.tag]), [[1, 3, false, 1728, 1], [2, 3, false, 1728, 1], [3, 3, true, 1728, 1]]);
    assert.deepEqual(historyRequests(r.sim), [
      ['2025-01-01T23:00:00Z', '2025-01-02T23:00:00Z', 'PT5M'],
      ['2025-01-02T23:00:00Z', '2025-01-03T23:00:00Z', 'PT5M'],
      ['2025-01-03T23:00:00Z', '2025-01-04T23:00:00Z', 'PT5M'],
    ]);
    const times = pages.flatMap((m) => find(plain(m.payload), 'electricity_consumed', 'interval', 'nl_peak').points.map((p) => p.time));
    assert.deepEqual(times, Array.from({ length: 864 }, (_, i) => THURSDAY + i * 300_000), 'contiguous, none twice');

    // The same window as one msg: the pages joined.
    const before = r.sim.server.requests.length;
    await helper.unload();
    await helper.load(
      plugwise,
      onTab([
        { id: 'gw', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port: r.sim.port, pollInterval: '3600', timeout: '5' },
        { id: 'hist', type: 'plugwise-history', gateway: 'gw', entity: P1_HOME, logs: 'electricity_consumed', range: '24h', interval: 'PT5M', output: 'single', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]),
      { gw: { username: 'smile', password: SMILE_ID } },
    );
    const one = new Collector('out');
    send('hist', { start: THURSDAY, end: THURSDAY + 3 * DAY });
    const [joined] = await one.waitFor(1);
    const all = plain(joined?.payload);
    assert.equal(all.length, 6);
    assert.ok(all.every((s) => s.points.length === 864));
    assert.deepEqual(find(all, 'electricity_consumed', 'interval', 'nl_peak').points.map((p) => p.time), times);
    assert.equal(r.sim.server.requests.length - before, 4, 'a read of the hub, then three history requests');
  });

  it('an interval the hub does not know, or a range it cannot hold, is BAD_INPUT with nothing sent', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME });
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ interval: 'PT7M' }, /interval "PT7M" is not one the hub knows: use PT5M, PT15M, PT1H/],
      [{ interval: 'P1Y' }, /not one the hub knows/],
      [{ range: '400d', interval: 'PT5M' }, /more than one read takes .*coarser interval/],
      [{ start: '2005-01-01', end: '2005-02-01' }, /no Plugwise hub logged before 2010/],
      [{ start: THURSDAY, end: THURSDAY - 1 }, /window is empty/],
      [{ logs: 'temperature; DROP' }, /a log type is written like/],
      [{ entity: 'x;@to=now' }, /not a Plugwise id/],
    ];
    for (const [i, [msg, expected]] of refusals.entries()) {
      send('hist', msg);
      const caught = await r.caught.waitFor(i + 1);
      const err = caught[i]?.error;
      assert.equal(err?.code, 'BAD_INPUT', JSON.stringify(msg));
      assert.match(String(err?.message), expected);
    }
    assert.equal(r.out.msgs.length, 0);
    assert.equal(r.sim.server.requests.length, 0, 'nothing sent to the hub');

    // A log the entity does not keep: known from the hub's last read; no history request.
    send('hist', { logs: 'gas_consumed' });
    const [, , , , , , , unknownLog] = await r.caught.waitFor(refusals.length + 1);
    assert.equal(unknownLog?.error?.code, 'BAD_INPUT');
    assert.match(String(unknownLog?.error?.message), /keeps no gas_consumed log: it has electricity_phase_one_produced, electricity_consumed/);
    assert.deepEqual(r.sim.server.requests.map((q) => q.path), ['/core/domain_objects'], 'only the read that tells which logs it keeps');
  });

  it('a node stored with an interval the hub does not know refuses every msg, nothing sent', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME, interval: 'PT2M' });
    send('hist', {});
    const [c] = await r.caught.waitFor(1);
    assert.equal(c?.error?.code, 'BAD_INPUT');
    assert.match(String(c?.error?.message), /stored settings .*interval/);
    assert.equal(r.sim.server.requests.length, 0);
  });

  it('the poll still answers while a long history read runs (one request in flight, polls in between)', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME, logs: 'electricity_consumed', interval: 'PT5M', output: 'pages' });
    r.sim.server.setFault({ path: `/core/locations;id=${P1_HOME};@from=`, delayMs: 150 });
    send('hist', { start: THURSDAY, end: THURSDAY + 10 * DAY });
    await r.out.waitFor(1);
    // Mid-read: plugwise-in asks for a read twice; each comes back before the history is done.
    send('in', {});
    const [polled] = await r.polled.waitFor(1);
    assert.equal(typeof (polled?.payload as { gateway?: { model?: string } }).gateway?.model, 'string');
    const pagesAtPoll = r.out.msgs.length;
    send('in', {});
    await r.polled.waitFor(2);
    assert.ok(r.out.msgs.length < 10, `the reads came back while the history was at page ${pagesAtPoll}/${r.out.msgs.length} of 10`);
    await until(() => r.out.msgs.some((m: Msg) => m.complete === true), 15_000, 'the last page');
    assert.equal(r.out.msgs.length, 10);
    const paths = r.sim.server.requests.map((q) => (q.path.includes(';@from=') ? 'history' : q.path));
    const firstHistory = paths.indexOf('history');
    const lastHistory = paths.lastIndexOf('history');
    assert.equal(paths.slice(firstHistory, lastHistory).filter((p) => p === '/core/domain_objects').length, 2, `the polls went between history requests: ${paths.join(' ')}`);
    // One request in flight: each request arrived after the previous one was answered (150 ms each).
    const times = r.sim.server.requests.filter((q) => q.path.includes(';@from=')).map((q) => q.time);
    assert.ok(times.every((t, i) => i === 0 || t - (times[i - 1] as number) >= 140), `history requests ${times.map((t, i) => (i ? t - (times[i - 1] as number) : 0)).join(', ')} ms apart`);
  });

  it('the editor\'s picker lists what has logs, with the logs each keeps (deployed gateway, stored Smile ID)', async () => {
    const r = await start('p1v4_442_single', { entity: P1_HOME });
    const res = await helper.request().post('/energy-gateways/plugwise/history').send({ id: 'gw', host: '127.0.0.1', port: r.sim.port });
    assert.equal(res.status, 200, res.text);
    const items = res.body as Array<{ id: string; name: string; devClass: string; route: string; logs: Array<{ log: string; kind: string; unit: string; tariffs: string[] }> }>;
    const home = items.find((i) => i.id === P1_HOME);
    assert.deepEqual([home?.name, home?.devClass, home?.route], ['Home', 'gateway', 'locations']);
    assert.deepEqual(
      home?.logs.filter((l) => l.log === 'electricity_consumed').map((l) => [l.kind, l.unit, l.tariffs.sort().join(',')]),
      [['point', 'W', 'nl_offpeak,nl_peak'], ['interval', 'Wh', 'nl_offpeak,nl_peak'], ['cumulative', 'kWh', 'nl_offpeak,nl_peak']],
    );
    assert.ok(items.every((i) => i.logs.length > 0), 'only what has logs');
    assert.equal(r.sim.server.requests.filter((q) => q.path.includes('@from')).length, 0, 'the picker asks for no history');
  });
});
