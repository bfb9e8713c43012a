import type * as Undici from 'undici';
import { GatewayError, permanent, type ErrorCode } from './errors';
import { JsonGauge, gaugeMessage } from './json';
import { redact, redactError } from './redact';
import { DEFAULT_READ_RETRY, NO_RETRY, parseRetryAfter, withRetry, type RetryPolicy } from './retry';
import { Exchange } from './exchange';
import { longLivedSignal, withSignals } from './signals';

/**
 * undici is loaded when the first client is made, not when this module is: it is by far the largest
 * module of the package (about 100 ms to load), and Node-RED loads every installed node set at start,
 * whether a flow uses it or not (bench/nodered-start.ts).
 */
let undici: typeof Undici | undefined;
function loadUndici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undici ??= require('undici') as typeof Undici);
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpClientOptions {
  /** `http(s)://host[:port]` (a path prefix is allowed: cloud APIs live under one). */
  baseUrl: string;
  /** How the peer is named in messages, e.g. "Smile 192.168.1.20". Never holds a secret. */
  label: string;
  /** Headers and body timeout of each attempt, ms. */
  timeoutMs: number;
  /** Sockets kept open to the peer (1 for hubs that handle one request at a time). */
  connections?: number;
  /** Accept a self-signed or otherwise unverifiable TLS certificate. */
  allowSelfSigned?: boolean;
  /** A reply larger than this is refused as BAD_RESPONSE (protects the runtime's memory). */
  maxBodyBytes?: number;
  /**
   * The peer answers JSON: a reply nesting arrays and objects deeper than this is refused as BAD_RESPONSE
   * while it arrives, and every reply carries its measured `nesting` (core/json.ts parses it unscanned).
   */
  maxJsonDepth?: number;
  /** With maxJsonDepth: a reply holding more arrays and objects than this is refused the same way. */
  maxJsonContainers?: number;
  /** What to do about a TLS certificate that cannot be verified: it depends on what the config node offers. */
  tlsAdvice?: string;
  /**
   * What to do when the peer does not speak TLS at all (https:// to a plain-HTTP port): it depends on how
   * the config node turns TLS off (an http:// address, a TLS checkbox).
   */
  plainHttpAdvice?: string;
  /** The secrets to scrub from every message this client produces. */
  secrets?: () => Iterable<string | undefined>;
  /** Retry policy of safe methods (GET/HEAD). */
  retry?: RetryPolicy;
}

export interface HttpRequest {
  method?: HttpMethod;
  /** Path below baseUrl, query included or given in `query`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request (ms). */
  timeoutMs?: number;
  /** Retry on transient failures. Defaults to true for GET/HEAD and is never applied otherwise. */
  retry?: boolean;
  /** How the request is named in messages (defaults to `METHOD path` without the query). */
  what?: string;
  /** Overrides the client's reply size cap for this request (a page whose size the caller chose). */
  maxBodyBytes?: number;
  /** Overrides the client's maxJsonContainers for this request (the same page). */
  maxJsonContainers?: number;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** How deep the JSON body nests, measured as it arrived (clients made with `maxJsonDepth`). */
  nesting?: number;
}

