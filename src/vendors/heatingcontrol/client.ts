import { GatewayError, badInput } from '../../core/errors';
import { HttpClient, type HttpMethod, type StatusMapper } from '../../core/http';
import { MAX_JSON_DEPTH } from '../../core/json';
import { redact } from '../../core/redact';
import { sleep, type RetryPolicy } from '../../core/retry';
import { withSignals } from '../../core/signals';
import { TokenCache } from '../../core/token';
import { DeviceCache } from './cache';
import { envelopeMapper } from './errors';
import { commandOutcome, jsonObject, normalizeState, settingValues } from './normalize';
import { tokenObtainer } from './oauth';
import { asPage, collectPages, type PagingResult } from './paging';
import { commandSchema, findSettingKey, validateParams, validateSetting } from './schema';
import type { ClientAuth, CommandMap, CommandOutcome, Device, DeviceState, Home, Json, SettingDescriptor } from './types';

export interface HeatingClientOptions {
  /** e.g. https://api.example.com (a trailing /v1 is tolerated). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  clientAuth?: ClientAuth;
  timeoutMs?: number;
  /** `limit` asked of list endpoints (1-100; 100 means fewest requests). */
  pageSize?: number;
  /** Command schemas and setting descriptors older than this are fetched again (ms, 5 min). */
  schemaMaxAgeMs?: number;
  /** The clock of token expiry and caches (tests inject one). */
  now?: () => number;
  /** Retry policy of reads (and token requests). */
  retry?: RetryPolicy;
}

export const DEFAULT_PAGE_SIZE = 100;
export const SCHEMA_MAX_AGE_MS = 5 * 60_000;
/** A 429 asking to wait longer than this fails at once instead of holding the flow. */
const MAX_COOLDOWN_MS = 30_000;
/**
 * The largest reply read (BAD_RESPONSE above). The largest documented reply is a list page of 100 devices:
 * 22 KB from the simulator (about 220 bytes a device, test/simulators/heatingcontrol), so 2 MiB leaves room
 * for devices 90 times as rich, while a hostile reply cannot hold more than some tens of MB once parsed.
 */
export const MAX_REPLY_BYTES = 2 * 1024 * 1024;
/**
 * The most arrays and objects a reply may hold: that page of 100 devices holds 103, a command map 18. An
 * empty object costs V8 some 20 times its text, so without this 2 MiB of `{},` would be 700,000 objects.
 */
export const MAX_REPLY_CONTAINERS = 20_000;
/** What a refused certificate means here: the account has no "allow self-signed" option (a cloud API has a CA-signed one). */
const TLS_ADVICE = 'check the base URL; a proxy that intercepts TLS needs its CA certificate in NODE_EXTRA_CA_CERTS for Node-RED.';
/** Statuses of a refusal that may come from a schema we hold being out of date. */
const SCHEMA_STATUSES = new Set([400, 409, 422]);

interface Call {
  method?: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  what: string;
  signal?: AbortSignal;
}

