import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EmsSimulator, EMS_DEMO_CREDENTIALS } from '../simulators/ems';
import { Collector, helper, loadNodeSet, simulatorForEachTest, type NodeSet } from './harness';

const ems = loadNodeSet('ems');
// The example flows use core function and change nodes: load them from the Node-RED under test.
const nodeRedDir = dirname(require.resolve(process.env.NODE_RED_PATH ?? 'node-red'));
const core = (file: string): NodeSet => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(`@node-red/nodes/core/function/${file}`, { paths: [nodeRedDir] })) as NodeSet;
};
const NODE_SETS = [ems, core('10-function.js'), core('15-change.js')];

interface FlowNode {
  id: string;
  type: string;
  wires?: string[][];
  [k: string]: unknown;
}

/** An example as shipped, pointed at this test's simulator, its debug nodes turned into helpers, no injects. */
function example(file: string, port: number): FlowNode[] {
  const nodes = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as FlowNode[];
  const server = nodes.find((n) => n.type === 'ems-server');
  assert.equal(server?.id, 'ems-demo-server');
  assert.equal(server?.baseUrl, 'http://127.0.0.1:18084', 'the demo simulator');
  const out: FlowNode[] = [{ id: 'tab', type: 'tab' }];
  for (const n of nodes) {
    if (n.type === 'inject' || n.type === 'comment') continue;
    if (n.type === 'ems-server') out.push({ ...n, baseUrl: `http://127.0.0.1:${port}` });
    else if (n.type === 'debug') out.push({ id: n.id, type: 'helper', z: 'tab' });
    else out.push({ ...n, z: 'tab' });
  }
  return out;
}

/** The node the example's inject triggers. */
function firstNode(file: string): string {
  const nodes = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as FlowNode[];
  return nodes.find((n) => n.type === 'inject')?.wires?.[0]?.[0] ?? '';
}

describe('ems examples (as shipped, against the simulator)', function () {
  let sim: EmsSimulator;
  const creds = { 'ems-demo-server': { ...EMS_DEMO_CREDENTIALS } };

  simulatorForEachTest(() => new EmsSimulator({ ...EMS_DEMO_CREDENTIALS }), (s) => (sim = s));

  async function run(file: string, debugId: string): Promise<unknown> {
    await helper.load(NODE_SETS, example(file, sim.port), creds);
    const out = new Collector(debugId);
    (helper.getNode(firstNode(file)) as { receive(m: object): void }).receive({ payload: Date.now() });
    const [msg] = await out.waitFor(1);
    // Built by a function node in its own vm context: compared as plain JSON.
    return JSON.parse(JSON.stringify(msg?.payload)) as unknown;
  }

  it('last 24 h of a signal -> a chart series of 1440 points in time order', async () => {
    const payload = (await run('ems-history-chart.json', 'ems-ex-chart-debug')) as { series: string[]; data: { x: number; y: number }[][] }[];
    assert.deepEqual(payload[0]?.series, ['signal 100']);
    const data = payload[0]?.data[0] ?? [];
    assert.ok(data.length === 1440 || data.length === 1441, `${data.length} points in 24 h at one a minute`);
    assert.ok(data.every((p, i) => typeof p.y === 'number' && (i === 0 || p.x - (data[i - 1]?.x ?? 0) === 60_000)));
    assert.ok(Date.now() - (data.at(-1)?.x ?? 0) < 120_000, 'ends now');
  });

  it('realtime -> {uid: value}', async () => {
    const values = (await run('ems-realtime.json', 'ems-ex-rt-debug-map')) as Record<string, number>;
    assert.deepEqual(Object.keys(values), ['100', '101', '102', '103', '104', '105', '106']);
    assert.ok(Object.values(values).every((v) => typeof v === 'number'));
  });

  it('device tree: devices -> loads -> signals', async () => {
    const tree = (await run('ems-device-tree.json', 'ems-ex-tree-debug')) as { uid: number; loads: { uid: number; signals: { uid: number }[] }[] }[];
    assert.deepEqual(
      tree.map((d) => [d.uid, d.loads.map((l) => [l.uid, l.signals.map((s) => s.uid)])]),
      [
        [1, [[2, [100, 101, 102]], [3, [103, 104]]]],
        [59, [[60, [105, 106]]]],
      ],
    );
  });
});
