/**
 * plugwise-control against the simulated hubs (built node set): every action's exact request, the
 * updated entity read back, refusals that send nothing, the shared re-read, no replay after a timeout.
 */
import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { Collector, activeResources, delay, helper, loadNodeSet, logText, onTab, recordStatuses, statuses, until, type Msg } from './harness';

const plugwise = loadNodeSet('plugwise');
const SMILE_ID = 'ctl12345';

interface Rig {
  sim: PlugwiseSimulator;
  out: Collector;
  caught: Collector;
  ctl: { receive(m: object): void };
}

interface Sent {
  method: string;
  path: string;
  body: string;
}

function flow(port: number, gw: Record<string, unknown> = {}, extra: object[] = []): object[] {
  return onTab([
    { id: 'gw', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port, pollInterval: '60', timeout: '2', ...gw },
    { id: 'ctl', type: 'plugwise-control', gateway: 'gw', entity: '', action: 'setpoint', wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
    ...extra,
  ]);
}

async function start(fixture: string, username = 'smile', gw: Record<string, unknown> = {}, settleMs = 10, extra: object[] = []): Promise<Rig> {
  const sim = new PlugwiseSimulator({ fixture, username, password: SMILE_ID });
  await sim.start();
  await helper.startServer();
  await helper.load(plugwise, flow(sim.port, gw, extra), { gw: { username, password: SMILE_ID } });
  const gateway = helper.getNode('gw') as unknown as { writeSettleMs: number };
  assert.equal(gateway.writeSettleMs, 2000, 'the default settle time is about 2 s');
  gateway.writeSettleMs = settleMs;
  return { sim, out: new Collector('out'), caught: new Collector('caught'), ctl: helper.getNode('ctl') as unknown as Rig['ctl'] };
}

async function stop(rig: Rig | undefined): Promise<void> {
  await helper.unload();
  await helper.stopServer();
  await rig?.sim.stop();
}

/** Sends one msg; resolves with what came out (or was caught) and the writes it caused. */
async function run(rig: Rig, msg: Record<string, unknown>): Promise<{ out?: Msg; err?: Msg; sent: Sent[] }> {
  const [o, c, w] = [rig.out.msgs.length, rig.caught.msgs.length, rig.sim.writes.length];
  rig.ctl.receive(msg);
  await until(() => rig.out.msgs.length > o || rig.caught.msgs.length > c, 10_000, 'an output or an error');
  const sent = rig.sim.writes.slice(w).map(({ method, path, body }) => ({ method, path, body }));
  return { out: rig.out.msgs[o], err: rig.caught.msgs[c], sent };
}

interface Case {
  what: string;
  entity: string;
  action: string;
  payload: unknown;
  sent: Sent[];
  /** What the entity read back shows: [path in the entity, expected value]. */
  after?: [string, unknown];
}

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);

function exactRequests(fixture: string, username: string, cases: Case[]): void {
  let rig: Rig | undefined;
  before(async () => {
    rig = await start(fixture, username);
  });
  after(async () => stop(rig));
  for (const c of cases) {
    it(`${c.what}: ${c.sent.map((s) => `${s.method} ${s.path}`).join(' + ') || 'nothing to send'}`, async () => {
      const r = await run(rig as Rig, { entity: c.entity, action: c.action, payload: c.payload, keep: 'me' });
      assert.equal(r.err, undefined, `no error expected, got ${r.err?.error?.code}: ${r.err?.error?.message}`);
      assert.deepEqual(r.sent, c.sent);
      assert.equal(r.out?.topic, `plugwise/${c.entity}`);
      assert.equal(r.out?.keep, 'me', 'the msg passes through');
      assert.equal((r.out?.payload as { id?: string }).id, c.entity);
      if (c.after) assert.deepEqual(get(r.out?.payload, c.after[0]), c.after[1], `read back: ${c.after[0]}`);
    });
  }
}

