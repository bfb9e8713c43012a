/**
 * plugwise-control's controls, one entry each, the way python-plugwise 1.14.1 has one `set_*` function
 * each: which entities have it and with what bounds/options (`offer`), how msg.payload is checked
 * against that (`value`: BAD_INPUT, nothing sent), and the exact requests (`send`: method, path, body,
 * ids looked up in the last read's XML as the library looks them up). Pure: nothing is sent here.
 *
 * Where the library is wrong we do not copy it (each spot is marked "python-plugwise" below and listed
 * in plugwise-control's help).
 */
import { GatewayError, badInput } from '../../core/errors';
import {
  asBoolean,
  boundedNumber,
  bounded,
  cdata,
  choices,
  escapeXml,
  hubDayStart,
  hubId,
  idOf,
  num,
  parseBoolean,
  parseNumber,
  parseOption,
  pyFloat,
  record,
  show,
  timeOf,
  toXml,
  type HubClock,
  type Offer,
} from './control-values';
import { readHubDoc } from './detect';
import { MAX_SETPOINT, MIN_SETPOINT, PATH, SCHEDULE_TAG } from './tables';
import type { Entity, HubInfo, PlugwiseSnapshot } from './types';
import { attr, kid, kidText, kids, type XmlNode } from './xml';

export type { Offer } from './control-values';

import { CONTROL_ACTIONS, type ControlAction } from './control-actions';

export { CONTROL_ACTIONS, isControlAction, type ControlAction } from './control-actions';

export interface WriteRequest {
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  /** '' when the library sends none (reboot, delete notification). */
  body: string;
}

/** The XML documents of the last read that writes look ids up in (python-plugwise's `_domain_objects`, ...). */
export interface HubXml {
  domain: XmlNode;
  /** Legacy hubs: /core/appliances (lock bodies, the thermostat appliance); else domain_objects. */
  appliances: XmlNode;
  clock: HubClock;
}

/** What a write is checked against: the hub, the last read's snapshot and its XML. */
export interface LastRead {
  info: HubInfo;
  snapshot: PlugwiseSnapshot;
  xml: HubXml;
}

export interface WritePlan {
  entityId: string;
  action: ControlAction;
  /** The value as written (number, option, boolean, {mode, from, to} for a gateway mode, true for a command). */
  value: unknown;
  /** In order; empty when the hub is already in the asked state (a schedule already on or off). */
  requests: WriteRequest[];
  /** False when reading the hub back right after makes no sense (it is rebooting). */
  readBack: boolean;
  /** The entity as last read. */
  entity: Entity;
}

/** The last read's documents as writes need them (parsed once per read, on the first write). */
export function hubXml(info: HubInfo, docs: Record<string, string>): HubXml {
  const body = docs[PATH.DOMAIN_OBJECTS];
  // A Stretch 2.7 serves an empty <domain_objects/>: its writes need /core/appliances only.
  const domain = body === undefined ? {} : readHubDoc(PATH.DOMAIN_OBJECTS, body);
  const appliancesBody = info.legacy ? docs[PATH.APPLIANCES] : undefined;
  const appliances = appliancesBody === undefined ? domain : readHubDoc(PATH.APPLIANCES, appliancesBody, 'appliances');
  const gateway = kid(domain, 'gateway');
  return { domain, appliances, clock: { time: kidText(gateway, 'time'), timezone: kidText(gateway, 'timezone') } };
}

/** What finding an offer needs (the editor's endpoint has this much). */
export interface OfferContext {
  snapshot: PlugwiseSnapshot;
  legacy: boolean;
}

/** One write being planned. */
interface Job extends LastRead {
  entity: Entity;
  id: string;
  offer: Offer;
  /** "Living room" (quoted) or "entity <id>", for messages. */
  label: string;
}

interface Control<V> {
  action: ControlAction;
  /** What the entity offers for this control, or undefined when it has none. */
  offer(entity: Entity, ctx: OfferContext): Offer | undefined;
  /** msg.payload checked against the offer. */
  value(payload: unknown, job: Job): V;
  /** The requests python-plugwise sends for it (none when the hub is already in the asked state). */
  send(value: V, job: Job): WriteRequest[];
  /** Shown as the written value (default: the value itself). */
  shown?(value: V): unknown;
  readBack?: false;
}

