import { GatewayError, badInput, toGatewayError } from '../../core/errors';
import { redact } from '../../core/redact';
import { NOTHING, onAbort } from '../../core/signals';
import type { AdminRequest, AdminResponse, Node, NodeAPI } from './red';

/** What the editor sends for a password it shows but does not have (Node-RED's placeholder). */
export const PASSWORD_PLACEHOLDER = '__PWRD__';

export const ADMIN_PREFIX = '/energy-gateways';

/** The longest an editor-triggered request to a gateway may wait for each reply, whatever the body says. */
export const ADMIN_TIMEOUT_MAX_SEC = 20;
/** The longest one editor call (which may make several requests: a token, pages) may take in all. */
export const ADMIN_DEADLINE_MS = 30_000;
/** Editor calls to one node type's gateways running at once; more are refused (RATE_LIMITED) until one ends. */
export const ADMIN_MAX_IN_FLIGHT = 4;

type Credentials = Record<string, string | undefined>;

/** What every config node offers its admin endpoints: its settings and (Node-RED's) credentials. */
export interface DeployedConfigNode<S, C> extends Node<C> {
  settings: S;
}

/** How one config node type is reached: the editor endpoints of that vendor are built from it. */
export interface ConnectionSpec<S extends { timeoutSec: number }, C extends object> {
  /** The config node type (`plugwise-gateway`...): its `.read` / `.write` permissions guard the endpoints. */
  nodeType: string;
  /** The config node's settings from a request body: the same function the node reads its definition with. */
  settings(body: Record<string, unknown>): S;
  /** The settings that say where requests go and how they are authenticated (host, port, URL, TLS, auth...). */
  connectionKeys: readonly (keyof S & string)[];
  credentialKeys: readonly (keyof C & string)[];
  /** The secret credentials, with what the dialog calls them ("the Smile ID"), for the message asking to type one. */
  secretLabels: Partial<Record<keyof C & string, string>>;
}

/**
 * One editor call, resolved: the settings and credentials to use, and the deployed config node when the
 * call asks for exactly its connection (then its own client, token and queue answer).
 */
export interface AdminCall<S, C, N> {
  body: Record<string, unknown>;
  /** As the request gives them, the timeout capped at ADMIN_TIMEOUT_MAX_SEC. */
  settings: S;
  credentials: C;
  deployed: N | undefined;
  /** Aborts when the editor's request goes away or the call's deadline (ADMIN_DEADLINE_MS) passes. */
  signal: AbortSignal;
}

/**
 * - `connect` (Test connection): sends a request to the settings in the request, so it needs the node
 *   type's write permission, as pressing an inject button needs `inject.write`.
 * - `pick` (a picker's list): the read permission suffices while the call is answered from the deployed
 *   node's own connection; settings of the caller's choosing need write, as `connect` does.
 */
export type Access = 'connect' | 'pick';

export interface AdminEndpoints<S, C, N> {
  route(path: string, access: Access, handler: (call: AdminCall<S, C, N>) => Promise<unknown>): void;
}

/** Editor calls in flight per node type (ADMIN_MAX_IN_FLIGHT). */
const inFlight = new Map<string, number>();

/**
 * The editor endpoints of one config node type, under /energy-gateways/. A handler's value is sent as
 * JSON; a failure as `{error: {code, message}}` with a 4xx/5xx status, without any secret of the call.
 *
 * Stored credentials are used only when every connection setting of the request equals the deployed
 * node's: otherwise a caller could send the node's Smile ID, client secret or password to a host of its
 * own choosing. A secret the request leaves out (or sends as the editor's placeholder) is then refused
 * with a BAD_INPUT asking to type it.
 */
