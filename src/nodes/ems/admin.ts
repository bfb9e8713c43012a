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

/** Labels for the pickers: devices and loads by their own label, signals by index and load. */
export function choices(kind: Kind, items: readonly Keyed[], loads: readonly Keyed[] = []): Choice[] {
  return items.map((i) => {
    let label = text(i.label);
    if (!label && kind === 'signals') {
      const load = loads.find((l) => l.uid === i.lid);
      const si = num(i.si);
      label = [si === undefined ? `signal ${i.uid}` : `si ${si}`, load ? text(load.label) ?? `load ${load.uid}` : undefined].filter(Boolean).join(' · ');
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
      return choices(kind as Kind, items, kind === 'signals' ? await read('loads') : []);
    });
  });
}

type Call = AdminCall<EmsSettings, EmsCredentials, EmsServerNode>;
