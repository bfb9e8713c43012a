/**
 * The HeatingControl External API: OAuth2 client credentials (configurable expiry, refresh tokens,
 * revocation), cursor paging, homes, heaters with state, settings and constrained commands, and the
 * documented error envelope. Fault switches come from SimServer.
 *   const sim = new HeatingSimulator({clientId: 'id', clientSecret: 'secret', deviceCount: 45});
 *   await sim.start();   // sim.url -> the baseUrl of a heating-account
 */
import { randomBytes } from 'node:crypto';
import { SimServer, type RecordedRequest, type SimReply, Simulator } from './base';
import { applyCommand, makeDevices, makeHomes, servedState, serverCheck, type SimDevice, type SimHome } from './heatingcontrol/data';
import type { DemoHandle } from '../../scripts/demo';

export interface HeatingSimOptions {
  clientId: string;
  clientSecret: string;
  /** Lifetime of access tokens, seconds (3600). */
  expiresIn?: number;
  /** Hand out refresh tokens with access tokens (true). */
  refreshTokens?: boolean;
  homeCount?: number;
  deviceCount?: number;
  /** The server gives at most this many items per page, whatever `limit` asks (100). */
  maxPageSize?: number;
  /** The clock tokens expire by (tests inject a fake one). */
  now?: () => number;
}

/** An error envelope the API answers before doing anything (rate limit, outage, refusal). */
export interface Refusal {
  /** Requests whose path starts with this. */
  path: string;
  method?: string;
  status: number;
  code: string;
  message?: string;
  headers?: Record<string, string>;
  /** The envelope's requestId (default: the next req-NNNNNN), e.g. a server that echoes the request in it. */
  requestId?: string;
  /** This many requests, then it clears (default 1). */
  times?: number;
}

type Route = [method: string, pattern: RegExp, handler: (req: RecordedRequest, m: RegExpMatchArray, url: URL) => SimReply];

export class HeatingSimulator extends Simulator {
  readonly server: SimServer;
  readonly homes: SimHome[];
  readonly devices: SimDevice[];
  /** Access token -> expiry (ms, by `now`). */
  readonly accessTokens = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  /** Token requests by grant type. */
  readonly grants = { client_credentials: 0, refresh_token: 0 };
  /** Commands executed, in order. */
  readonly executed: { device: string; command: string; params: Record<string, unknown> }[] = [];
  /** 'state': {command, state, appliedAt}; 'success': {success, message} (both documented). */
  resultShape: 'state' | 'success' = 'state';
  /** Refuse every refresh_token grant (the client must fall back to client_credentials). */
  rejectRefresh = false;
  /** Answer every list page with the same nextCursor (a broken server). */
  repeatCursor = false;
  /** Fields the API "added later", served in every state reply. */
  extraState: Record<string, unknown> = {};
  private requestNo = 0;
  private refusals: Refusal[] = [];
  private readonly routes: Route[];

  constructor(private readonly options: HeatingSimOptions) {
    super();
    this.homes = makeHomes(options.homeCount ?? 2);
    this.devices = makeDevices(options.deviceCount ?? 4, this.homes);
    this.server = new SimServer((req) => this.handle(req));
    this.routes = [
      ['POST', /^\/v1\/oauth\/token$/, (req) => this.token(req)],
      ['GET', /^\/v1\/homes$/, (_r, _m, url) => this.page(this.homes, url)],
      ['GET', /^\/v1\/homes\/([^/]+)$/, (_r, m) => this.found(this.homes.find((h) => h.id === dec(m[1])))],
      ['GET', /^\/v1\/devices$/, (_r, _m, url) => this.listDevices(url)],
      ['GET', /^\/v1\/devices\/([^/]+)$/, (_r, m) => this.withDevice(m, (d) => json(200, d.info))],
      ['PATCH', /^\/v1\/devices\/([^/]+)$/, (req, m) => this.withDevice(m, (d) => this.rename(d, req))],
      ['GET', /^\/v1\/devices\/([^/]+)\/state$/, (_r, m) => this.withDevice(m, (d) => json(200, servedState(d, this.extraState)))],
      ['GET', /^\/v1\/devices\/([^/]+)\/settings$/, (_r, m) => this.withDevice(m, (d) => json(200, d.settings))],
      ['PATCH', /^\/v1\/devices\/([^/]+)\/settings\/([^/]+)$/, (req, m) => this.withDevice(m, (d) => this.setSetting(d, dec(m[2]), req))],
      ['GET', /^\/v1\/devices\/([^/]+)\/commands$/, (_r, m) => this.withDevice(m, (d) => json(200, d.commands))],
      ['POST', /^\/v1\/devices\/([^/]+)\/commands\/([^/]+)$/, (req, m) => this.withDevice(m, (d) => this.command(d, dec(m[2]), req))],
    ];
  }

