import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { HeatingClient, type HeatingClientOptions } from '../../src/vendors/heatingcontrol';
import { HeatingSimulator, type HeatingSimOptions } from '../simulators/heatingcontrol';
import { deviceId, homeId } from '../simulators/heatingcontrol/data';
import { isCode } from './rig';

const ID = 'client-7f3a';
const SECRET = 'sec-9d82-b1c4-e5f6';
const DEV = deviceId(1);
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 5000 };

describe('heatingcontrol client (against the simulator)', function () {
  let sim: HeatingSimulator;
  let client: HeatingClient;
  let clock = Date.UTC(2026, 2, 18, 12);
  const now = (): number => clock;

  async function setup(simOpts: Partial<HeatingSimOptions> = {}, clientOpts: Partial<HeatingClientOptions> = {}): Promise<void> {
    sim = new HeatingSimulator({ clientId: ID, clientSecret: SECRET, now, ...simOpts });
    await sim.start();
    client = new HeatingClient({ baseUrl: sim.url, clientId: ID, clientSecret: SECRET, now, retry: FAST_RETRY, timeoutMs: 2000, ...clientOpts });
  }

  afterEach(async () => {
    await client?.close();
    await sim?.stop();
  });

  it('pages over 45 devices with limit 20: 3 requests, 45 distinct devices', async () => {
    await setup({ deviceCount: 45 }, { pageSize: 20 });
    const { items, pages } = await client.devices();
    const requests = sim.server.requests.filter((r) => r.path.startsWith('/v1/devices?'));
    assert.equal(requests.length, 3);
    assert.equal(pages, 3);
    assert.ok(requests.every((r) => new URL(r.path, 'http://x').searchParams.get('limit') === '20'));
    assert.equal(items.length, 45);
    assert.equal(new Set(items.map((d) => d.id)).size, 45);
    assert.equal(items[44]?.id, deviceId(45));
    console.log(`      paging: 45 devices, limit 20 -> ${requests.length} requests, ${items.length} devices returned`);

    const home2 = await client.devices({ homeId: homeId(2) });
    assert.equal(home2.items.length, 22, 'homeId filters (45 devices over 2 homes)');
    assert.ok(home2.items.every((d) => d.homeId === homeId(2)));
    const homes = await client.homes();
    assert.deepEqual(homes.items.map((h) => h.deviceCount), [23, 22]);
  });

  it('follows the server when it gives fewer items than asked, and stops a cursor loop', async () => {
    await setup({ deviceCount: 45, maxPageSize: 20 });
    const { items, pages } = await client.devices();
    assert.equal(items.length, 45);
    assert.equal(pages, 3);
    sim.repeatCursor = true;
    await assert.rejects(client.devices(), isCode('BAD_RESPONSE', /same page cursor/));
  });

  it('1000 commands within an hour need 1 token request (injected clock)', async () => {
    await setup();
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => client.command(DEV, 'setTemperature', { temperature: 15 + ((batch + i) % 20) * 0.5 })));
      clock += 20 * 3500; // 1000 commands over 58 minutes
    }
    assert.equal(sim.executed.length, 1000);
    assert.equal(sim.tokenRequests, 1);
    assert.equal(client.tokens.renewals, 1);
    assert.equal(sim.count(`/v1/devices/${DEV}/commands`, 'GET'), 10, 'the schema is fetched again once 5 minutes old (every 5th batch)');
    console.log(`      tokens: 1000 commands in 58 min -> ${sim.tokenRequests} token request(s)`);
    // Past the expiry the refresh_token grant renews it.
    clock += 10 * 60_000;
    await client.state(DEV);
    assert.equal(sim.tokenRequests, 2);
    assert.equal(sim.grants.refresh_token, 1);
  });

  it('renews an expired token transparently, falling back to client_credentials when the refresh fails', async () => {
    await setup({ expiresIn: 120 });
    await client.state(DEV);
    clock += 110_000; // inside the renewal margin (a tenth of 120 s)
    await client.state(DEV);
    assert.deepEqual(sim.grants, { client_credentials: 1, refresh_token: 1 });
    sim.rejectRefresh = true;
    clock += 200_000;
    const out = await client.command(DEV, 'setMode', { mode: 'manual', temperature: 21 });
    assert.equal(out.success, true);
    assert.deepEqual(sim.grants, { client_credentials: 2, refresh_token: 2 });
    assert.equal(sim.executed.length, 1);
  });

  it('a revoked token: 401, one renewal, the command sent once more and executed once', async () => {
    await setup();
    await client.command(DEV, 'setMode', { mode: 'auto' });
    sim.revokeAccessTokens();
    const out = await client.command(DEV, 'setMode', { mode: 'manual', temperature: 21 });
    assert.equal(out.success, true);
    assert.equal(sim.count(`/v1/devices/${DEV}/commands/setMode`, 'POST'), 3, 'the first command, then the 401 and its retry');
    assert.deepEqual(sim.executed.map((e) => e.params.mode), ['auto', 'manual'], 'executed once');
    assert.equal(sim.tokenRequests, 2);
    // A token refused twice in a row is an AUTH_FAILED, not a loop.
    sim.refuse({ path: '/v1/devices/', status: 401, code: 'UNAUTHORIZED', message: 'Revoked', times: 2 });
    await assert.rejects(client.state(DEV), isCode('AUTH_FAILED', /Revoked/));
    assert.equal(sim.tokenRequests, 3);
  });

  it('concurrent renewals collapse into one token request', async () => {
    await setup();
    await Promise.all(Array.from({ length: 50 }, () => client.state(DEV)));
    assert.equal(sim.tokenRequests, 1);
    sim.revokeAccessTokens();
    await Promise.all(Array.from({ length: 50 }, () => client.state(DEV)));
    assert.equal(sim.tokenRequests, 2, 'fifty 401s, one renewal');
    clock += 3600_000;
    await Promise.all(Array.from({ length: 50 }, () => client.device(DEV)));
    assert.equal(sim.tokenRequests, 3, 'fifty callers at expiry, one renewal');
  });

  it('refuses out-of-range params with BAD_INPUT and sends zero POSTs', async () => {
    await setup();
    const bad: [string, unknown][] = [
      ['setTemperature', { temperature: 40 }],
      ['setTemperature', { temperature: 4 }],
      ['setTemperature', { temperature: 21.2 }],
      ['setTemperature', {}],
      ['setMode', { mode: 'turbo' }],
      ['boost', { minutes: 500 }],
      ['identify', { force: true }],
    ];
    for (const [key, params] of bad) await assert.rejects(client.command(DEV, key, params), isCode('BAD_INPUT'));
    assert.equal(sim.count(`/v1/devices/${DEV}/commands`, 'GET'), 1, 'the schema was fetched once and cached');
    clock += 10_000;
    await assert.rejects(client.command(DEV, 'noSuchCommand', {}), isCode('BAD_INPUT', /no command "noSuchCommand": it offers setMode, setTemperature, boost, identify/));
    assert.equal(sim.count(`/v1/devices/${DEV}/commands`, 'GET'), 2, 'an unknown command makes it look again');
    assert.equal(sim.count('/v1/devices/', 'POST'), 0);
    console.log(`      validation: ${bad.length + 1} invalid commands -> ${bad.length + 1} BAD_INPUT, ${sim.count('/v1/devices/', 'POST')} POSTs`);
  });

  it('drops a cached schema the server contradicts: REJECTED with requestId, then BAD_INPUT locally', async () => {
    await setup();
    await client.command(DEV, 'setTemperature', { temperature: 30 });
    sim.devices[0]!.commands.setTemperature!.params.temperature!.constraints = { min: 5, max: 28, step: 0.5 };
    await assert.rejects(client.command(DEV, 'setTemperature', { temperature: 30 }), (err: unknown) => {
      isCode('REJECTED', /VALIDATION_ERROR.*temperature must be <= 28/)(err);
      assert.match(String((err as GatewayError).requestId), /^req-/);
      return true;
    });
    const posts = sim.count('/v1/devices/', 'POST');
    await assert.rejects(client.command(DEV, 'setTemperature', { temperature: 30 }), isCode('BAD_INPUT', /above the maximum 28/));
    assert.equal(sim.count('/v1/devices/', 'POST'), posts, 'nothing sent once the schema is known');
  });

  it('429 with Retry-After: a read waits and retries; a command is not replayed and the next one waits', async () => {
    await setup();
    await client.state(DEV);
    const limited = (path: string) => ({ path, status: 429, code: 'RATE_LIMITED', message: 'Slow down', headers: { 'retry-after': '1' } });
    sim.refuse(limited('/v1/devices/'));
    let t0 = Date.now();
    await client.state(DEV);
    assert.ok(Date.now() - t0 >= 950, 'waited the Retry-After second');
    assert.equal(sim.count(`/v1/devices/${DEV}/state`), 3);
    sim.refuse(limited(`/v1/devices/${DEV}/commands/`));
    await client.commands(DEV);
    await assert.rejects(client.command(DEV, 'identify', {}), (err: unknown) => {
      isCode('RATE_LIMITED', /Slow down/)(err);
      assert.equal((err as GatewayError).retryAfterMs, 1000);
      return true;
    });
    assert.equal(sim.count('/v1/devices/', 'POST'), 1, 'the refused command was not replayed');
    t0 = Date.now();
    await client.command(DEV, 'identify', {});
    assert.ok(Date.now() - t0 >= 900, 'the next command waited for the Retry-After');
    assert.equal(sim.executed.length, 1);
  });

  it('never replays a POST or PATCH after a 5xx or a timeout (reads are retried)', async () => {
    await setup({}, { timeoutMs: 300 });
    await client.commands(DEV);
    sim.server.setFault({ path: `/v1/devices/${DEV}/commands/`, status: 500, times: 1 });
    await assert.rejects(client.command(DEV, 'identify', {}), isCode('SERVER_ERROR'));
    sim.server.setFault({ path: `/v1/devices/${DEV}/commands/`, hang: true, times: 1 });
    await assert.rejects(client.command(DEV, 'identify', {}), isCode('TIMEOUT'));
    assert.equal(sim.count('/v1/devices/', 'POST'), 2, 'one attempt each');
    sim.server.setFault({ path: `/v1/devices/${DEV}`, status: 503, times: 1 });
    await assert.rejects(client.rename(DEV, 'Lounge'), isCode('SERVER_ERROR'));
    assert.equal(sim.count(`/v1/devices/${DEV}`, 'PATCH'), 1);
    sim.server.setFault({ path: `/v1/devices/${DEV}/state`, status: 500, times: 1 });
    const state = await client.state(DEV);
    assert.equal(state.deviceId, DEV);
    assert.equal(sim.count(`/v1/devices/${DEV}/state`), 2, 'the read was retried');
  });

  it('sends the client id and secret as Basic auth when asked, and names a refused secret without showing it', async () => {
    await setup({}, { clientAuth: 'basic', scope: '/user:W /devs/*:W' });
    await client.homes();
    const tokenReq = sim.server.requests.find((r) => r.path === '/v1/oauth/token')!;
    assert.match(String(tokenReq.headers.authorization), /^Basic /);
    assert.deepEqual(JSON.parse(tokenReq.body), { grant_type: 'client_credentials', scope: '/user:W /devs/*:W' });
    await client.close();
    client = new HeatingClient({ baseUrl: sim.url, clientId: ID, clientSecret: 'wrong-secret-123', now });
    const homesAsked = sim.count('/v1/homes');
    await assert.rejects(client.homes(), (err: unknown) => {
      isCode('AUTH_FAILED', /INVALID_CLIENT.*client id and secret/)(err);
      assert.ok(!(err as Error).message.includes('wrong-secret-123'));
      return true;
    });
    assert.equal(sim.count('/v1/homes'), homesAsked, 'no API call without a token');
  });

  it('settings: values and descriptors; setSetting checks editable and options before the PATCH', async () => {
    await setup();
    const { values, descriptors } = await client.settings(DEV);
    assert.equal(values.temperature_units, 'C');
    assert.equal(descriptors.keyboard_locked?.label, 'Keyboard Lock');
    await assert.rejects(client.setSetting(DEV, 'serial_number', 'X'), isCode('BAD_INPUT', /read-only/));
    await assert.rejects(client.setSetting(DEV, 'temperature_units', 'K'), isCode('BAD_INPUT', /one of "C", "F"/));
    await assert.rejects(client.setSetting(DEV, 'no_such', 1), isCode('BAD_INPUT', /no setting "no_such"/));
    assert.equal(sim.count('/v1/devices/', 'PATCH'), 0);
    const set = await client.setSetting(DEV, 'keyboardLocked', true);
    assert.deepEqual([set.key, set.value], ['keyboard_locked', true]);
    await client.setSetting(DEV, 'temperature_units', 'F');
    const state = await client.state(DEV);
    assert.equal(state.temperatureUnits, 'C', 'temperatures leave in degC');
    assert.equal(state.reportedTemperatureUnits, 'F');
    assert.equal(state.currentTemperature, 20.5);
  });

  it('passes through fields and enum values the API adds, and both command result shapes', async () => {
    await setup();
    sim.extraState = { humidity: 41, mode: 'eco-plus' };
    const state = await client.state(DEV);
    assert.equal(state.humidity, 41);
    assert.equal(state.mode, 'eco-plus');
    const a = await client.command(DEV, 'setMode', { mode: 'manual', temperature: 21 });
    assert.deepEqual([a.command, a.state, a.success, a.appliedTime], ['setMode', 'APPLIED', true, clock]);
    sim.resultShape = 'success';
    const b = await client.command(DEV, 'setMode', { mode: 'auto' });
    assert.deepEqual([b.command, b.success, b.message], ['setMode', true, 'Command executed successfully']);
    await assert.rejects(client.device('nope'), isCode('NOT_FOUND'));
  });
});
