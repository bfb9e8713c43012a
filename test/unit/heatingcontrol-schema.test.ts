import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { collectPages, commandOutcome, envelopeError, normalizeState, parseToken, validateParams, validateSetting, type CommandMap, type Page } from '../../src/vendors/heatingcontrol';
import { heaterCommands } from '../simulators/heatingcontrol/data';

// The schemas the simulator's heaters publish, read as the API's JSON would be.
const SCHEMA = JSON.parse(JSON.stringify(heaterCommands())) as CommandMap;

function badInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof GatewayError && err.code === 'BAD_INPUT' && pattern.test(err.message));
}

describe('heatingcontrol: command params against the schema', () => {
  it('accepts valid params and turns numeric strings into numbers', () => {
    assert.deepEqual(validateParams('dev', 'setMode', SCHEMA.setMode!, { mode: 'manual', temperature: 21 }), { mode: 'manual', temperature: 21 });
    assert.deepEqual(validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, { temperature: '21.5' }), { temperature: 21.5 });
    assert.deepEqual(validateParams('dev', 'setMode', SCHEMA.setMode!, { mode: 'AUTO' }), { mode: 'auto' }, 'an option matches whatever its case');
    assert.deepEqual(validateParams('dev', 'identify', SCHEMA.identify!, undefined), {});
  });

  it('refuses missing, mistyped, out-of-range, off-step and unknown params, naming each', () => {
    badInput(() => validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, {}), /temperature is required/);
    badInput(() => validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, { temperature: 'warm' }), /temperature must be a number, not "warm"/);
    badInput(() => validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, { temperature: 36 }), /36 is above the maximum 35/);
    badInput(() => validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, { temperature: 4.5 }), /4\.5 is below the minimum 5/);
    badInput(() => validateParams('dev', 'setTemperature', SCHEMA.setTemperature!, { temperature: 21.3 }), /21\.3 is not on the 0\.5 step from 5/);
    badInput(() => validateParams('dev', 'boost', SCHEMA.boost!, { minutes: 30.5 }), /minutes must be a whole number/);
    badInput(() => validateParams('dev', 'boost', SCHEMA.boost!, { minutes: 20 }), /not on the 15 step/);
    badInput(() => validateParams('dev', 'setMode', SCHEMA.setMode!, { mode: 'turbo' }), /mode must be one of "auto", "manual", "off"/);
    badInput(() => validateParams('dev', 'setMode', SCHEMA.setMode!, { mode: 'auto', temprature: 20 }), /temprature is not a parameter of "setMode" \(it takes mode, temperature\)/);
    badInput(() => validateParams('dev', 'setMode', SCHEMA.setMode!, 21), /must be an object/);
    // Every problem at once, so one correction is enough.
    badInput(() => validateParams('dev', 'setMode', SCHEMA.setMode!, { temperature: 99 }), /mode is required; temperature 99 is above/);
  });

  it('lets unknown types and constraints through (the API may add them)', () => {
    const schema = { params: { colour: { type: 'rgb', required: true, constraints: { gamut: 'srgb' } } } };
    assert.deepEqual(validateParams('dev', 'setColour', schema, { colour: '#ff0000' }), { colour: '#ff0000' });
  });

  it('checks a setting against editable, options and type', () => {
    const units = { key: 'temperature_units', type: 'enum', value: 'C', editable: true, options: ['C', 'F'] };
    assert.equal(validateSetting('dev', 'temperature_units', units, 'f'), 'F');
    badInput(() => validateSetting('dev', 'temperature_units', units, 'K'), /must be one of "C", "F", not "K"/);
    badInput(() => validateSetting('dev', 'serial_number', { type: 'string', value: 'x', editable: false }, 'y'), /read-only/);
    badInput(() => validateSetting('dev', 'keyboard_locked', { type: 'boolean', value: false, editable: true }, 'yes'), /true or false/);
    assert.equal(validateSetting('dev', 'keyboard_locked', { type: 'boolean', value: false, editable: true }, 'true'), true);
    badInput(() => validateSetting('dev', 'keyboard_locked', { type: 'boolean', editable: true }, undefined), /needs its new value/);
  });
});