const control = <V>(c: Control<V>): Control<unknown> => c as Control<unknown>;

// ---- lookups in the last read, as python-plugwise does them ----

const put = (path: string, body: string): WriteRequest => ({ method: 'PUT', path, body });
const post = (path: string, body: string): WriteRequest => ({ method: 'POST', path, body });
const onOff = (on: boolean): string => (on ? 'on' : 'off');
const isGateway = (e: Entity): boolean => e.devClass === 'gateway';
const isHeater = (e: Entity): boolean => e.devClass === 'heater_central';
const switchOffer = (state: boolean | undefined): Offer | undefined => (typeof state === 'boolean' ? { kind: 'boolean', current: state } : undefined);

function byId(root: XmlNode, tag: string, id: string, what: string): XmlNode {
  const found = kids(root, tag).find((n) => attr(n, 'id') === id);
  if (found === undefined) throw new GatewayError('BAD_RESPONSE', `The hub's XML has no ${tag} ${id} for ${what}; read it again and retry.`);
  return found;
}

/** The location a climate control writes to: an Adam zone is its own location, an Anna its thermostat's. */
function zoneOf(job: Job): string {
  return hubId(job.entity.devClass === 'climate' ? job.id : job.entity.location ?? undefined, `the location of ${job.label}`);
}

