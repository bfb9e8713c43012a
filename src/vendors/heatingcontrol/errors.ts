import { GatewayError, type ErrorCode } from '../../core/errors';
import type { HttpRequest, HttpResponse } from '../../core/http';
import { tryParseJson, type JsonText } from '../../core/json';
import { parseRetryAfter } from '../../core/retry';

/**
 * The API's error envelope `{error: {code, message, requestId, details}}` (and the OAuth form
 * `{error: "invalid_client", error_description}` a token endpoint may use) onto the contract's codes.
 * A vendor code this table does not know falls back to the HTTP status, so new codes never break.
 */
export const VENDOR_CODES: Readonly<Record<string, ErrorCode>> = {
  UNAUTHORIZED: 'AUTH_FAILED',
  UNAUTHENTICATED: 'AUTH_FAILED',
  FORBIDDEN: 'AUTH_FAILED',
  INVALID_TOKEN: 'AUTH_FAILED',
  TOKEN_EXPIRED: 'AUTH_FAILED',
  INVALID_CLIENT: 'AUTH_FAILED',
  INVALID_GRANT: 'AUTH_FAILED',
  UNAUTHORIZED_CLIENT: 'AUTH_FAILED',
  INVALID_SCOPE: 'AUTH_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  DEVICE_NOT_FOUND: 'NOT_FOUND',
  HOME_NOT_FOUND: 'NOT_FOUND',
  COMMAND_NOT_FOUND: 'NOT_FOUND',
  SETTING_NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  VALIDATION_ERROR: 'REJECTED',
  BAD_REQUEST: 'REJECTED',
  INVALID_REQUEST: 'REJECTED',
  CONFLICT: 'REJECTED',
  DEVICE_OFFLINE: 'REJECTED',
  NOT_EDITABLE: 'REJECTED',
  COMMAND_FAILED: 'REJECTED',
  INTERNAL_ERROR: 'SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVER_ERROR',
  GATEWAY_TIMEOUT: 'TIMEOUT',
  DEVICE_TIMEOUT: 'TIMEOUT',
};

/** What to check, per code, appended to the API's own message. */
const HINTS: Readonly<Record<ErrorCode, string>> = {
  BAD_INPUT: 'check the message sent to the node.',
  AUTH_FAILED: 'check the client id and secret, the client authentication setting and the scope.',
  NOT_FOUND: 'check the device, command or setting id (pick it again from the list).',
  RATE_LIMITED: 'too many requests; wait before sending more.',
  TIMEOUT: 'the API or the device did not answer in time.',
  UNREACHABLE: 'check the base URL and the network.',
  BAD_RESPONSE: 'the API sent a reply this node does not understand.',
  SERVER_ERROR: 'the HeatingControl service failed; try again later.',
  REJECTED: 'the API refused the request; check the values sent.',
};

/** The red status's words when the API gave no code of its own. */
const STATUS_WORDS: Readonly<Record<ErrorCode, string>> = {
  BAD_INPUT: 'bad input',
  AUTH_FAILED: 'refused',
  NOT_FOUND: 'not found',
  RATE_LIMITED: 'too many requests',
  TIMEOUT: 'timed out',
  UNREACHABLE: 'unreachable',
  BAD_RESPONSE: 'bad reply',
  SERVER_ERROR: 'server failed',
  REJECTED: 'rejected',
};

const BY_STATUS: ReadonlyArray<[(status: number) => boolean, ErrorCode]> = [
  [(s) => s === 401 || s === 403, 'AUTH_FAILED'],
  [(s) => s === 404 || s === 410, 'NOT_FOUND'],
  [(s) => s === 429, 'RATE_LIMITED'],
  [(s) => s === 408 || s === 504, 'TIMEOUT'],
  [(s) => s >= 500, 'SERVER_ERROR'],
  [() => true, 'REJECTED'],
];

const OAUTH_ERROR = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export interface Envelope {
  code?: string;
  message?: string;
  requestId?: string;
  details?: unknown;
}

/** The envelope in a body, or undefined when the body is not one (HTML error page, empty...). */
export function parseEnvelope(reply: string | JsonText): Envelope | undefined {
  const parsed = tryParseJson(reply);
  if (!parsed || typeof parsed !== 'object') return undefined;
  const root = parsed as Record<string, unknown>;
  const err = root.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    return {
      code: str(e.code),
      message: str(e.message),
      requestId: str(e.requestId) ?? str(root.requestId),
      details: e.details,
    };
  }
  // RFC 6749 5.2: an OAuth error code is one word such as invalid_client. Another server's
  // {"error": "invalid or expired token"} is not this API's reply.
  if (typeof err === 'string' && OAUTH_ERROR.test(err)) return { code: err.toUpperCase(), message: str(root.error_description), requestId: str(root.requestId) };
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function codeFor(status: number, vendorCode: string | undefined): ErrorCode {
  const known = vendorCode ? VENDOR_CODES[vendorCode.toUpperCase()] : undefined;
  // The status decides for auth and throttling (renewal and Retry-After depend on it).
  if (status === 401 || status === 429) return status === 401 ? 'AUTH_FAILED' : 'RATE_LIMITED';
  return known ?? (BY_STATUS.find(([test]) => test(status))?.[1] as ErrorCode);
}

/**
 * A non-2xx reply as a GatewayError: the API's message (scrubbed by `redact`), its code as `vendorCode`,
 * its `requestId` kept on the error and named in the message (what support asks for).
 */
export function envelopeError(label: string, what: string, res: HttpResponse, redact: (t: string) => string): GatewayError {
  const env = parseEnvelope(res);
  const code = codeFor(res.statusCode, env?.code);
  const said = env?.message ? `: ${redact(env.message).slice(0, 300)}` : '';
  const vendor = env?.code ? ` ${env.code}` : '';
  const ref = env?.requestId ? `, request ${env.requestId}` : '';
  const message = `${label} answered HTTP ${res.statusCode}${vendor} to ${what}${said} (${HINTS[code]}${ref})`;
  return new GatewayError(code, message, {
    statusCode: res.statusCode,
    retryAfterMs: res.statusCode === 429 || res.statusCode === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined,
    requestId: env?.requestId,
    vendorCode: env?.code,
    statusText: `${env?.code ? env.code.toLowerCase().replace(/_/g, ' ') : STATUS_WORDS[code]} (HTTP ${res.statusCode})`,
  });
}

/** The StatusMapper for HttpClient.request. */
export function envelopeMapper(label: string, redact: (t: string) => string): (res: HttpResponse, req: HttpRequest) => GatewayError {
  return (res, req) => envelopeError(label, req.what ?? `${req.method ?? 'GET'} ${req.path.split('?')[0]}`, res, redact);
}
