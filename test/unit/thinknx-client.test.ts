import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { ThinknxClient } from '../../src/vendors/thinknx/client';
import type { CommandInput } from '../../src/vendors/thinknx/command';
import { thinknxSettings, type ThinknxCredentials } from '../../src/vendors/thinknx/endpoint';
import { ThinknxSimulator, type ThinknxSimOptions } from '../simulators/thinknx';
import type { SimAlgorithm } from '../simulators/thinknx/auth';

const PASSWORD = 'Pa55-w0rd!secret';
const KEY = 'K3yAbcDEF0123456789';
const LIGHT: CommandInput = { capability: 'power', payload: true, guid: 'kitchen-light' };
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 2000 };
const READ: CommandInput = { capability: 'setpoint', payload: 'get', guid: 'bath-thermostat' };

async function rejects(p: Promise<unknown>, code: string): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  throw new Error(`expected ${code}`);
}

describe('thinknx client (against the simulator)', () => {
  let sim: ThinknxSimulator;
  let client: ThinknxClient | undefined;

  type Def = Record<string, unknown> | ((s: ThinknxSimulator) => Record<string, unknown>);
  async function setup(simOpts: Partial<ThinknxSimOptions> = {}, def: Def = {}, creds: ThinknxCredentials = {}, extra = {}): Promise<ThinknxClient> {
    sim = new ThinknxSimulator({ password: PASSWORD, keys: [KEY], ...simOpts });
    await sim.start();
    client = new ThinknxClient({
      settings: thinknxSettings({ host: '127.0.0.1', port: sim.port, timeout: 1, ...(typeof def === 'function' ? def(sim) : def) }),
      credentials: { username: 'integration', password: PASSWORD, ...creds },
      retry: FAST_RETRY,
      ...extra,
    });
    return client;
  }

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await sim?.stop();
  });

  describe('Digest', () => {
    const variants: Array<[SimAlgorithm, string]> = [
      ['MD5', 'auth'], ['SHA-256', 'auth'], ['MD5-sess', 'auth'], ['SHA-256-sess', 'auth'], ['SHA-512-256', 'auth'],
      ['MD5', 'auth-int'], ['SHA-256', ''],
    ];
    for (const [algorithm, qop] of variants) {
      it(`${algorithm}${qop ? ` qop=${qop}` : ' without qop'}: 2 round trips for the first command, then 1 per command`, async () => {
        const c = await setup({ digest: { algorithm, qop } });
        await c.execute(LIGHT);
        const first = sim.count();
        for (let i = 0; i < 10; i++) await c.execute(i % 2 ? LIGHT : READ);
        const perCommand = (sim.count() - first) / 10;
        assert.equal(first, 2, 'challenge + authorised request');
        assert.equal(perCommand, 1);
        assert.equal(sim.digest.verdicts.wrong + sim.digest.verdicts.replay, 0);
        assert.ok(sim.server.requests.slice(1).every((r) => String(r.headers.authorization).startsWith('Digest ')));
        if (algorithm === 'MD5' && qop === 'auth') console.log(`      round trips (Digest): first command ${first}, each later command ${perCommand}`);
      });
    }

    it('stale=true: re-authenticates with the new nonce, no error, the set applied once', async () => {
      const c = await setup();
      await c.execute(LIGHT);
      sim.digest.expireNonces();
      const before = sim.count();
      const r = await c.execute({ capability: 'powerlevel', payload: 40, guid: 'living-dimmer' });
      assert.equal(r.payload, 40);
      assert.equal(sim.count() - before, 2, 'stale 401 + the re-sent request');
      assert.equal(c.counters.staleRenewals, 1);
      assert.equal(sim.device('living-dimmer').state.applied, 1);
      const after = sim.count();
      await c.execute(READ);
      assert.equal(sim.count() - after, 1, 'the new nonce is reused');
      console.log(`      round trips (Digest, nonce gone stale): ${after - before} for that command, then 1`);
    });

    it('a server that retires nonces every 3 uses: 12 commands all succeed', async () => {
      const c = await setup({ digest: { nonceUses: 3 } });
      for (let i = 0; i < 12; i++) await c.execute(i % 3 ? READ : LIGHT);
      assert.equal(c.counters.staleRenewals, 3);
      assert.equal(sim.count(), 12 + 1 + 3);
    });

    it('wrong password: 403 -> AUTH_FAILED after 2 requests, password nowhere in the error', async () => {
      const c = await setup({}, {}, { password: 'wrong-password-1' });
      const err = await rejects(c.execute(LIGHT), 'AUTH_FAILED');
      assert.equal(sim.count(), 2);
      assert.match(err.message, /user name and password/);
      assert.ok(!JSON.stringify({ m: err.message, s: err.stack }).includes('wrong-password-1'));
    });

    it('a server that answers a wrong password with a new 401 challenge: AUTH_FAILED, no loop', async () => {
      const c = await setup({ refusedStatus: 401 }, {}, { password: 'wrong-password-2' });
      await rejects(c.execute(LIGHT), 'AUTH_FAILED');
      assert.equal(sim.count(), 2);
    });

    it('concurrent commands go one at a time with counting nc (no replay refused)', async () => {
      const c = await setup();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.execute(i % 2 ? READ : LIGHT)));
      assert.equal(results.length, 8);
      assert.equal(sim.digest.verdicts.replay, 0);
      assert.equal(sim.count(), 9, 'only the first one met the challenge');
    });
  });

  it('Basic: one round trip per command, credentials in the header', async () => {
    const c = await setup({}, { auth: 'basic' });
    await c.execute(LIGHT);
    await c.execute(READ);
    assert.equal(sim.count(), 2);
    const r = sim.server.requests[0]!;
    assert.match(r.path, /[?&]auth=basic(&|$)/);
    assert.equal(r.headers.authorization, `Basic ${Buffer.from(`integration:${PASSWORD}`).toString('base64')}`);
  });

  it('query: user and pass in the URL, never in an error', async () => {
    const c = await setup({}, { auth: 'query', timeout: 0.3 });
    await c.execute(LIGHT);
    assert.match(sim.server.requests[0]!.path, new RegExp(`auth=basic&user=integration&pass=${encodeURIComponent(PASSWORD)}$`));
    const texts: string[] = [];
    for (const fault of [{ status: 500 }, { hang: true }, { body: '<html>oops</html>' }, { drop: true }] as const) {
      sim.server.setFault({ ...fault, times: 1 });
      const err = await c.execute(LIGHT).catch((e: GatewayError) => e);
      texts.push(JSON.stringify({ m: (err as Error).message, s: (err as Error).stack, c: (err as GatewayError).code }));
    }
    sim.server.setFault(undefined);
    const wrong = new ThinknxClient({ settings: thinknxSettings({ host: '127.0.0.1', port: sim.port, auth: 'query' }), credentials: { username: 'x', password: 'other-secret-pw' } });
    texts.push(String((await wrong.execute(LIGHT).catch((e: Error) => e) as Error).message));
    await wrong.close();
    const all = texts.join('\n');
    assert.match(all, /SERVER_ERROR/);
    assert.ok(!all.includes(PASSWORD) && !all.includes(encodeURIComponent(PASSWORD)) && !all.includes('other-secret-pw'), all);
  });

  describe('cloud', () => {
    it('sends <cloudUrl>/<KEY>/api/V1/<controller> without auth parameters, under a path prefix too', async () => {
      const c = await setup({ cloudPrefix: '/cloud' }, (s) => ({ mode: 'cloud', cloudUrl: `${s.url}/cloud/` }), { key: KEY });
      const r = await c.execute({ capability: 'hvacmode', payload: 'dry', guid: 'office-hvac' });
      assert.equal(r.payload, 'dry');
      assert.equal(sim.server.requests[0]!.path, `/cloud/${KEY}/api/V1/hvacmode?guid=office-hvac&cmd=2`);
      await c.execute({ capability: 'hvacmode', payload: 'get', guid: 'office-hvac' });
      assert.equal(sim.count(), 2, 'one round trip per command');
      assert.equal(sim.device('office-hvac').state.hvacmode, 2);
      assert.equal(c.label, `Thinknx cloud 127.0.0.1:${sim.port}`);
    });

    it('a wrong key is AUTH_FAILED; the key is in no error', async () => {
      await setup();
      client = new ThinknxClient({ settings: thinknxSettings({ mode: 'cloud', cloudUrl: sim.url, timeout: 0.3 }), credentials: { key: 'WrongKey987654' } });
      const texts = [(await rejects(client.execute(LIGHT), 'AUTH_FAILED')).message];
      await client.close();
      client = new ThinknxClient({ settings: thinknxSettings({ mode: 'cloud', cloudUrl: sim.url, timeout: 0.3 }), credentials: { key: KEY }, retry: FAST_RETRY });
      texts.push((await rejects(client.execute({ ...LIGHT, guid: 'nope' }), 'NOT_FOUND')).message);
      sim.server.setFault({ hang: true, times: 1 });
      texts.push((await rejects(client.execute(LIGHT), 'TIMEOUT')).message);
      sim.server.setFault({ status: 502, times: 3 });
      const e = await rejects(client.execute(READ), 'SERVER_ERROR');
      texts.push(e.message, String(e.stack));
      assert.match(texts[0]!, /Integration Kit key/);
      for (const t of texts) assert.ok(!t.includes(KEY) && !t.includes('WrongKey987654'), t);
    });
  });

  describe('sets are never replayed; reads retry', () => {
    it('a set that times out is sent once', async () => {
      const c = await setup({}, { timeout: 0.2 });
      await c.execute(READ);
      const before = sim.count();
      sim.server.setFault({ hang: true, times: 1 });
      await rejects(c.execute({ capability: 'setpoint', payload: 22, guid: 'bath-thermostat' }), 'TIMEOUT');
      assert.equal(sim.count() - before, 1);
    });

    it('a set answered 500 is sent once; a read answered 500 is retried', async () => {
      const c = await setup();
      await c.execute(READ);
      const before = sim.count();
      sim.server.setFault({ status: 500, times: 1 });
      await rejects(c.execute(LIGHT), 'SERVER_ERROR');
      assert.equal(sim.count() - before, 1);
      sim.server.setFault({ status: 500, times: 1 });
      const r = await c.execute(READ);
      assert.equal(r.payload, 21);
      assert.equal(sim.count() - before, 3);
    });

    it('feedback waits longer than the plain timeout, and is not replayed when even that passes', async () => {
      // Plain requests give up after 0.1 s (0.2 s at the latest); the device reports after 0.4 s.
      const c = await setup({ fbDelayMs: 400 }, { timeout: 0.1 }, {}, { feedbackTimeoutMs: 1000 });
      const r = await c.execute({ capability: 'hvacsetpoint', payload: 23.6, guid: 'office-hvac', feedback: true });
      assert.deepEqual([r.payload, r.confirmed], [24, true], 'the status the unit reported');
      assert.match(sim.server.requests.at(-1)!.path, /cmd=23\.6&fb&auth=digest$/);
      sim.server.setFault({ hang: true, times: 1 });
      const before = sim.count();
      await rejects(c.execute({ capability: 'hvacsetpoint', payload: 22, guid: 'office-hvac', feedback: true }), 'TIMEOUT');
      assert.equal(sim.count() - before, 1);
    });
  });

  describe('429', () => {
    it('a set gets RATE_LIMITED once; the next command waits out Retry-After before sending', async () => {
      const c = await setup({}, { auth: 'basic' });
      sim.throttle(1, 0.4);
      const err = await rejects(c.execute(LIGHT), 'RATE_LIMITED');
      assert.equal(err.retryAfterMs, 400);
      assert.equal(sim.count(), 1);
      const started = Date.now();
      await c.execute(LIGHT);
      assert.ok(Date.now() - started >= 350, 'waited for Retry-After');
      assert.equal(sim.count(), 2);
    });

    it('a long Retry-After fails the next commands fast, with nothing sent', async () => {
      const c = await setup({}, { auth: 'basic' });
      sim.throttle(1, 60);
      await rejects(c.execute(LIGHT), 'RATE_LIMITED');
      const e = await rejects(c.execute({ ...LIGHT, payload: false }), 'RATE_LIMITED');
      assert.match(e.message, /nothing was sent/);
      assert.equal(sim.count(), 1);
    });

    it('a read is retried after Retry-After', async () => {
      const c = await setup({}, { auth: 'basic' });
      sim.throttle(1, 0.3);
      const r = await c.execute(READ);
      assert.equal(r.payload, 21);
      assert.equal(sim.count(), 2);
    });
  });

  it('maps the server\'s errors: unknown GUID, wrong device type, bad parameters, HTML', async () => {
    const c = await setup({}, { auth: 'basic' });
    const nf = await rejects(c.execute({ ...LIGHT, guid: 'no-such-guid' }), 'NOT_FOUND');
    assert.match(nf.message, /no device with GUID "no-such-guid"/);
    const kind = await rejects(c.execute({ capability: 'hvacfan', payload: 'low', guid: 'kitchen-light' }), 'REJECTED');
    assert.equal(kind.vendorCode, 'impossible to execute');
    sim.server.setFault({ body: 'html', times: 1 });
    await rejects(c.execute(LIGHT), 'BAD_RESPONSE');
    sim.server.setFault({ status: 200, body: '{"error":"params errors"}', times: 1 });
    await rejects(c.execute(LIGHT), 'REJECTED');
  });

  it('settings that cannot work are BAD_INPUT before anything is sent', async () => {
    await setup();
    const bad: Array<[Record<string, unknown>, ThinknxCredentials]> = [
      [{ host: '' }, { username: 'u' }],
      [{ host: 'a b' }, { username: 'u' }],
      [{ host: '127.0.0.1', port: 70000 }, { username: 'u' }],
      [{ host: '127.0.0.1', auth: 'query', tls: true }, { username: 'u', password: 'p' }],
      [{ host: '127.0.0.1', auth: 'ntlm' }, { username: 'u' }],
      [{ host: '127.0.0.1' }, { password: 'p' }],
      [{ mode: 'cloud' }, {}],
      [{ mode: 'cloud' }, { key: 'has/slash' }],
      [{ mode: 'cloud', cloudUrl: 'ftp://x' }, { key: KEY }],
      [{ mode: 'cloud', cloudUrl: 'not a url' }, { key: KEY }],
    ];
    for (const [def, creds] of bad) {
      assert.throws(() => new ThinknxClient({ settings: thinknxSettings(def), credentials: creds }), (e: GatewayError) => e.code === 'BAD_INPUT' && !e.message.includes('has/slash'), JSON.stringify(def));
    }
    assert.equal(sim.count(), 0);
  });

  it('close() aborts a request in flight', async () => {
    const c = await setup({}, { timeout: 5 });
    sim.server.setFault({ hang: true });
    const pending = c.execute(READ);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await c.close();
    await rejects(pending, 'UNREACHABLE');
    assert.ok(Date.now() - started < 1000);
  });
});
