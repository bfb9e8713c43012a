/**
 * A Thinknx server's Integration Kit (local API on /api/V1/..., Digest / Basic / query-string auth) and a
 * Thinknx cloud in front of it (/<prefix>/<KEY>/api/V1/...), with stateful devices per GUID, `fb`
 * feedback, KNX telegrams, server status, a throttle (429) and SimServer's fault switches.
 *   const sim = new ThinknxSimulator({ password: 'pw', keys: ['KEY123'] }); await sim.start();
 */
import { SimServer, type RecordedRequest, type SimReply, Simulator } from './base';
import { DigestServer, basicOk, type DigestServerOptions } from './thinknx/auth';
import { CONTROLLERS, DEMO_DEVICES, KNX_CONTROLLERS, newState, type Device, type DeviceKind } from './thinknx/devices';
import type { DemoHandle } from '../../scripts/demo';

export interface ThinknxSimOptions {
  username?: string;
  password: string;
  /** Digest challenge settings (algorithm, qop, realm, nonceUses). */
  digest?: Omit<DigestServerOptions, 'username' | 'password'>;
  /** Status for refused credentials: 403 as documented (401 to mimic servers that re-challenge). */
  refusedStatus?: 401 | 403;
  /** Valid Integration Kit keys (cloud paths). */
  keys?: string[];
  /** Path before /<KEY>/api/V1 (e.g. '/cloud'); '' by default. */
  cloudPrefix?: string;
  /** How long a device takes to report back after a set with `fb` (ms). */
  fbDelayMs?: number;
  devices?: ReadonlyArray<{ guid: string; kind: DeviceKind; name: string }>;
  /** Measured temperatures move 0.2 °C toward the setpoint on each read (the demo's live look). */
  drift?: boolean;
  maxIdleMs?: number;
}

