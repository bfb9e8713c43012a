import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { keepMs, parseRange, resolveWindow, secondsToMs, toEpochMs } from '../../src/vendors/ems/time';

const badInput = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof GatewayError);
  assert.equal(err.code, 'BAD_INPUT');
  assert.match(err.message, pattern);
  return true;
};

describe('ems time normalization', () => {
  it('history seconds become ms; realtime ms stay ms', () => {
    assert.equal(secondsToMs(1735689659), 1735689659000);
    assert.equal(secondsToMs('1735689660'), 1735689660000);
    assert.equal(keepMs(1752493029975), 1752493029975);
    // A firmware that already sends ms is not multiplied again.
    assert.equal(secondsToMs(1735689659000), 1735689659000);
    assert.equal(secondsToMs(undefined), undefined);
    assert.equal(secondsToMs('soon'), undefined);
  });

  it('msg.start / msg.end: Date, ISO string, epoch ms, digits', () => {
    const ms = Date.UTC(2025, 0, 1, 0, 0, 0);
    assert.equal(toEpochMs(new Date(ms), 'start'), ms);
    assert.equal(toEpochMs('2025-01-01T00:00:00Z', 'start'), ms);
    assert.equal(toEpochMs('2025-01-01T01:00:00+01:00', 'start'), ms);
    assert.equal(toEpochMs(ms, 'start'), ms);
    assert.equal(toEpochMs(String(ms), 'start'), ms);
    assert.throws(() => toEpochMs('yesterday', 'start'), badInput(/msg\.start must be a Date, an ISO date string or ms/));
    assert.throws(() => toEpochMs(new Date('nope'), 'end'), badInput(/msg\.end .*an invalid Date/));
    assert.throws(() => toEpochMs({}, 'end'), badInput(/not a object/));
  });

  it('relative ranges', () => {
    assert.equal(parseRange('24h'), 86_400_000);
    assert.equal(parseRange('7d'), 7 * 86_400_000);
    assert.equal(parseRange('90min'), 90 * 60_000);
    assert.equal(parseRange('15m'), 15 * 60_000);
    assert.equal(parseRange(' 1.5 h '), 5_400_000);
    assert.equal(parseRange('2w'), 14 * 86_400_000);
    assert.equal(parseRange('30s'), 30_000);
    for (const bad of ['', '24', 'h', '0h', '-1d', '3 days', 24]) assert.throws(() => parseRange(bad), badInput(/not a duration/));
  });

  it('the window: msg.start/end win, else the range ends at end or now', () => {
    const now = Date.UTC(2025, 5, 1, 12);
    assert.deepEqual(resolveWindow({ range: '24h' }, now), { start: now - 86_400_000, end: now });
    assert.deepEqual(resolveWindow({}, now), { start: now - 86_400_000, end: now }, 'default range 24h');
    const end = Date.UTC(2025, 0, 2);
    assert.deepEqual(resolveWindow({ end: new Date(end), range: '1h' }, now), { start: end - 3_600_000, end });
    assert.deepEqual(resolveWindow({ start: '2025-01-01T00:00:00Z', range: '1h' }, now), { start: Date.UTC(2025, 0, 1), end: now });
    assert.deepEqual(resolveWindow({ start: '', end: null, range: '2h' }, now), { start: now - 7_200_000, end: now }, 'empty values do not count');
    assert.throws(() => resolveWindow({ start: now, end: now - 1 }, now), badInput(/window is empty: start \(2025-06-01T12:00:00\.000Z\) must be before end/));
    assert.throws(() => resolveWindow({ range: 'forever' }, now), badInput(/not a duration/));
  });
});
