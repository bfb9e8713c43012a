/**
 * One flow that uses all nine node types, against the four simulators started on free ports, for the
 * reliability tests (redeploys, secret scans). Config nodes get the demo credentials of each simulator.
 */
import { demo as emsDemo } from '../simulators/ems';
import { demo as heatingDemo } from '../simulators/heatingcontrol';
import { demo as plugwiseDemo } from '../simulators/plugwise';
import { demo as thinknxDemo } from '../simulators/thinknx';
import type { DemoHandle } from '../../scripts/demo';

export const NODE_SETS = ['plugwise', 'heatingcontrol', 'thinknx', 'ems'] as const;

export interface AllSims {
  plugwise: DemoHandle;
  heating: DemoHandle;
  thinknx: DemoHandle;
  ems: DemoHandle;
  /** Requests received by all four. */
  requests(): number;
  stop(): Promise<void>;
}

export async function startAllSims(): Promise<AllSims> {
  const [plugwise, heating, thinknx, ems] = await Promise.all([plugwiseDemo.start(0), heatingDemo.start(0), thinknxDemo.start(0), emsDemo.start(0)]);
  const all = [plugwise, heating, thinknx, ems];
  return {
    plugwise,
    heating,
    thinknx,
    ems,
    requests: () => all.reduce((n, s) => n + s.requests(), 0),
    stop: async () => {
      await Promise.all(all.map((s) => s.stop()));
    },
  };
}

/** Every secret the flow's config nodes hold (for scans). */
export function allSecrets(): string[] {
  return [plugwiseDemo.credentials.password, heatingDemo.credentials.clientSecret, thinknxDemo.credentials.password, thinknxDemo.credentials.key, emsDemo.credentials.password];
}

export const CREDENTIALS: Record<string, Record<string, string>> = {
  'rel-pw-gw': plugwiseDemo.credentials,
  'rel-hc-account': heatingDemo.credentials,
  'rel-tk-server': thinknxDemo.credentials,
  'rel-ems-server': emsDemo.credentials,
};

/** The nine node types on one tab; action nodes are wired to helper nodes `<id>-out`. `pollInterval` in seconds. */
export function allNodesFlow(sims: AllSims, pollInterval = '0.2'): Record<string, unknown>[] {
  const tab = 'rel-tab';
  const action = (n: Record<string, unknown>): Record<string, unknown>[] => [
    { z: tab, wires: [[`${String(n.id)}-out`]], ...n },
    { id: `${String(n.id)}-out`, type: 'helper', z: tab },
  ];
  return [
    { id: tab, type: 'tab', label: 'all nodes' },
    { id: 'rel-pw-gw', type: 'plugwise-gateway', name: 'Adam', host: '127.0.0.1', port: sims.plugwise.port, pollInterval, timeout: '1' },
    { id: 'rel-hc-account', type: 'heating-account', name: 'Heating', baseUrl: `http://127.0.0.1:${sims.heating.port}`, scope: '', clientAuth: 'body' },
    { id: 'rel-tk-server', type: 'thinknx-server', name: 'Thinknx', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', cloudUrl: 'https://data.thinknx.eu', timeout: 1 },
    { id: 'rel-ems-server', type: 'ems-server', name: 'EMS', baseUrl: `http://127.0.0.1:${sims.ems.port}`, allowSelfSigned: false },
    ...action({ id: 'rel-pw-in', type: 'plugwise-in', gateway: 'rel-pw-gw', output: 'snapshot', entity: '', poll: true }),
    ...action({ id: 'rel-pw-ctl', type: 'plugwise-control', gateway: 'rel-pw-gw', entity: '29542b2b6a6a4169acecc15c72a599b8', action: 'relay' }),
    ...action({ id: 'rel-hc-cmd', type: 'heating-command', account: 'rel-hc-account', operation: 'devices', device: '', command: '', setting: '' }),
    ...action({ id: 'rel-tk-ctl', type: 'thinknx-control', server: 'rel-tk-server', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1' }),
    ...action({ id: 'rel-ems', type: 'ems-history', server: 'rel-ems-server', operation: 'devices', scope: 'all', uid: '', uids: '', range: '24h', pageSize: 1000, maxRecords: 100000, output: 'single' }),
  ];
}

/** A msg per action node that makes it talk to its gateway (reads, and one harmless write). */
export const TRIGGERS: Record<string, Record<string, unknown>> = {
  'rel-pw-in': { payload: 'read' },
  'rel-pw-ctl': { payload: true },
  'rel-hc-cmd': { payload: '' },
  'rel-tk-ctl': { payload: 'get' },
  'rel-ems': { payload: '' },
};