export interface Telegram {
  controller: string;
  group: string;
  value: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}): SimReply {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export class ThinknxSimulator extends Simulator {
  readonly server: SimServer;
  readonly digest: DigestServer;
  readonly devices = new Map<string, Device>();
  readonly telegrams: Telegram[] = [];
  serverStatus: Record<string, unknown> = {
    version: '6.2.1.4',
    process_uptime: '2 days 3 hours 15 min',
    server_uptime: '41 days 0 hours 7 min',
    config_time: '14:03:27 2024-05-12',
    connected_clients: 3,
    pbx_users: '101,102',
  };
  private throttled = 0;
  private retryAfter = '1';

  constructor(private readonly options: ThinknxSimOptions) {
    super();
    this.digest = new DigestServer({ username: this.username, password: options.password, ...options.digest });
    (options.devices ?? DEMO_DEVICES).forEach((d, i) => this.devices.set(d.guid, { ...d, state: newState(), commObj: 100 + i }));
    this.server = new SimServer((req) => this.handle(req), options.maxIdleMs ?? 0);
  }

  get username(): string {
    return this.options.username ?? 'integration';
  }

  device(guid: string): Device {
    const d = this.devices.get(guid);
    if (!d) throw new Error(`no simulated device ${guid}`);
    return d;
  }

  /** Requests to a controller (e.g. 'power', 'system/serverStatus'), challenges included; all when omitted. */
  override count(controller?: string): number {
    if (controller === undefined) return this.server.requests.length;
    const tail = `/api/v1/${controller.toLowerCase()}`;
    return this.server.requests.filter((r) => (r.path.split('?')[0] ?? '').toLowerCase().endsWith(tail)).length;
  }

  /** The next `times` requests get 429 with Retry-After (seconds). */
  throttle(times: number, retryAfterSeconds = 1): void {
    this.throttled = times;
    this.retryAfter = String(retryAfterSeconds);
  }

  private async handle(req: RecordedRequest): Promise<SimReply> {
    if (this.throttled > 0) {
      this.throttled--;
      return json(429, { error: 'too many requests' }, { 'retry-after': this.retryAfter });
    }
    const url = new URL(req.path, 'http://sim');
    const prefix = (this.options.cloudPrefix ?? '').replace(/\/+$/, '');
    const cloud = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)/api/v1/(.+)$`, 'i').exec(url.pathname);
    const local = /^\/api\/v1\/(.+)$/i.exec(url.pathname);
    if (local) {
      const refused = this.authenticate(req, url);
      if (refused) return refused;
      return this.api(local[1]!, url.searchParams);
    }
    if (cloud) {
      if (!(this.options.keys ?? []).includes(cloud[1]!)) return json(403, { error: 'invalid key' });
      return this.api(cloud[2]!, url.searchParams);
    }
    return json(404, { error: 'not found' });
  }

  /** The reply refusing the request, or undefined when its credentials are good. */
  private authenticate(req: RecordedRequest, url: URL): SimReply | undefined {
    const q = url.searchParams;
    const mode = q.get('auth');
    const refused = (): SimReply =>
      this.options.refusedStatus === 401
        ? json(401, { error: 'unauthorized' }, { 'www-authenticate': this.digest.challenge() })
        : json(403, { error: 'authentication failed' });
    if (mode === 'digest') {
      const verdict = this.digest.verify(req.method, req.path, req.headers.authorization, req.body);
      if (verdict === 'ok') return undefined;
      if (verdict === 'wrong') return refused();
      return json(401, { error: 'unauthorized' }, { 'www-authenticate': this.digest.challenge(verdict === 'stale') });
    }
    if (mode === 'basic') {
      if (q.has('user') || q.has('pass')) return q.get('user') === this.username && q.get('pass') === this.options.password ? undefined : refused();
      if (!req.headers.authorization) return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Basic realm="Thinknx"' });
      return basicOk(req.headers.authorization, this.username, this.options.password) ? undefined : refused();
    }
    return json(403, { error: 'authentication required' });
  }

  private async api(controller: string, q: URLSearchParams): Promise<SimReply> {
    const name = controller.toLowerCase();
    if (name === 'system/serverstatus') return json(200, { namespace: 'system/serverStatus', ...this.serverStatus });
    const knxName = Object.keys(KNX_CONTROLLERS).find((k) => k.toLowerCase() === name);
    if (knxName) return this.knx(knxName, q);
    const def = CONTROLLERS[name];
    if (!def) return json(404, { error: 'device not found' });
    const guid = q.get('guid');
    if (!guid) return json(400, { error: 'params errors' });
    const device = this.devices.get(guid);
    if (!device) return json(404, { error: 'device not found' });
    if (!def.kinds.includes(device.kind)) return json(400, { error: 'impossible to execute' });
    const s = device.state;
    const reply: Record<string, unknown> = { namespace: name, guid, comm_obj: device.commObj };
    if (!def.param && name !== 'trigger') {
      if (name === 'actualtemp' && this.options.drift) s.temp = Math.round((s.temp + Math.sign(s.setpoint - s.temp) * Math.min(0.2, Math.abs(s.setpoint - s.temp))) * 10) / 10;
      return json(200, { ...reply, status: s[def.field!] });
    }
    let v = 1;
    if (def.param) {
      const raw = q.get(def.param) ?? '';
      v = Number(raw);
      const inRange = (def.min === undefined || v >= def.min) && (def.max === undefined || v <= def.max);
      if (!NUMBER.test(raw) || !inRange || (!def.decimal && !Number.isInteger(v))) return json(400, { error: 'params errors' });
    }
    const reported = def.report ? def.report(v) : v;
    if (def.field) s[def.field] = reported;
    def.effect?.(s, v);
    s.applied++;
    if (q.has('fb') && !def.noFeedback && def.field) {
      await new Promise((r) => setTimeout(r, this.options.fbDelayMs ?? 30).unref());
      reply.status = s[def.field];
    }
    return json(200, reply);
  }

  private knx(controller: string, q: URLSearchParams): SimReply {
    const spec = KNX_CONTROLLERS[controller]!;
    const group = q.get('group') ?? '';
    const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(group);
    const raw = q.get('value') ?? '';
    const v = Number(raw);
    const groupOk = m && Number(m[1]) <= 31 && Number(m[2]) <= 7 && Number(m[3]) <= 255;
    if (!groupOk || !NUMBER.test(raw) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v))) {
      return json(400, { error: 'params errors' });
    }
    this.telegrams.push({ controller, group, value: v });
    return json(200, { namespace: controller, group, value: v });
  }
}

/** `npm start`: a Thinknx server on 127.0.0.1:18083 (Digest), and a cloud in front of it under /cloud. */
export const THINKNX_DEMO_PORT = 18083;
export const THINKNX_DEMO_KEY = 'DEMOKEY2024thinknx';
export const demo = {
  configType: 'thinknx-server',
  credentials: { username: 'demo', password: 'thinknx-demo', key: THINKNX_DEMO_KEY },
  async start(port = THINKNX_DEMO_PORT): Promise<DemoHandle> {
    const sim = new ThinknxSimulator({ username: 'demo', password: 'thinknx-demo', keys: [THINKNX_DEMO_KEY], cloudPrefix: '/cloud', fbDelayMs: 300, drift: true });
    await sim.start(port);
    return { port: sim.port, stop: () => sim.stop(), requests: () => sim.count(), setFault: (f) => sim.server.setFault(f) };
  },
};
