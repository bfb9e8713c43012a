/**
 * The ids a write needs that the entity model does not carry (functionality ids, rule ids, templates
 * and contexts, location names and types), indexed from the XML of the last read. Pure.
 */
import { functionalityOf } from './actuators';
import { readHubDoc } from './detect';
import { PATH } from './tables';
import type { HubInfo } from './types';
import { attr, kid, kidText, kids, type XmlNode } from './xml';

export interface LocationTarget {
  name: string;
  type: string;
  /** id of the location's (first) thermostat_functionality. */
  thermostat?: string;
}

export interface ApplianceTarget {
  name: string;
  type: string;
  /** id of the (first) relay_functionality. */
  relay?: string;
  /** thermostat_functionality ids by their <type> (e.g. maximum_boiler_temperature). */
  thermostats: Record<string, string>;
  /** toggle_functionality ids by their <type> (e.g. domestic_hot_water_comfort_mode). */
  toggles: Record<string, string>;
  /** Has an offset_functionality of type temperature_offset with an <offset>. */
  offset: boolean;
  /** Has a domestic_hot_water_mode_control_functionality. */
  dhwModeControl: boolean;
}

export interface RuleTarget {
  id: string;
  name: string;
  active: boolean;
  templateId?: string;
  templateTag?: string;
  /** ISO text of <modified_date> (the last-used schedule is the latest one). */
  modified: string;
  contexts?: XmlNode;
  /** Legacy presets: the icons of the rule's directives. */
  icons: string[];
}

export interface WriteTargets {
  legacy: boolean;
  stretchV2: boolean;
  /** The hub's clock as it wrote it, offset included (modern hubs). */
  hubTime?: string;
  /** The hub's IANA time zone, e.g. Europe/Amsterdam (modern hubs). */
  hubTimezone?: string;
  locations: Map<string, LocationTarget>;
  appliances: Map<string, ApplianceTarget>;
  rules: RuleTarget[];
  /** Legacy Anna: the thermostat appliance. */
  legacyThermostat?: string;
}

function idsByType(element: XmlNode, functionality: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const af of kids(element, 'actuator_functionalities')) {
    for (const f of kids(af, functionality)) {
      const id = attr(f, 'id');
      const type = kidText(f, 'type');
      if (id !== undefined && type !== undefined && out[type] === undefined) out[type] = id;
    }
  }
  return out;
}

function applianceTarget(appliance: XmlNode, stretchV2: boolean): ApplianceTarget {
  const relay = stretchV2 ? undefined : attr(functionalityOf(appliance, 'relay_functionality'), 'id');
  const offset = functionalityOf(appliance, 'offset_functionality', 'temperature_offset');
  return {
    name: kidText(appliance, 'name') ?? '',
    type: kidText(appliance, 'type') ?? '',
    relay,
    thermostats: idsByType(appliance, 'thermostat_functionality'),
    toggles: idsByType(appliance, 'toggle_functionality'),
    offset: kid(offset, 'offset') !== undefined,
    dhwModeControl: functionalityOf(appliance, 'domestic_hot_water_mode_control_functionality') !== undefined,
  };
}

function ruleTarget(rule: XmlNode): RuleTarget | undefined {
  const id = attr(rule, 'id');
  if (id === undefined) return undefined;
  const template = kid(rule, 'template');
  const icons: string[] = [];
  for (const when of kids(kid(rule, 'directives'), 'when')) {
    for (const then of kids(when, 'then')) {
      const icon = attr(then, 'icon');
      if (icon !== undefined) icons.push(icon);
    }
  }
  return {
    id,
    name: kidText(rule, 'name') ?? '',
    active: kidText(rule, 'active') === 'true',
    templateId: attr(template, 'id'),
    templateTag: attr(template, 'tag'),
    modified: kidText(rule, 'modified_date') ?? '',
    contexts: kid(rule, 'contexts'),
    icons,
  };
}

