/**
 * `npm run soak`: minutes of all nine node types against the four simulators with random faults
 * switched on and off, printing requests, errors and recoveries. Not part of CI (it runs for minutes).
 *   SOAK_MINUTES=5 SOAK_SEED=7 npm run soak
 * Ends with a non-zero exit code if a node crashed, a msg got neither an output nor an error, a
 * command was replayed, or a node failed to recover once its gateway was healthy again.
 */
import { helper, loadNodeSet } from '../test/nodes/harness';
import type { Fault } from '../test/simulators/base';
import { CREDENTIALS, NODE_SETS, TRIGGERS, allNodesFlow, startAllSims } from '../test/reliability/all-nodes';

type TestNode = { on(e: string, fn: (msg: never) => void): void; receive(msg: object): void };

const minutes = Number(process.env.SOAK_MINUTES ?? 3);
let seed = Number(process.env.SOAK_SEED ?? 1);
const random = (): number => {
  // mulberry32: repeatable runs for a given seed
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const FAULTS: Fault[] = [
  { status: 500 },
  { status: 502 },
  { status: 503, headers: { 'retry-after': '1' } },
  { status: 504 },
  { status: 429, headers: { 'retry-after': '1' } },
  { status: 429 },
  { hang: true },
  { stallBody: true },
  { drop: true },
  { body: 'malformed' },
  { body: 'truncated' },
  { body: 'html' },
  { body: 'empty' },
  { delayMs: 400 },
];

async function main(): Promise<void> {
  let unhandled = 0;
  process.on('unhandledRejection', () => unhandled++);
  process.on('uncaughtException', () => unhandled++);
  const sims = await startAllSims();
  const handles = { plugwise: sims.plugwise, heatingcontrol: sims.heating, thinknx: sims.thinknx, ems: sims.ems };
  const vendors = Object.keys(handles) as (keyof typeof handles)[];
  await helper.startServer();
  // Every config node times out after 1 s, so a hung gateway fails its msgs within the soak's phases.
  const CONFIG_TYPES = ['plugwise-gateway', 'heating-account', 'thinknx-server', 'ems-server'];
  const flow = allNodesFlow(sims, '1').map((n) => (CONFIG_TYPES.includes(String(n.type)) ? { ...n, timeout: n.type === 'thinknx-server' ? 1 : '1' } : n));
  flow.push({ id: 'soak-catch', type: 'catch', z: 'rel-tab', scope: null, uncaught: false, wires: [['soak-caught']] }, { id: 'soak-caught', type: 'helper', z: 'rel-tab' });
  await helper.load(NODE_SETS.map(loadNodeSet), flow, CREDENTIALS);

  const sent: Record<string, number> = {};
  const outputs: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const codes: Record<string, number> = {};
  for (const id of Object.keys(TRIGGERS)) {
    sent[id] = outputs[id] = errors[id] = 0;
    (helper.getNode(`${id}-out`) as TestNode).on('input', () => outputs[id]!++);
  }
  (helper.getNode('soak-caught') as TestNode).on('input', (msg: never) => {
    const m = msg as { error?: { code?: string; source?: { id?: string } } };
    const id = m.error?.source?.id ?? '?';
    if (id in errors) errors[id]!++;
    codes[m.error?.code ?? '?'] = (codes[m.error?.code ?? '?'] ?? 0) + 1;
  });

  const end = Date.now() + minutes * 60_000;
  let faultsTried = 0;
  let recoveries = 0;
  let failedRecoveries = 0;
  console.log(`soak: ${minutes} min, seed ${process.env.SOAK_SEED ?? 1}`);
  while (Date.now() < end) {
    // A fault on one gateway for a few seconds, inputs to every node meanwhile, then a healthy phase.
    const vendor = vendors[Math.floor(random() * vendors.length)]!;
    const target = handles[vendor];
    const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
    target.setFault(fault);
    faultsTried++;
    for (let i = 0; i < 3; i++) {
      for (const [id, msg] of Object.entries(TRIGGERS)) {
        sent[id]!++;
        (helper.getNode(id) as TestNode).receive({ ...msg });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    target.setFault(undefined);
    await new Promise((r) => setTimeout(r, 4000)); // let in-flight retries and waits finish
    const before = { ...outputs };
    for (const [id, msg] of Object.entries(TRIGGERS)) {
      sent[id]!++;
      (helper.getNode(id) as TestNode).receive({ ...msg });
    }
    await new Promise((r) => setTimeout(r, 4000));
    const recovered = Object.keys(TRIGGERS).every((id) => outputs[id]! > before[id]!);
    if (recovered) recoveries++;
    else failedRecoveries++;
    const total = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
    console.log(
      `fault ${faultsTried} ${vendor} ${JSON.stringify(fault)}: requests ${sims.requests()}, inputs ${total(sent)}, outputs ${total(outputs)}, errors ${total(errors)}, recovered ${recovered ? 'yes' : 'NO'}`,
    );
  }
  // Every msg ends in an output or an error: wait for the last ones (reads retry after a timeout).
  const unsettled = (): string[] => Object.keys(sent).filter((id) => outputs[id]! + errors[id]! < sent[id]!);
  const settleBy = Date.now() + 30_000;
  while (unsettled().length && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 250));
  const lost = unsettled();
  console.log('\nsoak summary');
  console.log(`  faults tried ${faultsTried}, recoveries ${recoveries}, failed recoveries ${failedRecoveries}, unhandled ${unhandled}`);
  for (const id of Object.keys(sent)) console.log(`  ${id}: inputs ${sent[id]}, outputs ${outputs[id]}, errors ${errors[id]}`);
  console.log(`  error codes ${JSON.stringify(codes)}; requests ${sims.requests()}`);
  await helper.unload();
  await helper.stopServer();
  await sims.stop();
  const ok = failedRecoveries === 0 && unhandled === 0 && lost.length === 0;
  console.log(ok ? 'soak: PASS' : `soak: FAIL${lost.length ? ` (msgs without output or error: ${lost.join(', ')})` : ''}`);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
