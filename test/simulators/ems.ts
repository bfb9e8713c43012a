/**
 * A Carlo Gavazzi EMS gateway (EMS Webapi): JWT login with expiry, the contract's route table written out
 * on its own (not imported from src/, so a wrong path in the client fails a test), uid-keyed maps,
 * limit/page paging, and history computed from a formula of uid and time (see ems/data.ts).
 *   const sim = new EmsSimulator({username: 'api', password: 'secret'}); await sim.start();
 * Fault switches come from SimServer; `revokeTokens()`, `ignorePaging`, `tokenLifetimeSec`, `includeExp`.
 */
import { randomBytes } from 'node:crypto';
import { SimServer, type RecordedRequest, type SimReply, Simulator } from './base';
import { DEVICES, LOADS, SIGNALS, byUid, historyRecord, periods, realtimeValue, signalsOf, type SimSignal } from './ems/data';
import type { DemoHandle } from '../../scripts/demo';

export interface EmsSimOptions {
  username: string;
  password: string;
  /** Lifetime of a token, seconds (1800, as documented). */
  tokenLifetimeSec?: number;
  /** Put `exp` (and `iat`) claims in the JWT (true). */
  includeExp?: boolean;
  /** History period, seconds (60). */
  historyPeriodSec?: number;
  /** The gateway's clock, ms (tests inject one). */
  now?: () => number;
  /** Stop after this long without a request (ms; 0 never). */
  maxIdleMs?: number;
  /** The /ver reply body. */
  version?: string;
}

type Handler = (m: RegExpMatchArray, q: URLSearchParams) => SimReply;

const json = (body: unknown, status = 200): SimReply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const fail = (status: number, message: string): SimReply => json({ error: message }, status);

export class EmsSimulator extends Simulator {
  readonly server: SimServer;
  /** Token -> expiry (ms, by the gateway's clock). */
  readonly tokens = new Map<string, number>();
  /** Successful logins. */
  logins = 0;
  /** Every token handed out, in order (tests scan for leaks). */
  readonly issued: string[] = [];
  /** Answer page 1 whatever `page` asks (a broken gateway). */
  ignorePaging = false;
  /** Every history page is full, of records not served before, whatever the window (a gateway that never ends). */
  endlessHistory = false;
  /** Fields the firmware "added later", served in every history and realtime record. */
  extraFields: Record<string, unknown> = {};
  tokenLifetimeSec: number;
  includeExp: boolean;
  private readonly now: () => number;
  private readonly routes: [RegExp, Handler][];

  constructor(private readonly options: EmsSimOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.tokenLifetimeSec = options.tokenLifetimeSec ?? 1800;
    this.includeExp = options.includeExp ?? true;
    this.server = new SimServer((req) => this.handle(req), options.maxIdleMs ?? 0);
    // `/v1/(load|device)s/{uid}/...`: the signals of that load or device.
    const scoped = (m: RegExpMatchArray): SimSignal[] => signalsOf(m[1] as 'load' | 'device', Number(m[2]));
    this.routes = [
      [/^\/v1\/devices$/, (_m, q) => json({ devices: byUid(filterList(DEVICES, q)) })],
      [/^\/v1\/loads$/, (_m, q) => json({ loads: byUid(filterList(LOADS, q, (l) => DEVICES.find((d) => d.uid === l.did)?.protocol)) })],
      [/^\/v1\/devices\/(\d+)\/loads$/, (m) => json({ loads: byUid(LOADS.filter((l) => l.did === Number(m[1]))) })],
      [/^\/v1\/signals$/, (_m, q) => this.paged('signals', filterUids(SIGNALS, q), q, (s) => s)],
      [/^\/v1\/(load|device)s\/(\d+)\/signals$/, (m) => json({ signals: byUid(scoped(m)) })],
      [/^\/v1\/realtime$/, (_m, q) => this.paged('realtime', filterUids(SIGNALS, q), q, (s) => this.realtime(s))],
      [/^\/v1\/(load|device)s\/(\d+)\/realtime$/, (m) => json({ realtime: byUid(scoped(m).map((s) => this.realtime(s))) })],
      [/^\/v1\/history$/, (_m, q) => this.history(filterUids(SIGNALS, q), q, 'map')],
      [/^\/v1\/signals\/(\d+)\/history$/, (m, q) => this.history(SIGNALS.filter((s) => s.uid === Number(m[1])), q, 'array')],
      [/^\/v1\/(load|device)s\/(\d+)\/history$/, (m, q) => this.history(scoped(m), q, 'map')],
      [/^\/v1\/history\/last$/, (_m, q) => this.paged('history', filterUids(SIGNALS, q), q, (s) => this.last(s))],
      [/^\/v1\/signals\/(\d+)\/history\/last$/, (m) => json({ history: byUid(SIGNALS.filter((s) => s.uid === Number(m[1])).map((s) => this.last(s))) })],
      [/^\/v1\/(load|device)s\/(\d+)\/history\/last$/, (m) => json({ history: byUid(scoped(m).map((s) => this.last(s))) })],
    ];
  }

