/**
 * The hub's own history: a location's, appliance's or module's `<logs>` over a time range, read with the
 * `@from` / `@to` / `@interval` filters (ISO 8601 times and durations) and turned into series in ms with
 * the units of the entity model. Pure: which element holds which logs (from the last read's XML), the
 * requests a range takes, and the parse of one reply.
 */
import { badInput, badResponse } from '../../core/errors';
import { describe } from '../../core/text';
import { formatMeasure, toFloat } from './format';
import { DEVICE_MEASUREMENTS, GROUP_MEASUREMENTS, HEATER_CENTRAL_MEASUREMENTS, P1_MEASUREMENTS, UNIT, ZONE_MEASUREMENTS } from './tables';
import { HISTORY_INTERVALS, LOG_NAME } from './history-options';
import { attr, kidText, kids, parseRoot, text, type XmlNode } from './xml';

export { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES, isHistoryInterval, parseInterval, parseLogNames } from './history-options';

/** The three log kinds of a Smile (the XML element is `<kind>_log`). */
export const LOG_KINDS = ['point', 'interval', 'cumulative'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

/** Where an element's logs are read: `/core/<route>;id=<id>;@from=...`. */
export const HISTORY_ROUTES = ['locations', 'appliances', 'modules'] as const;
export type HistoryRoute = (typeof HISTORY_ROUTES)[number];
const ELEMENT: Record<HistoryRoute, string> = { locations: 'location', appliances: 'appliance', modules: 'module' };

/** Without `@interval` the hub answers in its own steps: a P1's finest are 5 minutes, sized as such. */
const DEFAULT_STEP_MS = HISTORY_INTERVALS.PT5M as number;

/**
 * One request covers at most this many steps of the interval: a day of 5-minute data. A Smile P1 with all
 * its logs (point, interval and cumulative electricity per tariff, phases) writes about 18 measurements per
 * step, ~90 bytes each: ~450 KB of XML per request, ~5,000 elements (its poll document is 25-100 KB). Hourly
 * data then goes 12 days per request, daily data ~10 months.
 */
export const STEPS_PER_REQUEST = 288;

/** The most steps one read may span: a year (366 days) of 5-minute data; a longer one needs a coarser interval. */
export const MAX_STEPS = 366 * 288;

/** No Smile logged before this (the first ones shipped in 2011); an earlier start is a typo. */
export const EARLIEST_MS = Date.UTC(2010, 0, 1);

/** An id that goes into the request path: the hub's ids are 32 hex digits; nothing that could add a filter. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** An entity id fit for the request path (BAD_INPUT otherwise, before anything is sent). */
export function checkEntityId(entity: string): string {
  if (!ID.test(entity)) throw badInput(`The entity ${describe(entity)} is not a Plugwise id (letters and digits): pick one in the node.`);
  return entity;
}

/** One log an element keeps, as the last read shows it. */
export interface LogInfo {
  log: string;
  kind: LogKind;
  /** The unit of the values the node gives (see `unitOf`). */
  unit: string;
  /** The hub's own step for this log (`PT5M`), when it says. */
  interval?: string;
  tariffs: string[];
}

/** An element with logs: what the picker lists and where the history read goes. */
export interface HistorySource {
  route: HistoryRoute;
  id: string;
  name?: string;
  /** The element's type (`building`, `zone_thermostat`, ...). */
  type?: string;
  logs: LogInfo[];
}

/** Every location, appliance and module with logs in the hub's documents (domain_objects; a legacy hub's appliances). */
export function historySources(...docs: XmlNode[]): HistorySource[] {
  const out: HistorySource[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    for (const route of HISTORY_ROUTES) {
      for (const el of kids(doc, ELEMENT[route])) {
        const id = attr(el, 'id');
        if (id === undefined || seen.has(`${route}/${id}`)) continue;
        const logs = logInfos(el);
        if (logs.length === 0) continue;
        seen.add(`${route}/${id}`);
        out.push({ route, id, name: kidText(el, 'name'), type: kidText(el, 'type'), logs });
      }
    }
  }
  return out;
}

function logInfos(el: XmlNode): LogInfo[] {
  const out: LogInfo[] = [];
  for (const logs of kids(el, 'logs')) {
    for (const kind of LOG_KINDS) {
      for (const log of kids(logs, `${kind}_log`)) {
        const type = kidText(log, 'type');
        if (type === undefined || !LOG_NAME.test(type) || out.some((l) => l.log === type && l.kind === kind)) continue;
        const tariffs = new Set<string>();
        for (const period of kids(log, 'period')) for (const m of kids(period, 'measurement')) {
          const tariff = attr(m, 'tariff');
          if (tariff) tariffs.add(tariff);
        }
        const info: LogInfo = { log: type, kind, unit: unitOf(type, kind, kidText(log, 'unit')).unit, tariffs: [...tariffs] };
        const interval = kidText(log, 'interval');
        if (interval) info.interval = interval;
        out.push(info);
      }
    }
  }
  return out;
}

/** What one history read asks for, all checked. */
export interface HistoryQuery {
  source: HistorySource;
  /** Log types to keep; undefined: all the element has. */
  logs?: string[];
  start: number;
  end: number;
  /** `@interval`; undefined: the hub's own steps. */
  interval?: string;
}

/**
 * The checked query for an entity id with the element it names (BAD_INPUT, nothing sent, when the hub
 * does not list it, a log type is not among its logs, or the range is one the hub cannot hold).
 */
export function historyQuery(sources: readonly HistorySource[], entity: string, input: { logs?: string[]; start: number; end: number; interval?: string }): HistoryQuery {
  checkEntityId(entity);
  const source = sources.find((s) => s.id === entity);
  if (source === undefined) {
    throw badInput(`The hub lists no location, appliance or module "${entity}" with logs: pick one that has logs in the node.`);
  }
  const known = [...new Set(source.logs.map((l) => l.log))];
  const unknown = (input.logs ?? []).filter((l) => !known.includes(l));
  if (unknown.length > 0) {
    throw badInput(`${source.name ?? entity} keeps no ${unknown.join(', ')} log: it has ${known.join(', ')}.`);
  }
  checkRange(input.start, input.end, input.interval);
  return { source, logs: input.logs, start: input.start, end: input.end, interval: input.interval };
}

function stepMs(interval: string | undefined): number {
  return interval === undefined ? DEFAULT_STEP_MS : (HISTORY_INTERVALS[interval] ?? DEFAULT_STEP_MS);
}

/** A range the hub cannot hold is refused before anything is sent. */
export function checkRange(start: number, end: number, interval: string | undefined): void {
  if (start < EARLIEST_MS) {
    throw badInput(`The history starts ${new Date(start).toISOString()}: no Plugwise hub logged before 2010; give a later msg.start or a shorter range.`);
  }
  const steps = Math.ceil((end - start) / stepMs(interval));
  if (steps > MAX_STEPS) {
    const what = interval ?? 'the hub\'s own steps (5 minutes)';
    throw badInput(
      `${Math.round((end - start) / 86_400_000)} days in ${what} are ${steps} steps, more than one read takes (${MAX_STEPS}, a year of 5-minute data): use a coarser interval (PT1H, P1D) or a shorter range.`,
    );
  }
}

/** The requests of a range: consecutive spans of at most STEPS_PER_REQUEST steps, aligned on the range's start. */
export function planRequests(query: Pick<HistoryQuery, 'start' | 'end' | 'interval'>): Array<{ from: number; to: number }> {
  const width = stepMs(query.interval) * STEPS_PER_REQUEST;
  const out: Array<{ from: number; to: number }> = [];
  for (let from = query.start; from < query.end; from += width) out.push({ from, to: Math.min(from + width, query.end) });
  return out;
}

/** An ISO time as the hub takes it in a path (UTC, whole seconds: no `+` to escape). */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `/core/locations;id=<id>;@from=<iso>;@to=<iso>;@interval=<dur>` */
export function historyPath(source: Pick<HistorySource, 'route' | 'id'>, from: number, to: number, interval?: string): string {
  if (!ID.test(source.id)) throw badInput(`The entity ${describe(source.id)} is not a Plugwise id.`);
  return `/core/${source.route};id=${source.id};@from=${isoSeconds(from)};@to=${isoSeconds(to)}${interval ? `;@interval=${interval}` : ''}`;
}

export type HistoryValue = number | boolean | string;

export interface HistoryPoint {
  time: number;
  value: HistoryValue;
}

/** One series: one log type, kind and tariff. */
export interface HistorySeries {
  log: string;
  /** point: the value at `time`; interval: the amount over the interval from `time`; cumulative: the meter reading. */
  kind: LogKind;
  unit: string;
  /** The step of the points (`PT1H`), as the hub answered (or as asked); null when the hub gives none. */
  interval: string | null;
  tariff?: string;
  points: HistoryPoint[];
}

// ---- units: as the entity model (python-plugwise's tables and format_measure) gives them ----

/** The model's unit per log type (first table entry wins; the tables agree where they overlap). */
const MODEL_UNIT = new Map<string, string>();
for (const table of [DEVICE_MEASUREMENTS, ZONE_MEASUREMENTS, GROUP_MEASUREMENTS, HEATER_CENTRAL_MEASUREMENTS, P1_MEASUREMENTS]) {
  for (const m of table) if (!MODEL_UNIT.has(m.log)) MODEL_UNIT.set(m.log, m.unit);
}

/** The hub's unit names, as the model's. */
const HUB_UNIT: Record<string, string> = { C: UNIT.CELSIUS, W: UNIT.WATT, Wh: UNIT.WH, kWh: UNIT.KWH, m3: UNIT.M3, bar: UNIT.BAR, V: UNIT.VOLT };

/** The unit as this package writes it (the contract's names). */
const LABEL: Record<string, string> = { [UNIT.CELSIUS]: 'degC', [UNIT.M3]: 'm3', [UNIT.DEGREE]: 'deg' };

/**
 * The model's unit (for format_measure's scaling and rounding) and the label the series carries:
 * electricity cumulative logs Wh -> kWh (the model's `*_cumulative`), interval logs Wh (`*_interval`),
 * point logs W; gas m3; temperatures degC; percentages 0-100 (a 0..1 value is scaled, as the model does);
 * humidity (the hub's RH) as %; other units as the hub names them.
 */
export function unitOf(log: string, kind: LogKind, hubUnit: string | undefined): { model: string; unit: string } {
  let model: string;
  if (log.includes('electricity') && kind === 'cumulative') model = UNIT.KWH;
  else if (kind === 'interval' && hubUnit === 'Wh') model = UNIT.WH;
  else if (log.includes('gas')) model = UNIT.M3;
  else model = MODEL_UNIT.get(log) ?? HUB_UNIT[hubUnit ?? ''] ?? UNIT.NONE;
  if (model === UNIT.NONE) return { model, unit: hubUnit === 'RH' ? '%' : (hubUnit ?? '') };
  return { model, unit: LABEL[model] ?? model };
}

/** A measurement's text as a value: on/off as a boolean, a number with the model's rounding, else the text. */
export function toValue(raw: string | undefined, model: string): HistoryValue | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (t === 'on' || t === 'true') return true;
  if (t === 'off' || t === 'false') return false;
  if (Number.isNaN(toFloat(t))) return t === '' ? undefined : t;
  const n = formatMeasure(t, model);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * One reply to a history request: the element's logs as series (kept: `logs`, or all), points by time.
 * A reply without the element (the hub lost it) is BAD_RESPONSE.
 */
export function parseHistory(body: string, source: Pick<HistorySource, 'route' | 'id'>, options: { logs?: readonly string[]; interval?: string } = {}): HistorySeries[] {
  const { tag, node } = parseRoot(body);
  const name = ELEMENT[source.route];
  const element = tag === name ? node : kids(node, name).find((e) => attr(e, 'id') === source.id);
  if (element === undefined) throw badResponse(`The hub's answer holds no ${name} ${source.id}: check that the entity still exists.`);
  const series = new Map<string, HistorySeries>();
  for (const logs of kids(element, 'logs')) {
    for (const kind of LOG_KINDS) {
      for (const log of kids(logs, `${kind}_log`)) {
        const type = kidText(log, 'type');
        if (type === undefined || (options.logs !== undefined && !options.logs.includes(type))) continue;
        const { model, unit } = unitOf(type, kind, kidText(log, 'unit'));
        const logInterval = kidText(log, 'interval');
        for (const period of kids(log, 'period')) {
          const interval = attr(period, 'interval') || options.interval || logInterval || null;
          for (const m of kids(period, 'measurement')) {
            const date = attr(m, 'log_date');
            const time = date === undefined ? NaN : Date.parse(date);
            const value = toValue(text(m), model);
            if (!Number.isFinite(time) || value === undefined) continue;
            const tariff = attr(m, 'tariff') || undefined;
            const key = `${type}|${kind}|${tariff ?? ''}`;
            let s = series.get(key);
            if (s === undefined) {
              s = { log: type, kind, unit, interval, points: [] };
              if (tariff !== undefined) s.tariff = tariff;
              series.set(key, s);
            }
            s.points.push({ time, value });
          }
        }
      }
    }
  }
  const out = [...series.values()];
  for (const s of out) s.points.sort((a, b) => a.time - b.time);
  return out.sort(bySeries);
}

/** Series order: by log type, then kind (point, interval, cumulative), then tariff. */
export function bySeries(a: HistorySeries, b: HistorySeries): number {
  return a.log.localeCompare(b.log) || LOG_KINDS.indexOf(a.kind) - LOG_KINDS.indexOf(b.kind) || (a.tariff ?? '').localeCompare(b.tariff ?? '');
}

/**
 * Joins the series of consecutive requests: a point the previous request already gave (a hub whose `@to`
 * includes the boundary) is not repeated. `last` holds each series' last time across calls.
 */
export class SeriesJoiner {
  private readonly last = new Map<string, number>();

  /** The part of `batch` not seen yet (series without new points are dropped). */
  fresh(batch: HistorySeries[]): HistorySeries[] {
    const out: HistorySeries[] = [];
    for (const s of batch) {
      const key = `${s.log}|${s.kind}|${s.tariff ?? ''}`;
      const after = this.last.get(key) ?? -Infinity;
      const points = s.points.filter((p) => p.time > after);
      if (points.length === 0) continue;
      this.last.set(key, points[points.length - 1]!.time);
      out.push({ ...s, points });
    }
    return out;
  }
}

/** Appends `batch` to `into` (one series per log type, kind and tariff), keeping the order. */
export function mergeSeries(into: HistorySeries[], batch: HistorySeries[]): HistorySeries[] {
  for (const s of batch) {
    const known = into.find((x) => x.log === s.log && x.kind === s.kind && x.tariff === s.tariff);
    if (known) for (const p of s.points) known.points.push(p);
    else into.push({ ...s, points: [...s.points] });
  }
  return into.sort(bySeries);
}

export function countPoints(series: readonly HistorySeries[]): number {
  let n = 0;
  for (const s of series) n += s.points.length;
  return n;
}
