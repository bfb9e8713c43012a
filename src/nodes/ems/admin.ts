import { badInput } from '../../core/errors';
import type { EmsClient } from '../../vendors/ems/client';
import type { Keyed } from '../../vendors/ems/normalize';
import { adminEndpoints, withCallClient, type AdminCall } from '../common/admin';
import type { NodeAPI } from '../common/red';
import { SERVER_TYPE, emsSettings, newEmsClient, type EmsCredentials, type EmsServerNode, type EmsSettings } from './server';

/** What a picker shows: the uid, a label, and what the resource hangs on. */
export interface Choice {
  uid: number;
  label: string;
  did?: number;
  lid?: number;
}

const KINDS = ['devices', 'loads', 'signals'] as const;
type Kind = (typeof KINDS)[number];

/** The editor's lists are for picking, not for reading a whole plant: this many at most. */
const MAX_CHOICES = 5000;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Where a gateway may name a signal's quantity and unit (the documented signal carries neither). */
const NAME_KEYS = ['label', 'name', 'description'] as const;
const UNIT_KEYS = ['unit', 'um', 'unitOfMeasure'] as const;

function firstText(item: Keyed, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = text(item[k]);
    if (v) return v;
  }
  return undefined;
}

function reading(v: unknown, unit: string | undefined): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return `now ${Math.round(v * 1000) / 1000}${unit ? ` ${unit}` : ''}`;
}

/**
 * Labels for the pickers: devices and loads by their own label. A signal is what it measures, as far as
 * the gateway says: its load, its own name and unit when it has them (else its signal index), and its
 * latest value, which tells a voltage (230.4) from a current (2.5) at a glance:
 * "Main · signal 29 · now 230.4", "Main · Voltage L1 · now 230.4 V", "... · disabled".
 */
export function choices(kind: Kind, items: readonly Keyed[], loads: readonly Keyed[] = [], realtime: readonly Keyed[] = []): Choice[] {
  return items.map((i) => {
    let label = kind === 'signals' ? undefined : text(i.label);
    if (kind === 'signals') {
      const load = loads.find((l) => l.uid === i.lid);
      const si = num(i.si);
      const own = firstText(i, NAME_KEYS);
      const unit = firstText(i, UNIT_KEYS);
      const quantity = own ?? (si === undefined ? `signal uid ${i.uid}` : `signal ${si}`);
      const now = reading(realtime.find((r) => r.uid === i.uid)?.value, unit);
      label = [
        load ? text(load.label) ?? `load ${load.uid}` : undefined,
        own && unit && !now ? `${quantity} (${unit})` : quantity,
        now,
        i.enable === false ? 'disabled' : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    return { uid: i.uid, label: label ?? `${kind.slice(0, -1)} ${i.uid}`, did: num(i.did), lid: num(i.lid) };
  });
}

/**
 * Editor endpoints. Both take the server's settings as the dialog (or the stored config node) holds them,
 * so they work before the first deploy; a deployed server asked for its own connection answers from its
 * own client and token (otherwise a client lives for one call and is closed after it). Test connection
 * needs ems-server.write; the pickers .read while they ask the deployed server.
 *   POST /energy-gateways/ems/test       -> {version, devices}
 *   POST /energy-gateways/ems/resources  -> [{uid, label, did?, lid?}]   (body.kind: devices | loads | signals)
 */
export function registerEmsAdmin(RED: NodeAPI): void {
  const endpoints = adminEndpoints<EmsSettings, EmsCredentials, EmsServerNode>(RED, {
    nodeType: SERVER_TYPE,
    settings: emsSettings,
    connectionKeys: ['baseUrl', 'allowSelfSigned'],
    credentialKeys: ['username', 'password'],
    secretLabels: { password: 'the password' },
  });

  const withClient = <T>(call: Call, fn: (client: EmsClient, signal: AbortSignal) => Promise<T>): Promise<T> =>
    withCallClient(call, (node) => node.getClient(), () => newEmsClient(call.settings, call.credentials), fn);

  endpoints.route('/ems/test', 'connect', (call) => withClient(call, (client, signal) => client.test(signal)));

  endpoints.route('/ems/resources', 'pick', async (call) => {
    const kind = call.body.kind;
    if (!KINDS.includes(kind as Kind)) throw badInput(`kind must be one of ${KINDS.join(', ')}.`);
    return withClient(call, async (client, signal) => {
      const read = async (k: Kind): Promise<Keyed[]> =>
        (await client.collect({ operation: k, scope: 'all', maxRecords: MAX_CHOICES }, signal)).payload as Keyed[];
      const items = await read(kind as Kind);
      if (kind !== 'signals') return choices(kind as Kind, items);
      // The latest values help to tell the signals apart; a gateway that cannot give them still lists.
      const realtime = (await client.collect({ operation: 'realtime', scope: 'all', maxRecords: MAX_CHOICES }, signal).catch(() => undefined))?.payload;
      return choices('signals', items, await read('loads'), Array.isArray(realtime) ? (realtime as Keyed[]) : []);
    });
  });
}

type Call = AdminCall<EmsSettings, EmsCredentials, EmsServerNode>;
