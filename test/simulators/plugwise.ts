/**
 * A Plugwise Smile hub: serves a fixture's XML over HTTP with Basic auth, like the real hub does.
 *   new PlugwiseSimulator({fixture: 'adam_plus_anna_new', password: 'abcdefgh'}).start()
 * Fault switches come from SimServer (delay, status, malformed/truncated bodies, drops); `variant`
 * switches to the fixture's updated/, error/ or reboot/ XML. A ranged read of an element's logs
 * (`/core/locations;id=..;@from=..;@to=..;@interval=..`) is answered from generated data (plugwise-history.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimServer, type RecordedRequest, type SimReply, Simulator } from './base';
import type { DemoHandle } from '../../scripts/demo';
import { historyParams, historyReply } from './plugwise-history';

export const PLUGWISE_FIXTURES = join(__dirname, '..', 'fixtures', 'plugwise');

/** A hub path -> the dump file that answers it (python-plugwise's test routes; /system is the status document). */
export const PLUGWISE_DUMP_FILES: Readonly<Record<string, string>> = {
  '/core/domain_objects': 'core.domain_objects.xml',
  '/core/locations': 'core.locations.xml',
  '/core/modules': 'core.modules.xml',
  '/core/appliances': 'core.appliances.xml',
  '/system': 'system_status_xml.xml',
  '/system/status.xml': 'system_status_xml.xml',
};

/** Fixture file name -> the hub path that serves it. */
export function fixturePath(file: string): string | undefined {
  return fixturePaths(file)[0];
}

/** Every path a fixture file serves (the legacy hubs' /system is the same document as /system/status.xml). */
export function fixturePaths(file: string): string[] {
  if (file === 'system_status_xml.xml') return ['/system/status.xml', '/system'];
  const m = /^core\.([a-z_]+)\.xml$/.exec(file);
  return m ? [`/core/${m[1]}`] : [];
}

export interface PlugwiseSimOptions {
  fixture: string;
  username?: string;
  password: string;
  /** Stop after this long without a request (ms; 0 never). */
  maxIdleMs?: number;
}

export type PlugwiseVariant = 'normal' | 'updated' | 'error' | 'reboot';

export class PlugwiseSimulator extends Simulator {
  readonly server: SimServer;
  variant: PlugwiseVariant = 'normal';
  private readonly docs = new Map<PlugwiseVariant, Map<string, string>>();

  constructor(private readonly options: PlugwiseSimOptions) {
    super();
    const dir = join(PLUGWISE_FIXTURES, options.fixture);
    if (!existsSync(dir)) throw new Error(`No Plugwise fixture "${options.fixture}" in ${PLUGWISE_FIXTURES}`);
    this.docs.set('normal', loadDocs(dir));
    for (const v of ['updated', 'error', 'reboot'] as const) {
      if (existsSync(join(dir, v))) this.docs.set(v, loadDocs(join(dir, v)));
    }
    this.server = new SimServer((req) => this.handle(req), options.maxIdleMs ?? 0);
  }

  /** The writes received (PUT/POST/DELETE), in order, as sent. */
  get writes(): RecordedRequest[] {
    return this.server.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
  }