  /** Every token stops working (a gateway restart): the next request gets 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private handle(req: RecordedRequest): SimReply {
    const url = new URL(req.path, 'http://ems');
    if (url.pathname === '/ver' && req.method === 'GET') return json({ version: this.options.version ?? '1.8.2', product: 'EMS Webapi' });
    if (url.pathname === '/v1/auth/login') return req.method === 'POST' ? this.login(req) : fail(405, 'method not allowed');
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const expiry = auth?.[1] ? this.tokens.get(auth[1]) : undefined;
    if (expiry === undefined || expiry <= this.now()) return fail(401, 'invalid or expired token');
    if (req.method !== 'GET') return fail(405, 'method not allowed');
    const owner = /^\/v1\/(signal|load|device)s\/(\d+)\//.exec(url.pathname);
    if (owner && !known(owner[1] ?? '', Number(owner[2]))) return fail(404, `no ${owner[1]} ${owner[2]}`);
    for (const [pattern, handler] of this.routes) {
      const m = pattern.exec(url.pathname);
      if (!m) continue;
      const bad = badPaging(url.searchParams);
      return bad ?? handler(m, url.searchParams);
    }
    return fail(404, 'no such resource');
  }

  private login(req: RecordedRequest): SimReply {
    let body: { username?: unknown; password?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return fail(400, 'body must be JSON');
    }
    if (body.username !== this.options.username || body.password !== this.options.password) return fail(401, 'invalid credentials');
    this.logins++;
    const issued = this.now();
    const expires = issued + this.tokenLifetimeSec * 1000;
    const claims: Record<string, unknown> = { sub: body.username, role: 'api', jti: this.logins };
    if (this.includeExp) Object.assign(claims, { iat: Math.floor(issued / 1000), exp: Math.floor(expires / 1000) });
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, expires);
    this.issued.push(token);
    return json({ token });
  }

  private realtime(s: SimSignal): { uid: number; [k: string]: unknown } {
    const t = this.now();
    return { si: s.si, v: realtimeValue(s.uid, t), t, r: 0, s: 1, ...this.extraFields, uid: s.uid };
  }

  /** The newest complete period of a signal. */
  private last(s: SimSignal): { uid: number; [k: string]: unknown } {
    const period = this.options.historyPeriodSec ?? 60;
    return { ...historyRecord(s.uid, Math.floor(this.now() / 1000 / period) * period), ...this.extraFields, uid: s.uid };
  }

  /** uid-keyed map of one page of `items` (limit/page over the list sorted by uid). */
  private paged<T extends { uid: number }>(key: string, items: T[], q: URLSearchParams, make: (item: T) => object): SimReply {
    const { offset, limit } = this.window(q);
    return json({ [key]: byUid(items.slice(offset, offset + limit).map((i) => ({ ...make(i), uid: i.uid }))) });
  }

  /** History of `signals` over start..end, ordered by uid then time, one page of it, never all in memory. */
  private history(signals: SimSignal[], q: URLSearchParams, shape: 'map' | 'array'): SimReply {
    const period = this.options.historyPeriodSec ?? 60;
    const end = q.has('end') ? Number(q.get('end')) : this.now();
    const start = q.has('start') ? Number(q.get('start')) : end - 86_400_000;
    if (!Number.isFinite(start) || !Number.isFinite(end)) return fail(400, 'start and end are ms timestamps');
    const [first, perSignal] = periods(start, end, period);
    const { offset, limit } = this.window(q);
    const total = this.endlessHistory ? Infinity : perSignal * signals.length;
    const out: Record<string, Record<string, unknown>[]> = {};
    const flat: Record<string, unknown>[] = [];
    for (let g = offset; g < Math.min(total, offset + limit); g++) {
      // Endless: the signals in turn, one period further each round.
      const [s, time] = this.endlessHistory
        ? [signals[g % signals.length] as SimSignal, first + Math.floor(g / signals.length) * period]
        : [signals[Math.floor(g / perSignal)] as SimSignal, first + (g % perSignal) * period];
      const rec = { ...historyRecord(s.uid, time), ...this.extraFields };
      if (shape === 'array') flat.push(rec);
      else (out[String(s.uid)] ??= []).push(rec);
    }
    return json(shape === 'array' ? flat : { history: out });
  }

  private window(q: URLSearchParams): { offset: number; limit: number } {
    const limit = q.has('limit') ? Number(q.get('limit')) : 1000;
    const page = q.has('page') && !this.ignorePaging ? Number(q.get('page')) : 1;
    return { offset: (page - 1) * limit, limit };
  }
}

function known(kind: string, uid: number): boolean {
  const list: readonly { uid: number }[] = kind === 'signal' ? SIGNALS : kind === 'load' ? LOADS : DEVICES;
  return list.some((i) => i.uid === uid);
}

function badPaging(q: URLSearchParams): SimReply | undefined {
  for (const k of ['limit', 'page']) {
    const v = q.get(k);
    if (v !== null && !/^[1-9]\d*$/.test(v)) return fail(400, `${k} must be a positive integer`);
  }
  return undefined;
}

function filterUids<T extends { uid: number }>(items: readonly T[], q: URLSearchParams): T[] {
  const uids = q.get('uids');
  if (!uids) return [...items];
  const wanted = new Set(uids.split(',').map(Number));
  return items.filter((i) => wanted.has(i.uid));
}

function filterList<T extends { uid: number }>(items: readonly T[], q: URLSearchParams, protocolOf: (i: T) => unknown = (i) => (i as { protocol?: unknown }).protocol): T[] {
  const protocol = q.get('protocol');
  return filterUids(items, q).filter((i) => !protocol || protocolOf(i) === protocol);
}

/** `npm start`: the EMS gateway on 127.0.0.1:18084 (the examples point there). */
export const EMS_DEMO_PORT = 18084;
export const EMS_DEMO_CREDENTIALS = { username: 'api', password: 'demo-ems-pass' };
export const demo = {
  configType: 'ems-server',
  credentials: EMS_DEMO_CREDENTIALS,
  async start(port = EMS_DEMO_PORT): Promise<DemoHandle> {
    const sim = new EmsSimulator({ ...EMS_DEMO_CREDENTIALS });
    await sim.start(port);
    return { port: sim.port, stop: () => sim.stop(), requests: () => sim.count(), setFault: (f) => sim.server.setFault(f), issuedSecrets: () => [...sim.issued] };
  },
};
