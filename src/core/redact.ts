/**
 * Removes secrets from any text that may reach a log, a status, an error or a msg.
 * A secret is hidden in its plain, URL-encoded and Base64 forms, and Basic/Bearer/Digest
 * authorization values and password-like query parameters are hidden whatever they hold.
 */
export const REDACTED = '***';

const MIN_SECRET_LENGTH = 3;
const AUTH_HEADER = /\b(Basic|Bearer|Digest)\s+[^\s,"']+/gi;
const SECRET_QUERY = /([?&](?:pass|password|key|token|secret|client_secret|access_token|refresh_token)=)[^&#\s"']*/gi;

export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text.replace(AUTH_HEADER, `$1 ${REDACTED}`).replace(SECRET_QUERY, `$1${REDACTED}`);
  const forms: string[] = [];
  for (const s of secrets) if (s) forms.push(...secretForms(s));
  // Longest first, so a secret that contains another is removed whole.
  forms.sort((a, b) => b.length - a.length);
  for (const f of forms) out = out.split(f).join(REDACTED);
  return out;
}

/** Redacts an Error in place (message and stack), so whatever logs it later sees no secret. */
export function redactError<E extends Error>(err: E, secrets: Iterable<string | undefined>): E {
  const list = [...secrets];
  err.message = redact(err.message, list);
  if (err.stack) err.stack = redact(err.stack, list);
  return err;
}
