/**
 * Climate: Adam zones (locations with thermostats, ranked primary/secondary), presets, schedules, HVAC
 * (climate) mode, control state and zone profile; the Anna thermostat's too. python-plugwise helper.py
 * `_scan_thermostats`, `_presets`, `_schedules`, `_control_state`, `_regulation_control`; data.py
 * `_climate_data`, `_get_location_data`, `_get_anna_control_state`, `_get_schedule_states_with_off`.
 */
import { collectActuators } from './actuators';
import { collectMeasurements, newData } from './logs';
import { CONTROL_STATES, NONE, OFF, PRESET_RULE_NAME, PRESET_TAG, SCHEDULE_TAG, THERMOSTAT_RANK, ZONE_MEASUREMENTS, ZONE_PROFILES } from './tables';
import type { BuildContext, RawEntity } from './types';
import { attr, findAll, kid, kidText, kids, text, type XmlNode } from './xml';

/** helper.py `_scan_thermostats` / `_rank_thermostat` (Adam): one climate entity per location with a thermostat. */
export function scanZones(ctx: BuildContext): Map<string, RawEntity> {
  const zones = new Map<string, RawEntity>();
  for (const [locId, loc] of ctx.state.locData) {
    let prio = 0;
    let primary: string[] = [];
    const secondary: string[] = [];
    for (const [id, entity] of ctx.entities) {
      if (entity.location !== locId) continue;
      const rank = THERMOSTAT_RANK[entity.dev_class];
      if (rank === undefined) continue;
      if (rank === prio) primary.push(id);
      else if (rank > prio) {
        // demote the former primary, crown this one
        prio = rank;
        secondary.push(...primary);
        primary = [id];
      } else secondary.push(id);
    }
    if (prio === 0) continue;
    const zone: RawEntity = { dev_class: 'climate', model: 'ThermoZone', thermostats: { primary, secondary }, vendor: 'Plugwise' };
    if (loc.name !== undefined) zone.name = loc.name;
    zones.set(locId, zone);
  }
  return zones;
}

interface RuleInfo {
  id: string;
  name?: string;
  active: boolean;
  /** True when the rule's contexts name this location (`"location": loc_id`). */
  here: boolean;
  rule: XmlNode;
}

function ruleHasLocation(rule: XmlNode, locId: string): boolean {
  return findAll(rule, ['contexts', 'context', 'zone', 'location']).some((l) => attr(l, 'id') === locId);
}

/** helper.py `_rule_ids_by_tag` / `_rule_ids_by_name` (one entry per rule id, the first rule of an id wins). */
function rulesBy(ctx: BuildContext, locId: string, match: (rule: XmlNode) => boolean): RuleInfo[] {
  const out = new Map<string, RuleInfo>();
  for (const rule of ctx.rules) {
    if (!match(rule)) continue;
    const id = attr(rule, 'id') ?? NONE;
    const info = { id, name: kidText(rule, 'name'), active: kidText(rule, 'active') === 'true', here: ruleHasLocation(rule, locId), rule };
    if (out.has(id)) out.delete(id); // a python dict keeps the first key's place but the last value
    out.set(id, info);
  }
  return [...out.values()];
}

const byTag = (tag: string) => (rule: XmlNode) => kids(rule, 'template').some((t) => attr(t, 'tag') === tag);

/** helper.py `_presets`: preset name -> [heating setpoint, cooling setpoint], from every preset rule. */
export function presets(ctx: BuildContext, locId: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  let rules = rulesBy(ctx, locId, byTag(PRESET_TAG));
  if (rules.length === 0) rules = rulesBy(ctx, locId, (r) => kidText(r, 'name') === PRESET_RULE_NAME);
  for (const { rule } of rules) {
    const directives = kid(rule, 'directives');
    if (directives === undefined || typeof directives !== 'object') continue;
    for (const tag of Object.keys(directives)) {
      if (tag === '@' || tag === '#text') continue;
      for (const directive of kids(directives, tag)) {
        const then = kid(directive, 'then');
        if (then === undefined) continue;
        out.set(attr(directive, 'preset') ?? NONE, [Number(attr(then, 'heating_setpoint')), Number(attr(then, 'cooling_setpoint'))]);
      }
    }
  }
  return out;
}

/** helper.py `_schedules`: "off" and every schedule with directives; the selected one is active here. */
export function schedules(ctx: BuildContext, locId: string): { available: string[]; selected: string } {
  const available = [OFF];
  let selected = OFF;
  for (const info of rulesBy(ctx, locId, byTag(SCHEDULE_TAG))) {
    if (kid(info.rule, 'directives') === undefined) continue; // an empty schedule is no schedule
    const name = info.name ?? NONE;
    available.push(name);
    if (info.here && info.active) selected = name;
  }
  return { available, selected };
}

