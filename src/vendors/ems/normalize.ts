import { badResponse } from '../../core/errors';
import type { Operation } from './routes';
import { REPLY_KEY } from './routes';
import { keepMs, secondsToMs } from './time';

/** A record as the API sends it (uid-keyed maps flattened, the map key kept for records without `uid`). */
export type Raw = Record<string, unknown>;

export interface Point {
  time: number;
  value?: number;
  min?: number;
  max?: number;
  d?: number;
  periodTime?: number;
  [extra: string]: unknown;
}

export interface Series {
  uid: number;
  points: Point[];
}

export interface Keyed {
  uid: number;
  [field: string]: unknown;
}

/** What one page of an operation normalizes to: history gives series, the others uid-keyed records. */
export type PagePayload = Series[] | Keyed[];

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function uidOf(record: Raw, what: string): number {
  return toUid(record.uid, what);
}

function toUid(raw: unknown, what: string): number {
  const uid = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(uid)) throw badResponse(`The EMS gateway sent ${what} without a uid: this is not a reply the node can read.`);
  return uid;
}

/**
 * Calls `visit` with each record of a reply, whatever documented shape it has: a bare array,
 * `{<key>: {uid: record}}`, `{<key>: {uid: [records]}}`, `{<key>: [records]}`, or one bare record. The
 * uid given is the record's own, else its map key, else `fallbackUid`. Returns how many records there were.
 */
export function forEachRecord(body: unknown, key: string, what: string, fallbackUid: number | undefined, visit: (record: Raw, uid: unknown) => void): number {
  let n = 0;
  const take = (v: unknown, mapKey?: string): void => {
    if (!isObject(v)) throw badResponse(`The EMS gateway sent ${what} with an entry that is not an object: check the base URL and the route table.`);
    n++;
    visit(v, v.uid !== undefined ? v.uid : (mapKey ?? fallbackUid));
  };
  if (Array.isArray(body)) {
    for (const v of body) take(v);
    return n;
  }
  if (!isObject(body)) throw badResponse(`The EMS gateway answered ${what} with something that is not a JSON object: check the base URL.`);
  const inner = body[key];
  if (inner === undefined) {
    if (body.uid !== undefined || fallbackUid !== undefined) take(body);
    else if (Object.keys(body).length !== 0) throw badResponse(`The EMS gateway answered ${what} without "${key}": check the base URL and the route table.`);
    return n;
  }
  if (Array.isArray(inner)) {
    for (const v of inner) take(v);
  } else if (isObject(inner)) {
    for (const [k, v] of Object.entries(inner)) {
      if (Array.isArray(v)) for (const r of v) take(r, k);
      else take(v, k);
    }
  } else if (inner !== null) {
    throw badResponse(`The EMS gateway answered ${what} with "${key}" that is neither a list nor a map.`);
  }
  return n;
}

