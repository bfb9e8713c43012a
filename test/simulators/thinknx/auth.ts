/**
 * The simulator's side of the Integration Kit's authentication: Digest (RFC 7616 server role: nonces it
 * issued, nc replay check, stale nonces), Basic, and the query-string fallback. Independent of the
 * client's Digest code: both are checked against each other and against the RFC's own examples.
 */
import { createHash, randomBytes } from 'node:crypto';

export type SimAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256';

export interface DigestServerOptions {
  username: string;
  password: string;
  realm?: string;
  algorithm?: SimAlgorithm;
  /** The qop offered ('auth', 'auth-int', 'auth,auth-int'); '' for an RFC 2069 server without qop. */
  qop?: string;
  /** After this many requests a nonce goes stale (0: never). */
  nonceUses?: number;
}

export type Verdict = 'ok' | 'missing' | 'stale' | 'wrong' | 'replay';

interface NonceState {
  lastNc: number;
  uses: number;
  stale: boolean;
}

const HASH: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

function params(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-z0-9*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi;
  for (let m = re.exec(header); m; m = re.exec(header)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  return out;
}

export class DigestServer {
  readonly nonces = new Map<string, NonceState>();
  readonly opaque = randomBytes(8).toString('hex');
  /** Responses checked, by verdict (assertions use it). */
  readonly verdicts: Record<Verdict, number> = { ok: 0, missing: 0, stale: 0, wrong: 0, replay: 0 };

  constructor(private readonly o: DigestServerOptions) {}

  get realm(): string {
    return this.o.realm ?? 'Thinknx Integration Kit';
  }

  private h(text: string): string {
    const base = (this.o.algorithm ?? 'MD5').replace(/-sess$/, '');
    return createHash(HASH[base]!).update(text, 'utf8').digest('hex');
  }

  /** A WWW-Authenticate value with a new nonce. */
  challenge(stale = false): string {
    const nonce = randomBytes(12).toString('base64');
    this.nonces.set(nonce, { lastNc: 0, uses: 0, stale: false });
    const qop = this.o.qop ?? 'auth';
    return [
      `Digest realm="${this.realm}"`,
      qop ? `qop="${qop}"` : '',
      `algorithm=${this.o.algorithm ?? 'MD5'}`,
      `nonce="${nonce}"`,
      `opaque="${this.opaque}"`,
      stale ? 'stale=TRUE' : '',
    ].filter(Boolean).join(', ');
  }

  /** Every nonce issued so far goes stale (the next request with one gets 401 stale=true). */
  expireNonces(): void {
    for (const n of this.nonces.values()) n.stale = true;
  }

  verify(method: string, target: string, authorization: string | undefined, body = ''): Verdict {
    const v = this.check(method, target, authorization, body);
    this.verdicts[v]++;
    return v;
  }

  private check(method: string, target: string, authorization: string | undefined, body: string): Verdict {
    if (!authorization || !/^digest\s/i.test(authorization)) return 'missing';
    const p = params(authorization.replace(/^digest\s+/i, ''));
    const state = p.nonce ? this.nonces.get(p.nonce) : undefined;
    if (!state) return 'missing';
    const username = p['username*'] ? decodeURIComponent(p['username*'].replace(/^UTF-8''/i, '')) : p.username;
    const userOk = p.userhash === 'true' ? username === this.h(`${this.o.username}:${this.realm}`) : username === this.o.username;
    if (!userOk || p.realm !== this.realm || p.uri !== target || p.opaque !== this.opaque) return 'wrong';
    if ((p.algorithm ?? 'MD5').toUpperCase() !== (this.o.algorithm ?? 'MD5').toUpperCase()) return 'wrong';
    const offered = (this.o.qop ?? 'auth').split(',').map((q) => q.trim()).filter(Boolean);
    if (offered.length ? !offered.includes(p.qop ?? '') : p.qop !== undefined) return 'wrong';
    let ha1 = this.h(`${this.o.username}:${this.realm}:${this.o.password}`);
    if ((this.o.algorithm ?? '').endsWith('-sess')) ha1 = this.h(`${ha1}:${p.nonce}:${p.cnonce}`);
    const ha2 = this.h(p.qop === 'auth-int' ? `${method}:${target}:${this.h(body)}` : `${method}:${target}`);
    const expected = p.qop ? this.h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : this.h(`${ha1}:${p.nonce}:${ha2}`);
    if (p.response !== expected) return 'wrong';
    if (state.stale) return 'stale';
    if (p.qop) {
      if (!/^[0-9a-f]{8}$/i.test(p.nc ?? '')) return 'wrong';
      const nc = parseInt(p.nc!, 16);
      if (nc <= state.lastNc) return 'replay';
      state.lastNc = nc;
    }
    state.uses++;
    if (this.o.nonceUses && state.uses >= this.o.nonceUses) state.stale = true;
    return 'ok';
  }
}

export function basicOk(authorization: string | undefined, username: string, password: string): boolean {
  if (!authorization || !/^basic\s/i.test(authorization)) return false;
  return Buffer.from(authorization.replace(/^basic\s+/i, ''), 'base64').toString('utf8') === `${username}:${password}`;
}
