import { GatewayError, badResponse } from '../../core/errors';
import type { HttpClient, StatusMapper } from '../../core/http';
import { parseJson, tryParseJson, type JsonText } from '../../core/json';
import { withRetry, type RetryPolicy } from '../../core/retry';
import { jwtExpiry, type Token } from '../../core/token';
import { LOGIN_PATH } from './routes';

/** The documented lifetime of a token, used when the JWT carries no `exp`. */
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * 60_000;
/** Renew this long before expiry at most (a tenth of the lifetime for short-lived tokens). */
export const RENEW_MARGIN_MS = 60_000;

/** The `iat` claim of a JWT as ms, when it has one. */
export function jwtIssuedAt(jwt: string): number | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  const iat = (tryParseJson(Buffer.from(part, 'base64url').toString('utf8')) as { iat?: unknown } | null | undefined)?.iat;
  return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : undefined;
}

/**
 * How long a token lives, by our clock: `exp - iat` when the JWT has both (so a gateway clock that is
 * off does not matter), `exp - now` when it has `exp` only, else the documented 30 minutes.
 */
export function tokenLifetimeMs(jwt: string, issuedAt: number): number {
  const exp = jwtExpiry(jwt);
  if (exp !== undefined) {
    const iat = jwtIssuedAt(jwt);
    const life = exp - (iat ?? issuedAt);
    if (life > 0) return life;
  }
  return DEFAULT_TOKEN_LIFETIME_MS;
}

/** The login reply as a Token whose `expiresAt` already holds the renewal margin. */
export function parseLogin(reply: string | JsonText, issuedAt: number): Token {
  const parsed = parseJson(reply, `The reply to the EMS login ${LOGIN_PATH}`, `The EMS login ${LOGIN_PATH} did not answer JSON: check the base URL.`);
  const token = (parsed as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || token === '') {
    throw badResponse(`The EMS login ${LOGIN_PATH} answered without a token: check the base URL.`);
  }
  const life = tokenLifetimeMs(token, issuedAt);
  return { value: token, expiresAt: issuedAt + life - Math.min(RENEW_MARGIN_MS, life / 10) };
}

export interface LoginOptions {
  http: HttpClient;
  username: string;
  password: string;
  now: () => number;
  retry: RetryPolicy;
  /** Hears every token obtained (kept for redaction). */
  onToken: (token: string) => void;
}

/**
 * A refusal of the login is about the account, whatever status the gateway picked for it, unless the base
 * URL has a path: the Webapi lives at the gateway's root, so a login below a path reaches something else
 * (a 401 or 404 of the web app) and the path is the likely cause. A 404 or 405 means there is no login there.
 */
function loginStatus(http: HttpClient): StatusMapper {
  const label = http.label;
  const root = `${http.baseOrigin}`;
  const baseAdvice = `check the base URL: it should be the gateway's address without a path (${root})`;
  return (res) => {
    const s = res.statusCode;
    if (s === 404 || s === 405) {
      return new GatewayError('NOT_FOUND', `${label} has no login at POST ${http.basePath}${LOGIN_PATH} (HTTP ${s}): ${baseAdvice}.`, { statusCode: s, statusText: 'no login at this URL' });
    }
    if (s === 400 || s === 401 || s === 403) {
      if (http.basePath) {
        return new GatewayError('AUTH_FAILED', `${label} refused the login at POST ${http.basePath}${LOGIN_PATH} (HTTP ${s}): ${baseAdvice}; then the user name and password.`, {
          statusCode: s,
          statusText: 'base URL has a path',
        });
      }
      return new GatewayError('AUTH_FAILED', `${label} refused the login (HTTP ${s}): check the user name and password of an account with the API role.`, {
        statusCode: s,
        statusText: 'login refused',
      });
    }
    return undefined;
  };
}

/** The `obtain` function of the server's TokenCache: POST /v1/auth/login {username, password} -> {token}. */
export function loginObtainer(o: LoginOptions): (previous: Token | undefined, signal: AbortSignal) => Promise<Token> {
  const mapStatus = loginStatus(o.http);
  return async (_previous, signal) => {
    // Logging in changes nothing on the gateway: it is retried like a read (timeouts, 5xx, 429).
    const sentAt = o.now();
    const res = await withRetry(
      () =>
        o.http.request(
          {
            method: 'POST',
            path: LOGIN_PATH,
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ username: o.username, password: o.password }),
            signal,
            what: `the login (POST ${LOGIN_PATH})`,
          },
          mapStatus,
        ),
      o.retry,
      signal,
    );
    const token = parseLogin(res, sentAt);
    o.onToken(token.value);
    return token;
  };
}
