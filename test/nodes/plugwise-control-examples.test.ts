/**
 * The plugwise-control examples as shipped (examples/plugwise-control-*.json), pointed at a simulated
 * Adam: each inject gives the value read back, or the refusal the example demonstrates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { Collector, helper, loadNodeSet, onTab, type NodeSet } from './harness';

const plugwise = loadNodeSet('plugwise');
const SMILE_ID = 'demo5678';
// The examples use core inject and change nodes: load them from the Node-RED under test.
const nodeRedDir = dirname(require.resolve(process.env.NODE_RED_PATH ?? 'node-red'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = (file: string): NodeSet => require(require.resolve(`@node-red/nodes/core/${file}`, { paths: [nodeRedDir] })) as NodeSet;

describe('plugwise-control examples (against the demo Adam)', function () {
  const EXPECT: Record<string, Array<[inject: string, out: string, expected: unknown]>> = {
    'plugwise-control-setpoint.json': [['pw-ctl-sp-215', 'pw-ctl-sp-debug', 21.5], ['pw-ctl-sp-20', 'pw-ctl-sp-debug', 20], ['pw-ctl-sp-40', 'pw-ctl-sp-error', /between 1 and 35/]],
    'plugwise-control-plug.json': [['pw-ctl-plug-off', 'pw-ctl-plug-debug', false], ['pw-ctl-plug-on', 'pw-ctl-plug-debug', true], ['pw-ctl-locked-off', 'pw-ctl-plug-error', /locked/]],
    'plugwise-control-preset.json': [['pw-ctl-preset-away', 'pw-ctl-preset-debug', 'away'], ['pw-ctl-preset-home', 'pw-ctl-preset-debug', 'home']],
  };
  let sim: PlugwiseSimulator | undefined;
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await sim?.stop();
  });

  for (const [file, steps] of Object.entries(EXPECT)) {
    it(file, async () => {
      sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
      await sim.start();
      await helper.startServer();
      const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Array<Record<string, unknown>>;
      const gateway = shipped.find((n) => n.type === 'plugwise-gateway');
      assert.deepEqual([gateway?.id, gateway?.host, gateway?.port], ['plugwise-demo-gateway', '127.0.0.1', '18081'], 'the demo gateway');
      const nodes = shipped
        .filter((n) => n.type !== 'comment')
        .map((n) => (n.type === 'plugwise-gateway' ? { ...n, port: String(sim?.port) } : n.type === 'debug' ? { id: n.id, type: 'helper', wires: [] } : n));
      const sets = [plugwise, core('common/20-inject.js'), core('function/15-change.js')];
      await helper.load(sets, onTab(nodes), { 'plugwise-demo-gateway': { username: 'smile', password: SMILE_ID } });
      (helper.getNode('plugwise-demo-gateway') as unknown as { writeSettleMs: number }).writeSettleMs = 10;
      const outs = new Map(steps.map(([, out]) => [out, new Collector(out)]));
      for (const [inject, out, expected] of steps) {
        const c = outs.get(out) as Collector;
        const before = c.msgs.length;
        (helper.getNode(inject) as unknown as { receive(m: object): void }).receive({});
        await c.waitFor(before + 1);
        const msg = c.msgs[before];
        if (expected instanceof RegExp) assert.match(String(msg?.error?.message), expected, `${inject}`);
        else assert.deepEqual(msg?.payload, expected, `${inject}`);
      }
    });
  }
});
