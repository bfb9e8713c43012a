import assert from 'node:assert/strict';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, delay, helper, loadNodeSet, onTab, statuses, simulatorForEachTest } from './harness';

const thinknx = loadNodeSet('thinknx');
const PASSWORD = 'digest-Pa55word';
const CREDS = { srv: { username: 'integration', password: PASSWORD } };

function serverNode(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'srv', type: 'thinknx-server', name: 'home', mode: 'local', host: '127.0.0.1', port, tls: false, auth: 'digest', timeout: '1', ...extra };
}

function control(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'thinknx-control', server: 'srv', capability: 'power', guid: '', feedback: false, group: '', dpt: '1', wires: [[`${id}-out`]], ...extra };
}

interface Case {
  capability: string;
  guid?: string;
  group?: string;
  dpt?: string;
  set?: unknown;
  /** The payload out of the set. */
  out?: unknown;
  /** What the simulated device must show after the set. */
  check?: (sim: ThinknxSimulator) => void;
  /** The payload out of a get (after the set). */
  got?: unknown;
}

const CASES: Case[] = [
  { capability: 'power', guid: 'kitchen-light', set: 'on', out: true, check: (s) => assert.equal(s.device('kitchen-light').state.power, 1), got: true },
  { capability: 'powerlevel', guid: 'living-dimmer', set: 65, out: 65, check: (s) => assert.equal(s.device('living-dimmer').state.level, 65), got: 65 },
  { capability: 'updown', guid: 'living-blind', set: 'down', out: 'down', check: (s) => assert.equal(s.device('living-blind').state.last, 'down') },
  { capability: 'stop', guid: 'living-blind', set: 'stop', out: 'stop', check: (s) => assert.equal(s.device('living-blind').state.last, 'stop') },
  { capability: 'heightlevel', guid: 'living-blind', set: 30, out: 30, check: (s) => assert.equal(s.device('living-blind').state.height, 30), got: 30 },
  { capability: 'blindstep', guid: 'living-blind', set: 'counterclockwise', out: 'counterclockwise', check: (s) => assert.equal(s.device('living-blind').state.last, 'counterclockwise') },
  { capability: 'blindangle', guid: 'living-blind', set: 40, out: 40, check: (s) => assert.equal(s.device('living-blind').state.angle, 40), got: 40 },
  { capability: 'value', guid: 'pool-level', set: '85.325', out: 85.325, check: (s) => assert.equal(s.device('pool-level').state.value, 85.325), got: 85.325 },
  { capability: 'temperature', guid: 'bath-thermostat', got: 20.5 },
  { capability: 'setpoint', guid: 'bath-thermostat', set: 21.5, out: 21.5, check: (s) => assert.equal(s.device('bath-thermostat').state.setpoint, 21.5), got: 21.5 },
  { capability: 'tempmode', guid: 'bath-thermostat', set: 'Economy', out: 'economy', check: (s) => assert.equal(s.device('bath-thermostat').state.tempmode, 2), got: 'economy' },
  { capability: 'chrono', guid: 'bath-thermostat', set: true, out: true, check: (s) => assert.equal(s.device('bath-thermostat').state.chrono, 1), got: true },
  { capability: 'hvacpower', guid: 'office-hvac', set: 1, out: true, check: (s) => assert.equal(s.device('office-hvac').state.hvacpower, 1), got: true },
  { capability: 'hvacsetpoint', guid: 'office-hvac', set: 23, out: 23, check: (s) => assert.equal(s.device('office-hvac').state.hvacsetpoint, 23), got: 23 },
  { capability: 'hvacmode', guid: 'office-hvac', set: 'heating', out: 'heating', check: (s) => assert.equal(s.device('office-hvac').state.hvacmode, 1), got: 'heating' },
  { capability: 'hvacfan', guid: 'office-hvac', set: 'high', out: 'high', check: (s) => assert.equal(s.device('office-hvac').state.hvacfan, 3), got: 'high' },
  { capability: 'scene', guid: 'scene-evening', set: 'launch', out: 'launch', check: (s) => assert.equal(s.device('scene-evening').state.last, 'launch') },
  { capability: 'trigger', guid: 'door-button', set: 'go', out: 'trigger', check: (s) => assert.equal(s.device('door-button').state.last, 'trigger') },
  {
    capability: 'knx', group: '1/0/7', dpt: '9', set: 21.5, out: { group: '1/0/7', value: 21.5, dpt: 9 },
    check: (s) => assert.deepEqual(s.telegrams.at(-1), { controller: 'system/sendKNXfloat2bytes', group: '1/0/7', value: 21.5 }),
  },
];

