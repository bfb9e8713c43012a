import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http';
import { Exchange } from '../../src/core/exchange';
import { linkSignals, withSignals } from '../../src/core/signals';

/** Abort listeners an AbortSignal holds (Node keeps them in a symbol-keyed map). */
function listenerCount(signal: AbortSignal): number {
  const sym = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kEvents');
  const events = sym ? ((signal as unknown as Record<symbol, Map<string, { size: number }>>)[sym] as Map<string, { size: number }>) : undefined;
  return events?.get('abort')?.size ?? 0;
}

describe('core/signals', () => {
  it('linkSignals aborts with the reason of the source that aborted, and release() stops listening', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, undefined, b.signal);
    assert.equal(linked.signal.aborted, false);
    const reason = new GatewayError('UNREACHABLE', 'stopped');
    b.abort(reason);
    assert.equal(linked.signal.aborted, true);
    assert.equal(linked.signal.reason, reason);

    const c = new AbortController();
    const many = Array.from({ length: 50 }, () => linkSignals(c.signal));
    assert.equal(listenerCount(c.signal), 1, 'a long-lived source gets one listener, not one per request');
    for (const l of many.slice(0, 49)) l.release();
    c.abort(new Error('closing'));
    assert.equal(many[0]!.signal.aborted, false, 'a released link is not aborted any more');
    assert.equal((many[49]!.signal.reason as Error).message, 'closing');
  });

  it('an already aborted source gives an aborted signal at once; abort() aborts with its own reason', () => {
    const a = new AbortController();
    a.abort(new Error('gone'));
    assert.equal(linkSignals(a.signal).signal.aborted, true);
    const b = new AbortController();
    const linked = linkSignals(b.signal);
    linked.abort(new Error('deadline'));
    assert.equal((linked.signal.reason as Error).message, 'deadline');
    b.abort(new Error('later'));
    assert.equal((linked.signal.reason as Error).message, 'deadline');
  });

  it('withSignals hands one source on as it is and releases a linked one when the work ends', async () => {
    const a = new AbortController();
    assert.equal(await withSignals([a.signal, undefined], async (s) => s), a.signal);
    const b = new AbortController();
    const during = await withSignals([a.signal, b.signal], async (s) => {
      assert.notEqual(s, a.signal);
      return s;
    });
    a.abort();
    assert.equal(during.aborted, false, 'released when the work ended');
  });

  it('an Exchange stops once, with the first reason, and follows a caller signal until unfollowed', async () => {
    const exchange = new Exchange(1000, () => new Error('too big'));
    const aborted: unknown[] = [];
    exchange.onRequestStart({ abort: (reason: unknown) => aborted.push(reason) } as never);
    const caller = new AbortController();
    const unfollow = exchange.follow(caller.signal, () => new Error('cancelled'));
    assert.equal(exchange.reason?.message, undefined);
    caller.abort();
    assert.equal(exchange.reason?.message, 'cancelled');
    exchange.stop(new Error('later'));
    assert.equal(exchange.reason?.message, 'cancelled');
    assert.deepEqual(
      aborted.map((r) => (r as Error).message),
      ['cancelled'],
      'undici was asked to abort once',
    );
    await assert.rejects(exchange.done, /cancelled/);
    unfollow();

    const idle = new Exchange(1000, () => new Error('too big'));
    const source = new AbortController();
    const stop = idle.follow(source.signal, () => new Error('x'));
    stop();
    source.abort();
    assert.equal(idle.reason, undefined);
  });

  it('an Exchange stopped before undici started it aborts the request when it starts', () => {
    const exchange = new Exchange(1000, () => new Error('too big'));
    exchange.stop(new Error('deadline'));
    const aborted: unknown[] = [];
    exchange.onRequestStart({ abort: (reason: unknown) => aborted.push(reason) } as never);
    assert.deepEqual(
      aborted.map((r) => (r as Error).message),
      ['deadline'],
    );
    return assert.rejects(exchange.done, /deadline/);
  });

  it('an Exchange collects the reply whole, skips a UTF-8 BOM and refuses one over its limit', async () => {
    const controller = { abort: () => undefined } as never;
    const ok = new Exchange(10, () => new Error('too big'));
    ok.onResponseStart(controller, 100, {});
    ok.onResponseStart(controller, 200, { 'content-type': 'text/plain' });
    ok.onResponseData(controller, Buffer.from([0xef, 0xbb, 0xbf, 0x68]));
    ok.onResponseData(controller, Buffer.from('i!'));
    ok.onResponseEnd();
    assert.deepEqual(await ok.done, { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hi!' });

    const declared = new Exchange(10, () => new Error('too big'));
    declared.onResponseStart(controller, 200, { 'content-length': '11' });
    await assert.rejects(declared.done, /too big/);

    const counted = new Exchange(10, () => new Error('too big'));
    counted.onResponseStart(controller, 200, {});
    counted.onResponseData(controller, Buffer.alloc(6));
    counted.onResponseData(controller, Buffer.alloc(6));
    counted.onResponseEnd();
    await assert.rejects(counted.done, /too big/);
  });
});

