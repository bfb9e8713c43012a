import { badInput } from '../../core/errors';
import { DEFAULT_MAX_RECORDS, DEFAULT_PAGE_SIZE, type EmsQuery } from '../../vendors/ems/client';
import { OPERATIONS, PROTOCOLS, SCOPES, type Operation, type Scope } from '../../vendors/ems/routes';
import { resolveWindow } from '../../vendors/ems/time';
import { describe, override } from '../common/overrides';
import type { NodeDef, NodeMessage } from '../common/red';

export type OutputMode = 'single' | 'pages';

export interface EmsHistoryDef extends NodeDef {
  server?: string;
  operation?: string;
  scope?: string;
  uid?: string | number;
  uids?: string;
  range?: string;
  pageSize?: string | number;
  maxRecords?: string | number;
  output?: string;
}

/** The node's settings as deployed (checked again, with the msg's overrides, on every input). */
export interface HistoryConfig {
  operation: unknown;
  scope: unknown;
  uid: unknown;
  uids: unknown;
  range: unknown;
  pageSize: unknown;
  maxRecords: unknown;
  output: OutputMode;
}

export function historyConfig(def: EmsHistoryDef): HistoryConfig {
  const blank = (v: unknown): unknown => (v === '' || v === null ? undefined : v);
  return {
    operation: blank(def.operation) ?? 'history',
    scope: blank(def.scope) ?? 'all',
    uid: blank(def.uid),
    uids: blank(def.uids),
    range: blank(def.range) ?? '24h',
    pageSize: blank(def.pageSize) ?? DEFAULT_PAGE_SIZE,
    maxRecords: blank(def.maxRecords) ?? DEFAULT_MAX_RECORDS,
    output: def.output === 'pages' ? 'pages' : 'single',
  };
}

function oneOf<T extends string>(value: unknown, list: readonly T[], name: string): T {
  if (typeof value === 'string' && (list as readonly string[]).includes(value)) return value as T;
  throw badInput(`${name} must be one of ${list.join(', ')}, not ${describe(value)}.`);
}

function wholeNumber(value: unknown, name: string, min: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  // A safe integer: beyond 2^53 the number is not the one typed, and 1e21 would be sent as "1e+21".
  if (!Number.isSafeInteger(n) || n < min) throw badInput(`${name} must be a whole number of at least ${min}, not ${describe(value)}.`);
  return n;
}

/** The most uids one filter takes (each is up to ~8 characters in the query string). */
export const MAX_UIDS = 1000;

/** "100, 101,102", [100, "101"] -> [100, 101, 102]. */
export function parseUids(value: unknown): number[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : typeof value === 'number' ? [value] : undefined;
  if (!parts) throw badInput(`msg.uids must be a comma-separated list or an array of uids, not ${describe(value)}.`);
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && p.trim() === '') continue;
    out.push(wholeNumber(typeof p === 'string' ? p.trim() : p, 'Every uid in uids', 1));
  }
  // The list travels in the URL: past this it would outgrow what a gateway's web server accepts (~8 KB).
  if (out.length > MAX_UIDS) throw badInput(`msg.uids lists ${out.length} uids: at most ${MAX_UIDS} fit in one request; split the read.`);
  return out.length ? out : undefined;
}

export interface HistoryRequest {
  query: EmsQuery;
  output: OutputMode;
  /** History only: the window asked for, ms. */
  window?: { start: number; end: number };
  topic: string;
}

/** The request of one input: the node's settings with the msg's overrides, all checked (BAD_INPUT). */
export function historyRequest(msg: NodeMessage, cfg: HistoryConfig, now: number): HistoryRequest {
  const operation: Operation = oneOf(override(msg, 'operation', cfg.operation), OPERATIONS, 'The operation');
  const scope: Scope = oneOf(override(msg, 'scope', cfg.scope), SCOPES, 'The scope');
  const rawUid = override(msg, 'uid', cfg.uid);
  const uid = scope === 'all' || rawUid === undefined ? undefined : wholeNumber(rawUid, 'The uid', 1);
  const uids = parseUids(override(msg, 'uids', cfg.uids));
  const protocolIn = override(msg, 'protocol', undefined);
  const protocol = protocolIn === undefined ? undefined : oneOf(protocolIn, PROTOCOLS, 'msg.protocol');
  const pageSize = wholeNumber(override(msg, 'pageSize', cfg.pageSize), 'The page size', 1);
  const maxRecords = wholeNumber(override(msg, 'maxRecords', cfg.maxRecords), 'maxRecords', 0);
  const range = override(msg, 'range', cfg.range);
  const window = operation === 'history' ? resolveWindow({ start: msg.start, end: msg.end, range }, now) : undefined;
  const topic = `ems/${operation}${uid === undefined ? '' : `/${scope}/${uid}`}`;
  return {
    query: { operation, scope, uid, uids, protocol, start: window?.start, end: window?.end, pageSize, maxRecords },
    output: cfg.output,
    window,
    topic,
  };
}
