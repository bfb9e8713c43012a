/**
 * The requests a Smile / Stretch accepts for each write, as data (the hub-side facts python-plugwise
 * relies on). `{name}` is replaced by the XML-escaped value, `{{name}}` by a ready-made XML fragment
 * (built by the functions below), `{!name}` by CDATA. Paths take ids from the hub's own XML only.
 */
import { GatewayError } from '../../core/errors';
import { attr, childTags, kids, text, type XmlNode } from './xml';

export type WriteMethod = 'PUT' | 'POST';

export interface WriteShape {
  method: WriteMethod;
  path: string;
  body: string;
}

export interface WriteRequest {
  method: WriteMethod;
  path: string;
  body: string;
}

const SETPOINT_BODY = '<thermostat_functionality><setpoint>{value}</setpoint></thermostat_functionality>';
const RELAY_STATE_BODY = '<relay_functionality><state>{value}</state></relay_functionality>';

export const SHAPES = {
  /** Adam zone / Anna: the location's thermostat functionality. */
  setpoint: { method: 'PUT', path: '/core/locations;id={location}/thermostat;id={functionality}', body: SETPOINT_BODY },
  /** Legacy Anna: the thermostat appliance. */
  setpointLegacy: { method: 'PUT', path: '/core/appliances;id={appliance}/thermostat', body: SETPOINT_BODY },
  zoneProfile: {
    method: 'PUT',
    path: '/core/locations;id={location}/thermostat;id={functionality}',
    body: '<thermostat_functionality><regulation_control>{value}</regulation_control></thermostat_functionality>',
  },
  preset: {
    method: 'PUT',
    path: '/core/locations;id={location}',
    body: '<locations><location id="{location}"><name>{name}</name><type>{type}</type><preset>{value}</preset></location></locations>',
  },
  presetLegacy: { method: 'PUT', path: '/core/rules', body: "<rules><rule id='{rule}'><active>true</active></rule></rules>" },
  /** Modern schedule on/off: the rule's contexts with the zone added or removed. */
  schedule: {
    method: 'PUT',
    path: '/core/rules;id={rule}',
    body: "<rules><rule id='{rule}'><name>{!name}</name>{{template}}{{contexts}}</rule></rules>",
  },
  scheduleLegacy: {
    method: 'PUT',
    path: '/core/rules;id={rule}',
    body: "<rules><rule id='{rule}'><name>{!name}</name><template id='{template}' /><active>{value}</active></rule></rules>",
  },
  relay: { method: 'PUT', path: '/core/appliances;id={appliance}/relay;id={functionality}', body: RELAY_STATE_BODY },
  /** Stretch v3 and legacy hubs: no functionality id in the path. */
  relayLegacy: { method: 'PUT', path: '/core/appliances;id={appliance}/relay', body: RELAY_STATE_BODY },
  /** Stretch v2: the older <relay> body. */
  relayStretchV2: { method: 'PUT', path: '/core/appliances;id={appliance}/relay', body: '<relay><state>{value}</state></relay>' },
  lock: {
    method: 'PUT',
    path: '/core/appliances;id={appliance}/relay;id={functionality}',
    body: '<relay_functionality><lock>{value}</lock></relay_functionality>',
  },
  /** Stretch: the lock is set by posting the appliance itself. */
  lockLegacy: {
    method: 'POST',
    path: '/core/appliances',
    body:
      "<appliances><appliance id='{appliance}'><name>{!name}</name><description><![CDATA[]]></description><type>{!type}</type>" +
      '<{container}><{functionality}><lock>{value}</lock></{functionality}></{container}></appliance></appliances>',
  },
  regulationMode: {
    method: 'PUT',
    path: '/core/appliances;type=gateway/regulation_mode_control',
    body: '<regulation_mode_control_functionality>{{duration}}<mode>{value}</mode></regulation_mode_control_functionality>',
  },
  gatewayMode: {
    method: 'PUT',
    path: '/core/appliances;id={appliance}/gateway_mode_control',
    body: '<gateway_mode_control_functionality><mode>{value}</mode>{{period}}</gateway_mode_control_functionality>',
  },
  dhwMode: {
    method: 'PUT',
    path: '/core/appliances;type=heater_central/domestic_hot_water_mode_control',
    body: '<domestic_hot_water_mode_control_functionality><mode>{value}</mode></domestic_hot_water_mode_control_functionality>',
  },
  /** Boilers without DHW modes: the comfort-mode toggle (comfort = on, eco = off). */
  dhwComfortToggle: {
    method: 'PUT',
    path: '/core/appliances;id={appliance}/toggle;id={functionality}',
    body: '<toggle_functionality><state>{value}</state></toggle_functionality>',
  },
  maxBoilerTemperature: { method: 'PUT', path: '/core/appliances;id={appliance}/thermostat;id={functionality}', body: SETPOINT_BODY },
  temperatureOffset: {
    method: 'PUT',
    path: '/core/appliances;id={appliance}/offset;type=temperature_offset',
    body: '<offset_functionality><offset>{value}</offset></offset_functionality>',
  },
} as const satisfies Record<string, WriteShape>;

export type ShapeName = keyof typeof SHAPES;

/** The hub's ids (hex) and the few literal words used in paths: nothing else goes into a URL. */
const SAFE_PATH_VALUE = /^[A-Za-z0-9_-]{1,64}$/;

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** Fills a shape. Path values must be hub ids; body values are escaped unless given as fragments. */
export function fillShape(name: ShapeName, values: Record<string, string>): WriteRequest {
  const shape: WriteShape = SHAPES[name];
  const path = shape.path.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined || !SAFE_PATH_VALUE.test(v)) {
      throw new GatewayError('BAD_RESPONSE', `The hub's XML has no usable ${key} id for this write.`);
    }
    return v;
  });
  const body = shape.body.replace(/\{\{(\w+)\}\}|\{!(\w+)\}|\{(\w+)\}/g, (_m, fragment?: string, cd?: string, plain?: string) => {
    if (fragment !== undefined) return values[fragment] ?? '';
    if (cd !== undefined) return cdata(values[cd] ?? '');
    return escapeXml(values[plain as string] ?? '');
  });
  return { method: shape.method, path, body };
}

/** Serializes a parsed element back to XML (attributes, text and children; used for rule contexts). */
export function toXml(tag: string, node: XmlNode | undefined): string {
  if (node === undefined || typeof node === 'string') {
    return node ? `<${tag}>${escapeXml(node)}</${tag}>` : `<${tag} />`;
  }
  const attrs = (node['@'] as Record<string, string> | undefined) ?? {};
  const open = tag + Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  const inner = (text(node) !== undefined ? escapeXml(text(node) as string) : '') +
    childTags(node).map((child) => kids(node, child).map((c) => toXml(child, c)).join('')).join('');
  return inner === '' ? `<${open} />` : `<${open}>${inner}</${tag}>`;
}

/** A zone context as the hub writes it. */
export function zoneContext(locationId: string): XmlNode {
  return { zone: [{ location: [{ '@': { id: locationId } }] }] };
}

/** True when a <context> names this location as its zone. */
export function contextHasZone(context: XmlNode, locationId: string): boolean {
  return kids(context, 'zone').some((zone) => kids(zone, 'location').some((l) => attr(l, 'id') === locationId));
}
