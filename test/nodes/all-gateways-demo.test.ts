import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EmsSimulator, demo as emsDemo } from '../simulators/ems';
import { HeatingSimulator, demo as heatingDemo } from '../simulators/heatingcontrol';
import { PlugwiseSimulator, demo as plugwiseDemo } from '../simulators/plugwise';
import { demo as plugwiseP1Demo } from '../simulators/plugwise-p1';
import { ThinknxSimulator, demo as thinknxDemo } from '../simulators/thinknx';
import { Collector, helper, loadNodeSet, type NodeSet } from './harness';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const FILE = 'all-gateways-demo.json';
const nodeRedDir = dirname(require.resolve(process.env.NODE_RED_PATH ?? 'node-red'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functionNode = require(require.resolve('@node-red/nodes/core/function/10-function.js', { paths: [nodeRedDir] })) as NodeSet;
const NODE_SETS = [...['plugwise', 'heatingcontrol', 'thinknx', 'ems'].map(loadNodeSet), functionNode];
const CONFIG_TYPES = ['plugwise-gateway', 'heating-account', 'thinknx-server', 'ems-server'];

interface FlowNode {
  id: string;
  type: string;
  wires?: string[][];
  [k: string]: unknown;
}

const read = (file: string): FlowNode[] => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as FlowNode[];

describe('the combined demo flow (examples/all-gateways-demo.json, against the four simulators)', function () {
  this.timeout(30_000);
  let plugwise: PlugwiseSimulator;
  let heating: HeatingSimulator;
  let thinknx: ThinknxSimulator;
  let ems: EmsSimulator;

  before(async () => {
    plugwise = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: plugwiseDemo.credentials.password });
    heating = new HeatingSimulator({ ...heatingDemo.credentials, deviceCount: 4 });
    thinknx = new ThinknxSimulator({ username: thinknxDemo.credentials.username, password: thinknxDemo.credentials.password, fbDelayMs: 20 });
    ems = new EmsSimulator({ ...emsDemo.credentials });
    await Promise.all([plugwise.start(), heating.start(), thinknx.start(), ems.start()]);
    await helper.startServer();
  });

  after(async () => {
    await helper.unload();
    await helper.stopServer();
    await Promise.all([plugwise.stop(), heating.stop(), thinknx.stop(), ems.stop()]);
  });

  it('uses the vendor examples\' demo config nodes exactly, so the demo deploys each once', () => {
    const demo = read(FILE).filter((n) => CONFIG_TYPES.includes(n.type));
    assert.deepEqual(demo.map((n) => n.id).sort(), ['ems-demo-server', 'heatingcontrol-demo-account', 'plugwise-demo-gateway', 'thinknx-demo-server']);
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && f !== FILE)) {
      for (const n of read(file).filter((x) => CONFIG_TYPES.includes(x.type))) {
        // The demo Smile P1 (plugwise-history examples) is a hub of its own, on the port its simulator takes.
        if (n.id === plugwiseP1Demo.configId) {
          assert.deepEqual([n.host, n.port], ['127.0.0.1', '18085'], `${file}: the demo P1`);
          continue;
        }
        assert.deepEqual(n, demo.find((d) => d.id === n.id), `${file}: ${n.id} differs from the combined demo's copy`);
      }
    }
  });

  it('Plugwise temperatures, a heater command, a Thinknx light and blind and EMS history all come out', async () => {
    // The flow as shipped, pointed at this test's simulators; debug nodes become helpers; the injects
    // that fire once at start are pressed by the test.
    const address: Record<string, Record<string, unknown>> = {
      'plugwise-gateway': { port: String(plugwise.port) },
      'heating-account': { baseUrl: heating.url },
      'thinknx-server': { port: thinknx.port },
      'ems-server': { baseUrl: ems.url },
    };
    const shipped = read(FILE);
    const flow: FlowNode[] = [{ id: 'tab', type: 'tab' }];
    for (const n of shipped) {
      if (n.type === 'inject' || n.type === 'comment') continue;
      if (CONFIG_TYPES.includes(n.type)) flow.push({ ...n, ...address[n.type] });
      else if (n.type === 'debug') flow.push({ id: n.id, type: 'helper', z: 'tab' });
      else flow.push({ ...n, z: 'tab' });
    }
    const credentials = {
      'plugwise-demo-gateway': plugwiseDemo.credentials,
      'heatingcontrol-demo-account': heatingDemo.credentials,
      'thinknx-demo-server': thinknxDemo.credentials,
      'ems-demo-server': emsDemo.credentials,
    };
    await helper.load(NODE_SETS, flow, credentials);
    const debug = (name: string): Collector => new Collector(shipped.find((n) => n.type === 'debug' && n.name === name)!.id);
    const temperatures = debug('temperatures');
    const command = debug('command result');
    const state = debug('heater state');
    const lightAndBlind = debug('light and blind');
    const chart = debug('chart series');
    const onceInjects = shipped.filter((n) => n.type === 'inject' && n.once === true);
    assert.equal(onceInjects.length, 4, 'heater, light, blind and EMS start by themselves');
    for (const inject of onceInjects) {
      const payload = inject.payloadType === 'bool' ? inject.payload === 'true' : inject.payloadType === 'num' ? Number(inject.payload) : Date.now();
      for (const target of inject.wires?.[0] ?? []) (helper.getNode(target) as unknown as { receive(m: object): void }).receive({ payload });
    }

    // Plugwise: the gateway's own poll, no inject: the measured temperatures by name.
    const [t] = await temperatures.waitFor(1);
    const temps = JSON.parse(JSON.stringify(t?.payload)) as Record<string, number>;
    assert.equal(typeof temps['Living room'], 'number', JSON.stringify(temps));
    assert.ok(Object.values(temps).every((v) => typeof v === 'number' && v > 5 && v < 35));

    // HeatingControl: manual 21 °C accepted, then the state read back says so.
    const [c] = await command.waitFor(1);
    assert.deepEqual({ ...(c?.payload as object), appliedTime: 0 }, { command: 'setMode', state: 'APPLIED', success: true, appliedTime: 0 });
    const [s] = await state.waitFor(1);
    assert.equal((s?.payload as { mode?: string }).mode, 'manual');
    assert.equal((s?.payload as { targetTemperature?: number }).targetTemperature, 21);
    assert.deepEqual(heating.executed.map((e) => [e.command, e.params]), [['setMode', { mode: 'manual', temperature: 21 }]]);

    // Thinknx: both with feedback, so what comes out is what the devices report.
    const msgs = await lightAndBlind.waitFor(2);
    const byTopic = Object.fromEntries(msgs.map((m) => [m.topic, [m.payload, m.confirmed]]));
    assert.deepEqual(byTopic, { 'thinknx/power/kitchen-light': [true, true], 'thinknx/heightlevel/living-blind': [40, true] });

    // EMS: 24 h of signal 100 at one record a minute, as a chart series.
    const [series] = await chart.waitFor(1);
    const payload = JSON.parse(JSON.stringify(series?.payload)) as { series: string[]; data: { x: number; y: number }[][] }[];
    assert.deepEqual(payload[0]?.series, ['signal 100']);
    const points = payload[0]?.data[0] ?? [];
    assert.ok(points.length === 1440 || points.length === 1441, `${points.length} points`);
  });
});