const ZONE = 'f2bf9048bef64cc5b6d5110154e33c81';
const BATHROOM = 'f871b8c4d63549319221e294e4f88074';
const ADAM_GW = 'da224107914542988a88561b4452b0f6';
const BOILER = '056ee145a816487eaa69243c3280f8bf';
const PLUG = '29542b2b6a6a4169acecc15c72a599b8';
const LOCKED_PLUG = '2568cc4b9c1e401495d4741a5f89bee1';
const LISA = 'e2f4322d57924fa090fbbc48b3a140dc';
const SCHEDULE_TAG = '<template tag="zone_preset_based_on_time_and_presence_with_override" />';
const put = (path: string, body: string): Sent => ({ method: 'PUT', path, body });
const post = (path: string, body: string): Sent => ({ method: 'POST', path, body });

describe('plugwise-control: Adam, each action as the hub expects it', function () {
  exactRequests('adam_plus_anna_new', 'smile', [
    { what: 'zone setpoint', entity: ZONE, action: 'setpoint', payload: 21.5, after: ['thermostat.setpoint', 21.5],
      sent: [put(`/core/locations;id=${ZONE}/thermostat;id=928d6446caad406d9eb2340dd1134e32`, '<thermostat_functionality><setpoint>21.5</setpoint></thermostat_functionality>')] },
    { what: 'preset', entity: ZONE, action: 'preset', payload: 'away', after: ['activePreset', 'away'],
      sent: [put(`/core/locations;id=${ZONE}`, `<locations><location id="${ZONE}"><name>Living room</name><type>livingroom</type><preset>away</preset></location></locations>`)] },
    { what: 'schedule off', entity: ZONE, action: 'schedule', payload: false, after: ['selectSchedule', 'off'],
      sent: [put('/core/rules;id=24df4dace79a4c42a0f4750ce65d84cb', `<rules><rule id='24df4dace79a4c42a0f4750ce65d84cb'><name><![CDATA[Weekschema]]></name>${SCHEDULE_TAG}<contexts /></rule></rules>`)] },
    { what: 'schedule already off', entity: ZONE, action: 'schedule', payload: 'off', after: ['selectSchedule', 'off'], sent: [] },
    { what: 'schedule on by name', entity: BATHROOM, action: 'schedule', payload: 'Badkamer', after: ['selectSchedule', 'Badkamer'],
      sent: [put('/core/rules;id=ebe3e57ec41d4d8faa927ca85c95b747', `<rules><rule id='ebe3e57ec41d4d8faa927ca85c95b747'><name><![CDATA[Badkamer]]></name>${SCHEDULE_TAG}<contexts><context><zone><location id="${BATHROOM}" /></zone></context></contexts></rule></rules>`)] },
    { what: 'zone profile', entity: ZONE, action: 'zoneProfile', payload: 'passive', after: ['selectZoneProfile', 'passive'],
      sent: [post(`/core/locations;id=${ZONE}/thermostat`, '<thermostat_functionality><regulation_control>passive</regulation_control></thermostat_functionality>')] },
    { what: 'plug relay off', entity: PLUG, action: 'relay', payload: 'off', after: ['switches.relay', false],
      sent: [put(`/core/appliances;id=${PLUG}/relay`, '<relay_functionality><state>off</state></relay_functionality>')] },
    { what: 'switching group: only its unlocked member', entity: 'e8ef2a01ed3b4139a53bf749204fe6b4', action: 'relay', payload: true,
      sent: [put(`/core/appliances;id=${PLUG}/relay`, '<relay_functionality><state>on</state></relay_functionality>')] },
    { what: 'lock', entity: PLUG, action: 'lock', payload: true, after: ['switches.lock', true],
      sent: [post(`/core/appliances;id=${PLUG}/relay`, '<relay_functionality><lock>true</lock></relay_functionality>')] },
    { what: 'regulation mode (bleeding: with a duration)', entity: ADAM_GW, action: 'regulationMode', payload: 'bleeding_hot', after: ['selectRegulationMode', 'bleeding_hot'],
      sent: [put('/core/appliances;type=gateway/regulation_mode_control', '<regulation_mode_control_functionality><duration>300</duration><mode>bleeding_hot</mode></regulation_mode_control_functionality>')] },
    { what: 'regulation mode', entity: ADAM_GW, action: 'regulationMode', payload: 'heating', after: ['selectRegulationMode', 'heating'],
      sent: [put('/core/appliances;type=gateway/regulation_mode_control', '<regulation_mode_control_functionality><mode>heating</mode></regulation_mode_control_functionality>')] },
    { what: 'gateway mode vacation with a period', entity: ADAM_GW, action: 'gatewayMode', payload: { mode: 'vacation', from: '2025-12-20', to: '2026-01-04' },
      after: ['selectGatewayMode', 'vacation'],
      sent: [put(`/core/appliances;id=${ADAM_GW}/gateway_mode_control`, '<gateway_mode_control_functionality><mode>vacation</mode><valid_from>2025-12-19T23:00:00.000Z</valid_from><valid_to>2026-01-03T23:00:00.000Z</valid_to></gateway_mode_control_functionality>')] },
    { what: 'gateway mode away (from the hub clock, open end)', entity: ADAM_GW, action: 'gatewayMode', payload: 'away', after: ['selectGatewayMode', 'away'],
      sent: [put(`/core/appliances;id=${ADAM_GW}/gateway_mode_control`, '<gateway_mode_control_functionality><mode>away</mode><valid_from>2025-10-11T15:08:41.000Z</valid_from><valid_to>2037-04-21T08:00:53.000Z</valid_to></gateway_mode_control_functionality>')] },
    { what: 'gateway mode full', entity: ADAM_GW, action: 'gatewayMode', payload: 'full', after: ['selectGatewayMode', 'full'],
      sent: [put(`/core/appliances;id=${ADAM_GW}/gateway_mode_control`, '<gateway_mode_control_functionality><mode>full</mode></gateway_mode_control_functionality>')] },
    { what: 'DHW mode through the comfort toggle', entity: BOILER, action: 'dhwMode', payload: 'comfort', after: ['selectDhwMode', 'comfort'],
      sent: [put(`/core/appliances;id=${BOILER}/toggle;type=domestic_hot_water_comfort_mode`, '<toggle><state>on</state></toggle>')] },
    { what: 'DHW comfort switch (the same toggle)', entity: BOILER, action: 'dhwComfortMode', payload: false, after: ['switches.dhwCmSwitch', false],
      sent: [put(`/core/appliances;id=${BOILER}/toggle;type=domestic_hot_water_comfort_mode`, '<toggle><state>off</state></toggle>')] },
    { what: 'maximum boiler temperature', entity: BOILER, action: 'maxBoilerTemperature', payload: '60', after: ['maximumBoilerTemperature.setpoint', 60],
      sent: [put(`/core/appliances;id=${BOILER}/thermostat;id=ef353b90efde40ae953a369eb05ebecd`, '<thermostat_functionality><setpoint>60.0</setpoint></thermostat_functionality>')] },
    { what: 'delete notifications', entity: ADAM_GW, action: 'deleteNotification', payload: true, sent: [{ method: 'DELETE', path: '/core/notifications', body: '' }] },
    { what: 'reboot (no read-back: the hub is restarting)', entity: ADAM_GW, action: 'reboot', payload: true, sent: [post('/core/gateways;@reboot', '')] },
    { what: 'temperature offset', entity: LISA, action: 'temperatureOffset', payload: -0.5, after: ['temperatureOffset.setpoint', -0.5],
      sent: [put(`/core/appliances;id=${LISA}/offset;type=temperature_offset`, '<offset_functionality><offset>-0.5</offset></offset_functionality>')] },
  ]);
});