describe('heatingcontrol: results, state, errors, tokens, paging', () => {
  it('reads both documented command result shapes', () => {
    assert.deepEqual(commandOutcome('setMode', { command: 'setMode', state: 'APPLIED', appliedAt: '2026-03-18T12:00:00.000Z' }), {
      command: 'setMode',
      state: 'APPLIED',
      success: true,
      appliedTime: Date.UTC(2026, 2, 18, 12),
    });
    assert.deepEqual(commandOutcome('setMode', { success: true, message: 'Command executed successfully' }), {
      command: 'setMode',
      success: true,
      message: 'Command executed successfully',
    });
    const pending = commandOutcome('boost', { command: 'boost', state: 'QUEUED', eta: 5 });
    assert.equal(pending.success, false, 'a state other than APPLIED is not success');
    assert.equal(pending.state, 'QUEUED', 'a new state value passes through');
    assert.equal(pending.eta, 5, 'unknown fields pass through');
  });

  it('keeps unknown state fields and reports degF devices in degC', () => {
    const s = normalizeState('d1', { mode: 'eco-plus', currentTemperature: 68, targetTemperature: 71.6, temperatureUnits: 'F', power: 0, humidity: 40 });
    assert.equal(s.deviceId, 'd1');
    assert.equal(s.mode, 'eco-plus');
    assert.equal(s.humidity, 40);
    assert.equal(s.currentTemperature, 20);
    assert.equal(s.targetTemperature, 22);
    assert.equal(s.temperatureUnits, 'C');
  });

  it('maps the error envelope onto the contract codes and keeps requestId', () => {
    const res = (status: number, body: unknown, headers = {}) => ({ statusCode: status, headers, body: JSON.stringify(body) });
    const env = (code: string) => ({ error: { code, message: `said ${code}`, requestId: 'abc-123', details: {} } });
    const cases: [number, string, string][] = [
      [400, 'VALIDATION_ERROR', 'REJECTED'],
      [401, 'UNAUTHORIZED', 'AUTH_FAILED'],
      [403, 'FORBIDDEN', 'AUTH_FAILED'],
      [404, 'NOT_FOUND', 'NOT_FOUND'],
      [429, 'RATE_LIMITED', 'RATE_LIMITED'],
      [500, 'INTERNAL_ERROR', 'SERVER_ERROR'],
      [409, 'SOME_CODE_ADDED_LATER', 'REJECTED'],
      [503, 'SOME_CODE_ADDED_LATER', 'SERVER_ERROR'],
    ];
    for (const [status, vendor, code] of cases) {
      const err = envelopeError('HeatingControl x', 'GET thing', res(status, env(vendor)), (t) => t);
      assert.equal(err.code, code, `${status} ${vendor}`);
      assert.equal(err.requestId, 'abc-123');
      assert.equal(err.vendorCode, vendor);
      assert.match(err.message, new RegExp(`said ${vendor}.*request abc-123`));
    }
    const limited = envelopeError('x', 'GET', res(429, env('RATE_LIMITED'), { 'retry-after': '7' }), (t) => t);
    assert.equal(limited.retryAfterMs, 7000);
    const html = envelopeError('x', 'GET', { statusCode: 502, headers: {}, body: '<html>Bad Gateway</html>' }, (t) => t);
    assert.equal(html.code, 'SERVER_ERROR');
    const oauth = envelopeError('x', 'POST', res(400, { error: 'invalid_client', error_description: 'nope' }), (t) => t);
    assert.equal(oauth.code, 'AUTH_FAILED');
  });

  it('renews a token before expiry: a tenth of short lifetimes, a minute of long ones', () => {
    assert.equal(parseToken(JSON.stringify({ access_token: 'a', expires_in: 3600 }), 0).expiresAt, 3540_000);
    assert.equal(parseToken(JSON.stringify({ access_token: 'a', expires_in: 10 }), 0).expiresAt, 9000);
    assert.equal(parseToken(JSON.stringify({ access_token: 'a', expires_in: 60 }), 0, 'old').refresh, 'old', 'no new refresh token: the old one stays');
    assert.throws(() => parseToken('{"token":"x"}', 0), (e: unknown) => e instanceof GatewayError && e.code === 'BAD_RESPONSE');
  });

  it('stops paging on a repeated cursor or after the page limit', async () => {
    const loop = (): Promise<Page<number>> => Promise.resolve({ items: [1], pagination: { nextCursor: 'same', hasMore: true } });
    await assert.rejects(collectPages(loop, 'devices'), (e: unknown) => e instanceof GatewayError && e.code === 'BAD_RESPONSE' && /same page cursor/.test(e.message));
    let n = 0;
    const endless = (): Promise<Page<number>> => Promise.resolve({ items: [n], pagination: { nextCursor: `c${++n}`, hasMore: true } });
    await assert.rejects(collectPages(endless, 'devices', 1000), (e: unknown) => e instanceof GatewayError && /more than 1000 pages/.test(e.message));
    assert.equal(n, 1000, 'exactly 1000 pages were asked for');
    const noCursor = (): Promise<Page<number>> => Promise.resolve({ items: [], pagination: { hasMore: true, nextCursor: null } });
    await assert.rejects(collectPages(noCursor, 'devices'), (e: unknown) => e instanceof GatewayError && e.code === 'BAD_RESPONSE');
  });
});
