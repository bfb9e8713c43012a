/**
 * A Thinknx server reached through the Integration Kit: local (Digest, Basic or query-string auth) or
 * through a Thinknx cloud (the key in the path). One request at a time (ordered Digest nonce counts, and
 * an embedded server spared concurrent commands). Reads retry; sets are sent once and never replayed
 * after a timeout or 5xx: only the answer to a 401 challenge (which executed nothing) is re-sent.
 */
import { GatewayError } from '../../core/errors';
import { HttpClient, type HttpResponse } from '../../core/http';
import { MAX_JSON_DEPTH, tryParseJson } from '../../core/json';
import { SerialQueue } from '../../core/queue';
import { DEFAULT_READ_RETRY, parseRetryAfter, sleep, withRetry, type RetryPolicy } from '../../core/retry';
import { buildCommand, commandResult, type Command, type CommandInput, type CommandResult } from './command';
import { DigestSession, parseChallenges, pickDigest } from './digest';
import { endpoint, type Endpoint, type ThinknxCredentials, type ThinknxSettings } from './endpoint';
import { mapStatus } from './errors';
import type { ServerStatus } from './status';

export interface ThinknxClientOptions {
  settings: ThinknxSettings;
  credentials: ThinknxCredentials;
  /** Timeout of a set with `fb` (the server holds the reply until the device reports); default 3x. */
  feedbackTimeoutMs?: number;
  /** Retry policy of reads. */
  retry?: RetryPolicy;
  /** After a 429, requests wait out a hold up to this long, and fail fast beyond it (ms, default 3000). */
  maxRateWaitMs?: number;
  /** cnonce source (tests). */
  cnonce?: () => string;
}

export interface ThinknxStats {
  /** Requests put on the wire (challenge round trips included). */
  requests: number;
  /** 401 challenges answered (first contact, or a nonce the server no longer knew). */
  challenges: number;
  /** 401 stale=true answered with the new nonce. */
  staleRenewals: number;
}

const RATE_HOLD_DEFAULT_MS = 1000;

export class ThinknxClient {
  readonly endpoint: Endpoint;
  readonly http: HttpClient;
  readonly queue = new SerialQueue();
  readonly stats = { challenges: 0, staleRenewals: 0 };
  private session: DigestSession | undefined;
  private holdUntil = 0;
  private readonly timeoutMs: number;

  /** Throws BAD_INPUT when the settings cannot work (nothing is sent). */
  constructor(private readonly options: ThinknxClientOptions) {
    this.endpoint = endpoint(options.settings, options.credentials);
    this.timeoutMs = options.settings.timeoutSec * 1000;
    this.http = new HttpClient({
      baseUrl: this.endpoint.baseUrl,
      label: this.endpoint.label,
      timeoutMs: this.timeoutMs,
      connections: 1,
      allowSelfSigned: options.settings.allowSelfSigned,
      // A reply is one status object of well under 1 KB (serverStatus with its PBX users: a few KB).
      maxBodyBytes: 1024 * 1024,
      maxJsonDepth: MAX_JSON_DEPTH,
      maxJsonContainers: 10_000,
      tlsAdvice:
        this.endpoint.mode === 'cloud'
          ? 'check the cloud URL (an on-premise cloud needs a certificate Node.js trusts).'
          : 'tick "accept the server\'s self-signed certificate" in the Thinknx server node if this is the server\'s own certificate.',
      plainHttpAdvice:
        this.endpoint.mode === 'cloud'
          ? 'use http:// in the cloud URL if this on-premise cloud has no TLS.'
          : 'turn TLS off in the Thinknx server node, or enable TLS for the Integration Kit on the server.',
      secrets: () => this.secrets(),
    });
  }

  get label(): string {
    return this.endpoint.label;
  }

  get counters(): ThinknxStats {
    return { requests: this.http.sent, ...this.stats };
  }

  /** True once a request has been answered with the credentials (Digest: a nonce is held). */
  get authenticated(): boolean {
    return this.endpoint.auth !== 'digest' || this.session !== undefined;
  }

  secrets(): string[] {
    const c = this.options.credentials;
    return [c.password, c.key].filter((s): s is string => typeof s === 'string' && s !== '');
  }

  redact(text: string): string {
    return this.http.redact(text);
  }

  /** Checks the input (BAD_INPUT, nothing sent), runs the call and decodes the reply. */
  async execute(input: CommandInput, signal?: AbortSignal): Promise<CommandResult & { command: Command }> {
    const command = buildCommand(input);
    return { ...(await this.run(command, signal)), command };
  }

  /**
   * Runs a command built (and so checked) by `buildCommand`. `retry` replaces the client's policy for a
   * read (a watch's poll is retried by its next poll, not within the interval).
   */
  async run(command: Command, signal?: AbortSignal, retry?: RetryPolicy): Promise<CommandResult> {
    const body = await this.call(command, signal, retry);
    return commandResult(command, body, this.label);
  }