const ANNA = '1e5e55b958ac445583602f767cb45942';
const ANNA_LOC = '5b13651d79c4454684fd268850b1bff8';

describe('plugwise-control: Anna', function () {
  exactRequests('anna_p1', 'smile', [
    { what: 'setpoint (on the thermostat, written to its location)', entity: ANNA, action: 'setpoint', payload: 20.5, after: ['thermostat.setpoint', 20.5],
      sent: [put(`/core/locations;id=${ANNA_LOC}/thermostat;id=9e3dcbfd026f48d88a50add3dab7713c`, '<thermostat_functionality><setpoint>20.5</setpoint></thermostat_functionality>')] },
    { what: 'preset', entity: ANNA, action: 'preset', payload: 'asleep', after: ['activePreset', 'asleep'],
      sent: [put(`/core/locations;id=${ANNA_LOC}`, `<locations><location id="${ANNA_LOC}"><name>Living room</name><type>livingroom</type><preset>asleep</preset></location></locations>`)] },
    { what: 'schedule on by name (Anna names its template by id; its zone context is already there, listed once)', entity: ANNA, action: 'schedule', payload: 'Thermostat schedule',
      after: ['selectSchedule', 'Thermostat schedule'],
      sent: [put('/core/rules;id=898e6eaa068b44019ff9dc5c578881b2', `<rules><rule id='898e6eaa068b44019ff9dc5c578881b2'><name><![CDATA[Thermostat schedule]]></name><template id="1c0324aa2db94ffbb48f4dc60426c45a" /><contexts><context><zone><location id="${ANNA_LOC}" /></zone></context></contexts></rule></rules>`)] },
    { what: 'temperature offset', entity: ANNA, action: 'temperatureOffset', payload: 1.5, after: ['temperatureOffset.setpoint', 1.5],
      sent: [put(`/core/appliances;id=${ANNA}/offset;type=temperature_offset`, '<offset_functionality><offset>1.5</offset></offset_functionality>')] },
    { what: 'DHW mode eco', entity: '36b937e44ad145bab165fa0fe99d742d', action: 'dhwMode', payload: 'eco', after: ['selectDhwMode', 'eco'],
      sent: [put('/core/appliances;id=36b937e44ad145bab165fa0fe99d742d/toggle;type=domestic_hot_water_comfort_mode', '<toggle><state>off</state></toggle>')] },
  ]);
});

