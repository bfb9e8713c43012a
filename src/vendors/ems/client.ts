import { GatewayError, badInput } from '../../core/errors';
import { HttpClient, type HttpRequest, type HttpResponse, type StatusMapper } from '../../core/http';
import { MAX_JSON_DEPTH, parseJson, tryParseJson } from '../../core/json';
import { redact } from '../../core/redact';
import { DEFAULT_READ_RETRY, type RetryPolicy } from '../../core/retry';
import { TokenCache } from '../../core/token';
import { loginObtainer } from './auth';
import { Merger, normalizePage, type PagePayload } from './normalize';
import { fingerprint, pageThrough, type EmsPage, type FetchedPage, type Truncation } from './paging';
import { VERSION_PATH, planRequest, type Operation, type PlanInput } from './routes';

export interface EmsClientOptions {
  /** e.g. http://192.168.1.50 or https://ems.local:8443 */
  baseUrl: string;
  username: string;
  password: string;
  /** Accept the gateway's own (self-signed) TLS certificate. */
  allowSelfSigned?: boolean;
  /** Per request, ms (20 s: a history page of a busy gateway can take a while). */
  timeoutMs?: number;
  /** The clock of token expiry (tests inject one). */
  now?: () => number;
  /** Retry policy of reads and of the login. */
  retry?: RetryPolicy;
}

export interface EmsQuery extends PlanInput {
  /** The API's `limit` (1000). */
  pageSize?: number;
  /** Stop after this many records (100000; 0: no limit). */
  maxRecords?: number;
  /** Stop after this many pages (MAX_PAGES, whatever maxRecords says). */
  maxPages?: number;
}

export interface EmsResult {
  operation: Operation;
  payload: PagePayload;
  records: number;
  pages: number;
  truncated: boolean;
  /** What stopped the read, when truncated. */
  truncatedBy?: Truncation;
}

export interface EmsVersion {
  version: string;
  /** The reply of /ver when it is a JSON object. */
  info?: Record<string, unknown>;
}

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 100_000;
export const DEFAULT_MAX_RECORDS = 100_000;

/**
 * The largest reply read (BAD_RESPONSE above), unless a page of more records was asked for. From the
 * simulator (test/simulators/ems): a history page of 1000 points is 80 KB (82 bytes a point), the device,
 * load and signal lists a few KB. 4 MiB is 50 default pages, and a hostile reply cannot hold more than some
 * tens of MB once parsed.
 */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;
/** Room per record asked for (`limit`) in a page: three times the simulator's history point. */
export const BYTES_PER_RECORD = 256;
/**
 * The most arrays and objects a reply may hold, plus CONTAINERS_PER_RECORD for each record a page asks for:
 * a page of 1000 points holds 1003 (one object a record), a list of every signal of a large plant some
 * thousands. An empty object costs V8 some 20 times its text: 4 MiB of `{},` would be 1.3 million objects.
 */
export const MAX_REPLY_CONTAINERS = 50_000;
export const CONTAINERS_PER_RECORD = 4;
/** What a refused certificate means here: the server node has the option. */
const TLS_ADVICE = 'tick "accept the gateway\'s own (self-signed) certificate" in the EMS server node if this is the gateway\'s own certificate.';

/** The reply cap of a page of `pageSize` records. */
export function pageReplyBytes(pageSize: number): number {
  return Math.max(MAX_REPLY_BYTES, pageSize * BYTES_PER_RECORD);
}

/** The most arrays and objects a page of `pageSize` records may hold. */
export function pageReplyContainers(pageSize: number): number {
  return MAX_REPLY_CONTAINERS + pageSize * CONTAINERS_PER_RECORD;
}