  async serverStatus(signal?: AbortSignal): Promise<ServerStatus> {
    const r = await this.execute({ capability: 'serverStatus', payload: 'get' }, signal);
    return r.payload as ServerStatus;
  }

  /** One call: a JSON object without `error`, or a GatewayError. */
  async call(cmd: Command, signal?: AbortSignal, retry?: RetryPolicy): Promise<Record<string, unknown>> {
    const attempt = (): Promise<Record<string, unknown>> => this.queue.run((s) => this.once(cmd, s), signal);
    if (cmd.kind === 'set') return attempt();
    return withRetry(attempt, retry ?? this.options.retry ?? DEFAULT_READ_RETRY, signal);
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.http.close();
  }

  private path(cmd: Command): string {
    const parts = Object.entries(cmd.params).map(([k, v]) => `${k}=${encodeValue(v)}`);
    if (cmd.feedback) parts.push('fb');
    const c = this.options.credentials;
    if (this.endpoint.auth === 'digest') parts.push('auth=digest');
    else if (this.endpoint.auth === 'basic') parts.push('auth=basic');
    else if (this.endpoint.auth === 'query') {
      parts.push('auth=basic', `user=${encodeValue(c.username?.trim() ?? '')}`, `pass=${encodeValue(c.password ?? '')}`);
    }
    return `/api/V1/${cmd.controller}${parts.length ? `?${parts.join('&')}` : ''}`;
  }

  private authorization(target: string): string | undefined {
    const c = this.options.credentials;
    if (this.endpoint.auth === 'basic') return `Basic ${Buffer.from(`${c.username?.trim() ?? ''}:${c.password ?? ''}`, 'utf8').toString('base64')}`;
    if (this.endpoint.auth === 'digest' && this.session) return this.session.authorize('GET', target);
    return undefined;
  }

  private async once(cmd: Command, signal: AbortSignal): Promise<Record<string, unknown>> {
    const path = this.path(cmd);
    const url = this.http.url(path);
    const target = url.pathname + url.search;
    const timeoutMs = cmd.feedback ? (this.options.feedbackTimeoutMs ?? this.timeoutMs * 3) : this.timeoutMs;
    const req = { path, signal, timeoutMs, what: cmd.controller, retry: false };
    let resends = 0;
    let res: HttpResponse;
    for (;;) {
      await this.rateHold(signal);
      const authorization = this.authorization(target);
      const freshNonce = this.session?.nc === 1;
      res = await this.http.send({ ...req, headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) } });
      if (res.statusCode !== 401 || this.endpoint.auth !== 'digest' || resends >= 2) break;
      const challenge = pickDigest(parseChallenges(res.headers['www-authenticate']));
      // A 401 executed nothing: answer the challenge. With our credentials just refused on a fresh nonce,
      // the password is wrong (no loop).
      if (!challenge || (authorization && freshNonce && !challenge.stale)) break;
      if (challenge.stale) this.stats.staleRenewals++;
      else this.stats.challenges++;
      const c = this.options.credentials;
      this.session = new DigestSession(challenge, c.username?.trim() ?? '', c.password ?? '', this.options.cnonce);
      resends++;
    }
    if (res.statusCode === 429) this.holdUntil = Date.now() + (parseRetryAfter(res.headers['retry-after']) ?? RATE_HOLD_DEFAULT_MS);
    if (res.statusCode === 401 && this.endpoint.auth === 'digest') this.session = undefined;
    return this.parse(res, cmd, req);
  }

  private async rateHold(signal: AbortSignal): Promise<void> {
    const wait = this.holdUntil - Date.now();
    if (wait <= 0) return;
    if (wait > (this.options.maxRateWaitMs ?? 3000)) {
      throw new GatewayError('RATE_LIMITED', `${this.label} asked to slow down: nothing was sent; try again in ${Math.ceil(wait / 1000)} s.`, { retryAfterMs: wait });
    }
    await sleep(wait, signal);
  }

  private parse(res: HttpResponse, cmd: Command, req: { what: string; path: string }): Record<string, unknown> {
    const body = res.body.trim() === '' ? undefined : tryParseJson(res);
    const obj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (res.statusCode < 200 || res.statusCode >= 300 || obj?.error !== undefined) {
      throw mapStatus(this.http, res, req, cmd, obj, this.endpoint);
    }
    if (!obj) {
      const hint = this.endpoint.mode === 'cloud' ? 'check the cloud URL' : 'check that host and port point at the Integration Kit (port 5051)';
      throw new GatewayError('BAD_RESPONSE', `${this.label} answered ${cmd.controller} with something that is not a JSON object: ${hint}.`, { statusText: 'reply is not a JSON object' });
    }
    return obj;
  }
}

/** A query value: percent-encoded, but "/" kept (group addresses read 1/0/1 as in the API examples). */
export function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/');
}
