/**
 * The simulated HeatingControl account's data: homes, heaters with state, settings and the command
 * schemas they publish, and what executing a command does to a heater.
 */

export interface SimHome {
  id: string;
  name: string;
  deviceCount: number;
  location: Record<string, unknown>;
}

export interface SimSetting {
  key: string;
  type: string;
  label: string;
  value: unknown;
  editable: boolean;
  options?: unknown[];
  [extra: string]: unknown;
}

export interface SimParam {
  type: string;
  required: boolean;
  constraints?: Record<string, unknown>;
}

export interface SimDevice {
  info: Record<string, unknown> & { id: string; name: string; homeId: string };
  /** Temperatures always held in degC; served in the unit of the temperature_units setting. */
  state: Record<string, unknown>;
  settings: Record<string, SimSetting>;
  commands: Record<string, { params: Record<string, SimParam> }>;
}

const NAMES = ['Living Room Heater', 'Bedroom Heater', 'Kitchen Heater', 'Bathroom Towel Rail', 'Study Heater', 'Hall Heater'];

export const homeId = (i: number): string => `aabbccdd-eeff-0011-2233-4455000000${String(i).padStart(2, '0')}`;
export const deviceId = (i: number): string => `a1b2c3d4-e5f6-4890-abcd-${String(i).padStart(12, '0')}`;

export function makeHomes(count: number): SimHome[] {
  const cities = [
    { country: 'ES', state: 'Catalonia', city: 'Barcelona', timeZone: 'Europe/Madrid', latitude: 41.3851, longitude: 2.1734, geofenceRadius: 200 },
    { country: 'NL', state: 'Utrecht', city: 'Utrecht', timeZone: 'Europe/Amsterdam', latitude: 52.0907, longitude: 5.1214, geofenceRadius: 150 },
  ];
  return Array.from({ length: count }, (_, i) => ({
    id: homeId(i + 1),
    name: i === 0 ? 'My Home' : `Home ${i + 1}`,
    deviceCount: 0,
    location: cities[i % cities.length]!,
  }));
}

/** The command schemas every heater publishes (the shape GET /v1/devices/{id}/commands documents). */
export function heaterCommands(): SimDevice['commands'] {
  const temperature = (required: boolean): SimParam => ({ type: 'number', required, constraints: { min: 5, max: 35, step: 0.5 } });
  return {
    setMode: { params: { mode: { type: 'string', required: true, constraints: { options: ['auto', 'manual', 'off'] } }, temperature: temperature(false) } },
    setTemperature: { params: { temperature: temperature(true) } },
    boost: { params: { minutes: { type: 'integer', required: true, constraints: { min: 15, max: 120, step: 15 } } } },
    identify: { params: {} },
  };
}

export function heaterSettings(): Record<string, SimSetting> {
  return {
    temperature_units: { key: 'temperature_units', type: 'enum', label: 'Temperature Units', value: 'C', editable: true, options: ['C', 'F'] },
    keyboard_locked: { key: 'keyboard_locked', type: 'boolean', label: 'Keyboard Lock', value: false, editable: true },
    window_open_detection: { key: 'window_open_detection', type: 'boolean', label: 'Open Window Detection', value: true, editable: true },
    serial_number: { key: 'serial_number', type: 'string', label: 'Serial Number', value: 'HC-0000', editable: false },
  };
}

export function makeDevices(count: number, homes: SimHome[]): SimDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const home = homes[i % homes.length]!;
    home.deviceCount++;
    const maxPower = i % 2 === 0 ? 1500 : 2000;
    const settings = heaterSettings();
    settings.serial_number!.value = `HC-${String(1000 + i)}`;
    return {
      info: {
        id: deviceId(i + 1),
        name: NAMES[i] ?? `Heater ${i + 1}`,
        type: 'heater',
        subtype: 'wifi_heater',
        homeId: home.id,
        online: true,
        fwVersion: '2.1.0',
        hwVersion: '1.0',
        gatewayId: null,
      },
      state: {
        type: 'heater',
        online: true,
        mode: 'auto',
        indicators: i % 2 === 0 ? ['active'] : [],
        currentTemperature: 20.5 + (i % 4) * 0.4,
        targetTemperature: 22,
        power: i % 2 === 0 ? maxPower : 0,
        maxPower,
      },
      settings,
      commands: heaterCommands(),
    };
  });
}

/** The simulator's own check of a command (independent of the client's): a problem, or undefined. */
export function serverCheck(schema: { params: Record<string, SimParam> }, params: Record<string, unknown>): string | undefined {
  for (const [name, p] of Object.entries(schema.params)) {
    const v = params[name];
    if (v === undefined) {
      if (p.required) return `${name} is required`;
      continue;
    }
    const c = p.constraints ?? {};
    if (p.type === 'number' || p.type === 'integer') {
      if (typeof v !== 'number' || (p.type === 'integer' && !Number.isInteger(v))) return `${name} must be a ${p.type}`;
      if (typeof c.min === 'number' && v < c.min) return `${name} must be >= ${c.min}`;
      if (typeof c.max === 'number' && v > c.max) return `${name} must be <= ${c.max}`;
      if (typeof c.step === 'number' && Math.abs(((v - (Number(c.min) || 0)) / c.step) % 1) > 1e-9) return `${name} must be a multiple of ${c.step}`;
    }
    if (Array.isArray(c.options) && !c.options.includes(v)) return `${name} must be one of ${c.options.join(', ')}`;
  }
  const unknown = Object.keys(params).find((k) => !(k in schema.params));
  return unknown ? `unknown parameter ${unknown}` : undefined;
}

/** What a command does to the heater. */
export function applyCommand(device: SimDevice, key: string, params: Record<string, unknown>): void {
  const s = device.state;
  if (key === 'setMode') {
    s.mode = params.mode;
    if (typeof params.temperature === 'number') s.targetTemperature = params.temperature;
  } else if (key === 'setTemperature') {
    s.targetTemperature = params.temperature;
    s.mode = 'manual';
  }
  if (s.mode === 'off') s.power = 0;
  else if (typeof s.targetTemperature === 'number' && typeof s.currentTemperature === 'number') {
    s.power = s.targetTemperature > s.currentTemperature ? s.maxPower : 0;
  }
  s.indicators = s.power ? ['active'] : [];
}

/** The state as served: in degF when the device's temperature_units setting says so. */
export function servedState(device: SimDevice, extra: Record<string, unknown>): Record<string, unknown> {
  const units = device.settings.temperature_units?.value === 'F' ? 'F' : 'C';
  const out: Record<string, unknown> = { ...device.state, temperatureUnits: units, ...extra };
  if (units === 'F') {
    for (const k of ['currentTemperature', 'targetTemperature']) {
      if (typeof out[k] === 'number') out[k] = Math.round(((out[k] as number) * 9) / 5 * 10 + 320) / 10;
    }
  }
  return out;
}