  /** Token requests received (whatever their outcome). */
  get tokenRequests(): number {
    return this.server.count('/v1/oauth/token', 'POST');
  }

  /** Answers matching requests with the error envelope, without executing them. */
  refuse(refusal: Refusal): void {
    this.refusals.push({ times: 1, ...refusal });
  }

  /** Every access token stops working at once (the next API call gets 401). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Every token value ever handed out (for secret scans). */
  readonly issued: string[] = [];

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private handle(req: RecordedRequest): SimReply {
    const url = new URL(req.path, 'http://sim');
    const refusal = this.refusals.find((r) => req.path.startsWith(r.path) && (!r.method || r.method === req.method));
    if (refusal) {
      if (--refusal.times! <= 0) this.refusals = this.refusals.filter((r) => r !== refusal);
      const reply = this.error(refusal.status, refusal.code, refusal.message ?? refusal.code, {}, refusal.requestId);
      return { ...reply, headers: { ...reply.headers, ...refusal.headers } };
    }
    const candidates = this.routes.filter(([, re]) => re.test(url.pathname));
    if (candidates.length === 0) return this.error(404, 'NOT_FOUND', `No route ${url.pathname}`);
    const route = candidates.find(([method]) => method === req.method);
    if (!route) return this.error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    if (route[0] !== 'POST' || !url.pathname.startsWith('/v1/oauth/')) {
      const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const expiry = auth ? this.accessTokens.get(auth) : undefined;
      if (expiry === undefined || expiry <= this.now()) return this.error(401, 'UNAUTHORIZED', expiry === undefined ? 'Invalid or revoked access token' : 'Access token expired');
    }
    return route[2](req, url.pathname.match(route[1])!, url);
  }

  error(status: number, code: string, message: string, details: Record<string, unknown> = {}, requestId = `req-${String(++this.requestNo).padStart(6, '0')}`): SimReply {
    return json(status, { error: { code, message, requestId, details } });
  }

