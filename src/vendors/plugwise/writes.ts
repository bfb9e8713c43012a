/**
 * planWrite: a control action on an entity, checked against the last read, turned into the exact
 * requests the hub expects (write-shapes.ts). Pure: nothing is sent here, and a refusal sends nothing.
 */
import { GatewayError, badInput } from '../../core/errors';
import { MAX_SETPOINT, MIN_SETPOINT, SCHEDULE_TAG } from './tables';
import type { Entity, HubInfo, PlugwiseSnapshot } from './types';
import {
  actionInfo,
  asBoolean,
  checkBounds,
  entityActions,
  parseBoolean,
  parseNumber,
  parseOption,
  show,
  switchableMembers,
  formatNumber,
  type ActionContext,
  type ActionInfo,
  type ControlAction,
} from './write-actions';
import { contextHasZone, fillShape, toXml, zoneContext, type WriteRequest } from './write-shapes';
import { hubDayStart, hubMidnight, type ApplianceTarget, type RuleTarget, type WriteTargets } from './write-targets';
import { kids, type XmlNode } from './xml';

/** What a write is checked against: the last read's snapshot and the ids behind it. */
export interface LastRead {
  info: HubInfo;
  snapshot: PlugwiseSnapshot;
  targets: WriteTargets;
}

export interface WritePlan {
  entityId: string;
  action: ControlAction;
  /** The value as it is written (number, option, boolean, or {mode, from, to} for a gateway mode). */
  value: unknown;
  /** In order; empty when the hub is already in the asked state (a schedule already on or off). */
  requests: WriteRequest[];
}

/** valid_to python-plugwise gives away and vacation periods: "until further notice". */
export const OPEN_END = Date.parse('2037-04-21T08:00:53.000Z');

interface Job {
  read: LastRead;
  entity: Entity;
  entityId: string;
  info: ActionInfo;
  payload: unknown;
  label: string;
}

type Built = { value: unknown; requests: WriteRequest[] };

function appliance(job: Job, id = job.entityId): ApplianceTarget {
  const target = job.read.targets.appliances.get(id);
  if (target === undefined) throw new GatewayError('BAD_RESPONSE', `The hub's XML has no appliance ${id} for ${job.label}; read it again and retry.`);
  return target;
}

/** Adam: the zone is the location; Anna: the thermostat's location. */
function locationOf(job: Job): { id: string; name: string; type: string; thermostat?: string } {
  const id = job.entity.devClass === 'climate' ? job.entityId : String(job.entity.location ?? '');
  const target = job.read.targets.locations.get(id);
  if (target === undefined) throw new GatewayError('BAD_RESPONSE', `The hub's XML has no location ${id} for ${job.label}; read it again and retry.`);
  return { id, ...target };
}

function setpoint(job: Job): Built {
  const { info, payload, label } = job;
  let raw = payload;
  if (info.target !== undefined && payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const o = payload as Record<string, unknown>;
    const other = info.target === 'setpointLow' ? 'setpointHigh' : 'setpointLow';
    const fixed = info.target === 'setpointLow' ? MAX_SETPOINT : MIN_SETPOINT;
    if (o[other] !== undefined && parseNumber(o[other], `${label} ${other}`) !== fixed) {
      const mode = info.target === 'setpointLow' ? 'heating' : 'cooling';
      throw badInput(`${label} is ${mode}: only ${info.target} can be set now (${other} stays ${fixed} °C).`);
    }
    raw = o[info.target];
  }
  const value = parseNumber(raw, `The setpoint of ${label}`);
  checkBounds(value, info, `The setpoint of ${label}`);
  const text = formatNumber(value, info.step);
  if (job.read.info.legacy) {
    return { value, requests: [fillShape('setpointLegacy', { appliance: job.read.targets.legacyThermostat ?? '', value: text })] };
  }
  const loc = locationOf(job);
  return { value, requests: [fillShape('setpoint', { location: loc.id, functionality: loc.thermostat ?? '', value: text })] };
}

function preset(job: Job): Built {
  const value = parseOption(job.payload, job.info, `The preset of ${job.label}`);
  if (job.read.info.legacy) {
    const rule = job.read.targets.rules.find((r) => r.icons.includes(value));
    return { value, requests: [fillShape('presetLegacy', { rule: rule?.id ?? '' })] };
  }
  const loc = locationOf(job);
  return { value, requests: [fillShape('preset', { location: loc.id, name: loc.name, type: loc.type, value })] };
}

function scheduleRule(targets: WriteTargets, name: string): RuleTarget | undefined {
  const named = targets.rules.filter((r) => r.name === name);
  return named.find((r) => r.templateTag === SCHEDULE_TAG) ?? named[0];
}

/** The schedule turned on by `true` when none is on: the one changed last (python-plugwise's rule). */
function lastUsed(job: Job, names: string[]): string {
  let best: { name: string; time: number } | undefined;
  for (const name of names) {
    const time = Date.parse(scheduleRule(job.read.targets, name)?.modified ?? '') || 0;
    if (best === undefined || time > best.time) best = { name, time };
  }
  if (best === undefined) throw badInput(`${job.label} has no schedule to switch on.`);
  return best.name;
}

