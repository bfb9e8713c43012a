import { badInput } from '../../core/errors';
import { redact } from '../../core/redact';
import type { EmsClient } from '../../vendors/ems/client';
import type { Keyed } from '../../vendors/ems/normalize';
import { adminRoute, bodyObject, formCredentials } from '../common/admin';
import type { AdminRequest, NodeAPI } from '../common/red';
import { SERVER_TYPE, emsSettings, newEmsClient, type EmsCredentials, type EmsServerNode } from './server';

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
 * so they work before the first deploy; a deployed server with the same settings answers from its own
 * client and token (otherwise a client lives for one request and is closed after it).
 *   POST /energy-gateways/ems/test       -> {version, devices}
 *   POST /energy-gateways/ems/resources  -> [{uid, label, did?, lid?}]   (body.kind: devices | loads | signals)
 */
export function registerEmsAdmin(RED: NodeAPI): void {
  const credentialsOf = (req: AdminRequest): EmsCredentials => {
    const b = bodyObject(req);
    return formCredentials(RED, b.id, b.credentials, ['username', 'password']);
  };
  const scrub = (t: string, req: AdminRequest): string => redact(t, [credentialsOf(req).password]);

  async function withClient<T>(req: AdminRequest, fn: (client: EmsClient) => Promise<T>): Promise<T> {
    const b = bodyObject(req);
    const settings = emsSettings(b);
    const creds = credentialsOf(req);
    const deployed = typeof b.id === 'string' && b.id ? (RED.nodes.getNode(b.id) as EmsServerNode | null) : null;
    if (deployed && typeof deployed.matches === 'function' && deployed.matches(settings, creds)) return fn(deployed.getClient());
    const client = newEmsClient(settings, creds);
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  adminRoute(RED, 'post', '/ems/test', SERVER_TYPE, (req) => withClient(req, (client) => client.test()), scrub);

  adminRoute(RED, 'post', '/ems/resources', SERVER_TYPE, async (req) => {
    const kind = bodyObject(req).kind;
    if (!KINDS.includes(kind as Kind)) throw badInput(`kind must be one of ${KINDS.join(', ')}.`);
    return withClient(req, async (client) => {
      const read = async (k: Kind): Promise<Keyed[]> =>
        (await client.collect({ operation: k, scope: 'all', maxRecords: MAX_CHOICES })).payload as Keyed[];
      const items = await read(kind as Kind);
      return choices(kind as Kind, items, kind === 'signals' ? await read('loads') : []);
    });
  }, scrub);
}
