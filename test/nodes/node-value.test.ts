/**
 * A value held by the node (issue 15, item 7): plugwise-control and thinknx-control send their own
 * value (a literal, or read from msg/flow/global/env) when a msg has no payload; msg.payload wins
 * whenever it is present; a stored value or type the node cannot read is BAD_INPUT and nothing is sent.
 */
import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, delay, helper, loadNodeSet, onTab, until, type Msg } from './harness';

const thinknx = loadNodeSet('thinknx');
const plugwise = loadNodeSet('plugwise');
const PASSWORD = 'value-Pa55word';
const SMILE_ID = 'val12345';
const ZONE = 'f2bf9048bef64cc5b6d5110154e33c81';

interface Rig {
  node: { receive(m: object): void; context(): { flow: { set(k: string, v: unknown): void }; global: { set(k: string, v: unknown): void } } };
  out: Collector;
  caught: Collector;
}

const catcher = [
  { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

async function send(rig: Rig, msg: object): Promise<{ out?: Msg; err?: Msg }> {
  const [o, c] = [rig.out.msgs.length, rig.caught.msgs.length];
  rig.node.receive(msg);
  await until(() => rig.out.msgs.length > o || rig.caught.msgs.length > c, 10_000, 'an output or an error');
  return { out: rig.out.msgs[o], err: rig.caught.msgs[c] };
}

describe('a value in the node: thinknx-control', function () {
  let sim: ThinknxSimulator;

  beforeEach(async () => {
    sim = new ThinknxSimulator({ password: PASSWORD });
    await sim.start();
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await sim.stop();
    delete process.env.EG_TEST_DIMMER;
  });

  async function load(value: unknown, valueType: unknown, capability = 'powerlevel', guid = 'living-dimmer'): Promise<Rig> {
    const server = { id: 'srv', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'digest', timeout: '2' };
    const control = { id: 'c', type: 'thinknx-control', server: 'srv', capability, guid, feedback: false, group: '', dpt: '1', value, valueType, wires: [['out']] };
    await helper.load(thinknx, onTab([server, control, { id: 'out', type: 'helper' }, ...catcher]), { srv: { username: 'integration', password: PASSWORD } });
    return { node: helper.getNode('c') as unknown as Rig['node'], out: new Collector('out'), caught: new Collector('caught') };
  }

  const level = (): unknown => sim.device('living-dimmer').state.level;

  it('the node\'s number alone: a msg without payload sets it', async () => {
    const rig = await load('40', 'num');
    const r = await send(rig, { topic: 'button' });
    assert.equal(r.err, undefined, String(r.err?.error?.message));
    assert.equal(r.out?.payload, 40);
    assert.equal(level(), 40);
  });

  it('msg.payload wins when present, even over a node value', async () => {
    const rig = await load('40', 'num');
    const r = await send(rig, { payload: 70 });
    assert.equal(r.out?.payload, 70);
    assert.equal(level(), 70);
    // "get" is a payload too: it reads, whatever the node holds.
    const g = await send(rig, { payload: 'get' });
    assert.equal(g.out?.payload, 70);
    assert.ok(!sim.server.requests.some((q) => /[?&]cmd=40(&|$)/.test(q.path)), "the node's 40 was never sent");
  });

  it('a boolean and a string value (power on; a mode by name)', async () => {
    let rig = await load('true', 'bool', 'power', 'kitchen-light');
    assert.equal((await send(rig, {})).out?.payload, true);
    assert.equal(sim.device('kitchen-light').state.power, 1);
    await helper.unload();
    rig = await load('Comfort', 'str', 'tempmode', 'bath-thermostat');
    assert.equal((await send(rig, {})).out?.payload, 'comfort');
  });

  it('read from msg, flow, global and env at each msg', async () => {
    let rig = await load('level', 'msg');
    assert.equal((await send(rig, { level: 15 })).out?.payload, 15);
    await helper.unload();

    rig = await load('dimmer.level', 'flow');
    rig.node.context().flow.set('dimmer', { level: 25 });
    assert.equal((await send(rig, {})).out?.payload, 25);
    rig.node.context().flow.set('dimmer', { level: 35 });
    assert.equal((await send(rig, {})).out?.payload, 35, 'read again at each msg');
    await helper.unload();

    rig = await load('dimmer', 'global');
    rig.node.context().global.set('dimmer', 45);
    assert.equal((await send(rig, {})).out?.payload, 45);
    await helper.unload();

    process.env.EG_TEST_DIMMER = '55';
    rig = await load('EG_TEST_DIMMER', 'env');
    assert.equal((await send(rig, {})).out?.payload, 55);
    assert.equal(level(), 55);
  });

  it('a source that holds nothing, or a value the capability refuses, is BAD_INPUT and nothing is sent', async () => {
    let rig = await load('level', 'msg');
    let r = await send(rig, {});
    assert.equal(r.err?.error?.code, 'BAD_INPUT');
    assert.match(String(r.err?.error?.message), /msg\.level, which is not set/);
    await helper.unload();
    rig = await load('150', 'num');
    r = await send(rig, {});
    assert.equal(r.err?.error?.code, 'BAD_INPUT');
    assert.equal(sim.server.requests.filter((q) => q.path.includes('/powerlevel?')).length, 0);
  });

  for (const [what, value, valueType, phrase] of [
    ['an unknown type', '40', 'frobnicate', /valueType is "frobnicate", not one of str, num/],
    ['a number that is none', '4O', 'num', /value is not usable: "4O" is not a number/],
    ['JSON that does not parse', '{"level": ', 'json', /value is not usable: .* is not JSON/],
    ['a msg property Node-RED cannot read', 'a[', 'msg', /not a msg property name/],
  ] as const) {
    it(`a stored value with ${what}: red at deploy, BAD_INPUT for every msg, even one with a payload; nothing sent`, async () => {
      const rig = await load(value, valueType);
      const r = await send(rig, { payload: 20 });
      assert.equal(r.err?.error?.code, 'BAD_INPUT');
      assert.match(String(r.err?.error?.message), phrase);
      await delay(30);
      assert.equal(sim.server.requests.length, 0, 'nothing was sent');
    });
  }
});

describe('a value in the node: plugwise-control', function () {
  let sim: PlugwiseSimulator;

  before(async () => {
    sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
    await sim.start();
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await sim.stop();
  });
  afterEach(async () => helper.unload());

  async function load(value: unknown, valueType: unknown): Promise<Rig> {
    const gw = { id: 'gw', type: 'plugwise-gateway', host: '127.0.0.1', port: sim.port, pollInterval: '60', timeout: '2' };
    const ctl = { id: 'ctl', type: 'plugwise-control', gateway: 'gw', entity: ZONE, action: 'setpoint', value, valueType, wires: [['out']] };
    await helper.load(plugwise, onTab([gw, ctl, { id: 'out', type: 'helper' }, ...catcher]), { gw: { username: 'smile', password: SMILE_ID } });
    (helper.getNode('gw') as unknown as { writeSettleMs: number }).writeSettleMs = 10;
    return { node: helper.getNode('ctl') as unknown as Rig['node'], out: new Collector('out'), caught: new Collector('caught') };
  }

  const setpointSent = (from: number): string[] =>
    sim.writes.slice(from).map((w) => /<setpoint>([^<]+)<\/setpoint>/.exec(w.body)?.[1] ?? w.body);

  it('the node\'s value alone; msg.payload wins when present', async () => {
    const rig = await load('19.5', 'num');
    const w = sim.writes.length;
    const a = await send(rig, { topic: 'button' });
    assert.equal(a.err, undefined, String(a.err?.error?.message));
    assert.equal((a.out?.payload as { thermostat?: { setpoint?: number } }).thermostat?.setpoint, 19.5);
    const b = await send(rig, { payload: 21 });
    assert.equal((b.out?.payload as { thermostat?: { setpoint?: number } }).thermostat?.setpoint, 21);
    assert.deepEqual(setpointSent(w), ['19.5', '21.0']);
  });

  it('read from msg and flow', async () => {
    let rig = await load('wanted', 'msg');
    let w = sim.writes.length;
    await send(rig, { wanted: 20 });
    assert.deepEqual(setpointSent(w), ['20.0']);
    await helper.unload();
    rig = await load('living.setpoint', 'flow');
    rig.node.context().flow.set('living', { setpoint: 18 });
    w = sim.writes.length;
    await send(rig, {});
    assert.deepEqual(setpointSent(w), ['18.0']);
  });

  it('a bad stored type is BAD_INPUT for every msg and nothing is written', async () => {
    const rig = await load('21', 'number');
    const w = sim.writes.length;
    const r = await send(rig, { payload: 21 });
    assert.equal(r.err?.error?.code, 'BAD_INPUT');
    assert.match(String(r.err?.error?.message), /valueType is "number", not one of str, num, bool, json, msg, flow, global, env/);
    assert.equal(sim.writes.length, w);
  });

  it('a value outside the entity\'s bounds is BAD_INPUT and nothing is written', async () => {
    const rig = await load('40', 'num');
    const w = sim.writes.length;
    const r = await send(rig, {});
    assert.equal(r.err?.error?.code, 'BAD_INPUT');
    assert.equal(sim.writes.length, w);
  });
});
