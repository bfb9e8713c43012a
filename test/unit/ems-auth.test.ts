import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { EmsClient, type EmsClientOptions } from '../../src/vendors/ems';
import { EmsSimulator, type EmsSimOptions } from '../simulators/ems';
import { TlsFront, selfSignedCert } from '../simulators/ems/tls';

const USER = 'api-reader';
const PASSWORD = 'pw-5e1f-99ac-Zq';
const FAST_RETRY = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1000 };
const HOUR = 3_600_000;

function isCode(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof GatewayError, `a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe('ems login and token (against the simulator)', function () {
  let sim: EmsSimulator;
  let client: EmsClient;
  let clock = Date.UTC(2025, 5, 1, 12);

  async function setup(simOpts: Partial<EmsSimOptions> = {}, clientOpts: Partial<EmsClientOptions> = {}): Promise<void> {
    clock = Date.UTC(2025, 5, 1, 12);
    sim = new EmsSimulator({ username: USER, password: PASSWORD, now: () => clock, ...simOpts });
    await sim.start();
    client = new EmsClient({ baseUrl: sim.url, username: USER, password: PASSWORD, now: () => clock, retry: FAST_RETRY, timeoutMs: 2000, ...clientOpts });
  }

  afterEach(async () => {
    await client?.close();
    await sim?.stop();
  });

  describe('token', () => {
    it('one login for many requests, one login for ten at once', async () => {
      await setup();
      await Promise.all(Array.from({ length: 10 }, () => client.collect({ operation: 'devices', scope: 'all' })));
      assert.equal(sim.logins, 1);
      for (let i = 0; i < 20; i++) await client.collect({ operation: 'signals', scope: 'all' });
      assert.equal(sim.logins, 1);
      assert.equal(sim.count('/v1/auth/login'), 1);
      const login = sim.server.requests.find((r) => r.path === '/v1/auth/login');
      assert.deepEqual(JSON.parse(login?.body ?? '{}'), { username: USER, password: PASSWORD });
      assert.equal(login?.headers['content-type'], 'application/json');
    });

    it('renews before the 30 minutes from exp run out, not after a 401', async () => {
      await setup();
      await client.collect({ operation: 'devices', scope: 'all' });
      clock += 28 * 60_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 1, 'still valid at 28 min');
      clock += 90_000; // 29.5 min: within the renewal margin
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 2);
      assert.equal(sim.server.requests.filter((r) => r.path.startsWith('/v1/devices')).length, 3, 'no request was refused');
    });

    it('a short-lived token is renewed by its exp; without exp the 30 minutes apply', async () => {
      await setup({ tokenLifetimeSec: 120 });
      await client.collect({ operation: 'devices', scope: 'all' });
      clock += 100_000; // 120 s lifetime, 12 s margin
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 1);
      clock += 10_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 2);
      await client.close();
      await sim.stop();

      await setup({ includeExp: false });
      await client.collect({ operation: 'devices', scope: 'all' });
      clock += 28 * 60_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 1);
      clock += 90_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 2, 'renewed at 29.5 min without an exp claim');
    });

    it("a gateway clock two hours ahead does not stretch or shrink the token's life", async () => {
      await setup({ now: () => clock + 2 * HOUR });
      await client.collect({ operation: 'devices', scope: 'all' });
      clock += 10 * 60_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 1, 'exp - iat gives 30 min whatever the clocks say');
      clock += 20 * 60_000;
      await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(sim.logins, 2);
    });

    it('a 401 logs in again once and retries once', async () => {
      await setup();
      await client.collect({ operation: 'devices', scope: 'all' });
      sim.revokeTokens(); // the gateway restarted
      const r = await client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(r.records, 2);
      assert.equal(sim.logins, 2);
      assert.equal(sim.count('/v1/devices'), 3, 'first, refused, retried');
      sim.server.setFault({ status: 401, path: '/v1/devices' });
      await assert.rejects(client.collect({ operation: 'devices', scope: 'all' }), isCode('AUTH_FAILED', /refused a fresh token/));
      assert.equal(sim.logins, 3, 'one more login, not a loop');
      assert.equal(sim.count('/v1/devices'), 5);
    });

    it('ten requests refused at once share one new login', async () => {
      await setup();
      await client.collect({ operation: 'devices', scope: 'all' });
      sim.revokeTokens();
      sim.server.setFault({ delayMs: 30, path: '/v1/signals', times: 10 }); // all ten in flight before the first 401
      const results = await Promise.all(Array.from({ length: 10 }, () => client.collect({ operation: 'signals', scope: 'all' })));
      assert.ok(results.every((r) => r.records === 7));
      assert.equal(sim.logins, 2, 'the first login and one more');
      assert.equal(sim.count('/v1/signals'), 20, 'each refused once, retried once');
    });

    it('a wrong password is AUTH_FAILED after one login attempt, and nothing else is sent', async () => {
      await setup({}, { password: 'wrong-password' });
      await assert.rejects(client.test(), isCode('AUTH_FAILED', /refused the login \(HTTP 401\): check the user name and password/));
      assert.equal(sim.count('/v1/auth/login'), 1);
      assert.equal(sim.count('/v1/devices'), 0);
      assert.equal(sim.count('/ver'), 1);
    });
  });

  describe('tls', () => {
    it('refuses a self-signed certificate unless allowSelfSigned, then reads through it', async () => {
      await setup();
      // A certificate made now with node:crypto; the TLS front forwards to the plain simulator.
      const front = new TlsFront(sim.port, selfSignedCert());
      await front.start();
      const opts = { baseUrl: front.url, username: USER, password: PASSWORD, retry: FAST_RETRY, timeoutMs: 2000 };
      const strict = new EmsClient(opts);
      const lax = new EmsClient({ ...opts, allowSelfSigned: true });
      try {
        await assert.rejects(strict.test(), isCode('UNREACHABLE', /TLS certificate that cannot be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)/));
        assert.equal(sim.server.requests.length, 0, 'nothing got past the handshake');
        assert.deepEqual(await lax.test(), { version: '1.8.2', devices: 2 });
        assert.equal(sim.logins, 1);
      } finally {
        await strict.close();
        await lax.close();
        await front.stop();
      }
    });
  });
});
