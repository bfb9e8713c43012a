import { GatewayError, badInput, badResponse } from '../../core/errors';
import { HttpClient, type HttpRequest, type HttpResponse, type StatusMapper } from '../../core/http';
import { redact } from '../../core/redact';
import { DEFAULT_READ_RETRY, type RetryPolicy } from '../../core/retry';
import { TokenCache } from '../../core/token';
import { loginObtainer } from './auth';
import { Merger, normalizePage, type PagePayload } from './normalize';
import { fingerprint, pageThrough, type EmsPage, type FetchedPage } from './paging';
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
}

export interface EmsResult {
  operation: Operation;
  payload: PagePayload;
  records: number;
  pages: number;
  truncated: boolean;
}

export interface EmsVersion {
  version: string;
  /** The reply of /ver when it is a JSON object. */
  info?: Record<string, unknown>;
}

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 100_000;
export const DEFAULT_MAX_RECORDS = 100_000;

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
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const info = parsed as Record<string, unknown>;
        const v = info.version ?? info.ver ?? info.fwVersion;
        return { version: typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(info).slice(0, 80), info };
      }
      return { version: String(parsed) };
    } catch {
      return { version: text.slice(0, 80) };
    }
  }

  /** Test connection: the version, a login and the device list (proves the token is accepted). */
  async test(signal?: AbortSignal): Promise<{ version: string; devices: number }> {
    const { version } = await this.version(signal);
    const devices = await this.collect({ operation: 'devices', scope: 'all' }, signal);
    return { version, devices: devices.records };
  }

  /** GET with the JWT; a 401 logs in again once and sends the request once more. */
  async getJson(path: string, query: HttpRequest['query'], signal?: AbortSignal): Promise<{ json: unknown; text: string }> {
    const req: HttpRequest = { path, query, signal, headers: { accept: 'application/json' } };
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
          throw new GatewayError('AUTH_FAILED', `${this.label} refused a fresh token for ${this.http.what(req)}: check that the account has the API role.`, { statusCode: 401 });
        }
        throw again;
      }
    }
    try {
      return { json: JSON.parse(res.body) as unknown, text: res.body };
    } catch {
      throw badResponse(`${this.label} answered ${this.http.what(req)} with something that is not JSON: check the base URL and the route table.`);
    }
  }

  /** The pages of a query, one at a time (nothing is accumulated). */
  pages(query: EmsQuery, signal?: AbortSignal): AsyncGenerator<EmsPage, void, undefined> {
    const plan = planRequest(query);
    const pageSize = intIn(query.pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, 'The page size');
    const maxRecords = intIn(query.maxRecords, DEFAULT_MAX_RECORDS, 0, Number.MAX_SAFE_INTEGER, 'maxRecords');
    const fallbackUid = query.scope === 'signal' ? query.uid : undefined;
    const fetch = async (page: number | undefined): Promise<FetchedPage> => {
      const q = page === undefined ? plan.query : { ...plan.query, limit: String(pageSize), page: String(page) };
      const { json, text } = await this.getJson(plan.path, q, signal);
      const what = `GET ${plan.path}`;
      return { ...normalizePage(query.operation, json, what, { keep: plan.keep, uid: fallbackUid }), fingerprint: fingerprint(text) };
    };
    return pageThrough(fetch, { operation: query.operation, paged: plan.paged, pageSize, maxRecords });
  }

  /** Every page of a query in one payload (sorted by uid; history points by time). */
  async collect(query: EmsQuery, signal?: AbortSignal): Promise<EmsResult> {
    const merger = new Merger(query.operation);
    let records = 0;
    let pages = 0;
    let truncated = false;
    for await (const page of this.pages(query, signal)) {
      merger.add(page.payload);
      records = page.total;
      pages = page.page;
      truncated = page.truncated;
    }
    return { operation: query.operation, payload: merger.result(), records, pages, truncated };
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
    const detail = errorDetail(res.body);
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
function errorDetail(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    const m = parsed?.message ?? parsed?.error;
    return typeof m === 'string' && m.trim() ? m.trim().slice(0, 160) : undefined;
  } catch {
    return undefined;
  }
}
