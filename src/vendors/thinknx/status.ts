/**
 * system/serverStatus, normalised: uptimes "X days X hours X min" -> seconds, config_time
 * "hh:mm:ss YYYY-MM-DD" (the server's clock, read as local time) -> ms since the epoch, pbx_users
 * "a,b" -> ["a", "b"]. Fields the server adds are kept, camelCased.
 */

export interface ServerStatus {
  version: string | null;
  processUptime: number | null;
  serverUptime: number | null;
  configTime: number | null;
  connectedClients: number | null;
  pbxUsers: string[];
  [extra: string]: unknown;
}

const UNIT_SECONDS: ReadonlyArray<[RegExp, number]> = [
  [/^(d|days?)$/, 86_400],
  [/^(h|hrs?|hours?)$/, 3_600],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(s|secs?|seconds?)$/, 1],
];

/** "2 days 3 hours 15 min" -> 184500; a bare number is seconds; null when unreadable. */
export function parseUptime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let rest = text;
  const part = /^(\d+)\s*([a-z]+)[\s,]*/;
  for (let m = part.exec(rest); m; m = part.exec(rest)) {
    const unit = UNIT_SECONDS.find(([re]) => re.test(m![2]!));
    if (!unit) return null;
    total += Number(m[1]) * unit[1];
    rest = rest.slice(m[0].length);
  }
  return rest === '' && text !== '' ? total : null;
}

/** "14:03:27 2024-05-12" (or "2024-05-12 14:03:27") -> ms since the epoch, local time; null when unreadable. */
export function parseConfigTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  const m = /^(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})-(\d{2})-(\d{2})$/.exec(t) ?? reorder(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})$/.exec(t));
  if (!m) return null;
  const [hh, mi, ss, yyyy, mo, dd] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(yyyy, mo - 1, dd, hh, mi, ss);
  if (date.getMonth() !== mo - 1 || date.getDate() !== dd || hh > 23 || mi > 59 || ss > 59) return null;
  return date.getTime();
}

function reorder(m: RegExpExecArray | null): string[] | null {
  return m ? [m[0], m[4]!, m[5]!, m[6]!, m[1]!, m[2]!, m[3]!] : null;
}

export function parsePbxUsers(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== '');
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') return [];
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

export function camelCase(key: string): string {
  // The lookbehind starts a match only at the first of a run of separators: linear on a long run.
  return key.replace(/(?<![_-])[_-]+([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
}

/** The object with its own keys camelCased (one level: replies are flat). */
export function camelKeys(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[camelCase(k)] = v;
  return out;
}

const KNOWN = new Set(['namespace', 'version', 'process_uptime', 'server_uptime', 'config_time', 'connected_clients', 'pbx_users']);

export function parseServerStatus(body: Record<string, unknown>): ServerStatus {
  const c = body.connected_clients;
  const clients = typeof c === 'number' ? c : typeof c === 'string' && /^\s*\d+\s*$/.test(c) ? Number(c) : NaN;
  const out: ServerStatus = {
    version: body.version === undefined || body.version === null ? null : String(body.version),
    processUptime: parseUptime(body.process_uptime),
    serverUptime: parseUptime(body.server_uptime),
    configTime: parseConfigTime(body.config_time),
    connectedClients: Number.isFinite(clients) ? clients : null,
    pbxUsers: parsePbxUsers(body.pbx_users),
  };
  for (const [k, v] of Object.entries(body)) if (!KNOWN.has(k)) out[camelCase(k)] = v;
  return out;
}
