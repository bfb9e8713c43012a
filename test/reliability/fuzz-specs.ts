/**
 * What each action node reads from a msg and what the contract calls bad input, as data for the fuzz
 * generator: one valid msg per operation / capability / scope / action, the keys whose bad value must
 * be BAD_INPUT for it, and pools of bad values per key.
 */
import { CAPABILITIES } from '../../src/vendors/thinknx/controllers';
import { deviceId, homeId } from '../simulators/heatingcontrol/data';
import { Rng, badName, badText, hugeStrings, hugeUntrimmable, junk, notText, protoObject, type FuzzCase, type FuzzSpec } from './fuzz-gen';

const pickOf = (values: readonly unknown[]) => (rng: Rng) => rng.pick(values);
const either = (p: number, a: (rng: Rng) => unknown, b: (rng: Rng) => unknown) => (rng: Rng) => (rng.chance(p) ? a(rng) : b(rng));
/** A 1 MB string of digits followed by junk (a number pattern with nested quantifiers backtracks on it). */
const digitsThenJunk = (): string => hugeStrings()[0]!;

/** Junk that is none of `allowed` (and not "nothing", which means "use the node's setting" or "read"). */
function junkExcept(allowed: (v: unknown) => boolean): (rng: Rng) => unknown {
  return (rng) => {
    for (;;) {
      const v = junk(rng);
      if (v !== undefined && v !== null && v !== '' && !allowed(v)) return v;
    }
  };
}

const isGetWord = (v: unknown): boolean => typeof v === 'string' && /^\s*(get)?\s*$/i.test(v);

// ---------------------------------------------------------------- heating-command
const DEV = deviceId(1);
const HOME = homeId(1);
const HC_OPS = ['homes', 'devices', 'device', 'rename', 'state', 'settings', 'setSetting', 'commands', 'command'] as const;
const HC_KEYS = ['operation', 'device', 'command', 'setting', 'homeId'] as const;
/** Ids that would climb out of /v1/devices/{id} once the URL is normalised. */
const pathClimb = pickOf(['..', '.', ' .. ']);
/** For the operations that put the device in the path. */
const deviceBad = either(0.7, badText, pathClimb);

const temperatureBad = pickOf([4.5, 35.5, 21.3, NaN, Infinity, -0, 'hot', true, null, {}, [], '21,5', digitsThenJunk()]);

export const heatingSpec: FuzzSpec = {
  keys: HC_KEYS,
  invalid: {
    operation: badName(HC_OPS),
    // White space only is not an id; control characters would forge log lines (issue 13).
    device: either(0.85, badText, pickOf([' ', '\t', 'dev\r\n[error] forged', 'a\u2028b'])),
    command: either(0.9, badText, pickOf(['  ', 'boo\nst'])),
    setting: either(0.9, badText, pickOf(['  ', 'keyboard\r_locked'])),
    homeId: either(0.9, badText, pickOf([' \n ', 'home\u001b[2J'])),
  },
  cases: [
    ...(['homes', 'devices'] as const).map((operation): FuzzCase => ({ valid: { operation, homeId: HOME }, breakable: HC_KEYS })),
    ...(['device', 'state', 'settings', 'commands'] as const).map((operation): FuzzCase => ({ valid: { operation, device: DEV }, breakable: HC_KEYS, bad: { device: deviceBad } })),
    {
      valid: { operation: 'rename', device: DEV, payload: 'Heater A' },
      breakable: HC_KEYS,
      // A name no user means: empty, over 100 characters, on two lines or with an escape sequence.
      bad: { device: deviceBad, payload: either(0.7, notText, pickOf(['', '   ', '\n', 'n'.repeat(101), 'x'.repeat(1 << 20), 'Living\nRoom', 'Heater\u001b[31m'])) },
    },
    {
      valid: { operation: 'setSetting', device: DEV, setting: 'keyboard_locked', payload: true },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: junkExcept((v) => v === true || v === false || v === 'true' || v === 'false') },
    },
    {
      valid: { operation: 'setSetting', device: DEV, setting: 'temperature_units', payload: 'F' },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: junkExcept((v) => typeof v === 'string' && /^[cf]$/i.test(v)) },
    },
    {
      valid: { operation: 'command', device: DEV, command: 'setTemperature', payload: { temperature: 21 } },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: (rng) => {
        switch (rng.int(4)) {
          case 0:
            return { temperature: temperatureBad(rng) };
          case 1: // a known param plus an unknown one, prototype names included
            return Object.assign(protoObject(rng), { temperature: 21 });
          case 2:
            return { temperature: 21, [rng.pick(['extra', 'constructor', 'toString', 'valueOf', '__defineGetter__'])]: 1 };
          default: // a bare value fills the command's only param
            return temperatureBad(rng) ?? 'none';
        }
      } },
    },
    {
      valid: { operation: 'command', device: DEV, command: 'boost', payload: { minutes: 30 } },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: (rng) => ({ minutes: rng.pick([20, 10, 135, 30.5, '30x', NaN, -0, null, true, [30], digitsThenJunk()]) }) },
    },
    {
      valid: { operation: 'command', device: DEV, command: 'setMode', payload: { mode: 'auto' } },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: (rng) => rng.pick([{ mode: 'AUTOX' }, { mode: 1 }, { mode: 'auto', temperature: 50 }, { temperature: 20 }, { mode: rng.pick(hugeStrings()) }]) },
    },
    {
      valid: { operation: 'command', device: DEV, command: 'identify', payload: {} },
      breakable: HC_KEYS,
      bad: { device: deviceBad, payload: (rng) => ({ [rng.pick(['x', 'prototype', 'hasOwnProperty'])]: junk(rng) ?? 1 }) },
    },
  ],
  good: {
    operation: HC_OPS,
    device: [DEV, deviceId(2), 'no-such-device'],
    command: ['setTemperature', 'boost', 'setMode', 'identify', 'nope'],
    setting: ['keyboard_locked', 'temperature_units', 'serial_number', 'keyboardLocked'],
    homeId: [HOME],
    payload: [21, 'F', true, { temperature: 21 }, { minutes: 45 }, { mode: 'manual', temperature: 19.5 }, 'Heater B'],
  },
};

