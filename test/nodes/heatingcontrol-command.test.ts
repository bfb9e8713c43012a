import assert from 'node:assert/strict';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { deviceId, homeId } from '../simulators/heatingcontrol/data';
import { Collector, delay, helper, loadNodeSet, statuses, simulatorForEachTest, type Msg } from './harness';

const heating = loadNodeSet('heatingcontrol');
const CREDS = { clientId: 'node-test-client', clientSecret: 'n0de-t3st-s3cret-77' };
const DEV = deviceId(1);

interface Receiver {
  receive(m: object): void;
}

function account(url: string): Record<string, unknown> {
  return { id: 'acct', type: 'heating-account', name: 'sim', baseUrl: url, scope: '', clientAuth: 'body' };
}

function commandNode(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'heating-command', account: 'acct', operation: 'state', device: DEV, command: '', setting: '', homeId: '', params: {}, wires: [[`${id}-out`]], ...extra };
}

describe('heating-command (built node set, against the simulator)', function () {
  let sim: HeatingSimulator;

  simulatorForEachTest(() => new HeatingSimulator({ ...CREDS, deviceCount: 45 }), (s) => (sim = s));

  async function load(nodes: Record<string, unknown>[]): Promise<{ out: Collector; caught: Collector }> {
    const id = String(nodes[0]?.id);
    const flow = [
      account(sim.url),
      ...nodes,
      { id: `${id}-out`, type: 'helper' },
      { id: 'hc-catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(heating, flow, { acct: CREDS });
    return { out: new Collector(`${id}-out`), caught: new Collector('caught') };
  }

  const send = (id: string, msg: object): void => (helper.getNode(id) as Receiver).receive(msg);

  it('every operation: homes, devices (all pages, homeId filter), device, rename, state, settings, setSetting, commands, command', async () => {
    const { out, caught } = await load([commandNode('op')]);
    const run = async (msg: Record<string, unknown>): Promise<Msg> => {
      const n = out.msgs.length;
      send('op', msg);
      await out.waitFor(n + 1);
      return out.msgs[n]!;
    };
    const homes = await run({ operation: 'homes', keep: 'me' });
    assert.equal(homes.keep, 'me', 'the input msg passes through');
    assert.equal(homes.topic, 'heatingcontrol/homes');
    assert.deepEqual((homes.payload as { name: string }[]).map((h) => h.name), ['My Home', 'Home 2']);

    const devices = await run({ operation: 'devices' });
    assert.equal((devices.payload as unknown[]).length, 45);
    assert.equal(sim.server.requests.filter((r) => r.path.startsWith('/v1/devices?')).length, 1, 'limit 100: one page');
    const inHome = await run({ operation: 'devices', homeId: homeId(1) });
    assert.equal((inHome.payload as unknown[]).length, 23);

    const device = await run({ operation: 'device' });
    assert.equal((device.payload as { name: string }).name, 'Living Room Heater');
    const renamed = await run({ operation: 'rename', payload: 'Lounge Heater' });
    assert.equal((renamed.payload as { name: string }).name, 'Lounge Heater');

    const state = await run({ operation: 'state' });
    assert.equal(state.topic, `heatingcontrol/${DEV}/state`);
    assert.deepEqual(state.payload, { type: 'heater', online: true, mode: 'auto', indicators: ['active'], currentTemperature: 20.5, targetTemperature: 22, power: 1500, maxPower: 1500, temperatureUnits: 'C', deviceId: DEV });

    const settings = await run({ operation: 'settings' });
    assert.deepEqual(settings.payload, { temperature_units: 'C', keyboard_locked: false, window_open_detection: true, serial_number: 'HC-1000' });
    assert.equal((settings.settings as Record<string, { editable: boolean }>).serial_number?.editable, false, 'descriptors in msg.settings');
    const set = await run({ operation: 'setSetting', setting: 'keyboard_locked', payload: true });
    assert.deepEqual(set.payload, { keyboard_locked: true });
    assert.equal(sim.devices[0]!.settings.keyboard_locked!.value, true);

    const commands = await run({ operation: 'commands' });
    assert.deepEqual(Object.keys(commands.payload as object), ['setMode', 'setTemperature', 'boost', 'identify']);
    const cmd = await run({ operation: 'command', command: 'setMode', payload: { mode: 'manual', temperature: 21 } });
    assert.deepEqual([(cmd.payload as Record<string, unknown>).command, (cmd.payload as Record<string, unknown>).state, (cmd.payload as Record<string, unknown>).success], ['setMode', 'APPLIED', true]);
    assert.equal(typeof (cmd.payload as Record<string, unknown>).appliedTime, 'number');
    assert.deepEqual(sim.devices[0]!.state.mode, 'manual');
    assert.equal(sim.devices[0]!.state.targetTemperature, 21);
    await delay(50);
    assert.equal(caught.msgs.length, 0);
  });

  it('a command node with params set in the editor; msg.payload overrides them, a single value fills the only param', async () => {
    const { out } = await load([
      commandNode('cmd', { operation: 'command', command: 'setMode', params: { mode: 'manual', temperature: 21 } }),
      commandNode('temp', { operation: 'command', command: 'setTemperature', wires: [['cmd-out']] }),
    ]);
    send('cmd', { payload: 1773835200000 }); // an inject's timestamp: the node's params are sent
    send('cmd', { payload: { temperature: 19.5 } });
    await out.waitFor(2);
    await delay(50);
    send('temp', { payload: 23.5 });
    await out.waitFor(3);
    // The first two ran concurrently: compared in a stable order.
    assert.deepEqual(
      sim.executed.map((e) => e.params).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ mode: 'manual', temperature: 19.5 }, { mode: 'manual', temperature: 21 }, { temperature: 23.5 }],
    );
  });

  it('out-of-range or unknown params: BAD_INPUT to a Catch node, red status, nothing sent, nothing out', async () => {
    const { out, caught } = await load([commandNode('cmd', { operation: 'command', command: 'setTemperature' })]);
    const seen = statuses('cmd');
    const bad = [{ temperature: 40 }, { temperature: 4 }, { temperature: 21.3 }, { temperature: 'hot' }, {}, { temperature: 21, fan: 1 }];
    for (const payload of bad) send('cmd', { payload });
    send('cmd', { command: 'selfDestruct', payload: {} });
    send('cmd', { operation: 'reboot' });
    const errors = await caught.waitFor(bad.length + 2);
    assert.ok(errors.every((m) => m.error?.code === 'BAD_INPUT'), JSON.stringify(errors.map((m) => m.error)));
    assert.ok(errors.some((m) => /40 is above the maximum 35/.test(String(m.error?.message))));
    assert.ok(errors.some((m) => /no command "selfDestruct"/.test(String(m.error?.message))));
    assert.equal(sim.count('/v1/devices/', 'POST'), 0, 'zero POSTs');
    assert.equal(seen.at(-1)?.fill, 'red');
    assert.equal(seen.at(-1)?.text, 'BAD_INPUT: no command "selfDestruct"');
    await delay(50);
    assert.equal(out.msgs.length, 0);
    assert.equal(caught.msgs.length, bad.length + 2, 'one error per input');
  });

  it('a burst of commands sets each status the user sees once, not once per command', async () => {
    const { out } = await load([commandNode('burst', { operation: 'command', command: 'setTemperature' })]);
    const seen = statuses('burst');
    for (let i = 0; i < 30; i++) {
      send('burst', { payload: { temperature: 20 } });
      await out.waitFor(i + 1);
    }
    const texts = seen.map((s) => `${s.fill} ${s.text}`);
    assert.equal(out.msgs.length, 30);
    assert.ok(texts.length >= 1 && texts.length <= 4, `statuses set: ${JSON.stringify(texts)}`);
    assert.equal(new Set(texts).size, texts.length, 'no status set twice in a row');
    assert.match(texts.at(-1) ?? '', /^green setTemperature APPLIED · \d\d:\d\d:\d\d$/);
  });

  it('setSetting refuses a read-only setting and a value outside its options before sending', async () => {
    const { caught } = await load([commandNode('set', { operation: 'setSetting', setting: 'temperature_units' })]);
    send('set', { payload: 'K' });
    send('set', { setting: 'serial_number', payload: 'HC-1' });
    await caught.waitFor(2);
    assert.match(String(caught.msgs[0]?.error?.message), /one of "C", "F"/);
    assert.match(String(caught.msgs[1]?.error?.message), /read-only/);
    assert.equal(sim.count('/v1/devices/', 'PATCH'), 0);
  });

  it('API errors keep their requestId; 404 -> NOT_FOUND, 400 refusal -> REJECTED, 500 on a command is not replayed', async () => {
    const { caught } = await load([commandNode('op', { operation: 'command', command: 'identify' })]);
    send('op', { operation: 'state', device: 'no-such-device' });
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'NOT_FOUND');
    // Node-RED copies only message, code, stack and cause into msg.error: the message names the request id.
    assert.match(String(caught.msgs[0]?.error?.message), /NOT_FOUND.*request req-\d+/);
    sim.refuse({ path: `/v1/devices/${DEV}/commands/identify`, status: 400, code: 'DEVICE_OFFLINE', message: 'The heater is offline' });
    send('op', {});
    await caught.waitFor(2);
    assert.equal(caught.msgs[1]?.error?.code, 'REJECTED');
    assert.match(String(caught.msgs[1]?.error?.message), /The heater is offline/);
    sim.server.setFault({ path: `/v1/devices/${DEV}/commands/identify`, status: 500, body: 'html', times: 1 });
    send('op', {});
    await caught.waitFor(3);
    assert.equal(caught.msgs[2]?.error?.code, 'SERVER_ERROR');
    assert.equal(sim.count(`/v1/devices/${DEV}/commands/identify`, 'POST'), 2, 'one POST each, no replay');
  });

  it('429 with Retry-After: the read waits and succeeds, the command fails RATE_LIMITED and is not replayed', async () => {
    const { out, caught } = await load([commandNode('op')]);
    sim.refuse({ path: `/v1/devices/${DEV}/state`, status: 429, code: 'RATE_LIMITED', message: 'Slow down', headers: { 'retry-after': '1' } });
    const t0 = Date.now();
    send('op', {});
    await out.waitFor(1);
    assert.ok(Date.now() - t0 >= 950, 'waited the Retry-After');
    sim.refuse({ path: `/v1/devices/${DEV}/commands/identify`, status: 429, code: 'RATE_LIMITED', message: 'Slow down', headers: { 'retry-after': '1' } });
    send('op', { operation: 'command', command: 'identify' });
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'RATE_LIMITED');
    assert.equal(sim.count(`/v1/devices/${DEV}/commands/identify`, 'POST'), 1);
    assert.equal(sim.executed.length, 0);
  });

  it('without an account: BAD_INPUT, and nothing is sent', async () => {
    const flow = [
      { id: 'lonely', type: 'heating-command', account: '', operation: 'homes', wires: [['lonely-out']] },
      { id: 'lonely-out', type: 'helper' },
      { id: 'hc-catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(heating, flow);
    const caught = new Collector('caught');
    send('lonely', {});
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'BAD_INPUT');
    assert.equal(sim.count(), 0);
  });
});
