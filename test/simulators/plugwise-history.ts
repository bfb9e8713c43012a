/**
 * The Plugwise simulator's history: `GET /core/<locations|appliances|modules>;id=<id>;@from=..;@to=..;@interval=..`
 * answered from generated data shaped like the hub's real logs. Every log the element keeps in the dump
 * (its type, unit, own interval and tariffs) gets one period from @from to @to with a measurement per step:
 *   <interval_log id=".."><type>electricity_consumed</type><unit>Wh</unit>...<interval>PT5M</interval>
 *     <period start_date=".." end_date=".." interval="PT1H">
 *       <measurement log_date="2025-01-01T00:00:00+01:00" tariff="nl_offpeak">215.00</measurement> ...
 * Values are functions of the time (the same request gives the same answer):
 * - electricity: consumption ~250-1000 W with an evening peak, production a daytime sine; tariff nl_peak on
 *   weekdays 07:00-23:00 (hub time), nl_offpeak otherwise, the other tariff's measurement 0 (point, interval)
 *   (point, interval); interval logs the Wh of their step, cumulative logs a steadily rising meter in Wh per tariff;
 * - gas: m3 per step, a rising m3 meter; thermostat: a schedule, 21 degC 07:00-22:00, 16 at night, each element
 *   starting 0-2 h later than another (from its id, so two zones do not draw the same line);
 *   temperature: following that schedule; anything else: the dump's current value at every step.
 * Steps start at the first multiple of the step at or after @from; @to is exclusive. The hub clock is UTC+1.
 */

const STEP_MS: Record<string, number> = { PT5M: 300_000, PT15M: 900_000, PT1H: 3_600_000, PT3H: 10_800_000, P1D: 86_400_000, P1W: 604_800_000 };
const HOUR = 3_600_000;
const OFFSET_MS = HOUR;
/** The meters' readings at this time; they rise from there. */
const METER_EPOCH = Date.UTC(2020, 0, 1);

export interface HistoryParams {
  from: number;
  to: number;
  interval?: string;
}

/** `;@from=..;@to=..;@interval=..` of a path, or undefined when it has no @from/@to (not a history read). */
export function historyParams(matrix: string): HistoryParams | { error: string } | undefined {
  const params = new Map<string, string>();
  for (const part of matrix.split(';').filter(Boolean)) {
    const eq = part.indexOf('=');
    params.set(decodeURIComponent(eq < 0 ? part : part.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)));
  }
  if (!params.has('@from') && !params.has('@to')) return undefined;
  const from = Date.parse(params.get('@from') ?? '');
  const to = Date.parse(params.get('@to') ?? '');
  const interval = params.get('@interval');
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return { error: 'bad @from/@to' };
  if (interval !== undefined && interval !== 'P1M' && !(interval in STEP_MS)) return { error: `unknown @interval ${interval}` };
  return { from, to, interval };
}

/** The hub's time format: "2025-01-01T00:00:00+01:00". */
function hubTime(ms: number): string {
  return `${new Date(ms + OFFSET_MS).toISOString().slice(0, 19)}+01:00`;
}

/** Local (hub) hour of day, fractional, and whether it is a weekday. */
function local(ms: number): { hour: number; weekday: boolean } {
  const d = new Date(ms + OFFSET_MS);
  const day = d.getUTCDay();
  return { hour: d.getUTCHours() + d.getUTCMinutes() / 60, weekday: day >= 1 && day <= 5 };
}

function peakTariff(ms: number): 'nl_peak' | 'nl_offpeak' {
  const { hour, weekday } = local(ms);
  return weekday && hour >= 7 && hour < 23 ? 'nl_peak' : 'nl_offpeak';
}

function consumedW(ms: number): number {
  const { hour } = local(ms);
  return 250 + 150 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + (hour >= 17 && hour < 21 ? 600 : 0);
}

function producedW(ms: number): number {
  const { hour } = local(ms);
  return hour >= 7 && hour < 19 ? 1200 * Math.sin((Math.PI * (hour - 7)) / 12) : 0;
}

/** Each element keeps its own schedule: its morning starts 0-2 h later than another's (from its id). */
function lateHours(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 9973;
  return h % 3;
}

function setpoint(ms: number, late = 0): number {
  const { hour } = local(ms - late * HOUR);
  return hour >= 7 && hour < 22 ? 21 : 16;
}

function temperature(ms: number, late = 0): number {
  // lags the schedule by an hour and wobbles a little
  return setpoint(ms - HOUR, late) - 0.4 - 0.2 * late + 0.3 * Math.sin((2 * Math.PI * ms) / (5 * HOUR));
}

/** Steps of [from, to): each step's start. P1M steps are calendar months (hub time). */
function steps(params: HistoryParams, own: string | undefined): number[] {
  const name = params.interval ?? own ?? 'PT5M';
  const out: number[] = [];
  if (name === 'P1M') {
    const d = new Date(params.from + OFFSET_MS);
    let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - OFFSET_MS;
    if (t < params.from) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - OFFSET_MS;
    for (; t < params.to; ) {
      out.push(t);
      const n = new Date(t + OFFSET_MS);
      t = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1) - OFFSET_MS;
    }
    return out;
  }
  const step = STEP_MS[name] ?? STEP_MS.PT5M!;
  for (let t = Math.ceil(params.from / step) * step; t < params.to; t += step) out.push(t);
  return out;
}