function firmwareMajor(firmware: string): number {
  return parseInt(firmware.replace(/^v/i, ''), 10);
}

/** Indexes the write targets of one read: `docs` are the bodies of that read, keyed by path. */
export function collectWriteTargets(info: HubInfo, docs: Record<string, string>): WriteTargets {
  const body = docs[PATH.DOMAIN_OBJECTS];
  const dom = body === undefined ? undefined : readHubDoc(PATH.DOMAIN_OBJECTS, body, 'domain_objects');
  const stretchV2 = info.legacy && info.model === 'stretch' && firmwareMajor(info.firmware) === 2;
  const targets: WriteTargets = {
    legacy: info.legacy,
    stretchV2,
    hubTime: info.legacy ? undefined : kidText(kid(dom, 'gateway'), 'time'),
    hubTimezone: info.legacy ? undefined : kidText(kid(dom, 'gateway'), 'timezone'),
    locations: new Map(),
    appliances: new Map(),
    rules: [],
  };
  const appliancesRoot = info.legacy && docs[PATH.APPLIANCES] !== undefined ? readHubDoc(PATH.APPLIANCES, docs[PATH.APPLIANCES], 'appliances') : dom;
  for (const appliance of kids(appliancesRoot, 'appliance')) {
    const id = attr(appliance, 'id');
    if (id === undefined || targets.appliances.has(id)) continue;
    const target = applianceTarget(appliance, stretchV2);
    targets.appliances.set(id, target);
    if (target.type === 'thermostat' && targets.legacyThermostat === undefined) targets.legacyThermostat = id;
  }
  const locationsRoot = info.legacy && docs[PATH.LOCATIONS] !== undefined ? readHubDoc(PATH.LOCATIONS, docs[PATH.LOCATIONS], 'locations') : dom;
  for (const location of kids(locationsRoot, 'location')) {
    const id = attr(location, 'id');
    if (id === undefined || targets.locations.has(id)) continue;
    targets.locations.set(id, {
      name: kidText(location, 'name') ?? '',
      type: kidText(location, 'type') ?? '',
      thermostat: attr(functionalityOf(location, 'thermostat_functionality'), 'id'),
    });
  }
  for (const rule of kids(dom, 'rule')) {
    const target = ruleTarget(rule);
    if (target !== undefined) targets.rules.push(target);
  }
  return targets;
}

/** The offset (ms) of an IANA time zone at an instant; undefined when the runtime does not know the zone. */
function zoneOffsetMs(timeZone: string, at: number): number | undefined {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    const m = /^GMT(?:([+-])(\d{2}):?(\d{2}))?$/.exec(part?.value ?? '');
    if (m === null) return undefined;
    return m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  } catch {
    return undefined;
  }
}

/**
 * Midnight of a calendar date ("2025-12-20") on the hub's wall clock, as ms epoch: in the hub's time
 * zone when known, else at the offset of its clock, else UTC.
 */
export function hubMidnight(date: string, targets: Pick<WriteTargets, 'hubTime' | 'hubTimezone'>): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  const zone = targets.hubTimezone;
  if (zone !== undefined) {
    const first = zoneOffsetMs(zone, utc);
    if (first !== undefined) return utc - (zoneOffsetMs(zone, utc - first) ?? first);
  }
  const clockOffset = /([+-]\d{2}:?\d{2}|Z)$/.exec(targets.hubTime ?? '')?.[1];
  return clockOffset === undefined ? utc : Date.parse(`${date}T00:00:00${clockOffset}`);
}

/** Start of the hub's current local day (its clock's date), or undefined without a hub clock. */
export function hubDayStart(targets: Pick<WriteTargets, 'hubTime' | 'hubTimezone'>): number | undefined {
  const date = /^(\d{4}-\d{2}-\d{2})T/.exec(targets.hubTime ?? '')?.[1];
  return date === undefined ? undefined : hubMidnight(date, targets);
}
