/**
 * Climate: Adam zones (locations with thermostats, ranked primary/secondary), presets, schedules,
 * HVAC (climate) mode, control state and zone profile; also used for the Anna thermostat.
 */
import { collectActuators, functionalityOf } from './actuators';
import { collectMeasurements, newData } from './logs';
import { CONTROL_STATES, NONE, OFF, PRESET_RULE_NAME, PRESET_TAG, SCHEDULE_TAG, THERMOSTAT_RANK, ZONE_MEASUREMENTS, ZONE_PROFILES } from './tables';
import type { BuildContext, EntityData, RawEntity } from './types';
import { attr, findAll, kid, kidText, kids, text, type XmlNode } from './xml';

/** Adam: one climate entity per location that holds a thermostat; returns zone id -> zone. */
export function scanZones(ctx: BuildContext): Map<string, RawEntity> {
  const zones = new Map<string, RawEntity>();
  for (const [locId, loc] of ctx.locations) {
    let prio = 0;
    let primary: string[] = [];
    const secondary: string[] = [];
    for (const [id, entity] of ctx.entities) {
      if (entity.location !== locId) continue;
      const rank = THERMOSTAT_RANK[entity.dev_class];
      if (rank === undefined) continue;
      if (rank === prio) primary.push(id);
      else if (rank > prio) {
        prio = rank;
        secondary.push(...primary);
        primary = [id];
      } else secondary.push(id);
    }
    if (prio === 0) continue;
    zones.set(locId, {
      dev_class: 'climate',
      model: 'ThermoZone',
      name: kidText(loc, 'name'),
      thermostats: { primary, secondary },
      vendor: 'Plugwise',
    });
  }
  return zones;
}

interface RuleInfo {
  id: string;
  name?: string;
  active: boolean;
  /** True when the rule's contexts name this location. */
  here: boolean;
  rule: XmlNode;
}

function ruleHasLocation(rule: XmlNode, locId: string): boolean {
  return findAll(rule, ['contexts', 'context', 'zone', 'location']).some((l) => attr(l, 'id') === locId);
}

function rulesBy(ctx: BuildContext, locId: string, match: (rule: XmlNode) => boolean): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const rule of ctx.rules) {
    if (!match(rule)) continue;
    out.push({
      id: attr(rule, 'id') as string,
      name: kidText(rule, 'name'),
      active: kidText(rule, 'active') === 'true',
      here: ruleHasLocation(rule, locId),
      rule,
    });
  }
  return out;
}

const byTag = (tag: string) => (rule: XmlNode) => kids(rule, 'template').some((t) => attr(t, 'tag') === tag);

/** Preset name -> [heating setpoint, cooling setpoint], from the preset rules (all of them, in order). */
export function presets(ctx: BuildContext, locId: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  let rules = rulesBy(ctx, locId, byTag(PRESET_TAG));
  if (rules.length === 0) rules = rulesBy(ctx, locId, (r) => kidText(r, 'name') === PRESET_RULE_NAME);
  for (const { rule } of rules) {
    for (const directive of kids(kid(rule, 'directives'), 'when')) {
      const then = kid(directive, 'then');
      const name = attr(directive, 'preset');
      if (name === undefined || then === undefined) continue;
      out.set(name, [Number(attr(then, 'heating_setpoint')), Number(attr(then, 'cooling_setpoint'))]);
    }
  }
  return out;
}

/** Available schedules ("off" first) and the selected one for a location. */
export function schedules(ctx: BuildContext, locId: string): { available: string[]; selected: string } {
  const names: string[] = [];
  let selected = NONE;
  for (const info of rulesBy(ctx, locId, byTag(SCHEDULE_TAG))) {
    if (kid(info.rule, 'directives') === undefined) continue; // an empty schedule is no schedule
    names.push(info.name ?? NONE);
    if (info.here && info.active) selected = info.name ?? NONE;
  }
  if (names.length === 0) return { available: [NONE], selected: NONE };
  return { available: [OFF, ...names], selected: selected === NONE ? OFF : selected };
}

