/**
 * Plugwise fan-out: 20 plugwise-in nodes (polling) on one plugwise-gateway in a real Node-RED runtime,
 * against the Adam simulator: how many requests does one poll cost the hub?
 *   npx tsx bench/plugwise-fanout.ts
 */
import { header, main, report, requireBuilt } from './lib';
import { counter, sink, startRuntime } from './runtime';
import { simulatorProcess } from './sim';

const NODES = 20;
const POLLS = 10;
const POLL_SECONDS = 0.3;
const SMILE_ID = 'benchpw1';

main(async () => {
  requireBuilt('plugwise');
  header('plugwise-fanout', `${NODES} plugwise-in nodes on one gateway, poll every ${POLL_SECONDS} s, ${POLLS} polls, Adam simulator in its own process`, false);
  const sim = await simulatorProcess('plugwise', { fixture: 'adam_plus_anna_new', password: SMILE_ID });
  const flow: Record<string, unknown>[] = [
    { id: 'gw', type: 'plugwise-gateway', name: 'bench', host: '127.0.0.1', port: sim.port, pollInterval: String(POLL_SECONDS), timeout: '5' },
  ];
  for (let i = 0; i < NODES; i++) {
    flow.push({ id: `in${i}`, type: 'plugwise-in', gateway: 'gw', output: 'snapshot', entity: '', poll: true, wires: [[`out${i}`]] }, sink(`out${i}`));
  }
  const rt = await startRuntime(flow, { gw: { username: 'smile', password: SMILE_ID } });
  const outs = Array.from({ length: NODES }, (_, i) => counter(rt, `out${i}`));
  await Promise.all(outs.map((o) => o.until(POLLS, 60_000)));
  // Read the count right after the last poll was delivered (the next one starts an interval later).
  const requests = await sim.count('/core/domain_objects');
  const polls = Math.min(...outs.map((o) => o.count));
  const most = Math.max(...outs.map((o) => o.count));
  await rt.stop();
  await sim.stop();
  const perPoll = requests / polls;
  report({
    bench: 'plugwise-fanout',
    measure: `Plugwise fan-out (${NODES} plugwise-in nodes, one gateway)`,
    value: `${perPoll.toFixed(2)} request(s) per poll`,
    goal: '1',
    pass: perPoll === 1 && most === polls,
    detail: `${requests} GET /core/domain_objects for ${polls} polls; every node got ${polls === most ? 'every' : 'NOT every'} poll`,
  });
});
