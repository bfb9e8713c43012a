/**
 * Where a Thinknx server is and how it is authenticated, from the config node's settings. Every problem
 * is a BAD_INPUT raised before anything is sent, and no message ever holds the password or the key.
 */
import { badInput } from '../../core/errors';
import { StoredSettings, storedSettingsError } from '../../core/settings';

export type ThinknxMode = 'local' | 'cloud';
export type ThinknxAuth = 'digest' | 'basic' | 'query';

export const THINKNX_DEFAULT_PORT = 5051;
export const THINKNX_CLOUD_URL = 'https://data.thinknx.eu';
export const AUTH_MODES: readonly ThinknxAuth[] = ['digest', 'basic', 'query'];
export const MODES: readonly ThinknxMode[] = ['local', 'cloud'];

export interface ThinknxSettings {
  mode: ThinknxMode;
  host: string;
  port: number;
  tls: boolean;
  auth: ThinknxAuth;
  cloudUrl: string;
  timeoutSec: number;
  allowSelfSigned: boolean;
  /** Stored values outside their options (a hand-edited or imported flow), as one sentence: no client then. */
  problem?: string;
}

export interface ThinknxCredentials {
  username?: string;
  password?: string;
  key?: string;
}

export interface Endpoint {
  /** Base URL (cloud: the key is its last path segment). */
  baseUrl: string;
  /** How the server is named in messages: never a secret. */
  label: string;
  mode: ThinknxMode;
  auth: ThinknxAuth | 'key';
}

/**
 * The config node's properties, normalised. A stored value outside its options (mode "lan", auth
 * "frobnicate", port "abc") is collected in `problem`, and `endpoint()` refuses it.
 */
export function thinknxSettings(def: Record<string, unknown>): ThinknxSettings {
  const stored = new StoredSettings(def);
  return stored.finish<ThinknxSettings>({
    mode: stored.choice('mode', MODES, 'local'),
    host: String(def.host ?? '').trim(),
    port: stored.number('port', THINKNX_DEFAULT_PORT, { integer: true, min: 1, max: 65535 }),
    tls: stored.boolean('tls', false),
    auth: stored.choice('auth', AUTH_MODES, 'digest'),
    cloudUrl: String(def.cloudUrl ?? '').trim() || THINKNX_CLOUD_URL,
    timeoutSec: stored.number('timeout', 10, { positive: true }),
    allowSelfSigned: stored.boolean('allowSelfSigned', false),
  });
}

const KEY = /^[A-Za-z0-9_-]{4,256}$/;

/** Checks the settings and credentials; the base URL and label to use. */
export function endpoint(s: ThinknxSettings, creds: ThinknxCredentials): Endpoint {
  if (s.problem) throw storedSettingsError('The Thinknx server', s.problem);
  if (s.mode === 'cloud') {
    let url: URL;
    try {
      url = new URL(s.cloudUrl);
    } catch {
      throw badInput('The cloud URL is not a URL: use https://data.thinknx.eu, or the address of an on-premise cloud.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('The cloud URL must start with https:// (or http:// for an on-premise cloud).');
    if (url.search || url.hash || url.username || url.password) throw badInput('The cloud URL must not hold a query, fragment or user: give only https://host[:port][/path].');
    const key = creds.key?.trim() ?? '';
    if (!key) throw badInput('Cloud mode needs the Integration Kit key: generate it under Server → Thinknx Cloud → Enable Integration Kit.');
    if (!KEY.test(key)) throw badInput('The Integration Kit key must be the alphanumeric code the server shows (no spaces or slashes): copy it again.');
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}/${key}`;
    return { baseUrl: base, label: `Thinknx cloud ${url.host}`, mode: 'cloud', auth: 'key' };
  }
  const host = s.host.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  if (!host) throw badInput('The Thinknx server has no host: enter its IP address or host name.');
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(host)) throw badInput(`"${host.slice(0, 40)}" is not a host name or IP address: enter only the address (the port has its own field).`);
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw badInput(`Port ${String(s.port)} is not a TCP port (1-65535); the Integration Kit listens on 5051.`);
  if (!AUTH_MODES.includes(s.auth)) throw badInput(`Authentication "${String(s.auth).slice(0, 20)}" is unknown: choose digest, basic or query.`);
  if (s.auth === 'query' && s.tls) throw badInput('Query-string authentication works over plain HTTP only: turn TLS off, or use digest or basic.');
  if (!creds.username?.trim()) throw badInput('The Thinknx server needs a user name (a user with Integration Kit access on the server).');
  const label = `Thinknx ${host}${s.port === THINKNX_DEFAULT_PORT ? '' : `:${s.port}`}`;
  return { baseUrl: `${s.tls ? 'https' : 'http'}://${host}:${s.port}`, label, mode: 'local', auth: s.auth };
}
