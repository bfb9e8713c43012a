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
  /**
   * A few words of why for the node's red status, next to the code ("Smile ID refused"). Without it the
   * status takes the first words of the message (statusWords).
   */
  statusText?: string;
  cause?: unknown;
}

/**
 * The sentence is what a user reads first: `name` is the plain "Error" (the debug sidebar shows it before
 * the message) and toString() is the message alone, so the Catch node's `msg.error.message` and the log
 * line (Node-RED builds both with toString()) read as the sentence, not "GatewayError: ...".
 */
export class GatewayError extends Error {
  code: ErrorCode;
  statusCode?: number;
  retryAfterMs?: number;
  requestId?: string;
  vendorCode?: string;
  statusText?: string;

  /**
   * `message` may quote a msg property or a gateway's reply: its control characters (CR, LF, ESC...) are
   * escaped here, once for every error, so no such text can forge a line in a log.
   */
  constructor(code: ErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(escapeControls(String(message)), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'Error';
    // Own properties, assigned in the constructor: they survive Node-RED's copy into msg.error.
    this.code = code;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.requestId !== undefined) this.requestId = escapeControls(String(details.requestId));
    if (details.vendorCode !== undefined) this.vendorCode = escapeControls(String(details.vendorCode));
    if (details.statusText !== undefined) this.statusText = escapeControls(String(details.statusText));
  }

  override toString(): string {
    return this.message;
  }
}

/** How long the words after the code in a red status may be (the status stays readable under a node). */
export const STATUS_WORDS_MAX = 40;

/**
 * A few words of why for a red status: the error's own statusText, else the message's first clause (up to
 * the first ": ", "; ", " (", ". " or ", not "), cut at a word boundary to STATUS_WORDS_MAX characters with "…".
 */
export function statusWords(err: GatewayError): string {
  const text = (err.statusText ?? err.message.split(/: |; | \(|\. |, not /)[0] ?? '').replace(/\.$/, '').trim();
  return clip(text, STATUS_WORDS_MAX);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.:;]+$/, '')}…`;
}

const PERMANENT = new WeakSet<GatewayError>();

/** Marks a failure that trying again cannot change (https:// to a plain-HTTP port): it is not retried. */
export function permanent<E extends GatewayError>(err: E): E {
  PERMANENT.add(err);
  return err;
}

export function isPermanent(err: GatewayError): boolean {
  return PERMANENT.has(err);
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** `statusText`: the few words of why the red status shows, when the message's first clause is not them. */
export function badInput(message: string, statusText?: string): GatewayError {
  return new GatewayError('BAD_INPUT', message, { statusText });
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
