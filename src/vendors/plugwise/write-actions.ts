/**
 * Which control actions an entity supports, with the bounds, resolution and options of the last read,
 * and the checks a value must pass before anything is sent. Pure; used by the writer and the editor.
 */
import { badInput } from '../../core/errors';
import type { Entity, PlugwiseSnapshot } from './types';

export const CONTROL_ACTIONS = [
  'setpoint',
  'preset',
  'schedule',
  'relay',
  'lock',
  'regulationMode',
  'gatewayMode',
  'dhwMode',
  'maxBoilerTemperature',
  'temperatureOffset',
  'zoneProfile',
] as const;

export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export function isControlAction(value: unknown): value is ControlAction {
  return typeof value === 'string' && (CONTROL_ACTIONS as readonly string[]).includes(value);
}

export interface ActionInfo {
  action: ControlAction;
  kind: 'number' | 'option' | 'boolean';
  current?: number | string | boolean | null;
  /** number: bounds and resolution, in °C. */
  min?: number;
  max?: number;
  step?: number;
  /** option: the values the hub offers. */
  options?: string[];
  /** Why the hub would not act on it now (a locked relay); the writer refuses it. */
  blocked?: string;
  /** Anna with cooling: the setpoint a number writes (the active one). */
  target?: 'setpointLow' | 'setpointHigh';
}

export interface ActionContext {
  snapshot: PlugwiseSnapshot;
  legacy: boolean;
}

type Details = Omit<ActionInfo, 'action'>;

interface Bounded {
  lowerBound?: unknown;
  upperBound?: unknown;
  resolution?: unknown;
  setpoint?: unknown;
  setpointLow?: unknown;
  setpointHigh?: unknown;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function switchesOf(entity: Entity | undefined): Record<string, unknown> {
  const s = entity?.switches;
  return s !== null && typeof s === 'object' ? (s as Record<string, unknown>) : {};
}

function bounded(value: unknown, current: unknown): Details | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const b = value as Bounded;
  if (num(current) === undefined) return undefined;
  return { kind: 'number', current: num(current), min: num(b.lowerBound), max: num(b.upperBound), step: num(b.resolution) };
}

function options(list: unknown, current: unknown): Details | undefined {
  if (!Array.isArray(list)) return undefined;
  const values = list.filter((v): v is string => typeof v === 'string' && v !== 'None');
  if (values.length === 0) return undefined;
  return { kind: 'option', options: values, current: typeof current === 'string' ? current : null };
}

/** Anna with cooling: is the heat pump in cooling mode (the high setpoint is the active one)? */
export function coolingEnabled(snapshot: PlugwiseSnapshot): boolean {
  for (const e of Object.values(snapshot.entities)) {
    if (e.devClass !== 'heater_central') continue;
    const bs = e.binarySensors as Record<string, unknown> | undefined;
    if (bs?.coolingEnabled === true) return true;
  }
  return false;
}

function setpointInfo(entity: Entity, ctx: ActionContext): Details | undefined {
  const t = entity.thermostat as Bounded | undefined;
  if (t === undefined || t === null) return undefined;
  if (num(t.setpoint) !== undefined) return bounded(t, t.setpoint);
  if (num(t.setpointLow) === undefined || num(t.setpointHigh) === undefined) return undefined;
  const target = coolingEnabled(ctx.snapshot) ? 'setpointHigh' : 'setpointLow';
  const info = bounded(t, t[target]);
  return info && { ...info, target };
}

/** Group members whose relay may be switched (python-plugwise: unlocked; a modern plug without a lock is not). */
export function switchableMembers(ctx: ActionContext, members: string[]): string[] {
  return members.filter((id) => {
    const lock = switchesOf(ctx.snapshot.entities[id]).lock;
    return ctx.legacy ? lock !== true : lock === false;
  });
}

function relayInfo(entity: Entity, ctx: ActionContext): Details | undefined {
  const sw = switchesOf(entity);
  if (typeof sw.relay !== 'boolean') return undefined;
  const info: Details = { kind: 'boolean', current: sw.relay };
  if (Array.isArray(entity.members)) {
    if (switchableMembers(ctx, entity.members as string[]).length === 0) info.blocked = 'every member of the group is locked';
    return info;
  }
  if (sw.lock === true) return { ...info, blocked: 'its relay is locked (unlock it first with the lock action)' };
  // A modern plug without a lock (pump, electric heater, valve actuator) is switched by the hub itself.
  if (sw.lock === undefined && !ctx.legacy) return undefined;
  return info;
}