const LORIA_ANNA = '582dfbdace4d4aeb832923ce7d1ddda0';
const LORIA = 'bfb5ee0a88e14e5f97bfa725a760cc49';

describe('plugwise-control: Anna with a Loria heat pump (heating)', function () {
  exactRequests('anna_loria_heating_idle', 'smile', [
    { what: 'setpointLow (heating: the active one)', entity: LORIA_ANNA, action: 'setpointLow', payload: 20,
      sent: [put('/core/locations;id=15da035090b847e7a21f93e08c015ebc/thermostat;id=cfc647f182b646fe92a268d81a5577cc', '<thermostat_functionality><setpoint>20.0</setpoint></thermostat_functionality>')] },
    { what: 'cooling enabled', entity: LORIA, action: 'coolingEnabled', payload: 'on',
      sent: [put(`/core/appliances;id=${LORIA}/toggle;type=cooling_enabled`, '<toggle><state>on</state></toggle>')] },
    { what: 'DHW mode auto (the mode control; python-plugwise would refuse it)', entity: LORIA, action: 'dhwMode', payload: 'auto',
      sent: [put('/core/appliances;type=heater_central/domestic_hot_water_mode_control', '<domestic_hot_water_mode_control_functionality><mode>auto</mode></domestic_hot_water_mode_control_functionality>')] },
    { what: 'hot-water setpoint', entity: LORIA, action: 'maxDhwTemperature', payload: 50, after: ['maxDhwTemperature.setpoint', 50],
      sent: [put(`/core/appliances;id=${LORIA}/thermostat;id=d9455c3ba0b0412cb264b8b33f4e3849`, '<thermostat_functionality><setpoint>50.0</setpoint></thermostat_functionality>')] },
  ]);
});

const CIRCLE = '5871317346d045bc9f6b987ef25ee638';

describe('plugwise-control: Stretch (legacy relay format)', function () {
  exactRequests('stretch_v31', 'stretch', [
    { what: 'circle relay off', entity: CIRCLE, action: 'relay', payload: false, after: ['switches.relay', false],
      sent: [put(`/core/appliances;id=${CIRCLE}/relay`, '<relay_functionality><state>off</state></relay_functionality>')] },
    { what: 'group: each unlocked member', entity: 'd03738edfcc947f7b8f4573571d90d2d', action: 'relay', payload: 'off',
      sent: [put('/core/appliances;id=cfe95cf3de1948c0b8955125bf754614/relay', '<relay_functionality><state>off</state></relay_functionality>')] },
    { what: 'lock (posts the appliance)', entity: CIRCLE, action: 'lock', payload: 'on', after: ['switches.lock', true],
      sent: [{ method: 'POST', path: '/core/appliances', body: `<appliances><appliance id='${CIRCLE}'><name><![CDATA[Boiler (1EB31)]]></name><description><![CDATA[]]></description><type><![CDATA[water_heater_vessel]]></type><actuator_functionalities><relay_functionality><lock>true</lock></relay_functionality></actuator_functionalities></appliance></appliances>` }] },
  ]);
});

