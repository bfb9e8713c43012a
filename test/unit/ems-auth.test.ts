import assert from 'node:assert/strict';
import { EmsClient } from '../../src/vendors/ems';
import { TlsFront, selfSignedCert } from '../simulators/ems/tls';
import { EMS_PASSWORD, EMS_USER, EmsRig, FAST_RETRY, isCode } from './rig';

const HOUR = 3_600_000;

describe('ems login and token (against the simulator)', function () {
  const ems = new EmsRig();

  describe('token', () => {
    it('one login for many requests, one login for ten at once', async () => {
      await ems.setup();
      await Promise.all(Array.from({ length: 10 }, () => ems.client.collect({ operation: 'devices', scope: 'all' })));
      assert.equal(ems.sim.logins, 1);
      for (let i = 0; i < 20; i++) await ems.client.collect({ operation: 'signals', scope: 'all' });
      assert.equal(ems.sim.logins, 1);
      assert.equal(ems.sim.count('/v1/auth/login'), 1);
      const login = ems.sim.server.requests.find((r) => r.path === '/v1/auth/login');
      assert.deepEqual(JSON.parse(login?.body ?? '{}'), { username: EMS_USER, password: EMS_PASSWORD });
      assert.equal(login?.headers['content-type'], 'application/json');
    });

    it('renews before the 30 minutes from exp run out, not after a 401', async () => {
      await ems.setup();
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.clock += 28 * 60_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 1, 'still valid at 28 min');
      ems.clock += 90_000; // 29.5 min: within the renewal margin
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 2);
      assert.equal(ems.sim.server.requests.filter((r) => r.path.startsWith('/v1/devices')).length, 3, 'no request was refused');
    });

    it('a short-lived token is renewed by its exp; without exp the 30 minutes apply', async () => {
      await ems.setup({ tokenLifetimeSec: 120 });
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.clock += 100_000; // 120 s lifetime, 12 s margin
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 1);
      ems.clock += 10_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 2);
      await ems.client.close();
      await ems.sim.stop();

      await ems.setup({ includeExp: false });
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.clock += 28 * 60_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 1);
      ems.clock += 90_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 2, 'renewed at 29.5 min without an exp claim');
    });

    it("a gateway clock two hours ahead does not stretch or shrink the token's life", async () => {
      await ems.setup({ now: () => ems.clock + 2 * HOUR });
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.clock += 10 * 60_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 1, 'exp - iat gives 30 min whatever the clocks say');
      ems.clock += 20 * 60_000;
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(ems.sim.logins, 2);
    });

    it('a 401 logs in again once and retries once', async () => {
      await ems.setup();
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.sim.revokeTokens(); // the gateway restarted
      const r = await ems.client.collect({ operation: 'devices', scope: 'all' });
      assert.equal(r.records, 2);
      assert.equal(ems.sim.logins, 2);
      assert.equal(ems.sim.count('/v1/devices'), 3, 'first, refused, retried');
      ems.sim.server.setFault({ status: 401, path: '/v1/devices' });
      await assert.rejects(ems.client.collect({ operation: 'devices', scope: 'all' }), isCode('AUTH_FAILED', /refused a fresh token/));
      assert.equal(ems.sim.logins, 3, 'one more login, not a loop');
      assert.equal(ems.sim.count('/v1/devices'), 5);
    });

    it('ten requests refused at once share one new login', async () => {
      await ems.setup();
      await ems.client.collect({ operation: 'devices', scope: 'all' });
      ems.sim.revokeTokens();
      ems.sim.server.setFault({ delayMs: 30, path: '/v1/signals', times: 10 }); // all ten in flight before the first 401
      const results = await Promise.all(Array.from({ length: 10 }, () => ems.client.collect({ operation: 'signals', scope: 'all' })));
      assert.ok(results.every((r) => r.records === 7));
      assert.equal(ems.sim.logins, 2, 'the first login and one more');
      assert.equal(ems.sim.count('/v1/signals'), 20, 'each refused once, retried once');
    });

    it('a wrong password is AUTH_FAILED after one login attempt, and nothing else is sent', async () => {
      await ems.setup({}, { password: 'wrong-password' });
      await assert.rejects(ems.client.test(), isCode('AUTH_FAILED', /refused the login \(HTTP 401\): check the user name and password/));
      assert.equal(ems.sim.count('/v1/auth/login'), 1);
      assert.equal(ems.sim.count('/v1/devices'), 0);
      assert.equal(ems.sim.count('/ver'), 1);
    });
  });

  describe('tls', () => {
    it('refuses a self-signed certificate unless allowSelfSigned, then reads through it', async () => {
      await ems.setup();
      // A certificate made now with node:crypto; the TLS front forwards to the plain simulator.
      const front = new TlsFront(ems.sim.port, selfSignedCert());
      await front.start();
      const opts = { baseUrl: front.url, username: EMS_USER, password: EMS_PASSWORD, retry: FAST_RETRY, timeoutMs: 2000 };
      const strict = new EmsClient(opts);
      const lax = new EmsClient({ ...opts, allowSelfSigned: true });
      try {
        await assert.rejects(strict.test(), isCode('UNREACHABLE', /TLS certificate that cannot be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)/));
        assert.equal(ems.sim.server.requests.length, 0, 'nothing got past the handshake');
        assert.deepEqual(await lax.test(), { version: '1.8.2', devices: 2 });
        assert.equal(ems.sim.logins, 1);
      } finally {
        await strict.close();
        await lax.close();
        await front.stop();
      }
    });
  });
});