function schedule(job: Job): Built {
  const { info, payload, label } = job;
  const current = typeof info.current === 'string' ? info.current : 'off';
  const names = (info.options ?? []).filter((o) => o !== 'off');
  let on: boolean;
  let name: string;
  const exact = typeof payload === 'string' && names.includes(payload.trim()) ? payload.trim() : undefined;
  const flag = exact === undefined ? asBoolean(payload) : undefined;
  if (exact !== undefined) [on, name] = [true, exact];
  else if (flag !== undefined) [on, name] = [flag, flag ? (current !== 'off' ? current : lastUsed(job, names)) : current];
  else {
    name = parseOption(payload, info, `The schedule of ${label} (a schedule name, or true/false)`);
    on = name !== 'off';
    if (!on) name = current;
  }
  const value = on ? name : 'off';
  if ((on && name === current) || (!on && current === 'off')) return { value, requests: [] };
  const rule = scheduleRule(job.read.targets, name);
  if (rule === undefined) throw new GatewayError('BAD_RESPONSE', `The hub's XML has no rule for the schedule "${name}".`);
  if (job.read.info.legacy) {
    const active = on ? 'true' : 'false';
    return { value, requests: [fillShape('scheduleLegacy', { rule: rule.id, name, template: rule.templateId ?? '', value: active })] };
  }
  const loc = locationOf(job);
  const kept: XmlNode[] = kids(rule.contexts, 'context').filter((c) => !contextHasZone(c, loc.id));
  if (on) kept.push(zoneContext(loc.id));
  const template =
    job.read.info.model === 'anna' ? `<template id="${rule.templateId ?? ''}" />` : `<template tag="${SCHEDULE_TAG}" />`;
  const contexts = toXml('contexts', kept.length === 0 ? undefined : { context: kept });
  return { value, requests: [fillShape('schedule', { rule: rule.id, name, template, contexts })] };
}

function relayRequest(job: Job, id: string, state: string): WriteRequest {
  const t = job.read.targets;
  if (t.stretchV2) return fillShape('relayStretchV2', { appliance: id, value: state });
  if (t.legacy) return fillShape('relayLegacy', { appliance: id, value: state });
  return fillShape('relay', { appliance: id, functionality: appliance(job, id).relay ?? '', value: state });
}

function relay(job: Job): Built {
  const value = parseBoolean(job.payload, `The relay of ${job.label}`);
  const state = value ? 'on' : 'off';
  const members = Array.isArray(job.entity.members) ? switchableMembers(context(job.read), job.entity.members as string[]) : [job.entityId];
  return { value, requests: members.map((id) => relayRequest(job, id, state)) };
}

function lock(job: Job): Built {
  const value = parseBoolean(job.payload, `The lock of ${job.label}`);
  const t = job.read.targets;
  const target = appliance(job);
  if (!t.legacy) {
    return { value, requests: [fillShape('lock', { appliance: job.entityId, functionality: target.relay ?? '', value: String(value) })] };
  }
  const container = t.stretchV2 ? 'actuators' : 'actuator_functionalities';
  const functionality = t.stretchV2 ? 'relay' : 'relay_functionality';
  const values = { appliance: job.entityId, name: target.name, type: target.type, container, functionality, value: String(value) };
  return { value, requests: [fillShape('lockLegacy', values)] };
}

function regulationMode(job: Job): Built {
  const value = parseOption(job.payload, job.info, 'The regulation mode');
  const duration = value.includes('bleeding') ? '<duration>300</duration>' : '';
  return { value, requests: [fillShape('regulationMode', { value, duration })] };
}

/** A Date, epoch ms, an ISO date/time, or a plain date ("2025-12-20": midnight on the hub's clock). */
function timeOf(value: unknown, what: string, targets: WriteTargets): number {
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? hubMidnight(value.trim(), targets) : Date.parse(value);
  if (!Number.isFinite(ms)) throw badInput(`${what} must be a Date, an ISO date/time or epoch ms, not ${show(value)}.`);
  return ms;
}

