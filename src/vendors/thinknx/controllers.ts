/**
 * The Integration Kit's capabilities as data: what each one sends for a set and a get, how its value is
 * coded, its range or names, which node fields it needs, and its help. The runtime reads it to build
 * requests and decode replies; the editor reads it to show only the fields a capability needs.
 * Pure: no Node.js API (the editor bundle imports it).
 */

export type CapabilityName =
  | 'power' | 'powerlevel' | 'updown' | 'stop' | 'heightlevel' | 'blindstep' | 'blindangle' | 'value'
  | 'temperature' | 'setpoint' | 'tempmode' | 'chrono' | 'hvacpower' | 'hvacsetpoint' | 'hvacmode' | 'hvacfan'
  | 'scene' | 'trigger' | 'knx' | 'serverStatus';

export type DeviceKind = 'light' | 'blind' | 'analog' | 'thermostat' | 'hvac' | 'scene' | 'button' | 'system';

/**
 * How a value travels: `switch` on/off <-> 0/1 (boolean out); `percent` 0-100 whole numbers; `number` a
 * decimal within `range`; `choice` a name from `names` (its index is the number sent); `action` a fixed
 * command; `knx` a telegram (group + DPT); `serverStatus` the server's summary.
 */
export type Codec = 'switch' | 'percent' | 'number' | 'choice' | 'action' | 'knx' | 'serverStatus';

/** Node fields a capability uses (the dialog shows only these). */
export type Field = 'guid' | 'feedback' | 'group' | 'dpt';

export interface SetSpec {
  controller: string;
  /** The parameter holding the value (`heightlevel` takes `val`, the KNX telegrams `value`). */
  param?: 'cmd' | 'val' | 'value';
  /** For `action`: the value always sent. */
  fixed?: number;
  /** The server can hold the reply until the device reports back (`fb`). */
  feedback?: boolean;
}

export interface Capability {
  name: CapabilityName;
  device: DeviceKind;
  label: string;
  set?: SetSpec;
  get?: { controller: string };
  codec: Codec;
  /** Allowed values of `percent` and `number`. */
  range?: { min: number; max: number };
  /** `choice`: the name of each number (index = number sent and reported). */
  names?: readonly string[];
  /** `choice`: other accepted spellings (lower case) -> number. */
  aliases?: Readonly<Record<string, number>>;
  /** `choice`: booleans are accepted (true = 1), as on the KNX bus. */
  booleans?: boolean;
  fields: readonly Field[];
  unit?: string;
  help: string;
  /** A payload that sets, for help and docs (undefined: read-only). */
  example?: unknown;
}

const PCT = { min: 0, max: 100 } as const;

