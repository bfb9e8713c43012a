import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEATINGCONTROL_DEMO_CREDENTIALS, HeatingSimulator } from '../simulators/heatingcontrol';
import { Collector, delay, helper, loadNodeSet, simulatorForEachTest } from './harness';

const heating = loadNodeSet('heatingcontrol');
const EXAMPLES = join(__dirname, '..', '..', 'examples');

interface FlowNode {
  id: string;
  type: string;
  wires?: string[][];
  [k: string]: unknown;
}

/** What an inject node of the example sends. */
function injectPayload(n: FlowNode): unknown {
  const p = String(n.payload ?? '');
  switch (n.payloadType) {
    case 'json':
      return JSON.parse(p);
    case 'num':
      return Number(p);
    case 'str':
      return p;
    default:
      return Date.now();
  }
}

describe('heatingcontrol examples (run against the demo simulator)', function () {
  const files = readdirSync(EXAMPLES).filter((f) => /^heatingcontrol-.*\.json$/.test(f)).sort();
  let sim: HeatingSimulator;

  simulatorForEachTest(() => new HeatingSimulator({ ...HEATINGCONTROL_DEMO_CREDENTIALS, deviceCount: 4 }), (s) => (sim = s));

  it('there are examples to read state, set manual 21 degC and list devices, sharing one demo account', () => {
    assert.deepEqual(files, ['heatingcontrol-list-devices.json', 'heatingcontrol-read-state.json', 'heatingcontrol-set-manual-21.json']);
    for (const f of files) {
      const nodes = JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as FlowNode[];
      const accounts = nodes.filter((n) => n.type === 'heating-account');
      assert.deepEqual(accounts.map((a) => [a.id, a.baseUrl]), [['heatingcontrol-demo-account', 'http://127.0.0.1:18082']], f);
      assert.ok(!JSON.stringify(nodes).includes(HEATINGCONTROL_DEMO_CREDENTIALS.clientSecret), `${f} holds no secret`);
    }
  });

  for (const file of files) {
    it(`${file}: every inject produces output and no error`, async () => {
      const nodes = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as FlowNode[];
      // On a tab as the demo deploys them: the example's heating nodes as they are, its other nodes
      // (inject, debug, change, its catch) as test helpers, and one Catch node for every error.
      const flow: FlowNode[] = [{ id: 'ex-tab', type: 'tab' }];
      for (const n of nodes) {
        if (n.type === 'comment') continue;
        if (n.type === 'heating-account') flow.push({ ...n, baseUrl: sim.url });
        else if (n.type === 'heating-command') flow.push({ ...n, z: 'ex-tab' });
        else flow.push({ id: n.id, type: 'helper', z: 'ex-tab', x: n.x, y: n.y, wires: [] });
      }
      flow.push({ id: 'ex-catch', type: 'catch', z: 'ex-tab', scope: null, uncaught: false, x: 0, y: 0, wires: [['ex-caught']] });
      flow.push({ id: 'ex-caught', type: 'helper', z: 'ex-tab', x: 0, y: 0, wires: [] });
      await helper.load(heating, flow, { 'heatingcontrol-demo-account': HEATINGCONTROL_DEMO_CREDENTIALS });
      const caught = new Collector('ex-caught');
      const commands = nodes.filter((n) => n.type === 'heating-command');
      const outs = new Map(commands.map((c) => [c.id, new Collector(String(c.wires?.[0]?.[0]))]));
      for (const inject of nodes.filter((n) => n.type === 'inject')) {
        for (const target of inject.wires?.[0] ?? []) (helper.getNode(target) as { receive(m: object): void }).receive({ payload: injectPayload(inject) });
      }
      for (const [id, out] of outs) {
        await out.waitFor(1).catch(() => assert.fail(`${file}: ${id} sent nothing; errors: ${JSON.stringify(caught.msgs.map((m) => m.error?.message))}`));
      }
      await delay(50);
      assert.deepEqual(caught.msgs.map((m) => m.error?.message), [], 'no errors');
      if (file.includes('manual-21')) {
        assert.deepEqual(sim.devices[0]!.state.mode, 'manual');
        assert.deepEqual(sim.devices[1]!.state.targetTemperature, 21, 'the Bedroom Heater got the node params');
      }
    });
  }
});