/** `<element>/actuator_functionalities/<functionality>[type=...]` (the first when no type is asked). */
function functionality(element: XmlNode, name: string, type?: string): XmlNode | undefined {
  for (const af of kids(element, 'actuator_functionalities')) {
    const hit = kids(af, name).find((f) => type === undefined || kidText(f, 'type') === type);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Schedules and presets are rules; the library takes the first of a name, in document order. */
const ruleNamed = (job: Job, name: string): XmlNode | undefined => {
  const rules = kids(job.xml.domain, 'rule');
  // Names as the hub writes them ("Test ", trailing space kept), also when the XML was read trimmed.
  return rules.find((r) => kidText(r, 'name') === name) ?? rules.find((r) => kidText(r, 'name')?.trim() === name.trim());
};

/** Anna with cooling: python-plugwise's `_cooling_enabled` (the heater's cooling_enabled binary sensor). */
export function coolingOn(snapshot: PlugwiseSnapshot): boolean {
  return Object.values(snapshot.entities).some((e) => isHeater(e) && e.binarySensors?.coolingEnabled === true);
}

const stretchV2 = (info: HubInfo): boolean => info.legacy && info.model === 'stretch' && parseInt(info.firmware.replace(/^v/i, ''), 10) === 2;

/** Members of a group whose relay the library switches: unlocked (a modern plug without a lock is not). */
function switchable(ctx: OfferContext, members: string[]): string[] {
  return members.filter((m) => {
    const lock = ctx.snapshot.entities[m]?.switches?.lock;
    return ctx.legacy ? lock !== true : lock === false;
  });
}


// ---- shared requests ----

/** set_temperature: the zone's thermostat functionality (legacy: the thermostat appliance). */
function thermostatSetpoint(value: number, job: Job): WriteRequest[] {
  const body = `<thermostat_functionality><setpoint>${pyFloat(value)}</setpoint></thermostat_functionality>`;
  if (job.info.legacy) {
    const thermostat = kids(job.xml.appliances, 'appliance').find((a) => kidText(a, 'type') === 'thermostat');
    return [put(`/core/appliances;id=${idOf(thermostat, 'the thermostat appliance')}/thermostat`, body)];
  }
  const zone = zoneOf(job);
  const fid = idOf(functionality(byId(job.xml.domain, 'location', zone, job.label), 'thermostat_functionality'), `the thermostat of ${job.label}`);
  return [put(`/core/locations;id=${zone}/thermostat;id=${fid}`, body)];
}

/** set_number: a thermostat functionality of the heater by its type. */
function heaterSetpoint(type: string) {
  return (value: number, job: Job): WriteRequest[] => {
    const heater = byId(job.xml.domain, 'appliance', job.id, job.label);
    const fid = idOf(functionality(heater, 'thermostat_functionality', type), `the ${type} of ${job.label}`);
    return [put(`/core/appliances;id=${job.id}/thermostat;id=${fid}`, `<thermostat_functionality><setpoint>${pyFloat(value)}</setpoint></thermostat_functionality>`)];
  };
}

/** set_switch_state for a heater toggle (model_to_switch_items: device and body "toggle"). */
const toggle = (type: string, id: string, on: boolean): WriteRequest => put(`/core/appliances;id=${id}/toggle;type=${type}`, `<toggle><state>${onOff(on)}</state></toggle>`);

/** A number for a setpoint: plain, or python-plugwise's {setpointLow, setpointHigh} on an Anna with cooling. */
function setpointValue(payload: unknown, job: Job): number {
  const { offer, label } = job;
  const o = record(payload);
  if (offer.target === undefined || o === undefined) return boundedNumber(payload, offer, `The setpoint of ${label}`);
  const other = offer.target === 'setpointLow' ? 'setpointHigh' : 'setpointLow';
  const fixed = offer.target === 'setpointLow' ? MAX_SETPOINT : MIN_SETPOINT;
  if (o[other] !== undefined && parseNumber(o[other], `${label} ${other}`) !== fixed) {
    throw badInput(`${label} is ${offer.target === 'setpointLow' ? 'heating' : 'cooling'}: only ${offer.target} can be set now (${other} stays ${fixed} °C).`);
  }
  return boundedNumber(o[offer.target], offer, `The ${offer.target} of ${label}`);
}

/** setpoint_low / setpoint_high of an Anna with cooling: python-plugwise writes the active one only. */
function rangeSetpoint(key: 'setpointLow' | 'setpointHigh'): Control<number> {
  const cooling = key === 'setpointHigh';
  return {
    action: key,
    offer: (e, ctx) => {
      const t = e.thermostat;
      if (num(t?.setpointLow) === undefined || num(t?.setpointHigh) === undefined) return undefined;
      const offer = bounded(t, t?.[key]);
      if (offer === undefined || coolingOn(ctx.snapshot) === cooling) return offer;
      return { ...offer, blocked: `the heat pump is ${cooling ? 'heating' : 'cooling'}, so only ${cooling ? 'setpointLow' : 'setpointHigh'} can be set now` };
    },
    value: (p, job) => boundedNumber(p, job.offer, `The ${key} of ${job.label}`),
    send: thermostatSetpoint,
  };
}

type ScheduleChange = { name: string; on: boolean };

/** The schedule a payload asks for: a name (on), "off"/false (the active one off), true (the active one stays on). */
function scheduleValue(payload: unknown, job: Job): ScheduleChange {
  const current = typeof job.offer.current === 'string' ? job.offer.current : 'off';
  const names = (job.offer.options ?? []).filter((o) => o !== 'off');
  const byName = typeof payload === 'string' && (names.includes(payload) || names.includes(payload.trim())) ? parseOption(payload, job.offer, '') : undefined;
  const flag = byName === undefined ? asBoolean(payload) : undefined;
  let change: ScheduleChange;
  if (byName !== undefined) change = { name: byName, on: true };
  else if (flag === false) change = { name: current, on: false };
  else if (flag === true) {
    // python-plugwise sends nothing when no schedule is on (or turns one on whose state it keeps apart
    // from the entity); picking one ourselves could add the zone to a schedule other zones share.
    if (current === 'off') {
      const list = names.length > 0 ? `name one of ${names.map((n) => `"${n}"`).join(', ')}` : 'it has none to switch on';
      throw badInput(`${job.label} has no active schedule for true to keep on: ${list} in msg.payload.`);
    }
    change = { name: current, on: true };
  } else {
    const name = parseOption(payload, job.offer, `The schedule of ${job.label} (a schedule name, "off", or true/false)`);
    change = name === 'off' ? { name: current, on: false } : { name, on: true };
  }
  return change;
}

function scheduleRequest({ name, on }: ScheduleChange, job: Job): WriteRequest[] {
  const current = typeof job.offer.current === 'string' ? job.offer.current : 'off';
  if (on ? name === current : current === 'off') return []; // already so: the library sends nothing too
  const rule = ruleNamed(job, name);
  const ruleId = idOf(rule, `the schedule "${name}"`);
  const title = `<name>${cdata(name)}</name>`;
  if (job.info.legacy) {
    const template = `<template id='${escapeXml(attr(kid(rule, 'template'), 'id') ?? '')}' />`;
    return [put(`/core/rules;id=${ruleId}`, `<rules><rule id='${ruleId}'>${title}${template}<active>${on}</active></rule></rules>`)];
  }
  const zone = zoneOf(job);
  const template =
    job.info.model === 'anna' ? `<template id="${escapeXml(attr(kid(rule, 'template'), 'id') ?? '')}" />` : `<template tag="${SCHEDULE_TAG}" />`;
  // determine_contexts: the zone's context out (off) or in (on). python-plugwise appends it again when
  // it is already there; a zone is listed once here.
  const hasZone = (c: XmlNode): boolean => kids(c, 'zone').some((z) => kids(z, 'location').some((l) => attr(l, 'id') === zone));
  const existing = kids(kid(rule, 'contexts'), 'context');
  const kept = on ? existing : existing.filter((c) => !hasZone(c));
  const contexts = kept.map((c) => toXml('context', c)).join('') + (on && !existing.some(hasZone) ? `<context><zone><location id="${zone}" /></zone></context>` : '');
  const body = `<rules><rule id='${ruleId}'>${title}${template}${contexts === '' ? '<contexts />' : `<contexts>${contexts}</contexts>`}</rule></rules>`;
  return [put(`/core/rules;id=${ruleId}`, body)];
}

type GatewayModeChange = { mode: string; from?: string; to?: string };

/** valid_to python-plugwise gives away and vacation periods: "until further notice". */
export const OPEN_END = '2037-04-21T08:00:53.000Z';

function gatewayModeValue(payload: unknown, job: Job): GatewayModeChange {
  const o = record(payload) ?? { mode: payload };
  const mode = parseOption(o.mode, job.offer, 'The gateway mode');
  const fromIn = o.from ?? o.start;
  const toIn = o.to ?? o.end;
  if (mode === 'full') {
    if (fromIn !== undefined || toIn !== undefined) throw badInput('The gateway mode "full" has no period: leave out from/to.');
    return { mode };
  }
  const clock = job.xml.clock;
  // away: from the hub's clock (python-plugwise). vacation: python-plugwise starts it at "yesterday
  // 23:00Z" by the machine's date, whatever the hub's time zone; here at the start of the hub's day.
  const defaultFrom = mode === 'vacation' ? hubDayStart(clock) ?? job.snapshot.gateway.time : job.snapshot.gateway.time;
  const from = fromIn === undefined ? defaultFrom : timeOf(fromIn, 'The period start (from)', clock);
  const to = toIn === undefined ? Date.parse(OPEN_END) : timeOf(toIn, 'The period end (to)', clock);
  const iso = (ms: number): string => new Date(ms).toISOString();
  if (to <= from) throw badInput(`The ${mode} period must end after it starts (from ${iso(from)}, to ${iso(to)}).`);
  return { mode, from: iso(from), to: iso(to) };
}

// ---- the controls ----

const CONTROLS: Record<ControlAction, Control<unknown>> = {
  // set_temperature({setpoint}); on an Anna with cooling, the active one of setpoint_low/_high.
  setpoint: control<number>({
    action: 'setpoint',
    offer: (e, ctx) => {
      const t = e.thermostat;
      if (num(t?.setpoint) !== undefined) return bounded(t);
      if (num(t?.setpointLow) === undefined || num(t?.setpointHigh) === undefined) return undefined;
      const target = coolingOn(ctx.snapshot) ? 'setpointHigh' : 'setpointLow';
      const offer = bounded(t, t?.[target]);
      return offer && { ...offer, target };
    },
    value: setpointValue,
    send: thermostatSetpoint,
  }),
  setpointLow: control(rangeSetpoint('setpointLow')),
  setpointHigh: control(rangeSetpoint('setpointHigh')),

  // set_preset: the location's preset; legacy: activate the rule whose directive has the preset's icon.
  preset: control<string>({
    action: 'preset',
    offer: (e) => choices(e.presetModes, e.activePreset),
    value: (p, job) => parseOption(p, job.offer, `The preset of ${job.label}`),
    send: (preset, job) => {
      if (job.info.legacy) {
        const icon = (r: XmlNode): boolean => kids(kid(r, 'directives'), 'when').some((w) => kids(w, 'then').some((t) => attr(t, 'icon') === preset));
        const rule = idOf(kids(job.xml.domain, 'rule').find(icon), `the preset "${preset}"`);
        return [put('/core/rules', `<rules><rule id='${rule}'><active>true</active></rule></rules>`)];
      }
      const zone = zoneOf(job);
      const location = byId(job.xml.domain, 'location', zone, job.label);
      const [name, type] = [escapeXml(kidText(location, 'name') ?? ''), escapeXml(kidText(location, 'type') ?? '')];
      return [put(`/core/locations;id=${zone}`, `<locations><location id="${zone}"><name>${name}</name><type>${type}</type><preset>${escapeXml(preset)}</preset></location></locations>`)];
    },
  }),

  // set_schedule_state / set_select("select_schedule").
  schedule: control<ScheduleChange>({
    action: 'schedule',
    offer: (e) => choices(e.availableSchedules, e.selectSchedule),
    value: scheduleValue,
    send: scheduleRequest,
    shown: (v) => (v.on ? v.name : 'off'),
  }),

  // set_switch_state("relay"): each unlocked member of a group; never a locked relay.
  relay: control<boolean>({
    action: 'relay',
    offer: (e, ctx) => {
      const sw = e.switches ?? {};
      if (typeof sw.relay !== 'boolean') return undefined;
      const offer: Offer = { kind: 'boolean', current: sw.relay };
      const group = e.members;
      if (group !== undefined) return switchable(ctx, group).length > 0 ? offer : { ...offer, blocked: 'every member of the group is locked' };
      if (sw.lock === true) return { ...offer, blocked: 'its relay is locked (unlock it first with the lock action)' };
      // A modern plug without a lock (pump, electric heater, valve actuator) is switched by the hub itself.
      return sw.lock === undefined && !ctx.legacy ? undefined : offer;
    },
    value: (p, job) => parseBoolean(p, `The relay of ${job.label}`),
    send: (on, job) => {
      const group = job.entity.members;
      const ids = group === undefined ? [job.id] : switchable({ snapshot: job.snapshot, legacy: job.info.legacy }, group);
      const body = stretchV2(job.info) ? `<relay><state>${onOff(on)}</state></relay>` : `<relay_functionality><state>${onOff(on)}</state></relay_functionality>`;
      return ids.map((id) => put(`/core/appliances;id=${hubId(id, 'a group member')}/relay`, body));
    },
  }),

  // set_switch_state("lock"): modern hubs post to the relay; legacy hubs post the appliance itself.
  lock: control<boolean>({
    action: 'lock',
    offer: (e) => switchOffer(e.switches?.lock),
    value: (p, job) => parseBoolean(p, `The lock of ${job.label}`),
    send: (locked, job) => {
      if (!job.info.legacy) return [post(`/core/appliances;id=${job.id}/relay`, `<relay_functionality><lock>${locked}</lock></relay_functionality>`)];
      const appliance = byId(job.xml.appliances, 'appliance', job.id, job.label);
      const [outer, inner] = stretchV2(job.info) ? ['actuators', 'relay'] : ['actuator_functionalities', 'relay_functionality'];
      const body =
        `<appliances><appliance id='${job.id}'><name>${cdata(kidText(appliance, 'name') ?? '')}</name><description><![CDATA[]]></description>` +
        `<type>${cdata(kidText(appliance, 'type') ?? '')}</type><${outer}><${inner}><lock>${locked}</lock></${inner}></${outer}></appliance></appliances>`;
      return [post('/core/appliances', body)];
    },
  }),

  // set_regulation_mode: bleeding modes run for 300 s.
  regulationMode: control<string>({
    action: 'regulationMode',
    offer: (e, ctx) => (isGateway(e) && !ctx.legacy ? choices(e.regulationModes, e.selectRegulationMode) : undefined),
    value: (p, job) => parseOption(p, job.offer, 'The regulation mode'),
    send: (mode) => [
      put('/core/appliances;type=gateway/regulation_mode_control', `<regulation_mode_control_functionality>${mode.includes('bleeding') ? '<duration>300</duration>' : ''}<mode>${escapeXml(mode)}</mode></regulation_mode_control_functionality>`),
    ],
  }),

  // set_gateway_mode: away and vacation with a period (msg.payload {mode, from, to} may set it).
  gatewayMode: control<GatewayModeChange>({
    action: 'gatewayMode',
    offer: (e, ctx) => (isGateway(e) && !ctx.legacy ? choices(e.gatewayModes, e.selectGatewayMode) : undefined),
    value: gatewayModeValue,
    send: ({ mode, from, to }, job) => {
      const period = from === undefined || to === undefined ? '' : `<valid_from>${from}</valid_from><valid_to>${to}</valid_to>`;
      return [put(`/core/appliances;id=${job.id}/gateway_mode_control`, `<gateway_mode_control_functionality><mode>${escapeXml(mode)}</mode>${period}</gateway_mode_control_functionality>`)];
    },
  }),

  // set_dhw_mode: two modes (comfort/eco) are the comfort toggle, more (Loria) the mode control.
  // python-plugwise refuses Loria modes the entity lists (its allowed list is overwritten by the
  // toggle's comfort/eco); every listed mode is sent here.
  dhwMode: control<string>({
    action: 'dhwMode',
    offer: (e, ctx) => (isHeater(e) && !ctx.legacy ? choices(e.dhwModes, e.selectDhwMode ?? e.dhwMode) : undefined),
    value: (p, job) => parseOption(p, job.offer, `The DHW mode of ${job.label}`),
    send: (mode, job) =>
      job.offer.options?.length === 2
        ? [toggle('domestic_hot_water_comfort_mode', job.id, mode === 'comfort')]
        : [put('/core/appliances;type=heater_central/domestic_hot_water_mode_control', `<domestic_hot_water_mode_control_functionality><mode>${escapeXml(mode)}</mode></domestic_hot_water_mode_control_functionality>`)],
  }),

  // The dhw_cm_switch switch. python-plugwise 1.14.1 sends it as a relay (PUT .../relay), which a
  // heater does not have; it is the comfort-mode toggle, sent as set_dhw_mode sends it.
  dhwComfortMode: control<boolean>({
    action: 'dhwComfortMode',
    offer: (e, ctx) => (ctx.legacy ? undefined : switchOffer(e.switches?.dhwCmSwitch)),
    value: (p, job) => parseBoolean(p, `The DHW comfort mode of ${job.label}`),
    send: (on, job) => [toggle('domestic_hot_water_comfort_mode', job.id, on)],
  }),

  // set_switch_state("cooling_ena_switch").
  coolingEnabled: control<boolean>({
    action: 'coolingEnabled',
    offer: (e, ctx) => (ctx.legacy ? undefined : switchOffer(e.switches?.coolingEnaSwitch)),
    value: (p, job) => parseBoolean(p, `Cooling of ${job.label}`),
    send: (on, job) => [toggle('cooling_enabled', job.id, on)],
  }),

  // set_number("maximum_boiler_temperature"); legacy hubs: no write (python-plugwise: a placeholder).
  maxBoilerTemperature: control<number>({
    action: 'maxBoilerTemperature',
    offer: (e, ctx) => (ctx.legacy ? undefined : bounded(e.maximumBoilerTemperature)),
    value: (p, job) => boundedNumber(p, job.offer, `The maximum boiler temperature of ${job.label}`),
    send: heaterSetpoint('maximum_boiler_temperature'),
  }),

  // set_number("max_dhw_temperature"): the heater's domestic_hot_water_setpoint.
  maxDhwTemperature: control<number>({
    action: 'maxDhwTemperature',
    offer: (e, ctx) => (ctx.legacy ? undefined : bounded(e.maxDhwTemperature)),
    value: (p, job) => boundedNumber(p, job.offer, `The hot-water setpoint of ${job.label}`),
    send: heaterSetpoint('domestic_hot_water_setpoint'),
  }),

  // set_offset: thermostats with an offset functionality of type temperature_offset.
  temperatureOffset: control<number>({
    action: 'temperatureOffset',
    offer: (e, ctx) => (ctx.legacy ? undefined : bounded(e.temperatureOffset)),
    value: (p, job) => {
      const value = boundedNumber(p, job.offer, `The temperature offset of ${job.label}`);
      const offset = functionality(byId(job.xml.domain, 'appliance', job.id, job.label), 'offset_functionality', 'temperature_offset');
      if (kid(offset, 'offset') === undefined) throw badInput(`${job.label} has no temperature offset the hub lets us write.`);
      return value;
    },
    send: (value, job) => [put(`/core/appliances;id=${job.id}/offset;type=temperature_offset`, `<offset_functionality><offset>${pyFloat(value)}</offset></offset_functionality>`)],
  }),

  // set_zone_profile (Adam zones).
  zoneProfile: control<string>({
    action: 'zoneProfile',
    offer: (e) => choices(e.zoneProfiles, e.selectZoneProfile),
    value: (p, job) => parseOption(p, job.offer, `The zone profile of ${job.label}`),
    send: (profile, job) => [post(`/core/locations;id=${zoneOf(job)}/thermostat`, `<thermostat_functionality><regulation_control>${escapeXml(profile)}</regulation_control></thermostat_functionality>`)],
  }),

  // reboot_gateway (modern hubs; legacy: a placeholder). Needs payload true; no read-back.
  reboot: control<true>({
    action: 'reboot',
    offer: (e, ctx) => (isGateway(e) && !ctx.legacy ? { kind: 'command' } : undefined),
    value: (p, job) => {
      if (asBoolean(p) !== true) throw badInput(`Rebooting ${job.label} needs msg.payload true, not ${show(p)}.`);
      return true;
    },
    send: () => [post('/core/gateways;@reboot', '')],
    readBack: false,
  }),

  // delete_notification: every notification of the hub (modern hubs; legacy: a placeholder).
  deleteNotification: control<true>({
    action: 'deleteNotification',
    offer: (e, ctx) => (isGateway(e) && !ctx.legacy ? { kind: 'command', current: Object.keys(e.notifications ?? {}).length } : undefined),
    value: () => true,
    send: () => [{ method: 'DELETE', path: '/core/notifications', body: '' }],
  }),
};

// ---- the editor's list and the plan ----

export interface ActionInfo extends Offer {
  action: ControlAction;
}

/** Every control the entity has, with its bounds and options, in the contract's order. */
export function entityActions(entity: Entity, ctx: OfferContext): ActionInfo[] {
  const out: ActionInfo[] = [];
  for (const action of CONTROL_ACTIONS) {
    const offer = CONTROLS[action].offer(entity, ctx);
    if (offer !== undefined) out.push({ action, ...offer });
  }
  return out;
}

function labelOf(entity: Entity, id: string): string {
  return typeof entity.name === 'string' && entity.name ? `"${entity.name}"` : `entity ${id}`;
}

function unsupported(read: LastRead, entity: Entity, id: string, action: ControlAction): string {
  const can = entityActions(entity, { snapshot: read.snapshot, legacy: read.info.legacy }).map((a) => a.action);
  const list = can.length > 0 ? `it supports ${can.join(', ')}` : 'it has nothing to control';
  const zone = typeof entity.location === 'string' ? read.snapshot.entities[entity.location] : undefined;
  const hint =
    action === 'setpoint' && zone !== undefined && zone.devClass === 'climate' && zone.id !== id
      ? ` The setpoint of an Adam zone is set on the zone: use "${String(zone.name)}" (${zone.id}).`
      : '';
  return `${labelOf(entity, id)} (${String(entity.devClass)}) has no ${action}: ${list}.${hint}`;
}

/** Checks a control against the last read and returns the requests to send (BAD_INPUT: none). */
export function planWrite(read: LastRead, entityId: string, action: ControlAction, payload: unknown): WritePlan {
  // An own entry only: "constructor" or "__proto__" is no entity id.
  const entity = Object.prototype.hasOwnProperty.call(read.snapshot.entities, entityId) ? read.snapshot.entities[entityId] : undefined;
  if (entity === undefined) {
    throw new GatewayError('NOT_FOUND', `The hub has no entity "${entityId}": pick one from the list in the node's settings.`);
  }
  const c = CONTROLS[action];
  const offer = c.offer(entity, { snapshot: read.snapshot, legacy: read.info.legacy });
  if (offer === undefined) throw badInput(unsupported(read, entity, entityId, action));
  const label = labelOf(entity, entityId);
  if (offer.blocked !== undefined) throw badInput(`${label} was not changed (${action}): ${offer.blocked}.`);
  const job: Job = { ...read, entity, id: hubId(entityId, label), offer, label };
  const value = c.value(payload, job);
  return { entityId, action, value: c.shown ? c.shown(value) : value, requests: c.send(value, job), readBack: c.readBack !== false, entity };
}