export function adminEndpoints<S extends { timeoutSec: number }, C extends object, N extends DeployedConfigNode<S, C>>(
  RED: NodeAPI,
  spec: ConnectionSpec<S, C>,
): AdminEndpoints<S, C, N> {
  const deployedFor = (body: Record<string, unknown>): N | undefined => {
    const id = body.id;
    if (typeof id !== 'string' || !id) return undefined;
    const node = RED.nodes.getNode(id) as N | null;
    return node && node.type === spec.nodeType && node.settings ? node : undefined;
  };
  const sameConnection = (node: N | undefined, settings: S): node is N =>
    node !== undefined && spec.connectionKeys.every((k) => node.settings[k] === settings[k]);
  const typedCredentials = (body: Record<string, unknown>): Credentials => {
    const given = body.credentials && typeof body.credentials === 'object' ? (body.credentials as Record<string, unknown>) : {};
    const out: Credentials = {};
    for (const k of spec.credentialKeys) {
      const v = given[k];
      if (typeof v === 'string' && v !== '' && v !== PASSWORD_PLACEHOLDER) out[k] = v;
    }
    return out;
  };

  /** Whether the call is answered by the deployed node as it runs (connection and credentials its own). */
  const answeredByDeployed = (body: Record<string, unknown>): N | undefined => {
    const node = deployedFor(body);
    if (!sameConnection(node, spec.settings(body))) return undefined;
    const typed = typedCredentials(body);
    const stored = (node.credentials ?? {}) as Credentials;
    return spec.credentialKeys.every((k) => typed[k] === undefined || typed[k] === stored[k]) ? node : undefined;
  };

  const label = (k: string): string => (spec.secretLabels as Record<string, string | undefined>)[k] ?? k;
  const resolve = (body: Record<string, unknown>, signal: AbortSignal): AdminCall<S, C, N> => {
    const settings = spec.settings(body);
    settings.timeoutSec = Math.min(settings.timeoutSec, ADMIN_TIMEOUT_MAX_SEC);
    const node = deployedFor(body);
    const same = sameConnection(node, settings);
    const stored = (node?.credentials ?? {}) as Credentials;
    const typed = typedCredentials(body);
    const given = body.credentials && typeof body.credentials === 'object' ? (body.credentials as Record<string, unknown>) : {};
    const credentials: Credentials = {};
    for (const k of spec.credentialKeys) {
      if (typed[k] !== undefined) credentials[k] = typed[k];
      else if (same) credentials[k] = stored[k];
      else if ((spec.secretLabels as Record<string, string | undefined>)[k] && (given[k] === PASSWORD_PLACEHOLDER || stored[k])) {
        throw badInput(
          `These connection settings differ from the deployed node's, so its stored ${label(k)} is not sent to them: type ${label(k)} again (or deploy first).`,
        );
      }
    }
    return { body, settings, credentials: credentials as unknown as C, deployed: answeredByDeployed(body), signal };
  };

  /** Every secret the call could carry: typed ones and the named node's stored ones. */
  const secretsOf = (body: Record<string, unknown>): string[] => {
    const typed = typedCredentials(body);
    const stored = (deployedFor(body)?.credentials ?? {}) as Credentials;
    return Object.keys(spec.secretLabels).flatMap((k) => [typed[k], stored[k]]).filter((s): s is string => !!s);
  };

  return {
    route(path, access, handler) {
      RED.httpAdmin.post(`${ADMIN_PREFIX}${path}`, (req: AdminRequest, res: AdminResponse) => {
        const body = bodyObject(req);
        let needs: 'read' | 'write' = 'write';
        try {
          if (access === 'pick' && answeredByDeployed(body)) needs = 'read';
        } catch {
          // Settings that cannot even be read: the write permission decides who may hear that.
        }
        RED.auth.needsPermission(`${spec.nodeType}.${needs}`)(req, res, () => {
          serve(res, spec.nodeType, (signal) => handler(resolve(body, signal)), () => secretsOf(body));
        });
      });
    },
  };
}

/**
 * An editor endpoint that acts without a gateway connection (a network search): `<nodeType>.write`, and
 * bounded, aborted and answered as the connection endpoints are.
 */
