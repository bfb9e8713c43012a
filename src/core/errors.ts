import { escapeControls } from './text';

/**
 * The error every layer of this package throws. `code` is one of the contract's codes and is an OWN
 * enumerable property (Node-RED copies only own properties into the Catch node's msg.error).
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'AUTH_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'TIMEOUT',
  'UNREACHABLE',
  'BAD_RESPONSE',
  'SERVER_ERROR',
  'REJECTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GatewayErrorDetails {
  /** HTTP status, when the failure came from a response. */
  statusCode?: number;
  /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  /** A vendor's request id (HeatingControl keeps it on the error). */
  requestId?: string;
  /** The vendor's own error code or reason, as received. */
  vendorCode?: string;
  cause?: unknown;
}

export class GatewayError extends Error {
  code: ErrorCode;
  statusCode?: number;
  retryAfterMs?: number;
  requestId?: string;
  vendorCode?: string;

  /**
   * `message` may quote a msg property or a gateway's reply: its control characters (CR, LF, ESC...) are
   * escaped here, once for every error, so no such text can forge a line in a log.
   */
  constructor(code: ErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(escapeControls(String(message)), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GatewayError';
    // Own properties, assigned in the constructor: they survive Node-RED's copy into msg.error.
    this.code = code;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.requestId !== undefined) this.requestId = escapeControls(String(details.requestId));
    if (details.vendorCode !== undefined) this.vendorCode = escapeControls(String(details.vendorCode));
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

export function badInput(message: string): GatewayError {
  return new GatewayError('BAD_INPUT', message);
}

export function badResponse(message: string, cause?: unknown): GatewayError {
  return new GatewayError('BAD_RESPONSE', message, { cause });
}

/** Whatever was thrown, as a GatewayError (unknown failures become BAD_RESPONSE with their message). */
export function toGatewayError(err: unknown, fallback: ErrorCode = 'BAD_RESPONSE'): GatewayError {
  if (err instanceof GatewayError) return err;
  // The original error is not kept as `cause`: Node-RED copies `cause` into msg.error, and a
  // third-party error may carry a URL or header we have not scrubbed.
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError(fallback, message);
}
