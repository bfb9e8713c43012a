/**
 * P1 smart-meter values: per tariff (peak/off-peak) and per log kind (point W, cumulative kWh,
 * interval Wh), phases and voltages, gas, and the net electricity (consumed minus produced).
 */
import { formatPower, pyRound } from './format';
import { P1_LEGACY_MEASUREMENTS, P1_MEASUREMENTS, type Measurement } from './tables';
import type { EntityData } from './types';
import { attr, kid, kidText, kids, text, type XmlNode } from './xml';

const TARIFFS = ['nl_peak', 'nl_offpeak'] as const;
const LOG_KINDS = ['point_log', 'cumulative_log', 'interval_log'] as const;
const LEGACY_METERS = ['interval_meter', 'cumulative_meter', 'point_meter'] as const;

/** Where to look for one value and how its key is named. */
interface PowerQuery {
  measurement: Measurement;
  /** 'point' | 'cumulative' | 'interval' */
  kind: string;
  /** The log kind name as in the XML ('point_log', 'point_meter', ...). */
  logKind: string;
  /** Finds the measurement text with (tariff set) or without a tariff filter. */
  lookup: (tariff: string | undefined) => XmlNode | undefined;
  /** Values without tariff: phases and gas (modern), point meters and gas (legacy). */
  untariffed: boolean;
}

function keyFor(q: PowerQuery, tariff: string): string {
  const name = q.measurement.log;
  if (name.includes('phase')) return name;
  if (name.includes('gas') || q.logKind === 'point_meter') return `${name}_${q.kind}`;
  const peak = tariff === 'nl_offpeak' ? 'off_peak' : 'peak';
  return `${name}_${peak}_${q.kind}`;
}

/** python-plugwise `collect_power_values` for one measurement and log kind. */
function collect(q: PowerQuery, data: EntityData): void {
  for (const tariff of TARIFFS) {
    let found = q.lookup(tariff);
    if (found === undefined) {
      // phases, gas and legacy point meters come without tariff: read them once
      if (!q.untariffed || tariff === 'nl_offpeak') continue;
      found = q.lookup(undefined);
      if (found === undefined) continue;
    }
    const key = keyFor(q, tariff);
    const value = formatPower(key, q.measurement.unit, text(found));
    if (Number.isNaN(value)) continue;
    const name = q.measurement.log;
    if (name.includes('electricity') && !name.includes('phase') && q.kind !== 'interval') {
      const net = `net_electricity_${q.kind}`;
      const diff = name.includes('consumed') ? 1 : -1;
      data.sensors[net] = pyRound((data.sensors[net] ?? 0) + value * diff, 3);
    }
    data.sensors[key] = value;
  }
}

/** The first measurement of a log of `type` (optionally with `tariff`), in document order. */
function findLogMeasurement(logs: XmlNode, logKind: string, type: string, tariff: string | undefined): XmlNode | undefined {
  for (const log of kids(logs, logKind)) {
    if (kidText(log, 'type') !== type) continue;
    for (const period of kids(log, 'period')) {
      for (const measurement of kids(period, 'measurement')) {
        if (tariff === undefined || attr(measurement, 'tariff') === tariff) return measurement;
      }
    }
  }
  return undefined;
}

/** Modern P1 (Smile P1, Anna P1): the logs of the Home location. */
export function p1PowerData(homeLocation: XmlNode, data: EntityData): void {
  const logs = kid(homeLocation, 'logs');
  if (logs === undefined) return;
  for (const measurement of P1_MEASUREMENTS) {
    for (const logKind of LOG_KINDS) {
      const name = measurement.log;
      collect(
        {
          measurement,
          kind: logKind.split('_')[0],
          logKind,
          lookup: (tariff) => findLogMeasurement(logs, logKind, name, tariff),
          untariffed: name.includes('gas') || name.includes('phase'),
        },
        data,
      );
    }
  }
}

/** Legacy P1 (smile_v2): the meters in /core/modules. */
export function legacyP1PowerData(modules: XmlNode, data: EntityData): void {
  const servicesList = kids(modules, 'module').flatMap((module) => kids(module, 'services'));
  for (const measurement of P1_LEGACY_MEASUREMENTS) {
    const [prefix, direction] = [measurement.log.split('_')[0], measurement.log.split('_').slice(1).join('_')];
    for (const services of servicesList) {
      for (const logKind of LEGACY_METERS) {
        const meterTag = `${prefix}_${logKind}`;
        const lookup = (tariff: string | undefined): XmlNode | undefined => {
          for (const meter of kids(services, meterTag)) {
            for (const m of kids(meter, 'measurement')) {
              if (attr(m, 'directionality') !== direction) continue;
              if (tariff === undefined || attr(m, 'tariff_indicator') === tariff) return m;
            }
          }
          return undefined;
        };
        collect(
          {
            measurement,
            kind: logKind.split('_')[0],
            logKind,
            lookup,
            untariffed: logKind === 'point_meter' || measurement.log.includes('gas'),
          },
          data,
        );
      }
    }
  }
}