/** "http://192.168.1.50/" -> "http://192.168.1.50"; anything but an http(s) URL is BAD_INPUT. */
export function emsBaseUrl(input: string): string {
  const text = String(input ?? '').trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(`The EMS base URL ${text ? `"${text}" ` : ''}is not a URL: enter it like http://192.168.1.50.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('The EMS base URL must start with http:// or https://.');
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}

function intIn(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw badInput(`${what} must be a whole number from ${min} to ${max}, not ${String(v)}.`);
  return v;
}

/**
 * The EMS Webapi of one gateway: one undici Agent, one JWT (renewed before expiry, one login in flight,
 * a 401 logs in again once and the request is sent once more), the route table, paging and normalizing.
 */
export class EmsClient {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly label: string;
  private readonly seenTokens: string[] = [];
  private readonly mapStatus: StatusMapper;

  constructor(private readonly options: EmsClientOptions) {
    const base = emsBaseUrl(options.baseUrl);
    this.label = `EMS ${new URL(base).host}`;
    const now = options.now ?? Date.now;
    const retry = options.retry ?? DEFAULT_READ_RETRY;
    this.http = new HttpClient({
      baseUrl: base,
      label: this.label,
      timeoutMs: options.timeoutMs ?? 20_000,
      connections: 2,
      allowSelfSigned: options.allowSelfSigned === true,
      maxBodyBytes: MAX_REPLY_BYTES,
      maxJsonDepth: MAX_JSON_DEPTH,
      maxJsonContainers: MAX_REPLY_CONTAINERS,
      tlsAdvice: TLS_ADVICE,
      secrets: () => this.secrets(),
      retry,
    });
    this.tokens = new TokenCache({
      obtain: loginObtainer({
        http: this.http,
        username: options.username,
        password: options.password,
        now,
        retry,
        onToken: (t) => this.remember(t),
      }),
      marginMs: 0,
      now,
    });
    this.mapStatus = (res, req) => this.statusError(res, req);
  }

  /** Every secret this client holds or held (password, tokens): for redaction. */
  secrets(): string[] {
    return [this.options.password, ...this.seenTokens, ...this.tokens.secrets()];
  }

  redact(text: string): string {
    return redact(text, this.secrets());
  }

  /** GET /ver (no login needed). */
  async version(signal?: AbortSignal): Promise<EmsVersion> {
    const res = await this.http.request({ path: VERSION_PATH, signal, headers: { accept: 'application/json, text/plain' } }, this.mapStatus);
    const text = res.body.trim();
    const parsed = tryParseJson(res);
    if (parsed === undefined) return { version: text.slice(0, 80) };
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const info = parsed as Record<string, unknown>;
      const v = info.version ?? info.ver ?? info.fwVersion;
      return { version: typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(info).slice(0, 80), info };
    }
    return { version: String(parsed).slice(0, 80) };
  }

  /** Test connection: the version, a login and the device list (proves the token is accepted). */
  async test(signal?: AbortSignal): Promise<{ version: string; devices: number }> {
    const { version } = await this.version(signal);
    const devices = await this.collect({ operation: 'devices', scope: 'all' }, signal);
    return { version, devices: devices.records };
  }

  /** GET with the JWT; a 401 logs in again once and sends the request once more. `pageSize`: the page's caps. */
  async getJson(path: string, query: HttpRequest['query'], signal?: AbortSignal, pageSize?: number): Promise<{ json: unknown; text: string }> {
    const req: HttpRequest = { path, query, signal, headers: { accept: 'application/json' } };
    if (pageSize !== undefined) {
      req.maxBodyBytes = pageReplyBytes(pageSize);
      req.maxJsonContainers = pageReplyContainers(pageSize);
    }
    const token = await this.tokens.get();
    let res: HttpResponse;
    try {
      res = await this.http.request(withBearer(req, token), this.mapStatus);
    } catch (err) {
      if (!(err instanceof GatewayError) || err.statusCode !== 401) throw err;
      this.tokens.invalidate(token);
      const fresh = await this.tokens.get();
      try {
        res = await this.http.request(withBearer(req, fresh), this.mapStatus);
      } catch (again) {
        if (again instanceof GatewayError && again.statusCode === 401) {
          throw new GatewayError('AUTH_FAILED', `${this.label} refused a fresh token for ${this.http.what(req)}: check that the account has the API role.`, { statusCode: 401, statusText: 'fresh token refused' });
        }
        throw again;
      }
    }
    const what = this.http.what(req);
    const json = parseJson(res, `The reply of ${this.label} to ${what}`, `${this.label} answered ${what} with something that is not JSON: check the base URL and the route table.`);
    return { json, text: res.body };
  }

  /** The pages of a query, one at a time (nothing is accumulated). */
  pages(query: EmsQuery, signal?: AbortSignal): AsyncGenerator<EmsPage, void, undefined> {
    const plan = planRequest(query);
    const pageSize = intIn(query.pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, 'The page size');
    const maxRecords = intIn(query.maxRecords, DEFAULT_MAX_RECORDS, 0, Number.MAX_SAFE_INTEGER, 'maxRecords');
    const fallbackUid = query.scope === 'signal' ? query.uid : undefined;
    const fetch = async (page: number | undefined): Promise<FetchedPage> => {
      const q = page === undefined ? plan.query : { ...plan.query, limit: String(pageSize), page: String(page) };
      const { json, text } = await this.getJson(plan.path, q, signal, page === undefined ? undefined : pageSize);
      const what = `GET ${plan.path}`;
      return { ...normalizePage(query.operation, json, what, { keep: plan.keep, uid: fallbackUid }), fingerprint: fingerprint(text) };
    };
    return pageThrough(fetch, { operation: query.operation, paged: plan.paged, pageSize, maxRecords, maxPages: query.maxPages });
  }

  /** Every page of a query in one payload (sorted by uid; history points by time). */
  async collect(query: EmsQuery, signal?: AbortSignal): Promise<EmsResult> {
    const merger = new Merger(query.operation);
    let records = 0;
    let pages = 0;
    let truncated = false;
    let truncatedBy: Truncation | undefined;
    for await (const page of this.pages(query, signal)) {
      merger.add(page.payload);
      records = page.total;
      pages = page.page;
      truncated = page.truncated;
      truncatedBy = page.truncatedBy;
    }
    return { operation: query.operation, payload: merger.result(), records, pages, truncated, ...(truncatedBy ? { truncatedBy } : {}) };
  }

  async close(): Promise<void> {
    this.tokens.clear();
    await this.http.close();
  }

  private remember(token: string): void {
    this.seenTokens.push(token);
    if (this.seenTokens.length > 4) this.seenTokens.shift();
  }

  private statusError(res: HttpResponse, req: HttpRequest): GatewayError {
    const detail = errorDetail(res);
    if (res.statusCode === 404) {
      return new GatewayError('NOT_FOUND', `${this.label} has nothing at ${this.http.what(req)} (HTTP 404${detail ? `: ${this.redact(detail)}` : ''}): check the uid, or the route table if every request fails this way.`, { statusCode: 404 });
    }
    return this.http.statusError(res, req, detail);
  }
}

function withBearer(req: HttpRequest, token: string): HttpRequest {
  return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
}

/** A short reason from a JSON error body (`message` or `error`), if there is one. */
function errorDetail(res: HttpResponse): string | undefined {
  const parsed = tryParseJson(res) as Record<string, unknown> | null | undefined;
  const m = parsed?.message ?? parsed?.error;
  return typeof m === 'string' && m.trim() ? m.trim().slice(0, 160) : undefined;
}
