import { badInput } from '../../core/errors';

/**
 * The EMS Webapi routes. The published documentation lost its paths: this table is the project's reading
 * of it (CONTRACT.md, "ems-server"), and the only place a path is written, so a wrong one is corrected here.
 */
export const LOGIN_PATH = '/v1/auth/login';
export const VERSION_PATH = '/ver';

export const OPERATIONS = ['history', 'last', 'realtime', 'devices', 'loads', 'signals'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const SCOPES = ['all', 'signal', 'load', 'device'] as const;
export type Scope = (typeof SCOPES)[number];

/** Query parameters a route documents. */
export type Param = 'uids' | 'protocol' | 'start' | 'end' | 'limit' | 'page';

export const PROTOCOLS = ['rtu', 'tcp', 'meterBus', 'virtual', 'P1'] as const;

export interface Route {
  operation: Operation;
  scope: Scope;
  /** `{uid}` stands for the scope's resource uid. */
  path: string;
  params: readonly Param[];
}

const LIST: readonly Param[] = ['uids', 'protocol'];
const PAGED: readonly Param[] = ['uids', 'limit', 'page'];
const WINDOW: readonly Param[] = ['uids', 'start', 'end', 'limit', 'page'];
const SCOPED_WINDOW: readonly Param[] = ['start', 'end', 'limit', 'page'];

export const ROUTES: readonly Route[] = [
  { operation: 'devices', scope: 'all', path: '/v1/devices', params: LIST },
  { operation: 'loads', scope: 'all', path: '/v1/loads', params: LIST },
  { operation: 'loads', scope: 'device', path: '/v1/devices/{uid}/loads', params: [] },
  { operation: 'signals', scope: 'all', path: '/v1/signals', params: PAGED },
  { operation: 'signals', scope: 'load', path: '/v1/loads/{uid}/signals', params: [] },
  { operation: 'signals', scope: 'device', path: '/v1/devices/{uid}/signals', params: [] },
  { operation: 'realtime', scope: 'all', path: '/v1/realtime', params: PAGED },
  { operation: 'realtime', scope: 'load', path: '/v1/loads/{uid}/realtime', params: [] },
  { operation: 'realtime', scope: 'device', path: '/v1/devices/{uid}/realtime', params: [] },
  { operation: 'history', scope: 'all', path: '/v1/history', params: WINDOW },
  { operation: 'history', scope: 'signal', path: '/v1/signals/{uid}/history', params: SCOPED_WINDOW },
  { operation: 'history', scope: 'load', path: '/v1/loads/{uid}/history', params: SCOPED_WINDOW },
  { operation: 'history', scope: 'device', path: '/v1/devices/{uid}/history', params: SCOPED_WINDOW },
  { operation: 'last', scope: 'all', path: '/v1/history/last', params: PAGED },
  { operation: 'last', scope: 'signal', path: '/v1/signals/{uid}/history/last', params: [] },
  { operation: 'last', scope: 'load', path: '/v1/loads/{uid}/history/last', params: [] },
  { operation: 'last', scope: 'device', path: '/v1/devices/{uid}/history/last', params: [] },
];

/** The key of each operation's uid-keyed map in a reply (`{"history": {"3": [...]}}`). */
export const REPLY_KEY: Record<Operation, string> = {
  devices: 'devices',
  loads: 'loads',
  signals: 'signals',
  realtime: 'realtime',
  history: 'history',
  last: 'history',
};

export function findRoute(operation: Operation, scope: Scope): Route | undefined {
  return ROUTES.find((r) => r.operation === operation && r.scope === scope);
}

export function scopesOf(operation: Operation): Scope[] {
  return ROUTES.filter((r) => r.operation === operation).map((r) => r.scope);
}

export interface PlanInput {
  operation: Operation;
  scope: Scope;
  uid?: number;
  uids?: readonly number[];
  protocol?: string;
  start?: number;
  end?: number;
}

export interface Plan {
  route: Route;
  path: string;
  /** Query without `limit`/`page` (the pager adds them). */
  query: Record<string, string>;
  paged: boolean;
  /** uids to keep when the route cannot filter by itself (undefined: keep all). */
  keep?: ReadonlySet<number>;
}

/** The request an operation at a scope makes; BAD_INPUT (nothing sent) when it cannot be made. */
export function planRequest(input: PlanInput): Plan {
  const route = findRoute(input.operation, input.scope);
  if (!route) {
    const allowed = scopesOf(input.operation).join(', ');
    throw badInput(`"${input.operation}" cannot be read at scope "${input.scope}": use one of ${allowed}.`, `no ${input.operation} at scope ${input.scope}`);
  }
  let path = route.path;
  if (path.includes('{uid}')) {
    if (input.uid === undefined) throw badInput(`Scope "${input.scope}" needs the uid of a ${input.scope}: pick one in the node or set msg.uid.`);
    path = path.replace('{uid}', String(input.uid));
  }
  const has = (p: Param): boolean => route.params.includes(p);
  const query: Record<string, string> = {};
  let keep: Set<number> | undefined;
  if (input.uids && input.uids.length > 0) {
    if (has('uids')) query.uids = input.uids.join(',');
    else keep = new Set(input.uids);
  }
  if (input.protocol) {
    if (!has('protocol')) throw badInput(`The protocol filter applies to devices and loads at scope "all" only.`);
    query.protocol = input.protocol;
  }
  if (has('start') && input.start !== undefined) query.start = String(input.start);
  if (has('end') && input.end !== undefined) query.end = String(input.end);
  return { route, path, query, paged: has('page'), keep };
}
