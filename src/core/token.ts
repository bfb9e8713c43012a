import { tryParseJson } from './json';

export interface Token {
  value: string;
  /** ms epoch when the token stops being valid. */
  expiresAt: number;
  /** Anything the issuer needs to renew it (an OAuth refresh token, say). Held in memory only. */
  refresh?: string;
}

export interface TokenCacheOptions {
  /** Obtains a new token. `previous` is the token being replaced, if any (for refresh grants). */
  obtain: (previous: Token | undefined, signal: AbortSignal) => Promise<Token>;
  /** Renew this long before expiry, ms (default 60 s). */
  marginMs?: number;
  now?: () => number;
}

/**
 * Holds one token in memory and renews it before it expires. However many callers ask at once,
 * one renewal is in flight; `invalidate` (after a 401) makes the next `get` renew.
 */
export class TokenCache {
  /** How many times a token was obtained (tests and benchmarks read it). */
  renewals = 0;
  private current: Token | undefined;
  private pending: Promise<Token> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: TokenCacheOptions) {}

  /** A valid token, renewed first when it is missing or about to expire. */
  async get(): Promise<string> {
    return this.valid() ?? (await this.renew()).value;
  }

  /** The token held, if it is valid for a while yet (no wait: callers on a hot path try this first). */
  valid(): string | undefined {
    const now = (this.options.now ?? Date.now)();
    const margin = this.options.marginMs ?? 60_000;
    return this.current && this.current.expiresAt - margin > now ? this.current.value : undefined;
  }

  /** Forgets `value` if it is still the current token (a 401 proved it dead). */
  invalidate(value?: string): void {
    if (!this.current) return;
    if (value === undefined || this.current.value === value) this.current = undefined;
  }

  /** Every secret held (for redaction). */
  secrets(): string[] {
    return this.current ? [this.current.value, this.current.refresh ?? ''].filter(Boolean) : [];
  }

  clear(): void {
    this.stopping.abort();
    this.current = undefined;
  }

  private renew(): Promise<Token> {
    if (this.pending) return this.pending;
    const previous = this.current;
    this.pending = this.options
      .obtain(previous, this.stopping.signal)
      .then((token) => {
        this.renewals++;
        if (!this.stopping.signal.aborted) this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

/** The `exp` claim of a JWT as ms epoch, or undefined when it has none or is not a JWT. */
export function jwtExpiry(jwt: string): number | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  const claims = tryParseJson(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown } | null | undefined;
  const exp = claims?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
