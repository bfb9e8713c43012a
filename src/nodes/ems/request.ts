import { badInput } from '../../core/errors';
import { StoredSettings, numberProblem, storedNumber, type Misconfigured } from '../../core/settings';
import { DEFAULT_MAX_RECORDS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type EmsQuery } from '../../vendors/ems/client';
import { OPERATIONS, PROTOCOLS, SCOPES, type Operation, type Scope } from '../../vendors/ems/routes';
import { parseRange, resolveWindow } from '../../vendors/ems/time';
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
  /** Stored values outside their options: every msg is BAD_INPUT. */
  misconfigured?: Misconfigured;
}

const OUTPUTS: readonly OutputMode[] = ['single', 'pages'];

export function historyConfig(def: EmsHistoryDef): HistoryConfig {
  const stored = new StoredSettings(def);
  const cfg: HistoryConfig = {
    operation: stored.choice('operation', OPERATIONS, 'history'),
    scope: stored.choice('scope', SCOPES, 'all'),
    uid: stored.parsed('uid', (v) => wholeNumber(v, 'The uid', 1), undefined),
    uids: stored.parsed('uids', (v) => parseUids(v, 'uids'), undefined),
    range: stored.parsed('range', (v) => (parseRange(v), v), '24h'),
    pageSize: stored.number('pageSize', DEFAULT_PAGE_SIZE, PAGE_SIZE),
    maxRecords: stored.number('maxRecords', DEFAULT_MAX_RECORDS, MAX_RECORDS),
    output: stored.choice('output', OUTPUTS, 'single'),
  };
  const misconfigured = stored.misconfigured('This ems-history node');
  if (misconfigured) cfg.misconfigured = misconfigured;
  return cfg;
}

const PAGE_SIZE = { integer: true, min: 1, max: MAX_PAGE_SIZE };
const MAX_RECORDS = { integer: true, min: 0 };

function oneOf<T extends string>(value: unknown, list: readonly T[], name: string): T {
  if (typeof value === 'string' && (list as readonly string[]).includes(value)) return value as T;
  throw badInput(`${name} must be one of ${list.join(', ')}, not ${describe(value)}.`);
}

/**
 * A whole number given as a number or as decimal digits: "0x10", "1e3", "16abc" or 2^53 are not the
 * number a user typed, and are BAD_INPUT rather than sent as something else.
 */
function wholeNumber(value: unknown, name: string, min: number, max?: number): number {
  const n = storedNumber(value);
  if (numberProblem(n, { integer: true, min, max }) !== undefined) {
    throw badInput(`${name} must be a whole number (decimal digits) of at least ${min}${max === undefined ? '' : ` and at most ${max}`}, not ${describe(value)}.`);
  }
  return n;
}

/** The most uids one filter takes (each is up to ~8 characters in the query string). */
export const MAX_UIDS = 1000;

/** "100, 101,102", [100, "101"] -> [100, 101, 102]. An empty item ("3,,4", "3,") is BAD_INPUT. */
export function parseUids(value: unknown, name = 'msg.uids'): number[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : typeof value === 'number' ? [value] : undefined;
  if (!parts) throw badInput(`${name} must be a comma-separated list or an array of uids, not ${describe(value)}.`);
  // The list travels in the URL: past this it would outgrow what a gateway's web server accepts (~8 KB).
  if (parts.length > MAX_UIDS) throw badInput(`${name} lists ${parts.length} uids: at most ${MAX_UIDS} fit in one request; split the read.`);
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && p.trim() === '') throw badInput(`${name} has an empty item (${describe(value)}): list uids like 100,101,102.`);
    out.push(wholeNumber(p, 'Every uid in uids', 1));
  }
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
  const pageSize = wholeNumber(override(msg, 'pageSize', cfg.pageSize), 'The page size', PAGE_SIZE.min, PAGE_SIZE.max);
  const maxRecords = wholeNumber(override(msg, 'maxRecords', cfg.maxRecords), 'maxRecords', MAX_RECORDS.min);
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
