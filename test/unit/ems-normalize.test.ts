import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { Merger, limitPage, normalizePage, type Series } from '../../src/vendors/ems/normalize';

// Replies shaped as the EMS Webapi documentation shows them.
const HISTORY = {
  history: {
    '4': [{ uid: 4, t: 1735689659, p: 1735689660, v: -93.4, d: 0, max: 100, min: -100 }],
    '3': [
      { uid: 3, t: 1735689719, p: 1735689720, v: 9.3, d: 0, max: 100, min: 0 },
      { uid: 3, t: 1735689659, p: 1735689660, v: 10.5, d: 0, max: 100, min: 0 },
    ],
  },
};
const LAST = {
  history: {
    '4': { uid: 4, t: 1735689659, p: 1735689660, v: -93.4, d: 0, max: 100, min: -100 },
    '3': { uid: 3, t: 1735689719, p: 1735689720, v: 9.3, d: 0, max: 100, min: 0 },
  },
};
const REALTIME = {
  realtime: {
    '101': { uid: 101, si: 30, v: 2.5, t: 1752493029975, r: 0, s: 1 },
    '100': { uid: 100, si: 29, v: 230.4, t: 1752493029975, r: 0, s: 1 },
  },
};
const DEVICES = {
  devices: {
    '59': { uid: 59, label: 'EM1', partNumber: 'EM24_E1', system: '1P' },
    '1': { uid: 1, label: 'Main meter', partNumber: 'EMS10AV5S1X', system: '1P' },
  },
};

const badResponse = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof GatewayError);
  assert.equal(err.code, 'BAD_RESPONSE');
  assert.match(err.message, pattern);
  return true;
};

describe('ems normalization', () => {
  it('history: a uid-keyed map of arrays -> series sorted by uid, points by time, seconds -> ms', () => {
    const page = normalizePage('history', HISTORY, 'GET /v1/history');
    assert.equal(page.received, 3);
    assert.deepEqual(page.payload, [
      {
        uid: 3,
        points: [
          { time: 1735689659000, value: 10.5, min: 0, max: 100, d: 0, periodTime: 1735689660000 },
          { time: 1735689719000, value: 9.3, min: 0, max: 100, d: 0, periodTime: 1735689720000 },
        ],
      },
      { uid: 4, points: [{ time: 1735689659000, value: -93.4, min: -100, max: 100, d: 0, periodTime: 1735689660000 }] },
    ]);
  });

  it("history of one signal: the bare array, and records without uid take the signal's", () => {
    const bare = [{ t: 1735689659, p: 1735689660, v: 10.5, d: 0, max: 100, min: 0 }];
    const page = normalizePage('history', bare, 'GET /v1/signals/3/history', { uid: 3 });
    assert.deepEqual(page.payload, [{ uid: 3, points: [{ time: 1735689659000, value: 10.5, min: 0, max: 100, d: 0, periodTime: 1735689660000 }] }]);
  });

  it('last: {uid, time, value, min, max, d, periodTime}; realtime keeps its ms and renames v', () => {
    assert.deepEqual(normalizePage('last', LAST, 'x').payload, [
      { uid: 3, time: 1735689719000, value: 9.3, min: 0, max: 100, d: 0, periodTime: 1735689720000 },
      { uid: 4, time: 1735689659000, value: -93.4, min: -100, max: 100, d: 0, periodTime: 1735689660000 },
    ]);
    assert.deepEqual(normalizePage('realtime', REALTIME, 'x').payload, [
      { uid: 100, si: 29, value: 230.4, time: 1752493029975, r: 0, s: 1 },
      { uid: 101, si: 30, value: 2.5, time: 1752493029975, r: 0, s: 1 },
    ]);
  });

  it('devices, loads, signals: the objects as they are, in an array sorted by uid', () => {
    const page = normalizePage('devices', DEVICES, 'x');
    assert.deepEqual(page.payload, [DEVICES.devices['1'], DEVICES.devices['59']]);
    const keyOnly = normalizePage('loads', { loads: { '7': { label: 'no uid field' } } }, 'x');
    assert.deepEqual(keyOnly.payload, [{ uid: 7, label: 'no uid field' }], 'the map key stands in for a missing uid');
    assert.deepEqual(normalizePage('signals', { signals: {} }, 'x').payload, []);
  });

  it('keeps fields the firmware adds, and filters uids the route could not', () => {
    const rt = { realtime: { '100': { ...REALTIME.realtime['100'], q: 'good', unit: 'V' } } };
    assert.deepEqual(normalizePage('realtime', rt, 'x').payload, [{ uid: 100, si: 29, value: 230.4, time: 1752493029975, r: 0, s: 1, q: 'good', unit: 'V' }]);
    const hist = { history: { '3': [{ uid: 3, t: 10, p: 11, v: 1, quality: 2 }] } };
    assert.deepEqual((normalizePage('history', hist, 'x').payload as Series[])[0]?.points[0], { time: 10_000, value: 1, periodTime: 11_000, quality: 2 });
    const kept = normalizePage('history', HISTORY, 'x', { keep: new Set([4]) });
    assert.deepEqual((kept.payload as Series[]).map((s) => s.uid), [4]);
    assert.equal(kept.received, 3, 'the page still counts what the gateway sent (for paging)');
  });

  it('refuses replies it cannot read, as BAD_RESPONSE', () => {
    assert.throws(() => normalizePage('history', 'hello', 'GET /v1/history'), badResponse(/not a JSON object/));
    assert.throws(() => normalizePage('history', { data: [] }, 'GET /v1/history'), badResponse(/without "history"/));
    assert.throws(() => normalizePage('history', { history: { '3': [{ uid: 3, v: 1 }] } }, 'x'), badResponse(/without a time/));
    assert.throws(() => normalizePage('devices', { devices: { x: 5 } }, 'x'), badResponse(/not an object/));
    assert.throws(() => normalizePage('devices', { devices: [{ label: 'no uid' }] }, 'x'), badResponse(/without a uid/));
    assert.deepEqual(normalizePage('history', {}, 'x').payload, [], 'an empty object is an empty page');
  });

  it('cuts a page to n records in uid order, and merges pages into series', () => {
    const page = normalizePage('history', HISTORY, 'x').payload;
    assert.deepEqual((limitPage('history', page, 2) as Series[]).map((s) => [s.uid, s.points.length]), [[3, 2]]);
    assert.deepEqual((limitPage('history', page, 3) as Series[]).map((s) => [s.uid, s.points.length]), [[3, 2], [4, 1]]);
    const merger = new Merger('history');
    merger.add([{ uid: 4, points: [{ time: 3 }] }, { uid: 3, points: [{ time: 2 }] }]);
    merger.add([{ uid: 3, points: [{ time: 1 }] }]);
    assert.deepEqual(merger.result(), [
      { uid: 3, points: [{ time: 1 }, { time: 2 }] },
      { uid: 4, points: [{ time: 3 }] },
    ]);
  });
});
