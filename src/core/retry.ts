import { GatewayError, isPermanent } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff in ms; doubled each time, with jitter. */
  baseDelayMs: number;
  /** No single wait is longer than this; a Retry-After above it fails at once. */
  maxDelayMs: number;
}

export const DEFAULT_READ_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };
export const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

const RETRYABLE = new Set(['TIMEOUT', 'UNREACHABLE', 'SERVER_ERROR', 'RATE_LIMITED']);

/** Parses Retry-After (seconds or an HTTP date) into ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before attempt `attempt` (1 = first retry), or undefined when the error is not to be retried. */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy, random = Math.random): number | undefined {
  if (!(err instanceof GatewayError) || !RETRYABLE.has(err.code) || isPermanent(err)) return undefined;
  if (attempt >= policy.attempts) return undefined;
  if (err.retryAfterMs !== undefined) {
    return err.retryAfterMs <= policy.maxDelayMs ? err.retryAfterMs : undefined;
  }
  const exp = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(policy.maxDelayMs, Math.round(exp * (0.75 + random() * 0.5)));
}

/** Resolves after ms, or rejects at once when the signal aborts (the timer is cleared). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new GatewayError('UNREACHABLE', 'The request was cancelled.');
}

/** Runs `fn` until it succeeds or the policy says stop; `onRetry` hears each wait. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (err: unknown, delayMs: number, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const delay = retryDelay(err, attempt, policy);
      if (delay === undefined || signal?.aborted) throw err;
      onRetry?.(err, delay, attempt);
      await sleep(delay, signal);
    }
  }
}
