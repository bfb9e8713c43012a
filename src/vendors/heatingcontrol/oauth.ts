import { GatewayError } from '../../core/errors';
import type { HttpClient, StatusMapper } from '../../core/http';
import { parseJson, type JsonText } from '../../core/json';
import { withRetry, type RetryPolicy } from '../../core/retry';
import { jwtExpiry, type Token } from '../../core/token';
import { parseEnvelope } from './errors';
import type { ClientAuth } from './types';

export const TOKEN_PATH = '/v1/oauth/token';

/** Lifetime assumed when the API gives neither `expires_in` nor a JWT `exp` (the documented value). */
export const DEFAULT_TOKEN_LIFETIME_MS = 3600_000;
/** Renew this long before expiry at most (a tenth of the lifetime for short-lived tokens). */
export const RENEW_MARGIN_MS = 60_000;

/** Getting a token changes nothing on the server: it is retried like a read (429/5xx/timeouts). */
const TOKEN_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Failures after which client_credentials would fail the same way (no point in a second request). */
const NO_FALLBACK = new Set(['TIMEOUT', 'UNREACHABLE', 'RATE_LIMITED']);

export interface OAuthOptions {
  http: HttpClient;
  mapStatus: StatusMapper;
  clientId: string;
  clientSecret: string;
  scope?: string;
  clientAuth: ClientAuth;
  now: () => number;
  /** Hears every token value obtained (for redaction). */
  onToken?: (token: Token) => void;
  retry?: RetryPolicy;
}

/** The end of every message about a reply that is not this API's: the likely cause is the base URL. */
const NOT_THIS_API = 'the base URL does not look like a HeatingControl API: enter the API\'s address, like https://api.example.com.';

/** What a reply body looks like, for a message ("an HTML page"). */
function shape(body: string): string {
  const t = body.trimStart();
  if (t === '') return 'an empty reply';
  if (t.startsWith('<')) return /^<(!doctype html|html)/i.test(t) ? 'an HTML page' : 'XML or HTML';
  if (t.startsWith('{') || t.startsWith('[')) return 'JSON that is not an OAuth reply';
  return 'plain text';
}

/**
 * The token endpoint's refusals. A 404 or 405 means there is no token endpoint at this base URL; a
 * refusal that is not in the API's error form (an HTML page, another server's JSON) comes from a server
 * that is not the HeatingControl API, whatever its status says. Transient statuses (408, 429, 5xx) and
 * the API's own errors go to the account's mapper (an invalid_client stays AUTH_FAILED).
 */
export function tokenStatus(label: string, base: StatusMapper): StatusMapper {
  return (res, req) => {
    const s = res.statusCode;
    const what = req.what ?? `POST ${TOKEN_PATH}`;
    if (s === 404 || s === 405) {
      return new GatewayError('NOT_FOUND', `${label} has no token endpoint at ${what} (HTTP ${s}): ${NOT_THIS_API}`, { statusCode: s, statusText: 'not a HeatingControl API' });
    }
    const transient = s === 408 || s === 429 || s >= 500;
    if (!transient && res.body.trim() !== '' && parseEnvelope(res) === undefined) {
      return new GatewayError('BAD_RESPONSE', `${label} answered ${what} with HTTP ${s} and ${shape(res.body)}, not an OAuth error: ${NOT_THIS_API}`, {
        statusCode: s,
        statusText: 'not a HeatingControl API',
      });
    }
    return base(res, req);
  };
}

/** RFC 6749 2.3.1: id and secret are form-encoded before Base64. */
export function basicClientAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/**
 * The `obtain` function of the account's TokenCache: the refresh_token grant when the previous token
 * came with one, client_credentials when there is none or the refresh fails.
 */
export function tokenObtainer(o: OAuthOptions): (previous: Token | undefined, signal: AbortSignal) => Promise<Token> {
  const mapStatus = tokenStatus(o.http.label, o.mapStatus);
  const grant = async (fields: Record<string, string>, signal: AbortSignal): Promise<Token> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const body: Record<string, string> = { ...fields };
    if (o.clientAuth === 'basic') headers.authorization = basicClientAuth(o.clientId, o.clientSecret);
    else {
      body.client_id = o.clientId;
      body.client_secret = o.clientSecret;
    }
    if (o.scope) body.scope = o.scope;
    const issued = o.now();
    const what = `POST ${TOKEN_PATH} (${fields.grant_type})`;
    const res = await withRetry(
      () => o.http.request({ method: 'POST', path: TOKEN_PATH, headers, body: JSON.stringify(body), signal, what }, mapStatus),
      o.retry ?? TOKEN_RETRY,
      signal,
    );
    const token = parseToken(res, issued, fields.refresh_token);
    o.onToken?.(token);
    return token;
  };

  return async (previous, signal) => {
    if (previous?.refresh) {
      try {
        return await grant({ grant_type: 'refresh_token', refresh_token: previous.refresh }, signal);
      } catch (err) {
        if (signal.aborted || (err instanceof GatewayError && NO_FALLBACK.has(err.code))) throw err;
      }
    }
    return grant({ grant_type: 'client_credentials' }, signal);
  };
}

/** The token reply as a Token; `expiresAt` already holds the renewal margin. */
export function parseToken(reply: string | JsonText, issuedAt: number, previousRefresh?: string): Token {
  const parsed = parseJson(reply, `The reply of the token endpoint ${TOKEN_PATH}`, `The token endpoint ${TOKEN_PATH} did not answer JSON (${shape(typeof reply === 'string' ? reply : reply.body)}): ${NOT_THIS_API}`);
  const t = (parsed ?? {}) as Record<string, unknown>;
  if (typeof t.access_token !== 'string' || t.access_token === '') {
    throw new GatewayError('BAD_RESPONSE', `The token endpoint ${TOKEN_PATH} answered without an access_token: ${NOT_THIS_API}`, { statusText: 'not a HeatingControl API' });
  }
  const seconds = typeof t.expires_in === 'number' ? t.expires_in : typeof t.expires_in === 'string' ? Number(t.expires_in) : NaN;
  const lifetime = Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : Math.max(0, (jwtExpiry(t.access_token) ?? issuedAt + DEFAULT_TOKEN_LIFETIME_MS) - issuedAt);
  const margin = Math.min(RENEW_MARGIN_MS, lifetime / 10);
  // Without a new refresh token the old one stays valid (RFC 6749 6).
  const refresh = typeof t.refresh_token === 'string' && t.refresh_token ? t.refresh_token : previousRefresh;
  return { value: t.access_token, expiresAt: issuedAt + lifetime - margin, refresh };
}