  private handle(req: RecordedRequest): SimReply {
    const expected = `Basic ${Buffer.from(`${this.options.username ?? 'smile'}:${this.options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="Smile"' }, body: 'Unauthorized' };
    }
    const path = req.path.split('?')[0] ?? '/';
    if (req.method !== 'GET') return this.write(req.method, path, req.body);
    const variantDocs = this.docs.get(this.variant);
    const ranged = /^\/core\/(locations|appliances|modules);id=(\w+)(;.*)?$/.exec(path);
    if (ranged) return this.history(ranged[1] as string, ranged[2] as string, ranged[3] ?? '', variantDocs);
    const body = variantDocs?.get(path) ?? this.docs.get('normal')?.get(path);
    if (body === undefined) return { status: 404, body: 'Not found' };
    return { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
  }

  /** The history of one element: 404 for an unknown id, 400 for @ filters the hub would not take. */
  private history(route: string, id: string, matrix: string, variantDocs: Map<string, string> | undefined): SimReply {
    const params = historyParams(matrix);
    if (params === undefined) return { status: 404, body: 'Not found' };
    if ('error' in params) return { status: 400, body: params.error };
    const doc = variantDocs?.get('/core/domain_objects') ?? this.docs.get('normal')?.get('/core/domain_objects') ?? '';
    const legacy = variantDocs?.get('/core/appliances') ?? this.docs.get('normal')?.get('/core/appliances') ?? '';
    const body = historyReply(doc, route, id, params) ?? historyReply(legacy, route, id, params);
    if (body === undefined) return { status: 404, body: 'No such object' };
    return { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
  }

  /** A write the hub accepts changes the XML it serves next (every variant), as the real hub would. */
  private write(method: string, path: string, body: string): SimReply {
    const rule = WRITES.find((w) => w.method === method && w.path.test(path));
    const match = rule ? rule.path.exec(path) : null;
    if (!rule || !match) return { status: 404, body: 'Not found' };
    edits.found = 0;
    for (const docs of this.docs.values()) {
      for (const [p, doc] of docs) docs.set(p, rule.apply(doc, match, body));
    }
    return edits.found > 0 ? { status: 200, body: '' } : { status: 404, body: 'No such object' };
  }
}

// ---- writes: small string edits of the served XML (the fixture's own formatting is kept) ----

/** Elements a write found (a write to an unknown id is a 404, as on the hub). */
const edits = { found: 0 };

/** Text of <tag> in a write body. */
function bodyText(body: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
}

/** Edits the inner XML of every non-empty <tag id="id"> (any id when id is undefined). */
function editElement(doc: string, tag: string, id: string | undefined, edit: (inner: string) => string): string {
  const idPattern = id === undefined ? `[^'"]+` : id.replace(/\W/g, '');
  return doc.replace(new RegExp(`(<${tag} id=['"]${idPattern}['"]>)([\\s\\S]*?)(</${tag}>)`, 'g'), (_m, open: string, inner: string, close: string) => {
    edits.found++;
    return open + edit(inner) + close;
  });
}

/** Sets the text of the first <child> (or empty <child/>) of an element's inner XML. */
function setChild(inner: string, child: string, value: string | undefined): string {
  if (value === undefined) return inner;
  return inner.replace(new RegExp(`<${child}>[^<]*</${child}>|<${child}\\s*/>`), `<${child}>${value}</${child}>`);
}

/** Every child of a write body found in an element's inner XML takes the body's value. */
function setFromBody(children: string[]) {
  return (doc: string, id: string | undefined, tag: string, body: string): string =>
    editElement(doc, tag, id, (inner) => children.reduce((acc, c) => setChild(acc, c, bodyText(body, c)), inner));
}

function relayEdit(inner: string, body: string): string {
  const state = bodyText(body, 'state');
  let out = setChild(setChild(inner, 'lock', bodyText(body, 'lock')), 'state', state);
  if (state !== undefined) out = out.replace(/(<type>relay<\/type>[\s\S]*?<measurement[^>]*>)[^<]*(<\/measurement>)/, `$1${state}$2`);
  return out;
}

/** The hub passes a location's new setpoint on to the thermostats in it (what an Anna entity shows). */
function passOn(doc: string, locationId: string, body: string): string {
  const setpoint = bodyText(body, 'setpoint');
  if (setpoint === undefined) return doc;
  const location = new RegExp(`<location id=['"]${locationId}['"]>([\\s\\S]*?)</location>`).exec(doc)?.[1] ?? '';
  const members = [...(/<appliances>([\s\S]*?)<\/appliances>/.exec(location)?.[1] ?? '').matchAll(/<appliance id=['"](\w+)['"]/g)].map((m) => m[1]);
  const thermostat = (f: string): string => (f.includes('<type>thermostat</type>') ? setChild(f, 'setpoint', setpoint) : f);
  return members.reduce((out, id) => editElement(out, 'appliance', id, (inner) => editElement(inner, 'thermostat_functionality', undefined, thermostat)), doc);
}

/**
 * A toggle (cooling enabled, hot-water comfort mode) changes its functionality's state, and the hub logs the
 * new state in the appliance's point_log of the same type (which python-plugwise reads as select_dhw_mode).
 */
function toggleEdit(doc: string, applianceId: string, toggleId: string | undefined, type: string | undefined, body: string): string {
  const state = bodyText(body, 'state');
  return editElement(doc, 'appliance', applianceId, (inner) => {
    let kind = type;
    const edited = inner.replace(/<toggle_functionality\b[^>]*>[\s\S]*?<\/toggle_functionality>/g, (f) => {
      const fType = /<type>([^<]*)<\/type>/.exec(f)?.[1];
      if (toggleId !== undefined ? !new RegExp(`id=['"]${toggleId}['"]`).test(f) : fType !== type) return f;
      kind = fType;
      return setChild(f, 'state', state);
    });
    if (kind === undefined || state === undefined) return edited;
    return edited.replace(
      new RegExp(`(<point_log\\b[^>]*>\\s*<type>${kind}</type>[\\s\\S]*?<measurement[^>]*>)[^<]*(</measurement>)`),
      `$1${state}$2`,
    );
  });
}

interface WriteRule {
  method: string;
  path: RegExp;
  apply(doc: string, m: RegExpExecArray, body: string): string;
}

const setpointLike = setFromBody(['setpoint', 'regulation_control']);
const modeLike = setFromBody(['mode']);

const WRITES: WriteRule[] = [
  { method: 'PUT', path: /^\/core\/appliances;id=\w+\/thermostat;id=(\w+)$/, apply: (d, m, b) => setpointLike(d, m[1], 'thermostat_functionality', b) },
  { method: 'PUT', path: /^\/core\/locations;id=(\w+)\/thermostat;id=(\w+)$/, apply: (d, m, b) => passOn(setpointLike(d, m[2], 'thermostat_functionality', b), m[1], b) },
  { method: 'PUT', path: /^\/core\/appliances;id=(\w+)\/thermostat$/, apply: (d, m, b) => editElement(d, 'appliance', m[1], (i) => setChild(i, 'setpoint', bodyText(b, 'setpoint'))) },
  { method: 'PUT', path: /^\/core\/locations;id=(\w+)$/, apply: (d, m, b) => editElement(d, 'location', m[1], (i) => setChild(i, 'preset', bodyText(b, 'preset'))) },
  {
    method: 'PUT',
    path: /^\/core\/rules;id=(\w+)$/,
    apply: (d, m, b) =>
      editElement(d, 'rule', m[1], (inner) => {
        const contexts = /<contexts>[\s\S]*?<\/contexts>|<contexts\s*\/>/.exec(b)?.[0];
        if (contexts === undefined) return setChild(inner, 'active', bodyText(b, 'active'));
        const active = contexts.includes('<location') ? 'true' : 'false';
        return setChild(inner.replace(/<contexts>[\s\S]*?<\/contexts>|<contexts\s*\/>/, contexts), 'active', active);
      }),
  },
  {
    method: 'PUT',
    path: /^\/core\/rules$/,
    apply: (d, _m, b) => {
      const id = /<rule id=['"](\w+)['"]/.exec(b)?.[1];
      // Legacy Anna: the preset rule asked for becomes the active one.
      return d.replace(/(<rule id=['"](\w+)['"]>)([\s\S]*?)(<\/rule>)/g, (all, open: string, rid: string, inner: string, close: string) => {
        if (!inner.includes(' icon=')) return all;
        if (rid === id) edits.found++;
        return open + setChild(inner, 'active', rid === id ? 'true' : 'false') + close;
      });
    },
  },
  // Zone profile (python-plugwise: POST to the location's thermostat, no functionality id).
  { method: 'POST', path: /^\/core\/locations;id=(\w+)\/thermostat$/, apply: (d, m, b) => editElement(d, 'location', m[1], (i) => setChild(i, 'regulation_control', bodyText(b, 'regulation_control'))) },
  { method: 'PUT', path: /^\/core\/appliances;id=(\w+)\/relay(?:;id=\w+)?$/, apply: (d, m, b) => editElement(d, 'appliance', m[1], (i) => relayEdit(i, b)) },
  // Modern lock: POST to the relay.
  { method: 'POST', path: /^\/core\/appliances;id=(\w+)\/relay$/, apply: (d, m, b) => editElement(d, 'appliance', m[1], (i) => relayEdit(i, b)) },
  {
    method: 'DELETE',
    path: /^\/core\/notifications$/,
    apply: (d) => {
      edits.found++;
      return d.replace(/\s*<notification id=['"]\w+['"]>[\s\S]*?<\/notification>/g, '');
    },
  },
  {
    method: 'POST',
    path: /^\/core\/gateways;@reboot$/,
    apply: (d) => {
      edits.found++;
      return d;
    },
  },
  { method: 'POST', path: /^\/core\/appliances$/, apply: (d, _m, b) => editElement(d, 'appliance', /<appliance id=['"](\w+)['"]/.exec(b)?.[1] ?? '-', (i) => relayEdit(i, b)) },
  { method: 'PUT', path: /^\/core\/appliances;id=(\w+)\/offset;type=temperature_offset$/, apply: (d, m, b) => editElement(d, 'appliance', m[1], (i) => setChild(i, 'offset', bodyText(b, 'offset'))) },
  { method: 'PUT', path: /^\/core\/appliances;id=(\w+)\/toggle;id=(\w+)$/, apply: (d, m, b) => toggleEdit(d, m[1], m[2], undefined, b) },
  { method: 'PUT', path: /^\/core\/appliances;id=(\w+)\/toggle;type=(\w+)$/, apply: (d, m, b) => toggleEdit(d, m[1], undefined, m[2], b) },
  { method: 'PUT', path: /^\/core\/appliances;type=gateway\/regulation_mode_control$/, apply: (d, _m, b) => modeLike(d, undefined, 'regulation_mode_control_functionality', b) },
  { method: 'PUT', path: /^\/core\/appliances;id=\w+\/gateway_mode_control$/, apply: (d, _m, b) => modeLike(d, undefined, 'gateway_mode_control_functionality', b) },
  {
    method: 'PUT',
    path: /^\/core\/appliances;type=heater_central\/domestic_hot_water_mode_control$/,
    apply: (d, _m, b) => modeLike(d, undefined, 'domestic_hot_water_mode_control_functionality', b),
  },
];

function loadDocs(dir: string): Map<string, string> {
  const docs = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    for (const path of fixturePaths(file)) docs.set(path, readFileSync(join(dir, file), 'utf8'));
  }
  return docs;
}

/** `npm start`: an Adam with two zones on 127.0.0.1:18081 (the examples point there). */
export const PLUGWISE_DEMO_PORT = 18081;
export const demo = {
  configType: 'plugwise-gateway',
  credentials: { username: 'smile', password: 'demo1234' },
  async start(port = PLUGWISE_DEMO_PORT): Promise<DemoHandle> {
    const sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: 'demo1234' });
    await sim.start(port);
    return { port: sim.port, stop: () => sim.stop(), requests: () => sim.count(), setFault: (f) => sim.server.setFault(f) };
  },
};