describe('thinknx-control (built node set, against the simulator)', function () {
  let sim: ThinknxSimulator;

  simulatorForEachTest(() => new ThinknxSimulator({ password: PASSWORD, fbDelayMs: 20 }), (s) => (sim = s));

  it('every capability: set, then get, as a user sees it', async () => {
    const flow: object[] = [serverNode(sim.port)];
    CASES.forEach((c, i) => flow.push(control(`n${i}`, { capability: c.capability, guid: c.guid ?? '', group: c.group ?? '', dpt: c.dpt ?? '1' }), { id: `n${i}-out`, type: 'helper' }));
    await helper.load(thinknx, onTab(flow), CREDS);
    for (const [i, c] of CASES.entries()) {
      const node = helper.getNode(`n${i}`) as { receive(m: object): void };
      const out = new Collector(`n${i}-out`);
      let expected = 0;
      if (c.set !== undefined) {
        node.receive({ payload: c.set, keep: 'me' });
        const [m] = await out.waitFor(++expected);
        assert.deepEqual(m?.payload, c.out, `${c.capability} set`);
        assert.equal(m?.confirmed, false);
        assert.equal(m?.keep, 'me', 'the input msg passes through');
        assert.equal(m?.topic, c.guid ? `thinknx/${c.capability}/${c.guid}` : `thinknx/knx/${c.group}`);
        c.check?.(sim);
      }
      if (c.got !== undefined) {
        node.receive({ payload: c.capability === 'temperature' ? Date.now() : 'get' });
        const msgs = await out.waitFor(++expected);
        assert.deepEqual(msgs.at(-1)?.payload, c.got, `${c.capability} get`);
        assert.equal((msgs.at(-1)?.thinknx as Record<string, unknown>).guid, c.guid);
        assert.equal(typeof (msgs.at(-1)?.thinknx as Record<string, unknown>).commObj, 'number');
      }
    }
    assert.equal(sim.digest.verdicts.wrong, 0);
    assert.equal(sim.count('heightlevel'), 1);
    assert.match(sim.server.requests.find((r) => r.path.includes('/heightlevel?'))!.path, /[?&]val=30&/, 'heightlevel sends val');
  });

  it('the green status says what happened, in words', async () => {
    const steps: [Record<string, unknown>, unknown, string][] = [
      [{ capability: 'power', guid: 'kitchen-light' }, true, 'switched on'],
      [{ capability: 'power', guid: 'kitchen-light' }, 'get', 'on'],
      [{ capability: 'powerlevel', guid: 'living-dimmer' }, 40, 'dimmed to 40 %'],
      [{ capability: 'updown', guid: 'living-blind' }, 'down', 'moving down'],
      [{ capability: 'updown', guid: 'living-blind' }, false, 'moving up'],
      [{ capability: 'stop', guid: 'living-blind' }, 'stop', 'stopped'],
      [{ capability: 'heightlevel', guid: 'living-blind' }, 30, 'moving to 30 %'],
      [{ capability: 'blindstep', guid: 'living-blind' }, 'counterclockwise', 'slats stepped counter-clockwise'],
      [{ capability: 'setpoint', guid: 'bath-thermostat' }, 21.5, 'setpoint set to 21.5 °C'],
      [{ capability: 'setpoint', guid: 'bath-thermostat' }, 'get', 'setpoint 21.5 °C'],
      [{ capability: 'temperature', guid: 'bath-thermostat' }, 'get', '20.5 °C'],
      [{ capability: 'tempmode', guid: 'bath-thermostat' }, 'economy', 'mode set to economy'],
      [{ capability: 'hvacfan', guid: 'office-hvac' }, 'high', 'fan set to high'],
      [{ capability: 'scene', guid: 'scene-evening' }, 'launch', 'scene launched'],
      [{ capability: 'scene', guid: 'scene-evening' }, 0, 'scene stopped'],
      [{ capability: 'trigger', guid: 'door-button' }, 'go', 'triggered'],
      [{ capability: 'knx', group: '1/0/1', dpt: '1' }, false, '1/0/1 ← off'],
      [{ capability: 'knx', group: '1/0/1', dpt: '1' }, true, '1/0/1 ← on'],
      [{ capability: 'knx', group: '1/0/7', dpt: '9' }, 21.5, '1/0/7 ← 21.5'],
    ];
    await helper.load(thinknx, onTab([serverNode(sim.port), control('c'), { id: 'c-out', type: 'helper' }]), CREDS);
    const seen = statuses('c');
    const out = new Collector('c-out');
    const node = helper.getNode('c') as { receive(m: object): void };
    for (const [i, [overrides, payload, text]] of steps.entries()) {
      node.receive({ ...overrides, payload });
      await out.waitFor(i + 1);
      const green = seen.filter((s) => s.fill === 'green').at(-1);
      assert.equal(String(green?.text).replace(/ · \d\d:\d\d:\d\d$/, ''), text, `${String(overrides.capability)} ${JSON.stringify(payload)}`);
    }
    // With feedback the status says the device confirmed it.
    node.receive({ capability: 'hvacsetpoint', guid: 'office-hvac', feedback: true, payload: 23 });
    await out.waitFor(steps.length + 1);
    assert.match(String(seen.at(-1)?.text), /^setpoint set to 23 °C \(confirmed\) · /);
  });

  it('serverStatus: uptimes in seconds, configTime in ms, pbxUsers an array', async () => {
    await helper.load(thinknx, onTab([serverNode(sim.port), control('s', { capability: 'serverStatus' }), { id: 's-out', type: 'helper' }]), CREDS);
    const out = new Collector('s-out');
    (helper.getNode('s') as { receive(m: object): void }).receive({ payload: 'anything' });
    const [m] = await out.waitFor(1);
    assert.deepEqual(m?.payload, {
      version: '6.2.1.4', processUptime: 2 * 86400 + 3 * 3600 + 15 * 60, serverUptime: 41 * 86400 + 7 * 60,
      configTime: new Date(2024, 4, 12, 14, 3, 27).getTime(), connectedClients: 3, pbxUsers: ['101', '102'],
    });
    assert.equal(m?.topic, 'thinknx/serverStatus');
  });

  it('feedback: the status the device reports, confirmed; msg overrides win over the node', async () => {
    const flow = [serverNode(sim.port), control('c', { capability: 'hvacsetpoint', guid: 'office-hvac', feedback: true }), { id: 'c-out', type: 'helper' }];
    await helper.load(thinknx, onTab(flow), CREDS);
    const out = new Collector('c-out');
    const node = helper.getNode('c') as { receive(m: object): void };
    node.receive({ payload: 23.6 });
    await out.waitFor(1);
    assert.deepEqual([out.msgs[0]?.payload, out.msgs[0]?.confirmed], [24, true], 'the unit rounds to whole degrees');
    assert.match(sim.server.requests.at(-1)!.path, /&fb&/);
    node.receive({ payload: 'COMFORT', capability: 'tempmode', guid: 'bath-thermostat', feedback: false });
    await out.waitFor(2);
    assert.deepEqual([out.msgs[1]?.payload, out.msgs[1]?.confirmed, out.msgs[1]?.topic], ['comfort', false, 'thinknx/tempmode/bath-thermostat']);
    node.receive({ payload: 0, capability: 'knx', group: '2/1/3', dpt: 1 });
    await out.waitFor(3);
    assert.deepEqual(out.msgs[2]?.payload, { group: '2/1/3', value: false, dpt: 1 });
    assert.deepEqual(sim.telegrams.at(-1), { controller: 'system/sendKNXbit', group: '2/1/3', value: 0 });
  });

  it('statuses: yellow while authenticating, then green with a summary; red with the code on failure', async () => {
    const flow = [
      serverNode(sim.port),
      control('c', { capability: 'setpoint', guid: 'bath-thermostat' }),
      { id: 'c-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(thinknx, onTab(flow), CREDS);
    const seen = statuses('c');
    const out = new Collector('c-out');
    const caught = new Collector('caught');
    const node = helper.getNode('c') as { receive(m: object): void };
    node.receive({ payload: 21 });
    await out.waitFor(1);
    assert.deepEqual(seen[0], { fill: 'yellow', shape: 'ring', text: 'authenticating' });
    assert.equal(seen[1]?.fill, 'green');
    assert.match(String(seen[1]?.text), /^setpoint set to 21 °C · \d\d:\d\d:\d\d$/);
    node.receive({ payload: 'get', guid: 'ghost' });
    const [err] = await caught.waitFor(1);
    assert.equal(err?.error?.code, 'NOT_FOUND');
    assert.match(String(err?.error?.message), /GUID "ghost"/);
    assert.equal(err?.payload, 'get', 'the failed msg reaches the Catch node');
    assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'NOT_FOUND: unknown device GUID' });
    await delay(50);
    assert.equal(caught.msgs.length, 1, 'one error per failed input');
    assert.equal(out.msgs.length, 1, 'nothing on the output');
  });

  it('a timed-out set is reported once and not replayed; the node recovers', async () => {
    const flow = [
      serverNode(sim.port, { timeout: '0.2' }),
      control('c', { capability: 'power', guid: 'kitchen-light' }),
      { id: 'c-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(thinknx, onTab(flow), CREDS);
    const out = new Collector('c-out');
    const caught = new Collector('caught');
    const node = helper.getNode('c') as { receive(m: object): void };
    node.receive({ payload: 'get' });
    await out.waitFor(1);
    const before = sim.count('power');
    sim.server.setFault({ hang: true, times: 1 });
    node.receive({ payload: true });
    const [err] = await caught.waitFor(1, 5000);
    assert.equal(err?.error?.code, 'TIMEOUT');
    await delay(300);
    assert.equal(sim.count('power') - before, 1, 'sent once');
    node.receive({ payload: true });
    await out.waitFor(2);
    assert.equal(out.msgs[1]?.payload, true);
    assert.equal(caught.msgs.length, 1);
  });

  it('a node without a server node fails with BAD_INPUT and sends nothing', async () => {
    const flow = [
      control('orphan', { server: '', capability: 'power', guid: 'kitchen-light' }),
      { id: 'orphan-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(thinknx, onTab(flow), {});
    const caught = new Collector('caught');
    (helper.getNode('orphan') as { receive(m: object): void }).receive({ payload: true });
    const [m] = await caught.waitFor(1);
    assert.equal(m?.error?.code, 'BAD_INPUT');
    assert.equal(sim.count(), 0);
    assert.equal(new Collector('orphan-out').msgs.length, 0);
  });
});