describe('core/http aborting requests', () => {
  let server: Server;
  let url: string;
  let paths: string[];
  beforeEach(async () => {
    // Answers /slow after 5 s, anything else at once.
    paths = [];
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/slow') setTimeout(() => res.end('late'), 5000).unref();
      else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("a caller's abort cancels the request in flight with the caller's GatewayError, and the client goes on", async () => {
    const client = new HttpClient({ baseUrl: url, label: 'Hub', timeoutMs: 10_000 });
    const caller = new AbortController();
    const pending = client.send({ path: '/slow', signal: caller.signal });
    setTimeout(() => caller.abort(new GatewayError('UNREACHABLE', 'The node was stopped.')), 50);
    await assert.rejects(pending, (err: unknown) => err instanceof GatewayError && err.message === 'The node was stopped.');
    assert.equal((await client.send({ path: '/' })).body, 'ok', 'the client still works');
    await client.close();
  });

  it('a request still waiting for a socket fails at once when its caller aborts, and is never sent', async () => {
    const client = new HttpClient({ baseUrl: url, label: 'Hub', timeoutMs: 10_000, connections: 1 });
    const busy = client.send({ path: '/slow' }).catch((err: unknown) => err);
    const caller = new AbortController();
    const waiting = client.send({ path: '/queued', signal: caller.signal });
    const t0 = performance.now();
    setTimeout(() => caller.abort(new GatewayError('UNREACHABLE', 'The node was stopped.')), 50);
    await assert.rejects(waiting, (err: unknown) => err instanceof GatewayError && err.message === 'The node was stopped.');
    assert.ok(performance.now() - t0 < 1000, 'not held until the socket is free (the first request takes 5 s)');
    await client.close();
    await busy;
    assert.deepEqual(paths, ['/slow'], 'the aborted request never reached the server');
  });

  it('many requests sharing one caller signal: no MaxListeners warning, one listener on it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const client = new HttpClient({ baseUrl: url, label: 'Hub', timeoutMs: 5000, connections: 4 });
    const caller = new AbortController();
    await Promise.all(Array.from({ length: 30 }, () => client.request({ method: 'POST', path: '/', body: 'x', signal: caller.signal })));
    await Promise.all(Array.from({ length: 30 }, () => client.request({ path: '/', signal: caller.signal })));
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    assert.deepEqual(warnings, []);
    assert.ok(listenerCount(caller.signal) <= 1);
    await client.close();
  });

  it('a signal aborted before the call sends nothing', async () => {
    const client = new HttpClient({ baseUrl: url, label: 'Hub', timeoutMs: 1000 });
    const caller = new AbortController();
    caller.abort();
    await assert.rejects(client.send({ path: '/', signal: caller.signal }), (err: unknown) => err instanceof GatewayError && /cancelled/.test(err.message));
    assert.equal(client.sent, 0);
    await client.close();
  });
});