/** The records of a reply (see forEachRecord), each with its uid. */
export function extractRecords(body: unknown, key: string, what: string, fallbackUid?: number): Raw[] {
  const out: Raw[] = [];
  forEachRecord(body, key, what, fallbackUid, (v, uid) => out.push(uid !== undefined && v.uid === undefined ? { uid, ...v } : v));
  return out;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Copies the fields this package does not rename (unknown fields pass through). */
function copyRest(target: Raw, record: Raw, renamed: ReadonlySet<string>): void {
  for (const k in record) if (!renamed.has(k) && Object.prototype.hasOwnProperty.call(record, k)) target[k] = record[k];
}

function assign(target: Raw, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/**
 * One history record: `t`/`p` seconds -> `time`/`periodTime` ms, `v` -> `value`. (Hot: a million per
 * read, so named stores and a switch rather than the generic helpers: bench/ems-history-memory.ts.)
 */
export function historyPoint(record: Raw): Point {
  const time = secondsToMs(record.t);
  if (time === undefined) throw badResponse('The EMS gateway sent a history record without a time (t): this is not a reply the node can read.');
  const p: Point = { time };
  const value = num(record.v);
  if (value !== undefined) p.value = value;
  const min = num(record.min);
  if (min !== undefined) p.min = min;
  const max = num(record.max);
  if (max !== undefined) p.max = max;
  const d = num(record.d);
  if (d !== undefined) p.d = d;
  const periodTime = secondsToMs(record.p);
  if (periodTime !== undefined) p.periodTime = periodTime;
  for (const k in record) {
    switch (k) {
      case 'uid':
      case 't':
      case 'p':
      case 'v':
      case 'min':
      case 'max':
      case 'd':
        continue;
      default:
        if (Object.prototype.hasOwnProperty.call(record, k)) p[k] = record[k];
    }
  }
  return p;
}

/** `last`: the newest history record of each uid, `{uid, time, value, min, max, d, periodTime}`. */
export function lastRecord(record: Raw): Keyed {
  return { uid: uidOf(record, 'a last value'), ...historyPoint(record) };
}

const REALTIME_RENAMED: ReadonlySet<string> = new Set(['uid', 'si', 'v', 't', 'r', 's']);

/** `realtime`: `{uid, si, value, time, r, s}`; `t` is ms already. */
export function realtimeRecord(record: Raw): Keyed {
  const out: Keyed = { uid: uidOf(record, 'a realtime value') };
  assign(out, 'si', record.si);
  assign(out, 'value', num(record.v));
  assign(out, 'time', keepMs(record.t));
  assign(out, 'r', record.r);
  assign(out, 's', record.s);
  copyRest(out, record, REALTIME_RENAMED);
  return out;
}

/** devices / loads / signals: the API's object as it is, uid a number. */
export function resourceRecord(record: Raw): Keyed {
  return { ...record, uid: uidOf(record, 'a resource') };
}

const byUid = (a: { uid: number }, b: { uid: number }): number => a.uid - b.uid;
const byTime = (a: Point, b: Point): number => a.time - b.time;

/** History records grouped by uid into series (sorted by uid, points by time); uids not in `keep` are skipped. */
class SeriesBuilder {
  private readonly map = new Map<number, Point[]>();
  /** The uid of the record before and its points: a page holds runs of one uid. */
  private lastUid: unknown;
  private lastPoints: Point[] | undefined;

  constructor(private readonly keep?: ReadonlySet<number>) {}

  add(record: Raw, rawUid: unknown): void {
    let points = this.lastPoints;
    if (rawUid !== this.lastUid || points === undefined) {
      const uid = toUid(rawUid, 'a history record');
      if (this.keep && !this.keep.has(uid)) return;
      points = this.map.get(uid);
      if (!points) this.map.set(uid, (points = []));
      this.lastUid = rawUid;
      this.lastPoints = points;
    }
    points.push(historyPoint(record));
  }

  result(): Series[] {
    return [...this.map].map(([uid, points]) => ({ uid, points: sortedByTime(points) })).sort(byUid);
  }
}

/** The API sends points in time order: check that in one pass and sort only when it did not. */
function sortedByTime(points: Point[]): Point[] {
  for (let i = 1; i < points.length; i++) if ((points[i] as Point).time < (points[i - 1] as Point).time) return points.sort(byTime);
  return points;
}

const RECORD: Record<Exclude<Operation, 'history'>, (r: Raw) => Keyed> = {
  last: lastRecord,
  realtime: realtimeRecord,
  devices: resourceRecord,
  loads: resourceRecord,
  signals: resourceRecord,
};

export interface NormalizedPage {
  payload: PagePayload;
  /** Records in the reply, as the API counts them for `limit` (history: points; the others: entries). */
  received: number;
}

export interface NormalizeOptions {
  /** uids to keep when the route could not filter them itself. */
  keep?: ReadonlySet<number>;
  /** The uid of records that carry none (a signal's own history). */
  uid?: number;
}

/** One reply of an operation, normalized. */
export function normalizePage(operation: Operation, body: unknown, what: string, opts: NormalizeOptions = {}): NormalizedPage {
  const keep = opts.keep;
  if (operation === 'history') {
    const series = new SeriesBuilder(keep);
    const received = forEachRecord(body, REPLY_KEY.history, what, opts.uid, (r, uid) => series.add(r, uid));
    return { payload: series.result(), received };
  }
  const raw = extractRecords(body, REPLY_KEY[operation], what, opts.uid);
  const list = raw.map(RECORD[operation]);
  return { payload: (keep ? list.filter((r) => keep.has(r.uid)) : list).sort(byUid), received: raw.length };
}

/** Records in a normalized payload (history: points). */
export function countRecords(operation: Operation, payload: PagePayload): number {
  if (operation !== 'history') return payload.length;
  let n = 0;
  for (const s of payload as Series[]) n += s.points.length;
  return n;
}

/** Cuts a normalized page to its first `n` records (in the API's order: uid, then time). */
export function limitPage(operation: Operation, payload: PagePayload, n: number): PagePayload {
  if (operation !== 'history') return (payload as Keyed[]).slice(0, n);
  const out: Series[] = [];
  let left = n;
  for (const s of payload as Series[]) {
    if (left <= 0) break;
    out.push(s.points.length <= left ? s : { uid: s.uid, points: s.points.slice(0, left) });
    left -= s.points.length;
  }
  return out;
}

/** Accumulates pages into one payload (output `single`). */
export class Merger {
  private readonly series = new Map<number, Point[]>();
  private readonly keyed = new Map<number, Keyed>();

  constructor(private readonly operation: Operation) {}

  add(payload: PagePayload): void {
    if (this.operation === 'history') {
      for (const s of payload as Series[]) {
        const points = this.series.get(s.uid);
        if (points) for (const p of s.points) points.push(p);
        else this.series.set(s.uid, s.points.slice());
      }
    } else {
      for (const r of payload as Keyed[]) this.keyed.set(r.uid, r);
    }
  }

  result(): PagePayload {
    if (this.operation === 'history') {
      return [...this.series].map(([uid, points]) => ({ uid, points: sortedByTime(points) })).sort(byUid);
    }
    return [...this.keyed.values()].sort(byUid);
  }
}