// ---------------------------------------------------------------- thinknx-control
const GUIDS: Readonly<Record<string, string>> = {
  light: 'kitchen-light', dimmer: 'living-dimmer', blind: 'living-blind', analog: 'pool-level',
  thermostat: 'bath-thermostat', hvac: 'office-hvac', scene: 'scene-evening', button: 'door-button',
};
const GUID_OF: Readonly<Record<string, string>> = {
  power: GUIDS.light!, powerlevel: GUIDS.dimmer!, updown: GUIDS.blind!, stop: GUIDS.blind!, heightlevel: GUIDS.blind!,
  blindstep: GUIDS.blind!, blindangle: GUIDS.blind!, value: GUIDS.analog!, temperature: GUIDS.thermostat!,
  setpoint: GUIDS.thermostat!, tempmode: GUIDS.thermostat!, chrono: GUIDS.thermostat!, hvacpower: GUIDS.hvac!,
  hvacsetpoint: GUIDS.hvac!, hvacmode: GUIDS.hvac!, hvacfan: GUIDS.hvac!, scene: GUIDS.scene!, trigger: GUIDS.button!,
};

const SPECIALS = [NaN, Infinity, -Infinity, {}, [], [1], true, false] as const;
/** The number a numeric string or number stands for (a linear pattern: no nested quantifiers). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}
const switchWord = (v: unknown): boolean => typeof v === 'string' && ['on', 'off', 'true', 'false'].includes(v.trim().toLowerCase());
const badSwitch = either(
  0.7,
  pickOf([2, -1, 0.5, 'maybe', 'onn', '2', NaN, Infinity, {}, [], [1], Buffer.from('1'), new Date(0), digitsThenJunk(), '1'.repeat(400), 'constructor', '__proto__']),
  junkExcept((v) => typeof v === 'boolean' || numeric(v) === 0 || numeric(v) === 1 || switchWord(v) || isGetWord(v)),
);

function badNumber(min: number, max: number, integerish = false): (rng: Rng) => unknown {
  const values: unknown[] = [min - 1, max + 1, 'abc', '21,5', '1e999', '--1', digitsThenJunk(), `1.${'1'.repeat(1000)}x`, ...SPECIALS];
  if (integerish) values.push(max + 0.6);
  return pickOf(values);
}

function badChoice(names: readonly string[], booleans: boolean): (rng: Rng) => unknown {
  const values: unknown[] = ['sideways', names.length, names.length + 0.5, -1, 0.5, NaN, Infinity, {}, [], [0], digitsThenJunk(), `${names[0]}!`, '__proto__', 'constructor'];
  if (!booleans) values.push(true, false);
  return pickOf(values);
}

const TX_KEYS = ['capability', 'guid', 'feedback', 'group', 'dpt'] as const;

function thinknxCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const cap of CAPABILITIES) {
    const guid = GUID_OF[cap.name];
    if (cap.codec === 'knx' || cap.codec === 'serverStatus' || guid === undefined) continue;
    const base = { capability: cap.name, guid };
    const breakable = ['capability', 'guid', 'feedback'];
    if (cap.get) cases.push({ valid: { ...base, payload: 'get' }, breakable });
    if (!cap.set) continue;
    let bad: ((rng: Rng) => unknown) | undefined;
    if (cap.codec === 'switch') bad = badSwitch;
    else if (cap.codec === 'percent' || cap.codec === 'number') bad = badNumber(cap.range?.min ?? -1e15, cap.range?.max ?? 1e15, cap.codec === 'percent');
    else if (cap.codec === 'choice') bad = badChoice(cap.names ?? [], cap.booleans === true);
    else if (cap.codec === 'action') bad = pickOf(['get', ' GET ', 'Get\n']);
    if (cap.codec === 'choice' && !cap.get) bad = either(0.8, bad!, pickOf([undefined, null, '', 'get']));
    cases.push({ valid: { ...base, payload: cap.example }, breakable, ...(bad ? { bad: { payload: bad } } : {}) });
  }
  const DPT_OK: Record<string, unknown> = { 1: true, 2: 3, 3: 15, 5: 255, 6: -128, 9: -671088.64, 14: 1.5e38 };
  const DPT_BAD: Record<string, unknown[]> = {
    1: [2, -1, 0.5, 'maybe'], 2: [4, -1, 1.5, true], 3: [16, -1, 2.5], 5: [256, -1, 1.5], 6: [128, -129, 0.5],
    9: [670760.97, -671088.65, 'warm'], 14: [3.5e38, -3.5e38, '1e39'],
  };
  for (const [dpt, value] of Object.entries(DPT_OK)) {
    cases.push({
      valid: { capability: 'knx', group: '1/0/7', dpt, payload: value },
      breakable: ['capability', 'feedback', 'group', 'dpt'],
      bad: { payload: pickOf([...DPT_BAD[dpt]!, NaN, Infinity, {}, [], 'get', undefined, digitsThenJunk(), '1'.repeat(400)]) },
    });
  }
  cases.push({ valid: { capability: 'serverStatus' }, breakable: ['capability', 'feedback'] });
  return cases;
}

export const thinknxSpec: FuzzSpec = {
  keys: TX_KEYS,
  invalid: {
    capability: badName(CAPABILITIES.map((c) => c.name)),
    guid: either(0.7, either(0.75, notText, (rng) => rng.pick(hugeUntrimmable())), pickOf(['a b', 'x'.repeat(101), 'ü', 'a?b', 'a&b=c', '#', '\u0000'])),
    feedback: junkExcept((v) => typeof v === 'boolean' || v === 'true' || v === 'false'),
    group: either(0.6, badText, pickOf(['32/0/0', '1/8/0', '1/0/256', '0/0/0', '1/2', 'a/b/c', '1/0/1/', ' 1 / 0 / 1', '-1/0/1'])),
    dpt: either(0.5, notText, pickOf(['4', 7, 'dpt 10', '9.001x', 0, 'dpt', hugeStrings()[9]!, digitsThenJunk()])),
  },
  cases: thinknxCases(),
  good: {
    capability: CAPABILITIES.map((c) => c.name),
    guid: Object.values(GUIDS),
    feedback: [true, false, 'true'],
    group: ['1/0/7', '31/7/255'],
    dpt: [1, '9', 'DPT 5', 14],
    payload: [true, 0, 1, 'on', 50, '21.5', 'down', 'launch', 'get', 'comfort', 'high'],
  },
};

// ---------------------------------------------------------------- ems-history
const EMS_OPS = ['history', 'last', 'realtime', 'devices', 'loads', 'signals'] as const;
const EMS_SCOPES = ['all', 'signal', 'load', 'device'] as const;
const PROTOCOLS = ['rtu', 'tcp', 'meterBus', 'virtual', 'P1'] as const;
const HOUR = 3_600_000;
const badWhole = pickOf([0, -1, 1.5, NaN, Infinity, 'abc', ' ', '1x', {}, [], true, new Date(0), 1e21, 2 ** 53, digitsThenJunk(), hugeStrings()[1]!]);
const badTime = pickOf(['not a date', NaN, Infinity, -1e308, 1e300, '9e15', {}, [], true, new Date(NaN), '2025-13-45', digitsThenJunk(), hugeStrings()[3]!, ' ', -1, '1969-12-31T23:59:59Z', '0001-01-01']);
const windowCases = (now: number): FuzzCase[] => [
  { valid: { operation: 'history', scope: 'signal', uid: 100, range: '1h' }, breakable: ['operation', 'scope', 'uid', 'uids', 'protocol', 'pageSize', 'maxRecords', 'range', 'start', 'end'] },
  {
    valid: { operation: 'history', scope: 'all', uids: '100,101', start: new Date(now - HOUR), end: now },
    breakable: ['operation', 'scope', 'uids', 'protocol', 'pageSize', 'maxRecords', 'start', 'end'],
  },
];

export function emsSpec(now: number): FuzzSpec {
  const scoped = (operation: string, scope: string, uid?: number): FuzzCase => ({
    valid: { operation, scope, ...(uid === undefined ? {} : { uid }) },
    breakable: ['operation', 'scope', 'uids', 'protocol', 'pageSize', 'maxRecords', ...(uid === undefined ? [] : ['uid'])],
  });
  return {
    keys: ['operation', 'scope', 'uid', 'uids', 'protocol', 'pageSize', 'maxRecords', 'range', 'start', 'end'],
    invalid: {
      operation: badName(EMS_OPS),
      scope: badName(EMS_SCOPES),
      // Decimal digits only: "0x10" is not sent as 16 (issue 13).
      uid: either(0.8, badWhole, pickOf(['0x10', '1e1', '0b1', ' 16x', '+-1'])),
      uids: pickOf(['a,b', '0', '-1', '1.5', {}, true, [0], [{}], NaN, ['1x'], hugeStrings()[6]!, digitsThenJunk(), '1,'.repeat(20_000), '3,,4', '3,', ',3', ['3', ''], '0x10']),
      protocol: badName(PROTOCOLS),
      pageSize: either(0.8, badWhole, pickOf([100_001, 1e9])),
      maxRecords: pickOf([-1, 1.5, NaN, Infinity, 'x', {}, [], true, 1e21, digitsThenJunk()]),
      range: pickOf(['24', 'h', '0h', '-1h', 'abc', '1 year', 5, {}, [], true, hugeStrings()[3]!, digitsThenJunk(), '1.'.padEnd(5000, '1'), '99999999999999999999d', '3651d', '0.1s']),
      start: badTime,
      end: badTime,
    },
    cases: [
      ...windowCases(now),
      scoped('last', 'device', 1),
      scoped('last', 'all'),
      scoped('realtime', 'load', 2),
      scoped('devices', 'all'),
      scoped('loads', 'device', 1),
      scoped('signals', 'load', 2),
      { valid: { operation: 'loads', scope: 'all', protocol: 'meterBus' }, breakable: ['operation', 'scope', 'uids', 'protocol', 'pageSize', 'maxRecords'] },
    ],
    good: {
      operation: EMS_OPS,
      scope: EMS_SCOPES,
      uid: [1, 2, 100, '101', 59],
      uids: ['100,101', [100, '105'], 103],
      protocol: ['tcp', 'meterBus'],
      pageSize: [10, 100],
      maxRecords: [5, 50],
      range: ['1h', '90 min'],
      start: [now - HOUR, new Date(now - 2 * HOUR).toISOString()],
      end: [now, new Date(now - HOUR / 2)],
    },
    // A valid but enormous read (no record cap, a page size of millions) only loads the simulator.
    tame: (key, value) => {
      if (key !== 'maxRecords' && key !== 'pageSize') return value;
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.length < 100 ? Number(value) : NaN;
      return Number.isFinite(n) && (n <= 0 || n > 100) ? 50 : value;
    },
  };
}

// ---------------------------------------------------------------- plugwise-in / plugwise-control
export const PW = {
  ZONE: 'f2bf9048bef64cc5b6d5110154e33c81',
  ADAM_GW: 'da224107914542988a88561b4452b0f6',
  BOILER: '056ee145a816487eaa69243c3280f8bf',
  PLUG: '29542b2b6a6a4169acecc15c72a599b8',
  LOCKED_PLUG: '2568cc4b9c1e401495d4741a5f89bee1',
  LISA: 'e2f4322d57924fa090fbbc48b3a140dc',
} as const;

export const plugwiseInSpec: FuzzSpec = {
  keys: ['entity'],
  // " " is not an entity id (it once meant "every entity"), nor one with control characters.
  invalid: { entity: either(0.85, badText, pickOf([' ', '\t\n', 'zone\r\n[error] forged'])) },
  cases: [{ valid: {}, breakable: ['entity'] }, { valid: { entity: PW.ZONE }, breakable: ['entity'] }],
  good: { entity: [PW.ZONE, PW.PLUG, 'ffffffffffffffffffffffffffffffff', '__proto__', 'constructor', 'toString'] },
};

const PW_ACTIONS = ['setpoint', 'preset', 'schedule', 'relay', 'lock', 'regulationMode', 'gatewayMode', 'dhwMode', 'maxBoilerTemperature', 'temperatureOffset', 'zoneProfile'] as const;
const pwNumber = (min: number, max: number): ((rng: Rng) => unknown) => pickOf([min - 1, max + 1, NaN, Infinity, -Infinity, 'warm', '21,5', {}, [], true, digitsThenJunk(), undefined, null]);
const pwOption = (...known: string[]): ((rng: Rng) => unknown) => pickOf([`${known[0]}!`, 'holiday', 5, {}, [], NaN, hugeStrings()[7]!, '__proto__', 'constructor', undefined]);
const pwBool = pickOf(['maybe', 2, -1, {}, [], NaN, digitsThenJunk(), 'onn', undefined]);

export const plugwiseControlSpec: FuzzSpec = {
  keys: ['entity', 'action'],
  invalid: { entity: badText, action: badName(PW_ACTIONS) },
  cases: [
    { valid: { entity: PW.ZONE, action: 'setpoint', payload: 21 }, breakable: ['entity', 'action'], bad: { payload: either(0.9, pwNumber(1, 35), pickOf([20.123, 0.5]))  } },
    { valid: { entity: PW.ZONE, action: 'preset', payload: 'away' }, breakable: ['entity', 'action'], bad: { payload: pwOption('away', 'home')  } },
    { valid: { entity: PW.ZONE, action: 'zoneProfile', payload: 'passive' }, breakable: ['entity', 'action'], bad: { payload: pwOption('active', 'passive')  } },
    { valid: { entity: PW.PLUG, action: 'relay', payload: 'on' }, breakable: ['entity', 'action'], bad: { payload: pwBool  } },
    { valid: { entity: PW.PLUG, action: 'lock', payload: false }, breakable: ['entity', 'action'], bad: { payload: pwBool  } },
    { valid: { entity: PW.ADAM_GW, action: 'regulationMode', payload: 'heating' }, breakable: ['entity', 'action'], bad: { payload: pwOption('heating')  } },
    { valid: { entity: PW.BOILER, action: 'maxBoilerTemperature', payload: 60 }, breakable: ['entity', 'action'], bad: { payload: pwNumber(25, 95)  } },
    { valid: { entity: PW.LISA, action: 'temperatureOffset', payload: -0.5 }, breakable: ['entity', 'action'], bad: { payload: either(0.8, pwNumber(-2, 2), pickOf([0.25]))  } },
    { valid: { entity: PW.LOCKED_PLUG, action: 'lock', payload: true }, breakable: ['entity', 'action'], bad: { payload: pwBool  } },
  ],
  // Valid whatever state the free msgs left the hub in (a relay may be locked now).
  after: [
    { entity: PW.ZONE, action: 'setpoint', payload: 20 },
    { entity: PW.BOILER, action: 'maxBoilerTemperature', payload: 55 },
    { entity: PW.PLUG, action: 'lock', payload: false },
  ],
  good: {
    entity: Object.values(PW),
    action: PW_ACTIONS,
    payload: [21, 20.5, 'away', 'home', true, false, 'on', 60, 0.5, 'passive', 'heating'],
  },
};
