/**
 * Removes secrets from any text that may reach a log, a status, an error or a msg.
 * A secret is hidden in its plain, URL-encoded and Base64 forms; Basic/Bearer/Digest credentials and
 * password-like query parameters are hidden whatever they hold. Prose that merely names a scheme
 * ("use digest or basic") is left as it is.
 */
export const REDACTED = '***';

const MIN_SECRET_LENGTH = 3;
const SECRET_QUERY = /([?&](?:pass|password|key|token|secret|client_secret|access_token|refresh_token)=)[^&#\s"']*/gi;

/** A scheme name followed by blanks: what follows may be a credential. */
const SCHEME = /\b(basic|bearer|digest)[ \t]+/gi;
/** The text just before a scheme says it is an Authorization header's value (`authorization: `, `"authorization":"`). */
const HEADER_BEFORE = /authorization["']?[ \t]*[:=][ \t]*["']?[ \t]*$/i;
/** One token after the scheme (a Basic or Bearer credential is one). */
const TOKEN = /[^\s,"']+/y;
/** Digest parameters `name=value` or `name="value"`, comma separated. */
const PARAMS = /[\w-]+[ \t]*=[ \t]*(?:"(?:[^"\\]|\\.)*"|[^\s,"]*)(?:[ \t]*,[ \t]*[\w-]+[ \t]*=[ \t]*(?:"(?:[^"\\]|\\.)*"|[^\s,"]*))*/y;
/** The parameters of a Digest credential (a challenge has neither: it holds nothing secret). */
const DIGEST_CREDENTIAL = /(?:^|[\s,])(?:username|response)[ \t]*=/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Basic credentials are Base64 of `user-id:password` (RFC 7617): a word decodes to no colon. A value ending
 * in padding is taken as Base64 too.
 */
function isBasicCredential(token: string): boolean {
  if (token.length < 4 || !BASE64.test(token)) return false;
  return token.endsWith('=') || Buffer.from(token, 'base64').includes(0x3a);
}

/**
 * Bearer tokens (RFC 6750 b64token) are random: they hold a digit or one of `-._~+/=`, or mix cases after
 * their first letter; a word ("token", "authentication", "Token.") does neither.
 */
function isBearerCredential(token: string): boolean {
  const t = token.replace(/\.+$/, '');
  if (t.length < 8 || !B64TOKEN.test(t)) return false;
  return /[0-9\-._~+/=]/.test(t) || (/[A-Z]/.test(t.slice(1)) && /[a-z]/.test(t));
}

/** Where the credential that starts at `from` ends (`from` itself: no credential there). */
function credentialEnd(text: string, scheme: string, from: number, header: boolean): number {
  if (scheme === 'digest') {
    PARAMS.lastIndex = from;
    const params = PARAMS.exec(text);
    if (params && (header || DIGEST_CREDENTIAL.test(params[0]))) return from + params[0].length;
    if (!header) return from;
  }
  TOKEN.lastIndex = from;
  const token = TOKEN.exec(text)?.[0];
  if (!token) return from;
  if (header) return from + token.length;
  // `realm="x"`: an auth-param of a challenge, not a credential (a token68 is never followed by a quote).
  if (text.charCodeAt(from + token.length) === 0x22) return from;
  if (scheme === 'basic' ? isBasicCredential(token) : scheme === 'bearer' && isBearerCredential(token)) return from + token.length;
  return from;
}

/** Hides Basic, Bearer and Digest credentials: always in an Authorization header's value, elsewhere when they look like one. */
function redactCredentials(text: string): string {
  SCHEME.lastIndex = 0;
  let out = '';
  let copied = 0;
  for (let m = SCHEME.exec(text); m; m = SCHEME.exec(text)) {
    const from = m.index + m[0].length;
    const header = HEADER_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index));
    const end = credentialEnd(text, (m[1] ?? '').toLowerCase(), from, header);
    if (end === from) continue;
    out += text.slice(copied, from) + REDACTED;
    copied = end;
    SCHEME.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = redactCredentials(text).replace(SECRET_QUERY, `$1${REDACTED}`);
  const forms: string[] = [];
  for (const s of secrets) if (s) forms.push(...secretForms(s));
  // Longest first, so a secret that contains another is removed whole.
  forms.sort((a, b) => b.length - a.length);
  for (const f of forms) out = out.split(f).join(REDACTED);
  return out;
}

/** Properties that are ours, never a peer's text: `code` must stay one of the contract's codes. */
const OWN_FIELDS = new Set(['code', 'name']);

/**
 * Redacts an Error in place: every string it carries (message, stack, and any own property such as a
 * vendor's request id), and its `cause` chain the same way, so whatever logs or copies it sees no secret.
 */
export function redactError<E extends Error>(err: E, secrets: Iterable<string | undefined>): E {
  const list = [...secrets];
  scrubStrings(err, (text) => redact(text, list), new Set(), 0);
  return err;
}

function scrubStrings(target: object, scrub: (text: string) => string, seen: Set<object>, depth: number): void {
  if (seen.has(target) || depth > 4) return;
  seen.add(target);
  for (const key of Object.getOwnPropertyNames(target)) {
    if (OWN_FIELDS.has(key)) continue;
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (!d || !('value' in d)) continue; // a getter is left alone: reading it could run anything
    const v: unknown = d.value;
    if (typeof v === 'string') {
      const clean = scrub(v);
      if (clean !== v && d.writable) (target as Record<string, unknown>)[key] = clean;
      else if (clean !== v && d.configurable) Object.defineProperty(target, key, { ...d, value: clean });
    } else if (v !== null && typeof v === 'object') {
      scrubStrings(v, scrub, seen, depth + 1);
    }
  }
}