export const CAPABILITIES: readonly Capability[] = [
  {
    name: 'power', device: 'light', label: 'Light / switch: power', codec: 'switch', fields: ['guid', 'feedback'],
    set: { controller: 'power', feedback: true }, get: { controller: 'powerstatus' }, example: true,
    help: 'Turns a light or switch on or off (true/false, 1/0, "on"/"off"); an empty payload or "get" reads its state. Out: a boolean.',
  },
  {
    name: 'powerlevel', device: 'light', label: 'Light / dimmer: level', codec: 'percent', range: PCT, unit: '%', fields: ['guid', 'feedback'],
    set: { controller: 'powerlevel', feedback: true }, get: { controller: 'powerlevelstatus' }, example: 50,
    help: 'Sets a dimmer to 0-100 % (rounded to a whole percent); an empty payload or "get" reads the level. Out: a number.',
  },
  {
    name: 'updown', device: 'blind', label: 'Blind: move up / down', codec: 'choice', names: ['up', 'down'], booleans: true, fields: ['guid'],
    set: { controller: 'updown' }, example: 'down',
    help: 'Moves a blind or curtain: "up" (0) or "down" (1); true means down, as on the KNX bus. Out: "up" or "down".',
  },
  {
    name: 'stop', device: 'blind', label: 'Blind: stop', codec: 'action', fields: ['guid'],
    set: { controller: 'stop', fixed: 1 }, example: 'stop',
    help: 'Stops a moving blind or curtain; any payload (except "get") stops it. Out: "stop".',
  },
  {
    name: 'heightlevel', device: 'blind', label: 'Blind: position', codec: 'percent', range: PCT, unit: '%', fields: ['guid', 'feedback'],
    set: { controller: 'heightlevel', param: 'val', feedback: true }, get: { controller: 'heightlevelstatus' }, example: 30,
    help: 'Moves a blind to a position of 0-100 %; an empty payload or "get" reads the position. Out: a number.',
  },
  {
    name: 'blindstep', device: 'blind', label: 'Blind: step the slats', codec: 'choice', names: ['clockwise', 'counterclockwise'],
    aliases: { 'counter-clockwise': 1, anticlockwise: 1 }, booleans: true, fields: ['guid'],
    set: { controller: 'blindstep' }, example: 'clockwise',
    help: 'Steps the slats one step: "clockwise" (0) or "counterclockwise" (1). Out: the direction.',
  },
  {
    name: 'blindangle', device: 'blind', label: 'Blind: slat angle', codec: 'percent', range: PCT, unit: '%', fields: ['guid', 'feedback'],
    set: { controller: 'blindangle', feedback: true }, get: { controller: 'blindanglestatus' }, example: 40,
    help: 'Sets the slat angle to 0-100 %; an empty payload or "get" reads it. Out: a number.',
  },
  {
    name: 'value', device: 'analog', label: 'Analog value', codec: 'number', range: { min: -1e15, max: 1e15 }, fields: ['guid', 'feedback'],
    set: { controller: 'setvalue', feedback: true }, get: { controller: 'getvalue' }, example: 85.3,
    help: 'Sets an analog value (a decimal number, "." as separator); an empty payload or "get" reads it. Out: a number.',
  },
  {
    name: 'temperature', device: 'thermostat', label: 'Thermostat: measured temperature', codec: 'number', unit: '°C', fields: ['guid'],
    get: { controller: 'actualtemp' },
    help: 'Reads the temperature a thermostat measures (any payload reads). Out: a number in °C.',
  },
  {
    name: 'setpoint', device: 'thermostat', label: 'Thermostat: setpoint', codec: 'number', range: { min: -30, max: 100 }, unit: '°C', fields: ['guid', 'feedback'],
    set: { controller: 'setpoint', feedback: true }, get: { controller: 'setpointstatus' }, example: 21.5,
    help: 'Sets the desired temperature in °C (-30 to 100); an empty payload or "get" reads it. Out: a number.',
  },
  {
    name: 'tempmode', device: 'thermostat', label: 'Thermostat: mode', codec: 'choice', names: ['standby', 'comfort', 'economy', 'protection'],
    aliases: { night: 2, eco: 2, frost: 3, 'heat protection': 3, 'frost protection': 3 }, fields: ['guid', 'feedback'],
    set: { controller: 'tempmode', feedback: true }, get: { controller: 'tempmodestatus' }, example: 'comfort',
    help: 'Sets the mode: "standby" (0), "comfort" (1), "economy" (2, also "night") or "protection" (3, frost/heat); an empty payload or "get" reads it.',
  },
  {
    name: 'chrono', device: 'thermostat', label: 'Thermostat: time schedule', codec: 'switch', fields: ['guid', 'feedback'],
    set: { controller: 'chronoen', feedback: true }, get: { controller: 'chronoenstatus' }, example: true,
    help: 'Enables (true) or disables (false) the thermostat\'s time schedule; an empty payload or "get" reads it. Out: a boolean.',
  },
  {
    name: 'hvacpower', device: 'hvac', label: 'HVAC: power', codec: 'switch', fields: ['guid', 'feedback'],
    set: { controller: 'hvacpower', feedback: true }, get: { controller: 'hvacpowerstatus' }, example: true,
    help: 'Turns an HVAC unit or fan on or off; an empty payload or "get" reads its state. Out: a boolean.',
  },
  {
    name: 'hvacsetpoint', device: 'hvac', label: 'HVAC: setpoint', codec: 'number', range: { min: 0, max: 50 }, unit: '°C', fields: ['guid', 'feedback'],
    set: { controller: 'hvacsetpoint', feedback: true }, get: { controller: 'hvacsetpointstatus' }, example: 24,
    help: 'Sets the HVAC unit\'s temperature in °C (0 to 50); an empty payload or "get" reads it. Out: a number.',
  },
  {
    name: 'hvacmode', device: 'hvac', label: 'HVAC: mode', codec: 'choice', names: ['cooling', 'heating', 'dry', 'fan', 'auto'],
    aliases: { cool: 0, heat: 1 }, fields: ['guid', 'feedback'],
    set: { controller: 'hvacmode', feedback: true }, get: { controller: 'hvacmodestatus' }, example: 'cooling',
    help: 'Sets the mode: "cooling" (0), "heating" (1), "dry" (2), "fan" (3) or "auto" (4); an empty payload or "get" reads it.',
  },
  {
    name: 'hvacfan', device: 'hvac', label: 'HVAC: fan speed', codec: 'choice', names: ['auto', 'low', 'medium', 'high'],
    aliases: { min: 1, minimum: 1, average: 2, mid: 2, max: 3, maximum: 3 }, fields: ['guid', 'feedback'],
    set: { controller: 'hvacfan', feedback: true }, get: { controller: 'hvacfanstatus' }, example: 'medium',
    help: 'Sets the fan speed: "auto" (0), "low" (1), "medium" (2) or "high" (3); an empty payload or "get" reads it.',
  },
  {
    name: 'scene', device: 'scene', label: 'Scene: launch / stop', codec: 'choice', names: ['stop', 'launch'], booleans: true, fields: ['guid'],
    set: { controller: 'scenelaunch' }, example: 'launch',
    help: 'Launches a scene (1, true or "launch") or stops a running one (0, false or "stop"). Out: "launch" or "stop".',
  },
  {
    name: 'trigger', device: 'button', label: 'Generic button: trigger', codec: 'action', fields: ['guid'],
    set: { controller: 'trigger', fixed: 1 }, example: 'go',
    help: 'Runs the actions of a generic button; any payload (except "get") triggers. Out: "trigger".',
  },
  {
    name: 'knx', device: 'system', label: 'KNX telegram', codec: 'knx', fields: ['group', 'dpt'],
    example: 1,
    help: 'Writes a value to a KNX group address (main/middle/sub) with the chosen DPT; msg.group and msg.dpt override. Out: {group, value, dpt}.',
  },
  {
    name: 'serverStatus', device: 'system', label: 'Server status', codec: 'serverStatus', fields: [],
    get: { controller: 'system/serverStatus' },
    help: 'Reads the server\'s version, uptimes (s), configuration time (ms), connected clients and PBX users (any payload reads).',
  },
];

export const DEVICE_LABELS: Readonly<Record<DeviceKind, string>> = {
  light: 'Lights, switches and dimmers',
  blind: 'Blinds, curtains and slats',
  analog: 'Analog values',
  thermostat: 'Thermostats',
  hvac: 'HVAC units and fans',
  scene: 'Scenes',
  button: 'Generic buttons',
  system: 'System',
};

export function findCapability(name: unknown): Capability | undefined {
  if (typeof name !== 'string') return undefined;
  const wanted = name.trim().toLowerCase();
  return CAPABILITIES.find((c) => c.name.toLowerCase() === wanted);
}