/** Mean of f over [a, b), sampled every 5 minutes (so an hour's amount is the sum of its 5-minute amounts, near enough). */
function mean(f: (ms: number) => number, a: number, b: number): number {
  const n = Math.max(1, Math.round((b - a) / 300_000));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f(a + ((i + 0.5) * (b - a)) / n);
  return sum / n;
}

interface DumpLog {
  kind: 'point' | 'interval' | 'cumulative';
  id: string;
  type: string;
  unit: string;
  interval?: string;
  tariffs: string[];
  current: string;
}

function dumpLogs(inner: string): DumpLog[] {
  const logs = /<logs>([\s\S]*?)<\/logs>/.exec(inner)?.[1] ?? '';
  const out: DumpLog[] = [];
  for (const m of logs.matchAll(/<(point|interval|cumulative)_log id=['"](\w+)['"]>([\s\S]*?)<\/\1_log>/g)) {
    const body = m[3] ?? '';
    const type = /<type>([^<]*)<\/type>/.exec(body)?.[1];
    if (!type) continue;
    const tariffs = [...new Set([...body.matchAll(/tariff=['"](\w+)['"]/g)].map((t) => t[1] as string))];
    out.push({
      kind: m[1] as DumpLog['kind'],
      id: m[2] as string,
      type,
      unit: /<unit>([^<]*)<\/unit>/.exec(body)?.[1] ?? '',
      interval: /<interval>([^<]+)<\/interval>/.exec(body)?.[1],
      tariffs,
      current: /<measurement[^>]*>([^<]*)<\/measurement>/.exec(body)?.[1] ?? '',
    });
  }
  return out;
}

/** The measurements of one log at one step: [tariff, text] pairs. */
function valuesAt(log: DumpLog, t: number, end: number, late: number): Array<[string | undefined, string]> {
  const tariffs = log.tariffs.length > 0 ? log.tariffs : [undefined];
  const active = peakTariff(t);
  const power = log.type.includes('produced') ? producedW : consumedW;
  const energy = log.type.startsWith('electricity');
  const gas = log.type.startsWith('gas');
  return tariffs.map((tariff) => {
    const on = tariff === undefined || tariff === active;
    let v: number | string;
    if (energy && log.kind === 'point') v = on ? Math.round(power(t)) : 0;
    else if (energy && log.kind === 'interval') v = on ? (mean(power, t, end) * (end - t)) / HOUR : 0;
    else if (energy && log.kind === 'cumulative') {
      // each tariff's meter rises by its share of the mean use since the epoch
      const share = tariff === undefined ? 1 : tariff === 'nl_peak' ? 0.55 : 0.45;
      const rate = log.type.includes('produced') ? 300 : 420;
      v = 1_000_000 + (share * rate * (t - METER_EPOCH)) / HOUR;
    } else if (gas && log.kind === 'interval') v = (0.12 * (end - t)) / HOUR;
    else if (gas && log.kind === 'cumulative') v = 2000 + (0.12 * (t - METER_EPOCH)) / HOUR;
    else if (log.type === 'thermostat') v = setpoint(t, late);
    else if (log.type === 'temperature') v = temperature(t, late);
    else v = log.current;
    return [tariff, typeof v === 'number' ? v.toFixed(gas ? 3 : 2) : v];
  });
}

const ELEMENT: Record<string, string> = { locations: 'location', appliances: 'appliance', modules: 'module' };

/** The reply to a history read of `id` on `route`, from the dump `doc`; undefined when the dump has no such element. */
export function historyReply(doc: string, route: string, id: string, params: HistoryParams): string | undefined {
  const tag = ELEMENT[route];
  if (!tag || !/^\w+$/.test(id)) return undefined;
  const inner = new RegExp(`<${tag} id=['"]${id}['"]>([\\s\\S]*?)</${tag}>`).exec(doc)?.[1];
  if (inner === undefined) return undefined;
  const name = /<name>([^<]*)<\/name>/.exec(inner)?.[1] ?? '';
  const parts: string[] = [`<?xml version="1.0" encoding="UTF-8"?>\n<${route}>\n<${tag} id='${id}'>\n<name>${name}</name>\n<logs>\n`];
  for (const log of dumpLogs(inner)) {
    const starts = steps(params, log.interval);
    const step = params.interval ?? log.interval ?? 'PT5M';
    parts.push(`<${log.kind}_log id='${log.id}'>\n<type>${log.type}</type>\n<unit>${log.unit}</unit>\n<updated_date>${hubTime(starts.at(-1) ?? params.to)}</updated_date>\n`);
    parts.push(log.interval ? `<interval>${log.interval}</interval>\n` : '<interval/>\n');
    parts.push(`<period start_date="${hubTime(params.from)}" end_date="${hubTime(params.to)}" interval="${step}">\n`);
    for (let i = 0; i < starts.length; i++) {
      const t = starts[i] as number;
      const end = starts[i + 1] ?? Math.min(params.to, t + (STEP_MS[step] ?? 2_678_400_000));
      for (const [tariff, value] of valuesAt(log, t, end, lateHours(id))) {
        parts.push(`<measurement log_date="${hubTime(t)}"${tariff ? ` tariff="${tariff}"` : ''}>${value}</measurement>\n`);
      }
    }
    parts.push(`</period>\n</${log.kind}_log>\n`);
  }
  parts.push(`</logs>\n</${tag}>\n</${route}>\n`);
  return parts.join('');
}
