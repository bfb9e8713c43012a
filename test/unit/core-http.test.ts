import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError, statusWords } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { SimServer } from '../simulators/base';

describe('core/http HttpClient', () => {
  let sim: SimServer;
  let client: HttpClient;

  beforeEach(async () => {
    sim = new SimServer((req) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `hello ${req.method} ${req.path}` }));
    await sim.start();
    client = new HttpClient({
      baseUrl: sim.url,
      label: 'Test hub',
      timeoutMs: 300,
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 2000 },
      secrets: () => ['s3cr3tpass'],
    });
  });

  afterEach(async () => {
    await client.close();
    await sim.stop();
  });

  async function rejects(p: Promise<unknown>): Promise<GatewayError> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
      assert.ok(Object.prototype.hasOwnProperty.call(err, 'code'), 'code is an own property');
      return err;
    }
    throw new Error('expected a rejection');
  }

  it('reads a body and reuses the keep-alive socket', async () => {
    const a = await client.request({ path: '/a' });
    const b = await client.request({ path: '/b', query: { x: 1 } });
    assert.equal(a.body, 'hello GET /a');
    assert.equal(b.body, 'hello GET /b?x=1');
    for (let i = 0; i < 8; i++) await client.request({ path: '/c' });
    assert.ok(sim.connections <= 2, `${sim.connections} connections for 10 requests`);
  });

  it('retries a GET on 503 and honours Retry-After', async () => {
    sim.setFault({ status: 503, headers: { 'retry-after': '1' }, times: 1 });
    const started = Date.now();
    const res = await client.request({ path: '/r' });
    assert.equal(res.statusCode, 200);
    assert.ok(Date.now() - started >= 950, 'waited the second Retry-After asked for');
    assert.equal(sim.count('/r'), 2);
  });

  it('gives up after the policy and maps 500 to SERVER_ERROR', async () => {
    sim.setFault({ status: 500 });
    const err = await rejects(client.request({ path: '/x' }));
    assert.equal(err.code, 'SERVER_ERROR');
    assert.equal(sim.count('/x'), 3);
  });

  it('never replays a POST, PUT or PATCH after a 5xx or a timeout', async () => {
    sim.setFault({ status: 502 });
    assert.equal((await rejects(client.request({ method: 'POST', path: '/cmd', body: '{}' }))).code, 'SERVER_ERROR');
    sim.setFault({ hang: true });
    assert.equal((await rejects(client.request({ method: 'PATCH', path: '/patch', body: '{}' }))).code, 'TIMEOUT');
    assert.equal((await rejects(client.request({ method: 'PUT', path: '/put', body: '<x/>' }))).code, 'TIMEOUT');
    assert.equal(sim.count('/cmd'), 1);
    assert.equal(sim.count('/patch'), 1);
    assert.equal(sim.count('/put'), 1);
  });

  it('maps 401, 404 and 429 and keeps Retry-After on the error', async () => {
    sim.setFault({ status: 401 });
    assert.equal((await rejects(client.request({ path: '/a' }))).code, 'AUTH_FAILED');
    sim.setFault({ status: 404 });
    assert.equal((await rejects(client.request({ path: '/b' }))).code, 'NOT_FOUND');
    sim.setFault({ status: 429, headers: { 'retry-after': '120' } });
    const err = await rejects(client.request({ path: '/c' }));
    assert.equal(err.code, 'RATE_LIMITED');
    assert.equal(err.retryAfterMs, 120_000);
    assert.equal(sim.count('/c'), 1, 'a wait longer than the policy allows is not slept through');
    assert.equal(sim.count('/a'), 1, 'a 401 is not retried');
  });

  it('maps a refused connection to UNREACHABLE and a stalled body to TIMEOUT', async () => {
    const dead = new HttpClient({ baseUrl: 'http://127.0.0.1:1', label: 'Dead hub', timeoutMs: 300, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const err = await rejects(dead.request({ path: '/' }));
    assert.equal(err.code, 'UNREACHABLE');
    assert.match(err.message, /Dead hub refused the connection/);
    await dead.close();
    sim.setFault({ stallBody: true });
    assert.equal((await rejects(client.request({ path: '/slow', retry: false }))).code, 'TIMEOUT');
  });

  it('refuses a body over the size limit as BAD_RESPONSE', async () => {
    const small = new HttpClient({ baseUrl: sim.url, label: 'Hub', timeoutMs: 1000, maxBodyBytes: 1024 });
    sim.setFault({ body: 'x'.repeat(5000) });
    const err = await rejects(small.request({ path: '/big', retry: false }));
    assert.equal(err.code, 'BAD_RESPONSE');
    await small.close();
  });

  it('close() aborts what is in flight and closes every socket', async () => {
    sim.setFault({ hang: true });
    const pending = client.request({ path: '/hang', retry: false, timeoutMs: 10_000 });
    pending.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await client.close();
    assert.equal((await rejects(pending)).code, 'UNREACHABLE');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sim.openSockets, 0);
  });

  it('scrubs its secrets from messages', async () => {
    sim.setFault({ status: 500 });
    const err = await rejects(client.request({ path: '/x?pass=s3cr3tpass', retry: false }));
    assert.ok(!err.message.includes('s3cr3tpass'), err.message);
  });

  it('https:// to a plain-HTTP port says the server does not speak HTTPS, whether the server hangs up or answers 400', async () => {
    // The simulators hang up on the ClientHello (ECONNRESET); a bare node:http server answers it with
    // "HTTP/1.1 400", which OpenSSL reads as a record of the wrong version.
    const answering = createServer((_req, res) => res.end('plain'));
    let connections = 0;
    answering.on('connection', () => connections++);
    await new Promise<void>((r) => answering.listen(0, '127.0.0.1', r));
    try {
      for (const port of [sim.port, (answering.address() as AddressInfo).port]) {
        const https = new HttpClient({ baseUrl: `https://127.0.0.1:${port}`, label: 'Test hub', timeoutMs: 2000, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
        const err = await rejects(https.request({ path: '/' }));
        await https.close();
        assert.equal(err.code, 'UNREACHABLE');
        assert.match(err.message, new RegExp(`^Test hub does not speak HTTPS on port ${port} \\(the TLS handshake failed: (ECONNRESET|ERR_SSL_WRONG_VERSION_NUMBER)\\): use http:// in the address, or the port where it speaks HTTPS\\.$`));
        assert.equal(statusWords(err), 'no HTTPS on this port');
        const custom = new HttpClient({ baseUrl: `https://127.0.0.1:${port}`, label: 'Test hub', timeoutMs: 2000, plainHttpAdvice: 'turn TLS off.', retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
        assert.match((await rejects(custom.request({ path: '/' }))).message, /: turn TLS off\.$/);
        await custom.close();
      }
      // Trying again cannot help: a read with a retry policy makes one connection, not three.
      const before = connections;
      const retrying = new HttpClient({ baseUrl: `https://127.0.0.1:${(answering.address() as AddressInfo).port}`, label: 'Test hub', timeoutMs: 2000, retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 } });
      assert.equal((await rejects(retrying.request({ path: '/' }))).code, 'UNREACHABLE');
      await retrying.close();
      assert.equal(connections - before, 1, 'not retried');
    } finally {
      answering.closeAllConnections();
      await new Promise((r) => answering.close(r));
    }
    // Over http:// a hang-up stays a network error: nothing says TLS was involved.
    sim.setFault({ drop: true });
    const dropped = await rejects(client.request({ path: '/', retry: false }));
    assert.doesNotMatch(dropped.message, /HTTPS/);
  });

  it('reads as its sentence: toString() is the message, name is "Error", code and the status words are own properties', async () => {
    sim.setFault({ status: 401 });
    const err = await rejects(client.request({ path: '/core/x', retry: false }));
    assert.equal(String(err), 'Test hub answered HTTP 401 to GET /core/x: check the credentials.');
    assert.equal(`${err}`, err.message);
    assert.equal(err.name, 'Error');
    assert.ok(String(err.stack).startsWith('Error: Test hub answered HTTP 401'), 'the stack starts with the sentence');
    assert.ok(Object.prototype.hasOwnProperty.call(err, 'statusText'));
    assert.equal(statusWords(err), 'refused (HTTP 401)');
    // Without statusText: the message's first clause, cut at a word boundary.
    assert.equal(statusWords(new GatewayError('BAD_INPUT', 'The page size must be a whole number from 1 to 1000, not 0.')), 'The page size must be a whole number…');
    assert.equal(statusWords(new GatewayError('BAD_INPUT', 'msg.feedback must be true or false, not "yes please".')), 'msg.feedback must be true or false');
    assert.equal(statusWords(new GatewayError('BAD_INPUT', 'No device GUID: set it in the node or send msg.guid.')), 'No device GUID');
    assert.equal(statusWords(new GatewayError('BAD_INPUT', 'x', { statusText: 'line\nbreak' })), 'line\\nbreak', 'controls escaped');
  });
});
