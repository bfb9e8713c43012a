import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { buildCommand, commandResult, type CommandInput } from '../../src/vendors/thinknx/command';
import { CAPABILITIES } from '../../src/vendors/thinknx/controllers';
import { dptSpec, groupAddressProblem, knxValue, parseGroupAddress } from '../../src/vendors/thinknx/knx';
import { parseConfigTime, parseServerStatus, parseUptime } from '../../src/vendors/thinknx/status';

const G = 'dev-1';

function badInput(input: CommandInput): GatewayError {
  try {
    buildCommand(input);
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, 'BAD_INPUT', err.message);
    return err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('thinknx controller table and codecs', () => {
  it('holds every capability of the contract, with the controllers of the API document', () => {
    const table = Object.fromEntries(CAPABILITIES.map((c) => [c.name, [c.set?.controller ?? '-', c.get?.controller ?? '-']]));
    assert.deepEqual(table, {
      power: ['power', 'powerstatus'], powerlevel: ['powerlevel', 'powerlevelstatus'], updown: ['updown', '-'], stop: ['stop', '-'],
      heightlevel: ['heightlevel', 'heightlevelstatus'], blindstep: ['blindstep', '-'], blindangle: ['blindangle', 'blindanglestatus'],
      value: ['setvalue', 'getvalue'], temperature: ['-', 'actualtemp'], setpoint: ['setpoint', 'setpointstatus'],
      tempmode: ['tempmode', 'tempmodestatus'], chrono: ['chronoen', 'chronoenstatus'], hvacpower: ['hvacpower', 'hvacpowerstatus'],
      hvacsetpoint: ['hvacsetpoint', 'hvacsetpointstatus'], hvacmode: ['hvacmode', 'hvacmodestatus'], hvacfan: ['hvacfan', 'hvacfanstatus'],
      scene: ['scenelaunch', '-'], trigger: ['trigger', '-'], knx: ['-', '-'], serverStatus: ['-', 'system/serverStatus'],
    });
    for (const c of CAPABILITIES) assert.ok(c.help.length > 20, `${c.name} has help`);
  });

  const sets: Array<[string, unknown, Record<string, string>, unknown]> = [
    ['power', true, { cmd: '1' }, true],
    ['power', 'OFF', { cmd: '0' }, false],
    ['power', '1', { cmd: '1' }, true],
    ['powerlevel', 33.4, { cmd: '33' }, 33],
    ['powerlevel', '100', { cmd: '100' }, 100],
    ['updown', 'Down', { cmd: '1' }, 'down'],
    ['updown', 0, { cmd: '0' }, 'up'],
    ['stop', 'anything', { cmd: '1' }, 'stop'],
    ['stop', undefined, { cmd: '1' }, 'stop'],
    ['heightlevel', 50, { val: '50' }, 50],
    ['blindstep', 'counter-clockwise', { cmd: '1' }, 'counterclockwise'],
    ['blindangle', 0, { cmd: '0' }, 0],
    ['value', '85.325', { cmd: '85.325' }, 85.325],
    ['value', -0.5, { cmd: '-0.5' }, -0.5],
    ['setpoint', 20.5, { cmd: '20.5' }, 20.5],
    ['tempmode', 'night', { cmd: '2' }, 'economy'],
    ['tempmode', 'COMFORT', { cmd: '1' }, 'comfort'],
    ['tempmode', '3', { cmd: '3' }, 'protection'],
    ['chrono', 'on', { cmd: '1' }, true],
    ['hvacpower', false, { cmd: '0' }, false],
    ['hvacsetpoint', 23.5, { cmd: '23.5' }, 23.5],
    ['hvacmode', 'Heating', { cmd: '1' }, 'heating'],
    ['hvacmode', 4, { cmd: '4' }, 'auto'],
    ['hvacfan', 'maximum', { cmd: '3' }, 'high'],
    ['hvacfan', 'low', { cmd: '1' }, 'low'],
    ['scene', true, { cmd: '1' }, 'launch'],
    ['scene', 'stop', { cmd: '0' }, 'stop'],
    ['trigger', 12345, { cmd: '1' }, 'trigger'],
  ];
  for (const [capability, payload, params, out] of sets) {
    it(`${capability} ${JSON.stringify(payload)} sends ${JSON.stringify(params)} and reports ${JSON.stringify(out)}`, () => {
      const cmd = buildCommand({ capability, payload, guid: G });
      assert.equal(cmd.kind, 'set');
      assert.deepEqual(cmd.params, { guid: G, ...params });
      const r = commandResult(cmd, { namespace: cmd.controller, guid: G, comm_obj: 7 }, 'sim');
      assert.deepEqual(r.payload, out);
      assert.equal(r.confirmed, false);
      assert.deepEqual(r.thinknx, { namespace: cmd.controller, guid: G, commObj: 7 });
    });
  }

  it('reads on an empty payload or "get"; read-only capabilities read on anything', () => {
    for (const payload of [undefined, null, '', 'get', ' GET ']) assert.equal(buildCommand({ capability: 'setpoint', payload, guid: G }).controller, 'setpointstatus');
    assert.equal(buildCommand({ capability: 'temperature', payload: 1700000000000, guid: G }).controller, 'actualtemp');
    assert.equal(buildCommand({ capability: 'serverStatus', payload: 'x' }).controller, 'system/serverStatus');
  });

  it('decodes statuses: modes to names, 0/1 to booleans, numbers as numbers', () => {
    const get = (capability: string, status: unknown): unknown =>
      commandResult(buildCommand({ capability, payload: 'get', guid: G }), { status }, 'sim').payload;
    assert.equal(get('tempmode', 2), 'economy');
    assert.equal(get('hvacmode', '0'), 'cooling');
    assert.equal(get('hvacfan', 3), 'high');
    assert.equal(get('power', 1), true);
    assert.equal(get('chrono', '0'), false);
    assert.equal(get('setpoint', '21.5'), 21.5);
    assert.throws(() => get('tempmode', 9), (e: GatewayError) => e.code === 'BAD_RESPONSE');
    assert.throws(() => get('power', 'x'), (e: GatewayError) => e.code === 'BAD_RESPONSE');
  });

  it('with feedback: sends fb only where the API has it and reports the status with confirmed', () => {
    const cmd = buildCommand({ capability: 'hvacsetpoint', payload: 23.6, guid: G, feedback: true });
    assert.equal(cmd.feedback, true);
    const r = commandResult(cmd, { status: 24 }, 'sim');
    assert.deepEqual([r.payload, r.confirmed], [24, true]);
    assert.equal(buildCommand({ capability: 'updown', payload: 'up', guid: G, feedback: true }).feedback, false);
  });

  it('rejects bad values before anything is built', () => {
    const cases: CommandInput[] = [
      { capability: 'power', payload: 'maybe', guid: G },
      { capability: 'power', payload: 2, guid: G },
      { capability: 'powerlevel', payload: 101, guid: G },
      { capability: 'setpoint', payload: '20,5', guid: G },
      { capability: 'value', payload: 'NaN', guid: G },
      { capability: 'tempmode', payload: 'turbo', guid: G },
      { capability: 'hvacmode', payload: 1.5, guid: G },
      { capability: 'updown', payload: '', guid: G },
      { capability: 'trigger', payload: 'get', guid: G },
      { capability: 'power', payload: true, guid: 'has space' },
      { capability: 'power', payload: true },
      { capability: 'bogus', payload: 1, guid: G },
      { capability: 'power', payload: true, guid: G, feedback: 'yes' },
    ];
    for (const c of cases) badInput(c);
    assert.match(badInput({ capability: 'setpoint', payload: '20,5', guid: G }).message, /"\." as the decimal separator/);
    assert.match(badInput({ capability: 'tempmode', payload: 'turbo', guid: G }).message, /"standby" \(0\), "comfort" \(1\)/);
  });

  describe('KNX', () => {
    it('checks 3-level group addresses', () => {
      for (const ok of ['1/0/1', '31/7/255', '0/0/1', ' 2/3/4 ']) assert.equal(groupAddressProblem(ok), undefined, ok);
      for (const bad of ['32/0/1', '1/8/1', '1/1/256', '0/0/0', '1/2', '1.2.3', 'a/b/c', '', '1/2/3/4']) assert.ok(groupAddressProblem(bad), bad);
      assert.equal(parseGroupAddress('01/002/3').text, '1/2/3');
    });

    it('holds each DPT to its range and picks its controller', () => {
      const send = (dpt: unknown, value: unknown): number => knxValue(dptSpec(dpt), value);
      assert.equal(send(1, true), 1);
      assert.equal(send('1', 'off'), 0);
      assert.equal(send('DPT5', 255), 255);
      assert.equal(send('6.010', -128), -128);
      assert.equal(send(9, '-671088.64'), -671088.64);
      assert.equal(send(14, 1e30), 1e30);
      assert.equal(send(3, 15), 15);
      for (const [dpt, v] of [[1, 2], [2, 4], [3, 16], [5, 256], [5, 1.5], [6, 128], [9, 700000], [14, Infinity], [5, 'abc'], [9, true]] as const) {
        assert.throws(() => send(dpt, v), (e: GatewayError) => e.code === 'BAD_INPUT', `DPT ${dpt} ${String(v)}`);
      }
      for (const dpt of [4, 7, '9x', '', null]) assert.throws(() => dptSpec(dpt), (e: GatewayError) => e.code === 'BAD_INPUT');
      assert.equal(dptSpec(2).controller, 'system/sendKNX4bits');
      assert.equal(dptSpec(6).controller, 'system/sendKNXbyteun');
    });

    it('builds the telegram and reports {group, value, dpt}', () => {
      const cmd = buildCommand({ capability: 'knx', payload: 'on', group: '1/0/1', dpt: '1' });
      assert.equal(cmd.controller, 'system/sendKNXbit');
      assert.deepEqual(cmd.params, { group: '1/0/1', value: '1' });
      assert.deepEqual(commandResult(cmd, { namespace: 'system/sendKNXbit', group: '1/0/1', value: 1 }, 'sim').payload, { group: '1/0/1', value: true, dpt: 1 });
      const f = buildCommand({ capability: 'knx', payload: 85.235, group: '1/0/2', dpt: 9 });
      assert.deepEqual(commandResult(f, {}, 'sim').payload, { group: '1/0/2', value: 85.235, dpt: 9 });
    });
  });

  describe('serverStatus', () => {
    it('turns uptimes into seconds, config_time into ms, pbx_users into an array, and keeps extras', () => {
      const s = parseServerStatus({
        namespace: 'system/serverStatus', version: '6.2.1.4', process_uptime: '2 days 3 hours 15 min', server_uptime: '0 days 0 hours 1 min',
        config_time: '14:03:27 2024-05-12', connected_clients: '3', pbx_users: '101, 102', cpu_load: 0.4,
      });
      assert.deepEqual(s, {
        version: '6.2.1.4', processUptime: 2 * 86400 + 3 * 3600 + 15 * 60, serverUptime: 60,
        configTime: new Date(2024, 4, 12, 14, 3, 27).getTime(), connectedClients: 3, pbxUsers: ['101', '102'], cpuLoad: 0.4,
      });
    });

    it('reads unusual forms and gives null for what it cannot read', () => {
      assert.equal(parseUptime('1 day 1 hour 1 minute'), 90060);
      assert.equal(parseUptime('3600'), 3600);
      assert.equal(parseUptime('soon'), null);
      assert.equal(parseConfigTime('2024-05-12 14:03:27'), new Date(2024, 4, 12, 14, 3, 27).getTime());
      assert.equal(parseConfigTime('25:00:00 2024-05-12'), null);
      assert.equal(parseConfigTime('12:00:00 2024-02-30'), null);
      assert.deepEqual(parseServerStatus({ pbx_users: '', connected_clients: null }).pbxUsers, []);
      assert.equal(parseServerStatus({ connected_clients: null }).connectedClients, null);
    });
  });
});