/** "https://api.example.com/v1/" -> "https://api.example.com"; anything but an http(s) URL is BAD_INPUT. */
export function heatingBaseUrl(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(`The HeatingControl base URL "${text}" is not a URL: enter it like https://api.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('The HeatingControl base URL must start with https:// (or http://).');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
}

const seg = encodeURIComponent;

function need(value: string | undefined, what: string): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) throw badInput(`No ${what} given: a ${what} id or key is needed for this request.`);
  // "." and ".." survive encodeURIComponent and the URL would climb out of /v1/devices/{id}.
  if (v === '.' || v === '..') throw badInput(`"${v}" is not a ${what} id or key: pick one from the list.`);
  return v;
}

/**
 * The HeatingControl External API for one account: one undici Agent, one OAuth token (renewed before
 * expiry, single-flight, renewed once on a 401), cursor paging, and command params checked against each
 * device's cached command schema before anything is sent. Reads retry; POST/PATCH are sent once (a 401
 * proves nothing was executed, so that one is resent after renewal).
 */
export class HeatingClient {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly schemas: DeviceCache<CommandMap>;
  readonly settingDescriptors: DeviceCache<Record<string, SettingDescriptor>>;
  readonly label: string;
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly seenTokens: string[] = [];
  private cooldownUntil = 0;
  private readonly mapStatus: StatusMapper;
  private readonly closing = new AbortController();

  constructor(private readonly options: HeatingClientOptions) {
    const base = heatingBaseUrl(options.baseUrl);
    this.label = `HeatingControl ${new URL(base).host}`;
    this.now = options.now ?? Date.now;
    this.pageSize = Math.min(100, Math.max(1, Math.round(options.pageSize ?? DEFAULT_PAGE_SIZE)));
    this.http = new HttpClient({
      baseUrl: base,
      label: this.label,
      timeoutMs: options.timeoutMs ?? 15_000,
      connections: 4,
      maxBodyBytes: MAX_REPLY_BYTES,
      maxJsonDepth: MAX_JSON_DEPTH,
      maxJsonContainers: MAX_REPLY_CONTAINERS,
      tlsAdvice: TLS_ADVICE,
      secrets: () => this.secrets(),
      retry: options.retry,
    });
    const mapStatus = envelopeMapper(this.label, (t) => this.redact(t));
    this.mapStatus = mapStatus;
    this.tokens = new TokenCache({
      obtain: tokenObtainer({
        http: this.http,
        mapStatus,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        scope: options.scope?.trim() || undefined,
        clientAuth: options.clientAuth === 'basic' ? 'basic' : 'body',
        now: this.now,
        retry: options.retry,
        onToken: (t) => this.remember(t.value, t.refresh),
      }),
      marginMs: 0,
      now: this.now,
    });
    const maxAge = options.schemaMaxAgeMs ?? SCHEMA_MAX_AGE_MS;
    this.schemas = new DeviceCache((d) => this.commands(d), maxAge, this.now);
    this.settingDescriptors = new DeviceCache(async (d) => (await this.settings(d)).descriptors, maxAge, this.now);
  }

  /** Every secret this client holds or has held: scrubbed from whatever it reports. */
  secrets(): string[] {
    return [this.options.clientSecret, ...this.tokens.secrets(), ...this.seenTokens];
  }

  redact(text: string): string {
    return redact(text, this.secrets());
  }

  /** True once a token is held (the node shows "authenticating" before). */
  get authenticated(): boolean {
    return this.tokens.secrets().length > 0;
  }

  async close(): Promise<void> {
    this.closing.abort(new GatewayError('UNREACHABLE', `${this.label}: the account was stopped (redeploy or shutdown).`));
    this.tokens.clear();
    await this.http.close();
  }

  // ---- operations ----

  homes(signal?: AbortSignal): Promise<PagingResult<Home>> {
    return this.list<Home>('/v1/homes', {}, 'homes', signal);
  }

  devices(filter: { homeId?: string } = {}, signal?: AbortSignal): Promise<PagingResult<Device>> {
    return this.list<Device>('/v1/devices', { homeId: filter.homeId || undefined }, 'devices', signal);
  }

  async device(id: string, signal?: AbortSignal): Promise<Device> {
    const d = need(id, 'device');
    return (await this.call({ path: `/v1/devices/${seg(d)}`, what: `GET device ${d}`, signal })) as Device;
  }

  async rename(id: string, name: unknown, signal?: AbortSignal): Promise<Device> {
    const d = need(id, 'device');
    if (typeof name !== 'string' || !name.trim()) throw badInput('rename needs the new device name as a non-empty string in msg.payload.');
    const what = `PATCH device ${d} (rename)`;
    return (await this.call({ method: 'PATCH', path: `/v1/devices/${seg(d)}`, body: { name: name.trim() }, what, signal })) as Device;
  }

  async state(id: string, signal?: AbortSignal): Promise<DeviceState & { deviceId: string }> {
    const d = need(id, 'device');
    return normalizeState(d, await this.call({ path: `/v1/devices/${seg(d)}/state`, what: `GET state of ${d}`, signal }));
  }

  async settings(id: string, signal?: AbortSignal): Promise<{ values: Json; descriptors: Record<string, SettingDescriptor> }> {
    const d = need(id, 'device');
    return settingValues(await this.call({ path: `/v1/devices/${seg(d)}/settings`, what: `GET settings of ${d}`, signal }));
  }

  /** Checks `editable` and `options` from the device's descriptors, then PATCHes. */
  async setSetting(id: string, key: string, value: unknown, signal?: AbortSignal): Promise<{ key: string; value: unknown; descriptor: SettingDescriptor }> {
    const d = need(id, 'device');
    const k = need(key, 'setting');
    let descriptors = await this.settingDescriptors.get(d);
    let found = findSettingKey(descriptors, k);
    if (!found && this.settingDescriptors.age(d) > 5000) {
      descriptors = await this.settingDescriptors.get(d, true);
      found = findSettingKey(descriptors, k);
    }
    if (!found) throw badInput(`Device ${d} has no setting "${k}"; it has ${Object.keys(descriptors).join(', ') || 'none'}.`, `no setting "${k}"`);
    const checked = validateSetting(d, found, descriptors[found] ?? {}, value);
    const what = `PATCH setting ${found} of ${d}`;
    const res = await this.refreshOnRefusal(this.settingDescriptors, d, () =>
      this.call({ method: 'PATCH', path: `/v1/devices/${seg(d)}/settings/${seg(found)}`, body: { value: checked }, what, signal }),
    );
    const descriptor: SettingDescriptor = { ...(descriptors[found] ?? {}), ...res };
    this.settingDescriptors.invalidate(d);
    return { key: found, value: 'value' in res ? res.value : checked, descriptor };
  }

  /** The command map as the API gives it (fetched, not cached: this is the `commands` operation). */
  async commands(id: string, signal?: AbortSignal): Promise<CommandMap> {
    const d = need(id, 'device');
    return (await this.call({ path: `/v1/devices/${seg(d)}/commands`, what: `GET commands of ${d}`, signal })) as CommandMap;
  }

  /** Validates params against the device's (cached) schema; nothing is sent when they are invalid. */
  async command(id: string, key: string, params: unknown, signal?: AbortSignal): Promise<CommandOutcome> {
    const d = need(id, 'device');
    const k = need(key, 'command');
    let map = this.schemas.held(d) ?? (await this.schemas.get(d));
    if (!Object.prototype.hasOwnProperty.call(map, k) && this.schemas.age(d) > 5000) map = await this.schemas.get(d, true);
    const body = { params: validateParams(d, k, commandSchema(d, map, k), params) };
    const what = `POST command ${k} to ${d}`;
    const res = await this.refreshOnRefusal(this.schemas, d, () =>
      this.call({ method: 'POST', path: `/v1/devices/${seg(d)}/commands/${seg(k)}`, body, what, signal }),
    );
    return commandOutcome(k, res);
  }

  // ---- plumbing ----

  /** A refusal that may mean our copy of the schema is old drops it, so the next call fetches it again. */
  private async refreshOnRefusal<T>(cache: DeviceCache<unknown>, device: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof GatewayError && err.statusCode !== undefined && SCHEMA_STATUSES.has(err.statusCode)) cache.invalidate(device);
      throw err;
    }
  }

  private async list<T>(path: string, query: Record<string, string | undefined>, what: string, signal?: AbortSignal): Promise<PagingResult<T>> {
    return collectPages<T>(
      async (cursor) => asPage<T>(await this.call({ path, query: { ...query, limit: this.pageSize, cursor }, what: `GET ${what}`, signal }), `GET ${path}`),
      what,
    );
  }

  /**
   * One API call with the account's token. A 401 drops the token, renews it (once, shared with every
   * other caller) and sends the request once more; anything else is thrown as the mapped GatewayError.
   */
  async call(c: Call): Promise<Json> {
    const method = c.method ?? 'GET';
    // c.signal goes to the HTTP client as is: close() closes that client, which aborts what is in flight.
    const signal = c.signal;
    for (let attempt = 1; ; attempt++) {
      if (this.cooldownUntil > Date.now()) await this.waitCooldown(c.what, signal);
      const token = this.tokens.valid() ?? (await this.tokens.get());
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (c.body !== undefined) headers['content-type'] = 'application/json';
      try {
        const res = await this.http.request(
          { method, path: c.path, query: c.query, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal, what: c.what },
          this.mapStatus,
        );
        if (res.statusCode === 204) return {};
        // Every documented reply has a JSON body: an empty 200 is not a result (a command may or may not have run).
        if (res.body.trim() === '') {
          throw new GatewayError('BAD_RESPONSE', `${this.label} answered ${c.what} with an empty body (HTTP ${res.statusCode}): check the device's state before repeating a command.`, {
            statusText: 'empty reply',
          });
        }
        return jsonObject(res, c.what);
      } catch (err) {
        if (err instanceof GatewayError && err.statusCode === 401 && attempt === 1) {
          this.tokens.invalidate(token);
          continue;
        }
        if (err instanceof GatewayError && err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined) {
          this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + err.retryAfterMs);
        }
        throw err;
      }
    }
  }

  /** After a 429 with Retry-After, nothing is sent before that time (a short wait is waited out). */
  private async waitCooldown(what: string, signal: AbortSignal | undefined): Promise<void> {
    const wait = this.cooldownUntil - Date.now();
    if (wait <= 0) return;
    if (wait > MAX_COOLDOWN_MS) {
      throw new GatewayError('RATE_LIMITED', `${this.label} asked to wait ${Math.ceil(wait / 1000)} s more before ${what}: nothing was sent; try again later.`, { retryAfterMs: wait });
    }
    await withSignals([signal, this.closing.signal], (s) => sleep(wait, s));
  }

  private remember(...values: (string | undefined)[]): void {
    for (const v of values) if (v && !this.seenTokens.includes(v)) this.seenTokens.push(v);
    // Old tokens stay redacted for a while (a late error may still quote one).
    if (this.seenTokens.length > 8) this.seenTokens.splice(0, this.seenTokens.length - 8);
  }
}
