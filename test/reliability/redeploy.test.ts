import assert from 'node:assert/strict';
import { Collector, activeResources, delay, helper, loadNodeSet, until } from '../nodes/harness';
import { CREDENTIALS, NODE_SETS, TRIGGERS, allNodesFlow, startAllSims, type AllSims } from './all-nodes';

type Receiver = { receive(msg: object): void };

/** Handles that must come back to their count: timers and sockets (TCPWRAP counts both sides' sockets). */
function handles(): { timers: number; sockets: number } {
  const r = activeResources();
  return { timers: r.Timeout ?? 0, sockets: (r.TCPSocketWrap ?? 0) + (r.TLSSocketWrap ?? 0) };
}

describe('redeploys of a flow using all nine node types', function () {
  this.timeout(300_000);
  let sims: AllSims;
  const sets = NODE_SETS.map(loadNodeSet);

  before(async () => {
    sims = await startAllSims();
    await helper.startServer();
  });

  after(async () => {
    await helper.unload();
    await helper.stopServer();
    await sims.stop();
  });

  it('200 redeploys (full, flows, nodes) return handles and sockets to their start, with no duplicate polls', async () => {
    const flow = allNodesFlow(sims);
    await helper.load(sets, flow, CREDENTIALS);
    const trigger = (): void => {
      for (const [id, msg] of Object.entries(TRIGGERS)) (helper.getNode(id) as Receiver | null)?.receive({ ...msg });
    };
    // Warm up: every node talks to its gateway once, so lazily created things exist before the baseline.
    const outs = Object.keys(TRIGGERS).map((id) => new Collector(`${id}-out`));
    trigger();
    await Promise.all(outs.map((o) => o.waitFor(1, 20_000)));
    await helper.unload();
    await delay(300);
    const start = handles();

    const types = ['full', 'flows', 'nodes'] as const;
    await helper.load(sets, flow, CREDENTIALS);
    for (let i = 0; i < 200; i++) {
      const type = types[i % 3]!;
      // A changed setting makes "flows" and "nodes" deploys restart the changed nodes.
      const changed = flow.map((n) => (n.id === 'rel-pw-in' || n.id === 'rel-hc-cmd' ? { ...n, name: `n${i}` } : n));
      await helper.setFlows(changed, type, CREDENTIALS);
      if (i % 4 === 0) trigger(); // requests in flight while the next deploy stops the nodes
      await delay(i % 25 === 0 ? 150 : 10);
    }
    // Poll rate after the redeploys: one gateway poll chain, 0.2 s, so ~5 requests/s to the hub at most.
    await delay(300);
    const before = sims.plugwise.requests();
    await delay(2000);
    const polls = sims.plugwise.requests() - before;
    assert.ok(polls >= 4 && polls <= 14, `${polls} Plugwise requests in 2 s: one poll chain expected`);

    await helper.unload();
    await until(() => handles().sockets <= start.sockets, 5000, 'sockets closed').catch(() => undefined);
    await delay(500);
    const end = handles();
    console.log(`      handles before: ${JSON.stringify(start)}, after 200 redeploys: ${JSON.stringify(end)}; polls in 2 s after: ${polls}`);
    assert.ok(end.timers <= start.timers, `timers ${start.timers} -> ${end.timers}`);
    assert.ok(end.sockets <= start.sockets, `sockets ${start.sockets} -> ${end.sockets}`);
    const quiet = sims.requests();
    await delay(600);
    assert.equal(sims.requests(), quiet, 'nothing talks to a gateway once the flows are stopped');
  });
});