/** data.py `check_reg_mode`. */
function regulationModeIs(ctx: BuildContext, mode: string): boolean {
  const gateway = ctx.entities.get(ctx.state.gatewayId);
  return gateway !== undefined && gateway.regulation_modes !== undefined && gateway.select_regulation_mode === mode;
}

/** helper.py `_preset`: the location's active preset (the text "None" when empty). */
function activePreset(ctx: BuildContext, locId: string): string | null {
  const loc = ctx.locations.get(locId);
  const preset = kid(loc, 'preset');
  return preset === undefined ? null : (text(preset) ?? NONE);
}

/** data.py `_climate_data`: presets, schedules and climate mode of a zone (Adam) or thermostat (Anna). */
export function climateData(ctx: BuildContext, entityId: string, entity: RawEntity): void {
  const locId = entity.location ?? entityId;
  entity.preset_modes = null;
  entity.active_preset = null;
  const found = presets(ctx, locId);
  if (found.size > 0) {
    entity.preset_modes = [...found.keys()];
    entity.active_preset = activePreset(ctx, locId);
  }
  entity.available_schedules = [OFF];
  entity.select_schedule = OFF;
  const { available, selected } = schedules(ctx, locId);
  if (!(available.length === 1 && available[0] === OFF)) {
    entity.available_schedules = available;
    entity.select_schedule = selected;
  }
  entity.climate_mode = 'auto';
  if (selected === OFF) {
    entity.climate_mode = 'heat';
    if (ctx.state.coolingPresent) entity.climate_mode = regulationModeIs(ctx, 'cooling') ? 'cool' : 'heat_cool';
  }
  if (regulationModeIs(ctx, 'off')) entity.climate_mode = 'off';
  // data.py `_get_schedule_states_with_off`: no schedule is on unless the selected one runs in auto
  if (!available.some((name) => name === selected && entity.climate_mode === 'auto')) entity.select_schedule = OFF;
}

/** helper.py `_control_state`: the zone thermostat's control state (older firmware: compare temperatures). */
function zoneControlState(ctx: BuildContext, zone: RawEntity): string | undefined {
  const thermostat = zone.thermostat;
  if (thermostat === undefined) return undefined;
  if (thermostat.control_state !== undefined) {
    const state = String(thermostat.control_state);
    delete thermostat.control_state;
    return state;
  }
  // firmware 3.2.0 and later leave control_state out in regulation mode off
  if (versionAtLeast(ctx.facts.firmware, [3, 2, 0])) return 'off';
  const setpoint = zone.sensors?.setpoint;
  const temperature = zone.sensors?.temperature;
  return temperature !== undefined && setpoint !== undefined && temperature < setpoint ? 'heating' : 'off';
}

function versionAtLeast(version: string, min: number[]): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    if (v !== min[i]) return v > min[i];
  }
  return true;
}

/** helper.py `_regulation_control`: the zone profile, when the zone's thermostat has one. */
function regulationControl(zone: RawEntity): void {
  const thermostat = zone.thermostat;
  if (thermostat === undefined || thermostat.regulation_control === undefined) return;
  zone.select_zone_profile = String(thermostat.regulation_control);
  zone.zone_profiles = [...ZONE_PROFILES];
  delete thermostat.regulation_control;
}

/** data.py `_get_location_data` (with helper.py `_get_zone_data`): all values of an Adam zone. */
export function zoneData(ctx: BuildContext, locId: string, zone: RawEntity): void {
  const data = newData();
  const loc = ctx.locations.get(locId);
  if (loc !== undefined) {
    collectMeasurements(loc, ZONE_MEASUREMENTS, data, ctx.nowLocal, { state: ctx.state });
    collectActuators(loc, data, true);
  }
  const { binary_sensors: _bs, switches: _sw, ...values } = data;
  Object.assign(zone, values);
  regulationControl(zone);
  zone.control_state = 'idle';
  const state = zoneControlState(ctx, zone);
  if (state !== undefined && CONTROL_STATES.has(state)) zone.control_state = state;
  delete zone.sensors?.setpoint; // only used for the control state
  climateData(ctx, locId, zone);
}

/** data.py `_get_anna_control_state` (legacy/data.py's without cooling): the boiler's heating/cooling state. */
export function annaControlState(ctx: BuildContext, entity: RawEntity, cooling = true): void {
  entity.control_state = 'idle';
  for (const heater of ctx.entities.values()) {
    if (heater.dev_class !== 'heater_central') continue;
    if (heater.binary_sensors?.heating_state) entity.control_state = 'heating';
    if (cooling && heater.binary_sensors?.cooling_state) entity.control_state = 'cooling';
  }
}