/** Turns a non-2xx response into the error to throw (undefined: let the default mapping decide). */
export type StatusMapper = (res: HttpResponse, req: HttpRequest) => GatewayError | undefined;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_TLS_ADVICE = 'check that the address names the gateway and that its certificate is valid.';
const DEFAULT_PLAIN_HTTP_ADVICE = 'use http:// in the address, or the port where it speaks HTTPS.';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The TLS handshake failed because the peer answered in plain HTTP (OpenSSL read "HTTP/1.1 400" as a
 * record: "wrong version number") or hung up on the ClientHello (Node.js: ECONNRESET "before secure TLS
 * connection was established").
 */
function isPlainHttpPeer(code: string, message: string): boolean {
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') return true;
  if (/wrong version number|packet length too long|http request/i.test(message) && (code === 'EPROTO' || code.startsWith('ERR_SSL_'))) return true;
  return (code === 'ECONNRESET' || code === 'EPROTO') && /before secure TLS connection was established/i.test(message);
}

function isSafe(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD';
}

function errorCodeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The message of the error that carries the code (errorCodeOf's), or the outermost one. */
function errorMessageOf(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof (e as { code?: unknown }).code === 'string') return String((e as { message?: unknown }).message ?? '');
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * One HTTP peer: an undici Agent of its own (keep-alive, bounded connections, timeouts), every body
 * consumed or destroyed, bodies size-limited, errors mapped onto the contract's codes with secrets scrubbed.
 * Safe methods are retried with backoff (Retry-After honoured); anything else is sent exactly once.
 */
export class HttpClient {
  readonly label: string;
  /** Requests actually put on the wire (attempts, retries included). */
  sent = 0;
  private readonly agent: Undici.Agent;
  private readonly closing = longLivedSignal(new AbortController());
  /** The requests on the wire (close() stops them). */
  private readonly inFlight = new Set<Exchange>();
  private readonly base: URL;
  /** `http(s)://host:port` of the base URL: where undici sends. */
  private readonly origin: string;
  /** Request targets (path and query) by the path asked for: a URL parse per request is a cost worth saving. */
  private readonly targets = new Map<string, string>();
  /** The base URL's path, without its trailing slash (cloud APIs live under one). */
  private readonly prefix: string;
  private closed = false;

  constructor(private readonly options: HttpClientOptions) {
    this.label = options.label;
    this.base = new URL(options.baseUrl);
    this.origin = this.base.origin;
    this.prefix = this.base.pathname.replace(/\/$/, '');
    this.agent = new (loadUndici().Agent)({
      connections: options.connections ?? 2,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, rejectUnauthorized: !options.allowSelfSigned },
    });
    // A dispatcher never throws at us asynchronously: failures arrive as rejected requests.
    this.agent.on('connectionError', () => undefined);
  }

  /** The base URL's path without its trailing slash ("" for an address without one). */
  get basePath(): string {
    return this.prefix;
  }

  /** The base URL's origin, `http(s)://host[:port]`. */
  get baseOrigin(): string {
    return this.origin;
  }

  /** Scrubs this client's secrets (and any credential-looking value) from a text. */
  redact(text: string): string {
    return redact(text, this.options.secrets?.() ?? []);
  }

  url(path: string, query?: HttpRequest['query']): URL {
    const url = new URL(this.prefix + (path.startsWith('/') ? path : `/${path}`), this.base);
    if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Sends with retries for safe methods and throws a GatewayError for any non-2xx status. */
  async request(req: HttpRequest, mapStatus?: StatusMapper): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const policy = isSafe(method) && req.retry !== false ? (this.options.retry ?? DEFAULT_READ_RETRY) : NO_RETRY;
    if (policy.attempts <= 1) return this.checked(await this.send(req), req, mapStatus);
    const attempt = async (): Promise<HttpResponse> => this.checked(await this.send(req), req, mapStatus);
    // This signal only cuts retry waits short; each attempt links its own (in send).
    return withSignals([this.closing.signal, req.signal], (signal) => withRetry(attempt, policy, signal));
  }

  /** The response if its status is 2xx, else the error to throw. */
  private checked(res: HttpResponse, req: HttpRequest, mapStatus: StatusMapper | undefined): HttpResponse {
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    // Every string the error carries may quote the reply (a request id, a vendor code): all are scrubbed.
    throw redactError(mapStatus?.(res, req) ?? this.statusError(res, req), this.options.secrets?.() ?? []);
  }

  /** One attempt. Resolves with any status; rejects with a GatewayError when no response came. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw new GatewayError('UNREACHABLE', `The connection to ${this.label} is closed.`, { statusText: 'connection closed' });
    const method = req.method ?? 'GET';
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const limit = req.maxBodyBytes ?? this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const depth = this.options.maxJsonDepth;
    let json: { gauge: JsonGauge; refused: () => GatewayError } | undefined;
    if (depth !== undefined) {
      const gauge = new JsonGauge(depth, req.maxJsonContainers ?? this.options.maxJsonContainers);
      json = { gauge, refused: () => new GatewayError('BAD_RESPONSE', gaugeMessage(`The reply of ${this.label} to ${this.what(req)}`, gauge), { statusText: 'reply refused' }) };
    }
    const exchange = new Exchange(limit, () => this.tooBig(req, limit), json);
    const unfollow = exchange.follow(req.signal, (s) => (s.reason instanceof GatewayError ? s.reason : this.cancelled(req)));
    if (exchange.reason) throw this.networkError(exchange.reason, req, timeoutMs, exchange.reason);
    this.inFlight.add(exchange);
    // Headers and body timeouts cover a silent peer; this covers one that drips bytes forever.
    const timer = setTimeout(
      () => exchange.stop(new GatewayError('TIMEOUT', this.timeoutMessage(req, timeoutMs), { statusText: `no answer in ${timeoutMs / 1000} s` })),
      timeoutMs * 2,
    );
    this.sent++;
    try {
      // undici reports a request it cannot take (a bad path, a destroyed agent) to the handler, not by throwing.
      this.agent.dispatch(
        { origin: this.origin, path: this.target(req.path, req.query), method, headers: req.headers, body: req.body ?? null, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        exchange,
      );
      return await exchange.done;
    } catch (err) {
      throw this.networkError(err, req, timeoutMs, exchange.reason);
    } finally {
      clearTimeout(timer);
      unfollow();
      this.inFlight.delete(exchange);
    }
  }

  /** The request target (path and query, normalized as a URL would) below the base URL. */
  private target(path: string, query: HttpRequest['query']): string {
    if (query) {
      const url = this.url(path, query);
      return url.pathname + url.search;
    }
    let target = this.targets.get(path);
    if (target === undefined) {
      const url = this.url(path);
      target = url.pathname + url.search;
      // A client asks for a handful of paths over and over; ids in paths make the set grow slowly.
      if (this.targets.size >= 256) this.targets.clear();
      this.targets.set(path, target);
    }
    return target;
  }

  /** Aborts whatever is in flight and closes every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reason = new GatewayError('UNREACHABLE', `The connection to ${this.label} was closed.`, { statusText: 'connection closed' });
    this.closing.abort(reason);
    for (const abort of this.inFlight) abort.stop(reason);
    await this.agent.destroy().catch(() => undefined);
  }

  statusError(res: HttpResponse, req: HttpRequest, detail?: string): GatewayError {
    const what = this.what(req);
    const status = res.statusCode;
    const extra = detail ? ` (${this.redact(detail)})` : '';
    const [code, hint, words] = statusCode(status);
    const message = `${this.label} answered HTTP ${status} to ${what}${extra}: ${hint}`;
    return new GatewayError(code, message, {
      statusCode: status,
      statusText: `${words} (HTTP ${status})`,
      retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined,
    });
  }

  what(req: HttpRequest): string {
    return req.what ?? `${req.method ?? 'GET'} ${this.redact(req.path.split('?')[0] ?? req.path)}`;
  }

  /** The port the base URL names, or its scheme's default. */
  private port(): string {
    return this.base.port || (this.base.protocol === 'https:' ? '443' : '80');
  }

  private timeoutMessage(req: HttpRequest, timeoutMs: number): string {
    return `${this.label} did not answer ${this.what(req)} within ${timeoutMs / 1000} s: check that it is powered and reachable, or raise the timeout.`;
  }

  private tooBig(req: HttpRequest, limit: number): GatewayError {
    const size = limit >= 1048576 ? `${+(limit / 1048576).toFixed(1)} MiB` : `${Math.ceil(limit / 1024)} KiB`;
    return new GatewayError('BAD_RESPONSE', `${this.label} sent more than ${size} in reply to ${this.what(req)}: that is not a reply this node expects.`, {
      statusText: `reply over ${size}`,
    });
  }

  private cancelled(req: HttpRequest): GatewayError {
    return new GatewayError('UNREACHABLE', this.redact(`The request ${this.what(req)} to ${this.label} was cancelled.`), { statusText: 'cancelled' });
  }

  /** `aborted`: why the request was stopped (deadline, close, the caller's signal), if it was. */
  private networkError(err: unknown, req: HttpRequest, timeoutMs: number, aborted: Error | undefined): GatewayError {
    const stopped = aborted instanceof GatewayError ? aborted : err instanceof GatewayError ? err : undefined;
    if (stopped) return redactError(stopped, this.options.secrets?.() ?? []);
    const code = errorCodeOf(err) ?? '';
    const raw = err instanceof Error ? err.message : String(err);
    let mapped: ErrorCode = 'UNREACHABLE';
    let message: string;
    let words: string;
    // The same handshake fails the same way on every attempt: it is not retried.
    const plainHttp = this.base.protocol === 'https:' && !TIMEOUT_CODES.has(code) && !TLS_CODES.has(code) && isPlainHttpPeer(code, errorMessageOf(err));
    if (TIMEOUT_CODES.has(code)) {
      mapped = 'TIMEOUT';
      message = this.timeoutMessage(req, timeoutMs);
      words = `no answer in ${timeoutMs / 1000} s`;
    } else if (TLS_CODES.has(code)) {
      message = `${this.label} presented a TLS certificate that cannot be verified (${code}): ${this.options.tlsAdvice ?? DEFAULT_TLS_ADVICE}`;
      words = 'certificate not trusted';
    } else if (plainHttp) {
      message = `${this.label} does not speak HTTPS on port ${this.port()} (the TLS handshake failed: ${code}): ${this.options.plainHttpAdvice ?? DEFAULT_PLAIN_HTTP_ADVICE}`;
      words = 'no HTTPS on this port';
    } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      message = `The host name of ${this.label} cannot be resolved (${code}): check the host setting.`;
      words = 'unknown host name';
    } else if (code === 'ECONNREFUSED') {
      message = `${this.label} refused the connection: check the host and port, and that the service is running.`;
      words = 'connection refused';
    } else if (aborted) {
      message = `The request ${this.what(req)} to ${this.label} was cancelled.`;
      words = 'cancelled';
    } else {
      message = `${this.label} could not be reached for ${this.what(req)} (${code || raw}): check the network and the host setting.`;
      words = code ? `network error ${code}` : 'network error';
    }
    const error = new GatewayError(mapped, this.redact(message), { cause: code || undefined, statusText: words });
    return plainHttp ? permanent(error) : error;
  }
}

/** A status's code, the hint that ends the message, and the words the red status shows. */
function statusCode(status: number): [ErrorCode, string, string] {
  if (status === 401 || status === 403) return ['AUTH_FAILED', 'check the credentials.', 'refused'];
  if (status === 404) return ['NOT_FOUND', 'check the id or path asked for.', 'not found'];
  if (status === 429) return ['RATE_LIMITED', 'too many requests; slow down or wait.', 'too many requests'];
  if (status === 408 || status === 504) return ['TIMEOUT', 'the server timed out; it will be retried for reads.', 'server timed out'];
  if (status >= 500) return ['SERVER_ERROR', 'the server failed; check its state.', 'server failed'];
  return ['REJECTED', 'the request was refused.', 'refused'];
}
