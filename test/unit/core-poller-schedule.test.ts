import assert from 'node:assert/strict';
import { Poller, STAGGER_MS } from '../../src/core/poller';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A poller whose reads take `readMs` and record when they start. */
function timedPoller(starts: number[], readMs: number, intervalMs: number): Poller<number> {
  return new Poller<number>({
    read: async () => {
      starts.push(Date.now());
      await tick(readMs);
      return starts.length;
    },
    intervalMs,
  });
}

describe('core/poller schedule', () => {
  it('spreads the first polls of pollers started together STAGGER_MS apart, the first at once', async () => {
    await tick(STAGGER_MS * 2); // slots of pollers from other tests are over
    const t0 = Date.now();
    const starts: number[][] = Array.from({ length: 10 }, () => []);
    const pollers = starts.map((s) => timedPoller(s, 5, 60_000));
    for (const p of pollers) p.subscribe({ data: () => undefined, error: () => undefined });
    await tick(STAGGER_MS * 10 + 200);
    for (const p of pollers) p.stop();
    const firsts = starts.map((s) => s[0] as number).sort((a, b) => a - b);
    assert.equal(firsts.length, 10);
    assert.ok((firsts[0] as number) - t0 < 50, `the first poller reads at once (${(firsts[0] as number) - t0} ms)`);
    for (let i = 1; i < firsts.length; i++) {
      const gap = (firsts[i] as number) - (firsts[i - 1] as number);
      assert.ok(gap >= STAGGER_MS - 15, `first reads ${i - 1} and ${i} are ${gap} ms apart, not in one burst`);
    }
  });

  it('times each poll from the start of the one before, so a read does not push the next one later', async () => {
    const starts: number[] = [];
    const poller = timedPoller(starts, 40, 100);
    await tick(STAGGER_MS * 2);
    poller.subscribe({ data: () => undefined, error: () => undefined });
    await tick(1050);
    poller.stop();
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // Timed from the end, the polls would start 140 ms apart (100 ms + the 40 ms read).
    assert.ok(mean >= 90 && mean < 125, `polls start ${mean.toFixed(0)} ms apart on average (${gaps.join(', ')})`);
  });

  it('rests at least half an interval after a read longer than the interval', async () => {
    const starts: number[] = [];
    const poller = timedPoller(starts, 150, 100);
    await tick(STAGGER_MS * 2);
    poller.subscribe({ data: () => undefined, error: () => undefined });
    await tick(900);
    poller.stop();
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    assert.ok(gaps.length >= 2);
    for (const g of gaps) assert.ok(g >= 150 + 45, `a slow read is not followed by the next at once (${g} ms between starts)`);
  });
});

describe('core/poller first-poll slots', () => {
  it('gives a stopped poller\'s slot back, so redeploys do not delay the next first read', async () => {
    await tick(STAGGER_MS * 2);
    // Twenty pollers started and stopped at once (a redeploy storm) hold no slot afterwards.
    for (let i = 0; i < 20; i++) {
      const p = timedPoller([], 5, 60_000);
      p.subscribe({ data: () => undefined, error: () => undefined });
      p.stop();
    }
    const starts: number[] = [];
    const t0 = Date.now();
    const p = timedPoller(starts, 5, 60_000);
    p.subscribe({ data: () => undefined, error: () => undefined });
    await tick(STAGGER_MS * 3);
    p.stop();
    assert.ok(starts.length === 1 && (starts[0] as number) - t0 < STAGGER_MS + 50, `read ${starts.length ? (starts[0] as number) - t0 : 'never'} ms after it was started`);
  });
});