const V2_PLUG = '0b078d5862614880bc670cabf9f54b4e';

describe('plugwise-control: Stretch 2.7 (the older <relay> body, the lock through <actuators>)', function () {
  exactRequests('stretch_v27_no_domain', 'stretch', [
    { what: 'relay off', entity: V2_PLUG, action: 'relay', payload: false, sent: [put(`/core/appliances;id=${V2_PLUG}/relay`, '<relay><state>off</state></relay>')] },
    { what: 'lock', entity: V2_PLUG, action: 'lock', payload: true,
      sent: [{ method: 'POST', path: '/core/appliances', body: `<appliances><appliance id='${V2_PLUG}'><name><![CDATA[769C03]]></name><description><![CDATA[]]></description><type><![CDATA[zz_misc]]></type><actuators><relay><lock>true</lock></relay></actuators></appliance></appliances>` }] },
  ]);
});

describe('plugwise-control: refusals, re-read, timeouts', function () {
  let rig: Rig | undefined;
  afterEach(async () => {
    await stop(rig);
    rig = undefined;
  });

  it('refuses out-of-bounds values, unknown options and a locked relay with BAD_INPUT and sends nothing', async () => {
    rig = await start('adam_plus_anna_new');
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ entity: ZONE, action: 'setpoint', payload: 40 }, /between 1 and 35/],
      [{ entity: ZONE, action: 'setpoint', payload: 0.5 }, /between 1 and 35/],
      [{ entity: ZONE, action: 'setpoint', payload: 20.123 }, /multiple of 0\.01/],
      [{ entity: ZONE, action: 'setpoint', payload: 'warm' }, /needs a number/],
      [{ entity: ZONE, action: 'preset', payload: 'holiday' }, /one of "vacation", "no_frost", "asleep", "home", "away"/],
      [{ entity: ZONE, action: 'schedule', payload: 'Nope' }, /schedule/],
      [{ entity: ZONE, action: 'zoneProfile', payload: 'eco' }, /"active", "off", "passive"/],
      [{ entity: LOCKED_PLUG, action: 'relay', payload: false }, /"Plug MediaTV" was not changed \(relay\): its relay is locked/],
      [{ entity: BATHROOM, action: 'schedule', payload: true }, /no active schedule for true to keep on: name one of "Badkamer", "Vakantie", "Weekschema", "Test"/],
      [{ entity: ADAM_GW, action: 'reboot', payload: 'now' }, /needs msg\.payload true/],
      [{ entity: BOILER, action: 'coolingEnabled', payload: true }, /has no coolingEnabled/],
      [{ entity: LOCKED_PLUG, action: 'lock', payload: 'maybe' }, /true\/false/],
      [{ entity: ADAM_GW, action: 'regulationMode', payload: 'cooling' }, /regulation mode must be one of/],
      [{ entity: ADAM_GW, action: 'gatewayMode', payload: { mode: 'full', from: '2025-12-20' } }, /no period/],
      [{ entity: ADAM_GW, action: 'gatewayMode', payload: { mode: 'vacation', from: '2026-01-04', to: '2025-12-20' } }, /must end after it starts/],
      [{ entity: BOILER, action: 'maxBoilerTemperature', payload: 100 }, /between 25 and 95/],
      [{ entity: LISA, action: 'temperatureOffset', payload: 2.5 }, /between -2 and 2/],
      [{ entity: LISA, action: 'temperatureOffset', payload: 0.25 }, /multiple of 0\.1/],
      [{ entity: LISA, action: 'setpoint', payload: 20 }, /set on the zone: use "Bathroom"/],
      [{ entity: '10016900610d4c7481df78c89606ef22', action: 'relay', payload: true }, /has no relay: it has nothing to control/],
      [{ entity: ZONE, action: 'volume', payload: 3 }, /action must be one of setpoint, setpointLow, setpointHigh, preset/],
    ];
    for (const [msg, message] of refusals) {
      const r = await run(rig, msg);
      assert.equal(r.out, undefined, `${JSON.stringify(msg)}: nothing on the output`);
      assert.equal(r.err?.error?.code, 'BAD_INPUT', `${JSON.stringify(msg)}: ${r.err?.error?.message}`);
      assert.match(String(r.err?.error?.message), message);
      assert.deepEqual(r.err?.payload, msg.payload, 'the failed msg reaches the Catch node');
    }
    const unknown = await run(rig, { entity: 'ffffffffffffffffffffffffffffffff', action: 'relay', payload: true });
    assert.equal(unknown.err?.error?.code, 'NOT_FOUND');
    assert.equal(rig.sim.writes.length, 0, 'no write was sent');
    assert.equal(rig.sim.count(), 1, 'only the one read the first check needed');
  });

  it('a stored action outside the list is a configuration error: red at deploy, BAD_INPUT per msg, nothing sent', async () => {
    const sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
    await sim.start();
    await helper.startServer();
    // The status set while the node is made (at deploy): recorded on Node-RED's Node class.
    const { shown, restore } = recordStatuses('ctl');
    try {
      const nodes = flow(sim.port).map((n) => ((n as { id?: string }).id === 'ctl' ? { ...n, action: 'volume', entity: ZONE } : n));
      await helper.load(plugwise, nodes, { gw: { username: 'smile', password: SMILE_ID } });
    } finally {
      restore();
    }
    rig = { sim, out: new Collector('out'), caught: new Collector('caught'), ctl: helper.getNode('ctl') as unknown as Rig['ctl'] };
    assert.deepEqual(shown[0], { fill: 'red', shape: 'ring', text: 'BAD_INPUT: invalid action' });
    const r = await run(rig, { payload: 21, action: 'setpoint' });
    assert.equal(r.err?.error?.code, 'BAD_INPUT');
    assert.match(String(r.err?.error?.message), /action is "volume", not one of setpoint/);
    assert.equal(sim.writes.length, 0);
  });

  it('the editor endpoint lists, before deploy, each entity with only its actions, bounds and options', async () => {
    rig = await start('adam_plus_anna_new');
    const res = await helper
      .request()
      .post('/energy-gateways/plugwise/actions')
      .send({ host: '127.0.0.1', port: rig.sim.port, credentials: { username: 'smile', password: SMILE_ID } });
    assert.equal(res.status, 200);
    const list = res.body as Array<{ id: string; actions: Array<{ action: string; min?: number; max?: number; step?: number; options?: string[]; blocked?: string }> }>;
    const zone = list.find((e) => e.id === ZONE);
    assert.deepEqual(zone?.actions.map((a) => a.action), ['setpoint', 'preset', 'schedule', 'zoneProfile']);
    assert.deepEqual([zone?.actions[0]?.min, zone?.actions[0]?.max, zone?.actions[0]?.step], [1, 35, 0.01]);
    assert.deepEqual(zone?.actions[3]?.options, ['active', 'off', 'passive']);
    assert.deepEqual(list.find((e) => e.id === ADAM_GW)?.actions.map((a) => a.action), ['regulationMode', 'gatewayMode', 'reboot', 'deleteNotification']);
    assert.match(String(list.find((e) => e.id === LOCKED_PLUG)?.actions[0]?.blocked), /locked/);
    assert.equal(list.find((e) => e.id === '10016900610d4c7481df78c89606ef22'), undefined, 'nothing to control: not listed');
    assert.equal(rig.sim.writes.length, 0);
    const denied = await helper.request().post('/energy-gateways/plugwise/actions').send({ host: '127.0.0.1', port: rig.sim.port, credentials: { password: 'wrong123' } });
    assert.equal((denied.body as { error: { code: string } }).error.code, 'AUTH_FAILED');
    assert.ok(!JSON.stringify(denied.body).includes('wrong123'));
  });

  it('re-reads about writeSettleMs after the hub accepts, and the shared poll listeners get that read', async () => {
    const listenerFlow = [
      { id: 'in1', type: 'plugwise-in', gateway: 'gw', output: 'entities', entity: PLUG, poll: true, wires: [['in1-out']] },
      { id: 'in1-out', type: 'helper' },
    ];
    rig = await start('adam_plus_anna_new', 'smile', {}, 300, listenerFlow);
    const listener = new Collector('in1-out');
    await listener.waitFor(1);
    assert.equal((listener.msgs[0]?.payload as { switches: { relay: boolean } }).switches.relay, true);
    const reads = rig.sim.count('/core/domain_objects');
    const started = Date.now();
    const r = await run(rig, { entity: PLUG, action: 'relay', payload: false });
    const elapsed = Date.now() - started;
    assert.equal(r.err, undefined);
    assert.ok(elapsed >= 300, `read back after the settle time (${elapsed} ms)`);
    assert.equal(rig.sim.count('/core/domain_objects'), reads + 1, 'exactly one fresh read after the write');
    assert.ok(rig.sim.server.requests.findIndex((q) => q.method === 'PUT') < rig.sim.server.requests.length - 1, 'the read follows the write');
    assert.equal((r.out?.payload as { switches: { relay: boolean } }).switches.relay, false);
    await until(() => listener.msgs.length >= 2, 5000, 'the plugwise-in node hears the re-read');
    assert.equal((listener.msgs[1]?.payload as { switches: { relay: boolean } }).switches.relay, false);
  });

  it('a write that times out is not replayed, not re-read, and reports TIMEOUT once', async () => {
    rig = await start('adam_plus_anna_new', 'smile', { timeout: '0.3' });
    const seen = statuses('ctl');
    await run(rig, { entity: ZONE, action: 'setpoint', payload: 99 }); // refused; primes the read
    const reads = rig.sim.count('/core/domain_objects');
    rig.sim.server.setFault({ hang: true, path: '/core/locations' });
    const r = await run(rig, { entity: ZONE, action: 'setpoint', payload: 19 });
    assert.equal(r.err?.error?.code, 'TIMEOUT');
    assert.equal(r.err?.payload, 19);
    await delay(1000);
    assert.equal(rig.sim.writes.length, 1, 'exactly one write request');
    assert.equal(rig.sim.count('/core/domain_objects'), reads, 'no read-back after a failed write');
    assert.equal(rig.caught.msgs.length, 2, 'one error per failed msg');
    assert.equal(seen.at(-1)?.text, 'TIMEOUT: no answer in 0.3 s');
    rig.sim.server.setFault(undefined);
    const ok = await run(rig, { entity: ZONE, action: 'setpoint', payload: 19 });
    assert.equal((ok.out?.payload as { thermostat: { setpoint: number } }).thermostat.setpoint, 19, 'the next write goes through');
    assert.equal(seen.at(-1)?.fill, 'green');
    const everything = JSON.stringify([rig.out.msgs, rig.caught.msgs, seen]) + logText();
    assert.ok(!everything.includes(SMILE_ID), 'Smile ID leaked');
  });

  it('a hub refusal is REJECTED; a redeploy during the settle time leaves no timer and no read', async () => {
    rig = await start('adam_plus_anna_new', 'smile', {}, 5000);
    rig.sim.server.setFault({ status: 400, path: '/core/locations', times: 1 });
    const refused = await run(rig, { entity: ZONE, action: 'preset', payload: 'home' });
    assert.equal(refused.err?.error?.code, 'REJECTED');
    assert.equal(refused.sent.length, 1);
    const baseline = activeResources().Timeout ?? 0;
    rig.ctl.receive({ entity: ZONE, action: 'preset', payload: 'asleep' });
    await until(() => rig?.sim.writes.length === 2, 5000, 'the write');
    const reads = rig.sim.count('/core/domain_objects');
    await helper.unload();
    await delay(100);
    assert.ok((activeResources().Timeout ?? 0) <= baseline, 'the settle timer is cleared');
    assert.equal(rig.sim.count('/core/domain_objects'), reads, 'no read after the node stopped');
    assert.equal(rig.caught.msgs.length, 1);
  });
});