export function adminAction(RED: NodeAPI, path: string, nodeType: string, handler: (body: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>): void {
  RED.httpAdmin.post(`${ADMIN_PREFIX}${path}`, RED.auth.needsPermission(`${nodeType}.write`), (req: AdminRequest, res: AdminResponse) => {
    const body = bodyObject(req);
    serve(res, nodeType, (signal) => handler(body, signal), () => []);
  });
}

/**
 * Runs one editor call: bounded in number per node type, aborted when the editor's request goes away or
 * the deadline passes, answered once, with the call's secrets scrubbed from any error.
 */
function serve(
  res: AdminResponse,
  nodeType: string,
  work: (signal: AbortSignal) => Promise<unknown>,
  secrets: () => string[],
): void {
  let answered = false;
  const reply = (code: number, value: unknown): void => {
    if (answered || res.headersSent || res.writableEnded) return;
    answered = true;
    res.status(code).json(value);
  };
  const fail = (err: unknown): void => {
    const gerr = toGatewayError(err);
    let list: string[] = [];
    try {
      list = secrets();
    } catch {
      // No node and no typed credentials to look at: the generic redaction still applies.
    }
    reply(httpStatusFor(gerr), { error: { code: gerr.code, message: redact(gerr.message, list) } });
  };
  const running = inFlight.get(nodeType) ?? 0;
  if (running >= ADMIN_MAX_IN_FLIGHT) {
    fail(new GatewayError('RATE_LIMITED', `${running} editor requests to ${nodeType} gateways are still running: wait for them to end, then try again.`));
    return;
  }
  inFlight.set(nodeType, running + 1);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new GatewayError('TIMEOUT', `The gateway did not answer the editor within ${ADMIN_DEADLINE_MS / 1000} s.`)), ADMIN_DEADLINE_MS);
  // The editor's request went away (dialog closed, browser gone): stop what it started.
  const gone = (): void => {
    if (!answered && !res.writableEnded) controller.abort(new GatewayError('TIMEOUT', 'The editor stopped waiting.'));
  };
  res.on('close', gone);
  const stopWaiting = onAbort(controller.signal, () => fail(controller.signal.reason));
  const finish = (): void => {
    clearTimeout(deadline);
    stopWaiting();
    res.off('close', gone);
    inFlight.set(nodeType, (inFlight.get(nodeType) ?? 1) - 1);
  };
  let settled: Promise<unknown>;
  try {
    settled = work(controller.signal);
  } catch (err) {
    settled = Promise.reject(err);
  }
  settled.then(
    (value) => {
      finish();
      reply(200, value);
    },
    (err: unknown) => {
      finish();
      fail(controller.signal.aborted ? controller.signal.reason : err);
    },
  );
}

/**
 * Runs `use` with the deployed node's client when the call is answered by it (`fromDeployed`), else with a
 * client made for this call (`make`), closed when the call ends or is aborted, so that no socket or timer
 * outlives the editor's request.
 */
export async function withCallClient<Cl extends { close(): Promise<void> }, T, N>(
  call: { deployed: N | undefined; signal: AbortSignal },
  fromDeployed: (node: N) => Cl | undefined,
  make: () => Cl,
  use: (client: Cl, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const own = call.deployed === undefined ? undefined : fromDeployed(call.deployed);
  if (own) return use(own, call.signal);
  const client = make();
  const closeOnAbort = call.signal.aborted ? NOTHING : onAbort(call.signal, () => void client.close().catch(NOTHING));
  try {
    return await use(client, call.signal);
  } finally {
    closeOnAbort();
    await client.close();
  }
}

export function bodyObject(req: AdminRequest): Record<string, unknown> {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

function httpStatusFor(err: GatewayError): number {
  switch (err.code) {
    case 'BAD_INPUT':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'RATE_LIMITED':
      return 429;
    default:
      // The gateway failed, not the editor's request: 502 tells the editor to show the message.
      return 502;
  }
}
