/**
 * The plugwise-history examples as shipped (examples/plugwise-history-*.json), each against its demo hub
 * (the P1 one on the demo Smile P1, the zone one on the demo Adam): what their debug nodes show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PlugwiseSimulator, demo as adamDemo } from '../simulators/plugwise';
import { demo as p1Demo } from '../simulators/plugwise-p1';
import { Collector, helper, loadNodeSet, onTab, type NodeSet } from './harness';

const plugwise = loadNodeSet('plugwise');
const nodeRedDir = dirname(require.resolve(process.env.NODE_RED_PATH ?? 'node-red'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = (file: string): NodeSet => require(require.resolve(`@node-red/nodes/core/${file}`, { paths: [nodeRedDir] })) as NodeSet;

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

const HUBS: Record<string, { fixture: string; port: string }> = {
  'plugwise-demo-gateway': { fixture: 'adam_plus_anna_new', port: '18081' },
  'plugwise-demo-p1': { fixture: 'p1v4_442_single', port: '18085' },
};

describe('plugwise-history examples (against the demo hubs)', function () {
  this.timeout(20_000);
  let sim: PlugwiseSimulator | undefined;
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await sim?.stop();
  });

  /** Loads an example pointed at a simulator of its demo hub; returns the debug collectors by name and presses the inject. */
  async function run(file: string): Promise<Map<string, Collector>> {
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as FlowNode[];
    const gateway = shipped.find((n) => n.type === 'plugwise-gateway');
    const hub = HUBS[String(gateway?.id)];
    assert.ok(hub, `${file}: one of the demo gateways`);
    assert.deepEqual([gateway?.host, gateway?.port], ['127.0.0.1', hub.port], `${file}: the demo hub's address`);
    if (gateway?.id === p1Demo.configId) assert.equal(Number(hub.port), 18085);
    sim = new PlugwiseSimulator({ fixture: hub.fixture, password: adamDemo.credentials.password });
    await sim.start();
    await helper.startServer();
    const nodes = shipped
      .filter((n) => n.type !== 'comment')
      .map((n) => (n.type === 'plugwise-gateway' ? { ...n, port: String(sim?.port) } : n.type === 'debug' ? { id: n.id, type: 'helper', name: n.name, wires: [] } : n));
    await helper.load([plugwise, core('common/20-inject.js'), core('function/10-function.js'), core('common/25-catch.js')], onTab(nodes), { [String(gateway?.id)]: adamDemo.credentials });
    const debugs = new Map(shipped.filter((n) => n.type === 'debug').map((n) => [String(n.name), new Collector(n.id)]));
    const inject = shipped.find((n) => n.type === 'inject');
    (helper.getNode(inject?.wires?.[0]?.[0] ?? '') as unknown as { receive(m: object): void }).receive({ payload: Date.now() });
    return debugs;
  }

  it('plugwise-history-p1-energy.json: yesterday in kWh per hour, a line per tariff', async () => {
    const debugs = await run('plugwise-history-p1-energy.json');
    const [msg] = await debugs.get('chart series')!.waitFor(1);
    const [chart] = JSON.parse(JSON.stringify(msg?.payload)) as Array<{ series: string[]; data: Array<Array<{ x: number; y: number }>> }>;
    assert.deepEqual(chart?.series, ['off-peak', 'peak']);
    assert.deepEqual(chart?.data.map((d) => d.length), [24, 24], 'an hour each, all day');
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    assert.equal(chart?.data[0]?.[0]?.x, today.getTime() - 86_400_000, 'from yesterday midnight');
    assert.ok((msg?.total as number) > 5 && (msg?.total as number) < 20, `${String(msg?.total)} kWh yesterday`);
    assert.equal(debugs.get('why')!.msgs.length, 0);
  });

  it('plugwise-history-zone-week.json: 7 days of the living room, per day', async () => {
    const debugs = await run('plugwise-history-zone-week.json');
    const [msg] = await debugs.get('days')!.waitFor(1);
    const days = JSON.parse(JSON.stringify(msg?.payload)) as Array<{ day: string; meanTemperature: number; comfortHours: number }>;
    assert.ok(days.length === 7 || days.length === 8, `${days.length} days`);
    assert.ok(days.every((d) => d.meanTemperature > 15 && d.meanTemperature < 22), JSON.stringify(days));
    const full = days.slice(1, -1);
    assert.ok(full.every((d) => d.comfortHours === 15), `15 comfort hours (07:00-22:00) a full day: ${JSON.stringify(full)}`);
  });
});