function gatewayMode(job: Job): Built {
  const p = job.payload;
  const o = p !== null && typeof p === 'object' && !Array.isArray(p) && !(p instanceof Date) ? (p as Record<string, unknown>) : { mode: p };
  const mode = parseOption(o.mode, job.info, 'The gateway mode');
  const fromIn = o.from ?? o.start;
  const toIn = o.to ?? o.end;
  if (mode === 'full') {
    if (fromIn !== undefined || toIn !== undefined) throw badInput('The gateway mode "full" has no period: leave out from/to.');
    return { value: { mode }, requests: [fillShape('gatewayMode', { appliance: job.entityId, value: mode, period: '' })] };
  }
  const now = job.read.snapshot.gateway.time;
  // away starts now; a vacation at the start of the hub's local day (python-plugwise's choices).
  const targets = job.read.targets;
  const defaultFrom = mode === 'vacation' ? hubDayStart(targets) ?? now : now;
  const from = fromIn === undefined ? defaultFrom : timeOf(fromIn, 'The period start (from)', targets);
  const to = toIn === undefined ? OPEN_END : timeOf(toIn, 'The period end (to)', targets);
  if (to <= from) throw badInput(`The ${mode} period must end after it starts (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()}).`);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const period = `<valid_from>${iso(from)}</valid_from><valid_to>${iso(to)}</valid_to>`;
  return { value: { mode, from: iso(from), to: iso(to) }, requests: [fillShape('gatewayMode', { appliance: job.entityId, value: mode, period })] };
}

function dhwMode(job: Job): Built {
  const value = parseOption(job.payload, job.info, `The DHW mode of ${job.label}`);
  const target = appliance(job);
  if (target.dhwModeControl) return { value, requests: [fillShape('dhwMode', { value })] };
  const toggle = target.toggles.domestic_hot_water_comfort_mode;
  if (toggle === undefined) throw badInput(`${job.label} has no DHW mode control or comfort switch the hub lets us write.`);
  const state = value === 'comfort' ? 'on' : 'off';
  return { value, requests: [fillShape('dhwComfortToggle', { appliance: job.entityId, functionality: toggle, value: state })] };
}

function maxBoilerTemperature(job: Job): Built {
  const value = parseNumber(job.payload, `The maximum boiler temperature of ${job.label}`);
  checkBounds(value, job.info, `The maximum boiler temperature of ${job.label}`);
  const functionality = appliance(job).thermostats.maximum_boiler_temperature ?? '';
  const text = formatNumber(value, job.info.step);
  return { value, requests: [fillShape('maxBoilerTemperature', { appliance: job.entityId, functionality, value: text })] };
}

function temperatureOffset(job: Job): Built {
  const value = parseNumber(job.payload, `The temperature offset of ${job.label}`);
  checkBounds(value, job.info, `The temperature offset of ${job.label}`);
  if (!appliance(job).offset) throw badInput(`${job.label} has no temperature offset the hub lets us write.`);
  return { value, requests: [fillShape('temperatureOffset', { appliance: job.entityId, value: formatNumber(value, job.info.step) })] };
}

function zoneProfile(job: Job): Built {
  const value = parseOption(job.payload, job.info, `The zone profile of ${job.label}`);
  const loc = locationOf(job);
  return { value, requests: [fillShape('zoneProfile', { location: loc.id, functionality: loc.thermostat ?? '', value })] };
}

const BUILDERS: Record<ControlAction, (job: Job) => Built> = {
  setpoint,
  preset,
  schedule,
  relay,
  lock,
  regulationMode,
  gatewayMode,
  dhwMode,
  maxBoilerTemperature,
  temperatureOffset,
  zoneProfile,
};

function context(read: LastRead): ActionContext {
  return { snapshot: read.snapshot, legacy: read.info.legacy };
}

function labelOf(entity: Entity, id: string): string {
  return typeof entity.name === 'string' && entity.name ? `"${entity.name}"` : `entity ${id}`;
}

function unsupported(read: LastRead, entity: Entity, id: string, action: ControlAction): string {
  const can = entityActions(entity, context(read)).map((a) => a.action);
  const list = can.length > 0 ? `it supports ${can.join(', ')}` : 'it has nothing to control';
  let hint = '';
  const zone = read.snapshot.entities[String(entity.location ?? '')];
  if (action === 'setpoint' && zone !== undefined && zone.devClass === 'climate' && zone.id !== id) {
    hint = ` The setpoint of an Adam zone is set on the zone: use "${String(zone.name)}" (${zone.id}).`;
  }
  return `${labelOf(entity, id)} (${String(entity.devClass)}) has no ${action}: ${list}.${hint}`;
}

/** Checks a control action against the last read and returns the requests to send (BAD_INPUT: none). */
export function planWrite(read: LastRead, entityId: string, action: ControlAction, payload: unknown): WritePlan {
  // An own entry only: "constructor" or "__proto__" is no entity id.
  const entity = Object.prototype.hasOwnProperty.call(read.snapshot.entities, entityId) ? read.snapshot.entities[entityId] : undefined;
  if (entity === undefined) {
    throw new GatewayError('NOT_FOUND', `The hub has no entity "${entityId}": pick one from the list in the node's settings.`);
  }
  const info = actionInfo(entity, action, context(read));
  if (info === undefined) throw badInput(unsupported(read, entity, entityId, action));
  const label = labelOf(entity, entityId);
  if (info.blocked !== undefined) throw badInput(`${label} was not switched: ${info.blocked}.`);
  const built = BUILDERS[action]({ read, entity, entityId, info, payload, label });
  return { entityId, action, value: built.value, requests: built.requests };
}
