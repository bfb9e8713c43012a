/**
 * The devices of a simulated Thinknx project: state per GUID, and the Integration Kit's controllers as
 * the server documents them (which device kinds take each one, its parameter and range). Written from
 * the API document independently of the client's table, so a mistake in one shows against the other.
 */

export type DeviceKind = 'light' | 'dimmer' | 'blind' | 'analog' | 'thermostat' | 'hvac' | 'scene' | 'button';

export interface DeviceState {
  power: number;
  level: number;
  height: number;
  angle: number;
  value: number;
  temp: number;
  setpoint: number;
  tempmode: number;
  chrono: number;
  hvacpower: number;
  hvacsetpoint: number;
  hvacmode: number;
  hvacfan: number;
  /** The last movement asked for (updown/stop/blindstep/scenelaunch/trigger), for assertions. */
  last: string;
  /** Commands applied to this device (a replayed set shows as one too many). */
  applied: number;
}

export interface Device {
  guid: string;
  kind: DeviceKind;
  name: string;
  state: DeviceState;
  commObj: number;
}

export interface ControllerDef {
  kinds: readonly DeviceKind[];
  /** The state field it sets or reads. */
  field?: keyof Omit<DeviceState, 'last' | 'applied'>;
  /** A set: its value parameter and range (integer unless `decimal`). */
  param?: 'cmd' | 'val';
  min?: number;
  max?: number;
  decimal?: boolean;
  /** The device reports this back after a set (e.g. an HVAC unit rounds to whole degrees). */
  report?: (v: number) => number;
  /** Other effects of a set. */
  effect?: (s: DeviceState, v: number) => void;
  /** No status in the reply even with `fb` (the API documents no fb for these). */
  noFeedback?: boolean;
}

const ALL_LIGHTS = ['light', 'dimmer'] as const;

export const CONTROLLERS: Readonly<Record<string, ControllerDef>> = {
  power: { kinds: ALL_LIGHTS, field: 'power', param: 'cmd', min: 0, max: 1, effect: (s, v) => (s.level = v ? s.level || 100 : 0) },
  powerstatus: { kinds: ALL_LIGHTS, field: 'power' },
  powerlevel: { kinds: ['dimmer'], field: 'level', param: 'cmd', min: 0, max: 100, effect: (s, v) => (s.power = v > 0 ? 1 : 0) },
  powerlevelstatus: { kinds: ['dimmer'], field: 'level' },
  updown: { kinds: ['blind'], param: 'cmd', min: 0, max: 1, noFeedback: true, effect: (s, v) => ((s.last = v ? 'down' : 'up'), (s.height = v ? 100 : 0)) },
  stop: { kinds: ['blind'], param: 'cmd', min: 1, max: 1, noFeedback: true, effect: (s) => (s.last = 'stop') },
  heightlevel: { kinds: ['blind'], field: 'height', param: 'val', min: 0, max: 100 },
  heightlevelstatus: { kinds: ['blind'], field: 'height' },
  blindstep: { kinds: ['blind'], param: 'cmd', min: 0, max: 1, noFeedback: true, effect: (s, v) => ((s.last = v ? 'counterclockwise' : 'clockwise'), (s.angle = Math.min(100, Math.max(0, s.angle + (v ? -10 : 10))))) },
  blindangle: { kinds: ['blind'], field: 'angle', param: 'cmd', min: 0, max: 100 },
  blindanglestatus: { kinds: ['blind'], field: 'angle' },
  setvalue: { kinds: ['analog'], field: 'value', param: 'cmd', decimal: true },
  getvalue: { kinds: ['analog'], field: 'value' },
  actualtemp: { kinds: ['thermostat'], field: 'temp' },
  setpoint: { kinds: ['thermostat'], field: 'setpoint', param: 'cmd', decimal: true, report: (v) => Math.round(v * 10) / 10 },
  setpointstatus: { kinds: ['thermostat'], field: 'setpoint' },
  tempmode: { kinds: ['thermostat'], field: 'tempmode', param: 'cmd', min: 0, max: 3 },
  tempmodestatus: { kinds: ['thermostat'], field: 'tempmode' },
  chronoen: { kinds: ['thermostat'], field: 'chrono', param: 'cmd', min: 0, max: 1 },
  chronoenstatus: { kinds: ['thermostat'], field: 'chrono' },
  hvacpower: { kinds: ['hvac'], field: 'hvacpower', param: 'cmd', min: 0, max: 1 },
  hvacpowerstatus: { kinds: ['hvac'], field: 'hvacpower' },
  hvacsetpoint: { kinds: ['hvac'], field: 'hvacsetpoint', param: 'cmd', decimal: true, report: (v) => Math.round(v) },
  hvacsetpointstatus: { kinds: ['hvac'], field: 'hvacsetpoint' },
  hvacmode: { kinds: ['hvac'], field: 'hvacmode', param: 'cmd', min: 0, max: 4 },
  hvacmodestatus: { kinds: ['hvac'], field: 'hvacmode' },
  hvacfan: { kinds: ['hvac'], field: 'hvacfan', param: 'cmd', min: 0, max: 3 },
  hvacfanstatus: { kinds: ['hvac'], field: 'hvacfan' },
  scenelaunch: { kinds: ['scene'], param: 'cmd', min: 0, max: 1, noFeedback: true, effect: (s, v) => (s.last = v ? 'launch' : 'stop') },
  trigger: { kinds: ['button'], noFeedback: true, effect: (s) => (s.last = 'trigger') },
};

/** KNX system controllers: the value range the server accepts (the API document's). */
export const KNX_CONTROLLERS: Readonly<Record<string, { min: number; max: number; integer: boolean }>> = {
  'system/sendKNXbit': { min: 0, max: 1, integer: true },
  'system/sendKNX4bits': { min: 0, max: 31, integer: true },
  'system/sendKNXbyte': { min: 0, max: 255, integer: true },
  'system/sendKNXbyteun': { min: -128, max: 127, integer: true },
  'system/sendKNXfloat2bytes': { min: -671088.64, max: 670760.96, integer: false },
  'system/sendKNXfloat4bytes': { min: -3.5e38, max: 3.5e38, integer: false },
};

export function newState(): DeviceState {
  return {
    power: 0, level: 0, height: 0, angle: 0, value: 0, temp: 20.5, setpoint: 21, tempmode: 1, chrono: 0,
    hvacpower: 0, hvacsetpoint: 24, hvacmode: 4, hvacfan: 0, last: '', applied: 0,
  };
}

/** One device of each kind, GUIDs as the examples and the demo use them. */
export const DEMO_DEVICES: ReadonlyArray<{ guid: string; kind: DeviceKind; name: string }> = [
  { guid: 'kitchen-light', kind: 'light', name: 'Kitchen ceiling' },
  { guid: 'living-dimmer', kind: 'dimmer', name: 'Living room dimmer' },
  { guid: 'living-blind', kind: 'blind', name: 'Living room blind' },
  { guid: 'pool-level', kind: 'analog', name: 'Pool water level' },
  { guid: 'bath-thermostat', kind: 'thermostat', name: 'Bathroom thermostat' },
  { guid: 'office-hvac', kind: 'hvac', name: 'Office split unit' },
  { guid: 'scene-evening', kind: 'scene', name: 'Evening scene' },
  { guid: 'door-button', kind: 'button', name: 'Door opener' },
];