function regulationModeIs(ctx: BuildContext, mode: string): boolean {
  const gateway = ctx.entities.get(ctx.gatewayId);
  return gateway !== undefined && 'regulation_modes' in gateway && gateway.select_regulation_mode === mode;
}

/** Presets, schedules and climate mode of a zone (Adam) or thermostat (Anna). */
export function climateData(ctx: BuildContext, locId: string, data: EntityData): void {
  data.preset_modes = null;
  data.active_preset = null;
  const found = presets(ctx, locId);
  if (found.size > 0) {
    data.preset_modes = [...found.keys()];
    const preset = kid(ctx.locations.get(locId), 'preset');
    data.active_preset = preset === undefined ? null : (text(preset) ?? 'None');
  }
  const { available, selected } = schedules(ctx, locId);
  if (!(available.length === 1 && available[0] === NONE)) {
    data.available_schedules = available;
    data.select_schedule = selected;
  }
  data.climate_mode = 'auto';
  if (selected === NONE || selected === OFF) {
    data.climate_mode = 'heat';
    if (ctx.facts.coolingPresent) data.climate_mode = regulationModeIs(ctx, 'cooling') ? 'cool' : 'heat_cool';
  }
  if (regulationModeIs(ctx, 'off')) data.climate_mode = 'off';
  if (!available.includes(NONE) && !(selected !== OFF && data.climate_mode === 'auto')) {
    data.select_schedule = OFF;
  }
}

/** Zone control state from the location's thermostat functionality (older firmware: compare temperatures). */
function zoneControlState(ctx: BuildContext, loc: XmlNode, data: EntityData): string {
  const thermostat = functionalityOf(loc, 'thermostat_functionality', 'thermostat');
  const state = kid(thermostat, 'control_state');
  let value: string | undefined;
  if (state !== undefined) value = text(state) ?? 'None';
  else if (versionAtLeast(ctx.facts.firmware, [3, 2, 0])) value = 'off';
  else {
    const { setpoint, temperature } = data.sensors;
    value = temperature !== undefined && setpoint !== undefined && temperature < setpoint ? 'heating' : 'off';
  }
  return CONTROL_STATES.has(value) ? value : 'idle';
}

function versionAtLeast(version: string, min: number[]): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    if (v !== min[i]) return v > min[i];
  }
  return true;
}

/** All values of an Adam zone. */
export function zoneData(ctx: BuildContext, locId: string): EntityData {
  const data: EntityData = newData();
  const loc = ctx.locations.get(locId);
  if (loc !== undefined) {
    collectMeasurements(loc, ZONE_MEASUREMENTS, data, ctx.nowLocal);
    collectActuators(loc, data, true);
  }
  data.control_state = loc === undefined ? 'idle' : zoneControlState(ctx, loc, data);
  delete data.sensors.setpoint;
  climateData(ctx, locId, data);
  const profile = kid(functionalityOf(loc ?? '', 'thermostat_functionality', 'thermostat'), 'regulation_control');
  if (profile !== undefined) {
    data.select_zone_profile = text(profile) ?? null;
    data.zone_profiles = [...ZONE_PROFILES];
  }
  delete (data as Partial<EntityData>).binary_sensors;
  delete (data as Partial<EntityData>).switches;
  return data;
}

/** Anna: the thermostat's control state follows the boiler's heating/cooling state. */
export function annaControlState(ctx: BuildContext, data: EntityData): void {
  data.control_state = 'idle';
  for (const entity of ctx.entities.values()) {
    if (entity.dev_class !== 'heater_central') continue;
    const bs = entity.binary_sensors as Record<string, boolean> | undefined;
    if (bs?.heating_state) data.control_state = 'heating';
    if (bs?.cooling_state) data.control_state = 'cooling';
  }
}