function onlyFor(devClass: string, find: (e: Entity) => Details | undefined): (e: Entity) => Details | undefined {
  return (e) => (e.devClass === devClass ? find(e) : undefined);
}

/** The table: how each action is found on an entity. */
const FINDERS: Record<ControlAction, (entity: Entity, ctx: ActionContext) => Details | undefined> = {
  setpoint: setpointInfo,
  preset: (e) => options(e.presetModes, e.activePreset),
  schedule: (e) => options(e.availableSchedules, e.selectSchedule),
  relay: relayInfo,
  lock: (e) => (typeof switchesOf(e).lock === 'boolean' ? { kind: 'boolean', current: switchesOf(e).lock as boolean } : undefined),
  regulationMode: onlyFor('gateway', (e) => options(e.regulationModes, e.selectRegulationMode)),
  gatewayMode: onlyFor('gateway', (e) => options(e.gatewayModes, e.selectGatewayMode)),
  dhwMode: onlyFor('heater_central', (e) => options(e.dhwModes, e.selectDhwMode)),
  // Legacy hubs have no write for these (python-plugwise: placeholders).
  maxBoilerTemperature: (e, ctx) => (ctx.legacy ? undefined : bounded(e.maximumBoilerTemperature, (e.maximumBoilerTemperature as Bounded | undefined)?.setpoint)),
  temperatureOffset: (e, ctx) => (ctx.legacy ? undefined : bounded(e.temperatureOffset, (e.temperatureOffset as Bounded | undefined)?.setpoint)),
  zoneProfile: (e) => options(e.zoneProfiles, e.selectZoneProfile),
};

export function actionInfo(entity: Entity, action: ControlAction, ctx: ActionContext): ActionInfo | undefined {
  const details = FINDERS[action](entity, ctx);
  return details && { action, ...details };
}

/** Every action the entity supports, in the contract's order. */
export function entityActions(entity: Entity, ctx: ActionContext): ActionInfo[] {
  const out: ActionInfo[] = [];
  for (const action of CONTROL_ACTIONS) {
    const info = actionInfo(entity, action, ctx);
    if (info) out.push(info);
  }
  return out;
}

// ---- value checks: BAD_INPUT, nothing sent ----

export function parseNumber(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw badInput(`${what} needs a number in msg.payload, not ${show(value)}.`);
  return n;
}

export function checkBounds(value: number, info: ActionInfo, what: string): void {
  const { min, max, step } = info;
  if ((min !== undefined && value < min - 1e-9) || (max !== undefined && value > max + 1e-9)) {
    throw badInput(`${what} must be between ${min ?? '-∞'} and ${max ?? '∞'} °C (the hub's limits), not ${value}.`);
  }
  if (step !== undefined && step > 0) {
    const steps = value / step;
    if (Math.abs(steps - Math.round(steps)) > 1e-6) throw badInput(`${what} must be a multiple of ${step} °C (the hub's resolution), not ${value}.`);
  }
}

const TRUE_WORDS = new Set(['true', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'off', '0']);

/** true/false, 1/0, "on"/"off", "true"/"false"; undefined when the value is none of these. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

export function parseBoolean(value: unknown, what: string): boolean {
  const b = asBoolean(value);
  if (b === undefined) throw badInput(`${what} needs true/false (or "on"/"off") in msg.payload, not ${show(value)}.`);
  return b;
}

/** One of the hub's options: exact, or the only case-insensitive match. */
export function parseOption(value: unknown, info: ActionInfo, what: string): string {
  const list = info.options ?? [];
  if (typeof value === 'string') {
    const v = value.trim();
    if (list.includes(v)) return v;
    const loose = list.filter((o) => o.toLowerCase() === v.toLowerCase());
    if (loose.length === 1) return loose[0];
  }
  throw badInput(`${what} must be one of ${list.map((o) => `"${o}"`).join(', ')}; not ${show(value)}.`);
}

/** A value for an error message, short and without objects' content. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A number as the hub writes it: at most the resolution's decimals, no trailing zeros. */
export function formatNumber(value: number, step?: number): string {
  const decimals = step !== undefined && step > 0 ? Math.min(6, (/\.(\d+)$/.exec(String(step))?.[1] ?? '').length) : 6;
  const s = value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}