  private token(req: RecordedRequest): SimReply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return this.error(400, 'INVALID_REQUEST', 'The body must be JSON');
    }
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    let id = body.client_id;
    let secret = body.client_secret;
    if (basic) {
      const [u, p] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      id = decodeURIComponent(String(u).replace(/\+/g, ' '));
      secret = decodeURIComponent(String(p).replace(/\+/g, ' '));
    }
    const grant = body.grant_type;
    if (grant === 'refresh_token') {
      this.grants.refresh_token++;
      const rt = String(body.refresh_token ?? '');
      if (this.rejectRefresh || !this.refreshTokens.has(rt)) return this.error(400, 'INVALID_GRANT', 'The refresh token is invalid or expired');
      this.refreshTokens.delete(rt);
    } else if (grant === 'client_credentials') {
      this.grants.client_credentials++;
      if (id !== this.options.clientId || secret !== this.options.clientSecret) return this.error(401, 'INVALID_CLIENT', 'Client authentication failed');
    } else {
      return this.error(400, 'UNSUPPORTED_GRANT_TYPE', `grant_type ${String(grant)} is not supported`);
    }
    const expiresIn = this.options.expiresIn ?? 3600;
    const access = `hcat_${randomBytes(18).toString('hex')}`;
    this.accessTokens.set(access, this.now() + expiresIn * 1000);
    const reply: Record<string, unknown> = { access_token: access, expires_in: expiresIn, token_type: 'Bearer' };
    this.issued.push(access);
    if (this.options.refreshTokens !== false) {
      const refresh = `hcrt_${randomBytes(18).toString('hex')}`;
      this.refreshTokens.add(refresh);
      this.issued.push(refresh);
      reply.refresh_token = refresh;
    }
    return json(200, reply);
  }

  private page<T>(all: T[], url: URL): SimReply {
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return this.error(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100', { field: 'limit' });
    const size = Math.min(limit, this.options.maxPageSize ?? 100);
    const cursor = url.searchParams.get('cursor');
    let offset = 0;
    if (cursor) {
      const decoded = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!decoded) return this.error(400, 'VALIDATION_ERROR', 'Invalid cursor', { field: 'cursor' });
      offset = Number(decoded[1]);
    }
    const items = all.slice(offset, offset + size);
    const hasMore = offset + size < all.length;
    const next = this.repeatCursor ? Buffer.from('o0').toString('base64url') : Buffer.from(`o${offset + size}`).toString('base64url');
    return json(200, { items, pagination: { limit: size, cursor, nextCursor: hasMore || this.repeatCursor ? next : null, hasMore: hasMore || this.repeatCursor } });
  }

  private listDevices(url: URL): SimReply {
    const homeId = url.searchParams.get('homeId');
    const list = this.devices.filter((d) => !homeId || d.info.homeId === homeId).map((d) => d.info);
    return this.page(list, url);
  }

  private found(item: unknown): SimReply {
    return item ? json(200, item) : this.error(404, 'NOT_FOUND', 'Not found');
  }

  private withDevice(m: RegExpMatchArray, fn: (d: SimDevice) => SimReply): SimReply {
    const d = this.devices.find((x) => x.info.id === dec(m[1]));
    return d ? fn(d) : this.error(404, 'NOT_FOUND', `Device ${dec(m[1])} not found`);
  }

  private rename(d: SimDevice, req: RecordedRequest): SimReply {
    const body = parse(req.body);
    if (typeof body?.name !== 'string' || !body.name) return this.error(400, 'VALIDATION_ERROR', 'name must be a non-empty string', { field: 'name' });
    d.info.name = body.name;
    return json(200, d.info);
  }

  private setSetting(d: SimDevice, key: string, req: RecordedRequest): SimReply {
    const s = d.settings[key];
    if (!s) return this.error(404, 'NOT_FOUND', `Setting ${key} not found`);
    const body = parse(req.body);
    if (!body || !('value' in body)) return this.error(400, 'VALIDATION_ERROR', 'value is required', { field: 'value' });
    if (!s.editable) return this.error(400, 'VALIDATION_ERROR', `${key} is not editable`, { field: key });
    if (s.options && !s.options.includes(body.value)) return this.error(400, 'VALIDATION_ERROR', `value must be one of ${s.options.join(', ')}`);
    if (s.type === 'boolean' && typeof body.value !== 'boolean') return this.error(400, 'VALIDATION_ERROR', 'value must be a boolean');
    s.value = body.value;
    return json(200, s);
  }

  private command(d: SimDevice, key: string, req: RecordedRequest): SimReply {
    const schema = d.commands[key];
    if (!schema) return this.error(404, 'NOT_FOUND', `Command ${key} not found`);
    const body = parse(req.body);
    const params = (body?.params ?? {}) as Record<string, unknown>;
    const problem = serverCheck(schema, params);
    if (problem) return this.error(400, 'VALIDATION_ERROR', problem, { command: key });
    applyCommand(d, key, params);
    this.executed.push({ device: d.info.id, command: key, params });
    if (this.resultShape === 'success') return json(200, { success: true, message: 'Command executed successfully' });
    return json(200, { command: key, state: 'APPLIED', appliedAt: new Date(this.now()).toISOString() });
  }
}

function json(status: number, body: unknown): SimReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function dec(s: string | undefined): string {
  return decodeURIComponent(s ?? '');
}

/** `npm start`: an account with two homes and four heaters on 127.0.0.1:18082 (the examples point there). */
export const HEATINGCONTROL_DEMO_PORT = 18082;
export const HEATINGCONTROL_DEMO_CREDENTIALS = { clientId: 'demo-client', clientSecret: 'demo-secret-5926' };
export const demo = {
  configType: 'heating-account',
  credentials: HEATINGCONTROL_DEMO_CREDENTIALS,
  async start(port = HEATINGCONTROL_DEMO_PORT): Promise<DemoHandle> {
    const sim = new HeatingSimulator({ ...HEATINGCONTROL_DEMO_CREDENTIALS, deviceCount: 4 });
    await sim.start(port);
    return { port: sim.port, stop: () => sim.stop(), requests: () => sim.count(), setFault: (f) => sim.server.setFault(f), issuedSecrets: () => [...sim.accessTokens.keys(), ...sim.refreshTokens] };
  },
};
