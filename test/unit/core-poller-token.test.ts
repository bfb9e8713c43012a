import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { Poller } from '../../src/core/poller';
import { SerialQueue } from '../../src/core/queue';
import { redact } from '../../src/core/redact';
import { TokenCache, jwtExpiry } from '../../src/core/token';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('core/poller', () => {
  it('shares one read among concurrent refreshes and polls for every subscriber', async () => {
    let reads = 0;
    const poller = new Poller<number>({
      read: async () => {
        reads++;
        await tick(30);
        return reads;
      },
      intervalMs: 60,
    });
    const got: number[][] = [[], [], []];
    const unsubs = got.map((g) => poller.subscribe({ data: (v) => g.push(v), error: () => undefined }));
    const results = await Promise.all(Array.from({ length: 10 }, () => poller.refresh()));
    assert.ok(results.every((r) => r === results[0]), 'every caller got the shared read');
    await tick(400);
    for (const u of unsubs) u();
    const readsAtStop = reads;
    await tick(200);
    assert.equal(reads, readsAtStop, 'the timer stops when the last poller leaves');
    assert.ok(got[0]!.length >= 3);
    assert.deepEqual(got[0], got[1]);
    assert.deepEqual(got[1], got[2]);
    assert.equal(poller.polling, false);
    poller.stop();
  });

  it('backs off while reads fail and reports each failure to subscribers', async () => {
    let reads = 0;
    const poller = new Poller<number>({
      read: async () => {
        reads++;
        throw new GatewayError('AUTH_FAILED', 'no');
      },
      intervalMs: 20,
      maxBackoffMs: 1000,
    });
    const codes: string[] = [];
    poller.subscribe({ data: () => undefined, error: (e) => codes.push(e.code) });
    await tick(500);
    poller.stop();
    // 0, 40, 80, 160, 320 ms ... -> about 5 reads in 500 ms, not 25.
    assert.ok(reads >= 3 && reads <= 7, `${reads} reads`);
    assert.ok(codes.every((c) => c === 'AUTH_FAILED'));
  });

  it('a fresh refresh waits for the read in flight and reads again', async () => {
    let reads = 0;
    const poller = new Poller<number>({ read: async () => (await tick(20), ++reads), intervalMs: 10_000 });
    const first = poller.refresh();
    const second = poller.refresh(undefined, true);
    assert.equal(await first, 1);
    assert.equal(await second, 2);
    poller.stop();
  });
});

describe('core/queue', () => {
  it('runs one job at a time and rejects the waiting ones on close', async () => {
    const q = new SerialQueue();
    let running = 0;
    let maxRunning = 0;
    const job = async (): Promise<void> => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick(10);
      running--;
    };
    await Promise.all([q.run(job), q.run(job), q.run(job)]);
    assert.equal(maxRunning, 1);
    const slow = q.run((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    const waiting = q.run(async () => 'never');
    q.close();
    await assert.rejects(slow, (e: GatewayError) => e.code === 'UNREACHABLE');
    await assert.rejects(waiting, (e: GatewayError) => e.code === 'UNREACHABLE');
  });
});

describe('core/token', () => {
  it('renews once for many concurrent callers and before expiry', async () => {
    let now = 1_000_000;
    let issued = 0;
    const cache = new TokenCache({
      obtain: async () => {
        await tick(10);
        issued++;
        return { value: `tok${issued}`, expiresAt: now + 3_600_000 };
      },
      marginMs: 60_000,
      now: () => now,
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    assert.ok(tokens.every((t) => t === 'tok1'));
    for (let i = 0; i < 1000; i++) {
      now += 3000; // 1000 calls spread over 50 minutes
      await cache.get();
    }
    assert.equal(issued, 1);
    now += 10 * 60_000; // inside the renewal margin
    assert.equal(await cache.get(), 'tok2');
    cache.invalidate('tok1'); // stale invalidation does not drop the new token
    assert.equal(await cache.get(), 'tok2');
    cache.invalidate('tok2');
    assert.equal(await cache.get(), 'tok3');
  });

  it('reads a JWT exp claim', () => {
    const body = Buffer.from(JSON.stringify({ exp: 1700000000 })).toString('base64url');
    assert.equal(jwtExpiry(`h.${body}.s`), 1_700_000_000_000);
    assert.equal(jwtExpiry('not-a-jwt'), undefined);
  });
});

describe('core/redact', () => {
  it('hides secrets in plain, URL-encoded and Base64 forms and auth headers', () => {
    const text = 'pw=p@ss word! url=p%40ss%20word! b64=cEBzcyB3b3JkIQ auth: Basic dXNlcjpwYXNz ?user=a&pass=hunter2&x=1';
    const out = redact(text, ['p@ss word!']);
    assert.ok(!out.includes('p@ss word!'));
    assert.ok(!out.includes('p%40ss%20word!'));
    assert.ok(!out.includes('cEBzcyB3b3JkIQ'));
    assert.ok(!out.includes('dXNlcjpwYXNz'));
    assert.ok(!out.includes('hunter2'));
    assert.ok(out.includes('&x=1'));
  });
});
