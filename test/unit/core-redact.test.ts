/**
 * Redaction (issue 13): every string an Error carries is scrubbed, not only message and stack (item 5);
 * credentials are hidden but prose naming a scheme is not (item 8a); the TLS advice names an option the
 * config node really has (item 8b).
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GatewayError } from '../../src/core/errors';
import { redact, redactError } from '../../src/core/redact';
import { EmsClient } from '../../src/vendors/ems';
import { HeatingClient } from '../../src/vendors/heatingcontrol';
import { ThinknxClient, thinknxSettings } from '../../src/vendors/thinknx';
import { TlsFront, selfSignedCert } from '../simulators/ems/tls';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { isCode } from './rig';

const SECRET = 'hc-secret-7d1e-44ab';
const NO_RETRY = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

describe('core/redact', () => {
  describe('credentials, not prose (item 8a)', () => {
    it('leaves the words after "digest", "basic" and "bearer" in sentences', () => {
      const prose = [
        'Query-string authentication works over plain HTTP only: turn TLS off, or use digest or basic.',
        'the server does not offer Digest authentication: choose basic in the server node.',
        'use Basic auth, or a bearer token.',
        'Bearer authentication failed; Bearer Token.',
        'WWW-Authenticate: Basic realm="Thinknx", Digest realm="r", nonce="abc", qop="auth"',
      ];
      for (const text of prose) assert.equal(redact(text), text);
    });

    it('still hides every Authorization value, and credentials quoted anywhere', () => {
      const cases: Array<[string, string]> = [
        ['authorization: Basic abc', 'authorization: Basic ***'],
        ['{"authorization":"Bearer short"}', '{"authorization":"Bearer ***"}'],
        ['Authorization: Digest username="demo", realm="r", nonce="n", uri="/a", response="0123abcd", qop=auth end', 'Authorization: Digest *** end'],
        ['sent Basic dXNlcjpwYXNz to it', 'sent Basic *** to it'],
        ['basic c21pbGU6YWJjZGVmZ2g= ok', 'basic *** ok'],
        ['Bearer hcat_0123abcdef', 'Bearer ***'],
        ['Bearer eyJhbGciOi.eyJzdWIi.c2ln, then', 'Bearer ***, then'],
        ['Bearer AbCdEfGhIjKlMnOpQr ok', 'Bearer *** ok'],
        ['echo: Digest username="demo", response="deadbeef" and more', 'echo: Digest *** and more'],
      ];
      for (const [text, want] of cases) assert.equal(redact(text), want, text);
    });
  });

  describe('every string of an Error (item 5)', () => {
    it('scrubs own properties (requestId, vendorCode, any other) and the cause chain; code stays', () => {
      const cause = Object.assign(new Error(`inner ${SECRET}`), { url: `https://x/?client_secret=${SECRET}` });
      const err = new GatewayError('REJECTED', `outer ${SECRET}`, { requestId: `echo:${SECRET}`, vendorCode: SECRET, cause });
      (err as unknown as Record<string, unknown>).extra = { body: `{"client_secret":"${SECRET}"}` };
      redactError(err, [SECRET]);
      const everything = `${inspect(err, { depth: 5 })} ${JSON.stringify(err)} ${err.stack}`;
      assert.ok(!everything.includes(SECRET), everything);
      assert.equal(err.requestId, 'echo:***');
      assert.equal(err.code, 'REJECTED');
      assert.equal((err.cause as Error).message, 'inner ***');
    });

    it('a HeatingControl error envelope whose requestId echoes the token request carries no secret', async () => {
      const sim = new HeatingSimulator({ clientId: 'id-1', clientSecret: SECRET });
      await sim.start();
      const client = new HeatingClient({ baseUrl: sim.url, clientId: 'id-1', clientSecret: SECRET, retry: NO_RETRY });
      try {
        sim.refuse({ path: '/v1/oauth/token', status: 400, code: 'INVALID_REQUEST', requestId: `grant_type=client_credentials&client_secret=${SECRET}` });
        const err = await client.homes().catch((e: unknown) => e);
        assert.ok(err instanceof GatewayError, String(err));
        assert.equal(err.code, 'REJECTED');
        assert.ok(!JSON.stringify({ ...err }).includes(SECRET), JSON.stringify({ ...err }));
        assert.ok(!inspect(err).includes(SECRET));
        assert.match(String(err.requestId), /client_secret=\*\*\*/, 'the request id is kept, scrubbed');
        // The same for a refusal of an API call (its own request id).
        sim.refuse({ path: '/v1/homes', status: 409, code: 'CONFLICT', requestId: `r-${SECRET}` });
        const again = await client.homes().catch((e: unknown) => e);
        assert.ok(again instanceof GatewayError && again.requestId === 'r-***', String(again));
      } finally {
        await client.close();
        await sim.stop();
      }
    });
  });

  describe('TLS advice per vendor (item 8b)', () => {
    let front: TlsFront;
    const sim = new HeatingSimulator({ clientId: 'id-1', clientSecret: SECRET });
    before(async () => {
      await sim.start();
      front = new TlsFront(sim.port, selfSignedCert());
      await front.start();
    });
    after(async () => {
      await front.stop();
      await sim.stop();
    });

    it('HeatingControl (no such option) does not advise "allow self-signed"', async () => {
      const client = new HeatingClient({ baseUrl: front.url, clientId: 'id-1', clientSecret: SECRET, retry: NO_RETRY, timeoutMs: 2000 });
      try {
        const err = await client.homes().catch((e: unknown) => e);
        assert.ok(err instanceof GatewayError && err.code === 'UNREACHABLE', String(err));
        assert.match(err.message, /TLS certificate that cannot be verified/);
        assert.doesNotMatch(err.message, /self-signed/i);
        assert.match(err.message, /check the base URL/);
      } finally {
        await client.close();
      }
    });

    it('EMS and Thinknx name their own option', async () => {
      const ems = new EmsClient({ baseUrl: front.url, username: 'u', password: 'pw-0123', retry: NO_RETRY, timeoutMs: 2000 });
      const tk = new ThinknxClient({ settings: thinknxSettings({ host: '127.0.0.1', port: front.port, tls: true, auth: 'basic', timeout: 2 }), credentials: { username: 'u', password: 'pw-0123' }, retry: NO_RETRY });
      try {
        await assert.rejects(ems.version(), isCode('UNREACHABLE', /tick "accept the gateway's own \(self-signed\) certificate" in the EMS server node/));
        await assert.rejects(tk.execute({ capability: 'power', guid: 'kitchen-light', payload: 'get' }), isCode('UNREACHABLE', /tick "accept the server's self-signed certificate" in the Thinknx server node/));
      } finally {
        await ems.close();
        await tk.close();
      }
    });
  });
});
