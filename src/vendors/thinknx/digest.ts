/**
 * HTTP Digest access authentication (RFC 7616, and RFC 2069 servers without qop): challenges parsed
 * from WWW-Authenticate, the algorithm (MD5, SHA-256, SHA-512-256 and their -sess variants) and qop
 * (auth, auth-int) taken from the challenge, one nonce reused with a counting nc.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Challenge {
  scheme: string;
  /** Parameter names in lower case, values unquoted. `token68` holds a token68 form. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68_AHEAD = /[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)/y;

/** Every challenge of one or more WWW-Authenticate headers, in the server's order. */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const s of Array.isArray(header) ? header : header ? [header] : []) {
    let i = 0;
    let current: Challenge | undefined;
    while (i < s.length) {
      while (i < s.length && /[\s,]/.test(s[i]!)) i++;
      TOKEN.lastIndex = i;
      const tok = TOKEN.exec(s);
      if (!tok) {
        i++;
        continue;
      }
      i = TOKEN.lastIndex;
      let j = i;
      while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
      if (current && s[j] === '=') {
        i = j + 1;
        while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
        let value = '';
        if (s[i] === '"') {
          for (i++; i < s.length && s[i] !== '"'; i++) value += s[i] === '\\' && i + 1 < s.length ? s[++i] : s[i];
          i++;
        } else {
          const start = i;
          while (i < s.length && !/[\s,]/.test(s[i]!)) i++;
          value = s.slice(start, i);
        }
        current.params[tok[0].toLowerCase()] = value;
        continue;
      }
      current = { scheme: tok[0], params: {} };
      out.push(current);
      TOKEN68_AHEAD.lastIndex = i;
      const t68 = TOKEN68_AHEAD.exec(s);
      if (t68 && !/^[^=]+=[^=]/.test(t68[1]!)) {
        current.params.token68 = t68[1]!;
        i = TOKEN68_AHEAD.lastIndex;
      }
    }
  }
  return out;
}

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** As the server named it, upper case (e.g. "SHA-256-SESS" -> "SHA-256-sess"). */
  algorithm: string;
  hash: string;
  sess: boolean;
  qop?: 'auth' | 'auth-int';
  stale: boolean;
  userhash: boolean;
}

/** The Digest challenge of a 401 to answer: the first one whose algorithm and qop this client supports. */
export function pickDigest(challenges: Challenge[]): DigestChallenge | undefined {
  for (const c of challenges) {
    if (c.scheme.toLowerCase() !== 'digest' || !c.params.nonce) continue;
    const raw = (c.params.algorithm ?? 'MD5').trim().toUpperCase();
    const sess = raw.endsWith('-SESS');
    const base = sess ? raw.slice(0, -5) : raw;
    const hash = HASHES[base];
    if (!hash) continue;
    let qop: DigestChallenge['qop'];
    if (c.params.qop !== undefined) {
      const offered = c.params.qop.split(',').map((q) => q.trim().toLowerCase());
      qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
      if (!qop) continue;
    }
    return {
      realm: c.params.realm ?? '',
      nonce: c.params.nonce,
      opaque: c.params.opaque,
      algorithm: sess ? `${base}-sess` : base,
      hash,
      sess,
      qop,
      stale: (c.params.stale ?? '').toLowerCase() === 'true',
      userhash: (c.params.userhash ?? '').toLowerCase() === 'true',
    };
  }
  return undefined;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * One nonce's worth of requests: each `authorize()` counts nc up (00000001, 00000002, ...). For the
 * -sess algorithms the session key and its cnonce are fixed at the first request (RFC 7616 3.4.2).
 */
export class DigestSession {
  /** Requests authorised with this nonce so far. */
  nc = 0;
  private sessionCnonce: string | undefined;
  private sessionKey: string | undefined;

  constructor(
    readonly challenge: DigestChallenge,
    private readonly username: string,
    private readonly password: string,
    private readonly newCnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  private h(text: string): string {
    return createHash(this.challenge.hash).update(text, 'utf8').digest('hex');
  }

  /** The Authorization header for one request (`uri` is the request-target exactly as sent). */
  authorize(method: string, uri: string, body = ''): string {
    const c = this.challenge;
    this.nc++;
    const nc = this.nc.toString(16).padStart(8, '0');
    let cnonce: string;
    let ha1: string;
    if (c.sess) {
      this.sessionCnonce ??= this.newCnonce();
      cnonce = this.sessionCnonce;
      this.sessionKey ??= this.h(`${this.h(`${this.username}:${c.realm}:${this.password}`)}:${c.nonce}:${cnonce}`);
      ha1 = this.sessionKey;
    } else {
      cnonce = this.newCnonce();
      ha1 = this.h(`${this.username}:${c.realm}:${this.password}`);
    }
    const ha2 = this.h(c.qop === 'auth-int' ? `${method}:${uri}:${this.h(body)}` : `${method}:${uri}`);
    const response = c.qop ? this.h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${c.qop}:${ha2}`) : this.h(`${ha1}:${c.nonce}:${ha2}`);
    const parts: string[] = [];
    if (c.userhash) parts.push(`username=${quote(this.h(`${this.username}:${c.realm}`))}`);
    // eslint-disable-next-line no-control-regex
    else if (/[^\x20-\x7e]/.test(this.username)) parts.push(`username*=UTF-8''${encodeURIComponent(this.username)}`);
    else parts.push(`username=${quote(this.username)}`);
    parts.push(`realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `uri=${quote(uri)}`, `algorithm=${c.algorithm}`, `response=${quote(response)}`);
    if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
    if (c.qop) parts.push(`qop=${c.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    if (c.userhash) parts.push('userhash=true');
    return `Digest ${parts.join(', ')}`;
  }
}
