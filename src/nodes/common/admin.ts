import { GatewayError, toGatewayError } from '../../core/errors';
import type { AdminRequest, AdminResponse, NodeAPI } from './red';

/** What the editor sends for a password it shows but does not have (Node-RED's placeholder). */
export const PASSWORD_PLACEHOLDER = '__PWRD__';

export const ADMIN_PREFIX = '/energy-gateways';

/**
 * The settings of a config node as the editor has them: typed values win; a credential the editor
 * does not hold (placeholder or absent) is taken from the deployed node with that id.
 */
export function formCredentials(RED: NodeAPI, id: unknown, typed: unknown, keys: readonly string[]): Record<string, string | undefined> {
  const stored = typeof id === 'string' && id ? RED.nodes.getCredentials(id) ?? {} : {};
  const given = typed && typeof typed === 'object' ? (typed as Record<string, unknown>) : {};
  const out: Record<string, string | undefined> = {};
  for (const k of keys) {
    const v = given[k];
    out[k] = typeof v === 'string' && v !== '' && v !== PASSWORD_PLACEHOLDER ? v : stored[k];
  }
  return out;
}

export function bodyObject(req: AdminRequest): Record<string, unknown> {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/**
 * Registers an admin endpoint under /energy-gateways/, guarded by the node type's read permission.
 * The handler's value is sent as JSON; a failure as `{error: {code, message}}` with a 4xx/5xx status.
 * `scrub` removes the request's secrets from an error message before it leaves.
 */
export function adminRoute(
  RED: NodeAPI,
  method: 'get' | 'post',
  path: string,
  nodeType: string,
  handler: (req: AdminRequest) => Promise<unknown>,
  scrub: (text: string, req: AdminRequest) => string = (t) => t,
): void {
  const guard = RED.auth.needsPermission(`${nodeType}.read`);
  RED.httpAdmin[method](`${ADMIN_PREFIX}${path}`, guard, (req: AdminRequest, res: AdminResponse) => {
    let answered = false;
    const reply = (code: number, body: unknown): void => {
      if (answered || res.headersSent) return;
      answered = true;
      res.status(code).json(body);
    };
    const fail = (err: unknown): void => {
      const gerr = toGatewayError(err);
      reply(httpStatusFor(gerr), { error: { code: gerr.code, message: scrub(gerr.message, req) } });
    };
    try {
      handler(req).then((value) => reply(200, value), fail);
    } catch (err) {
      fail(err);
    }
  });
}

function httpStatusFor(err: GatewayError): number {
  switch (err.code) {
    case 'BAD_INPUT':
      return 400;
    case 'NOT_FOUND':
      return 404;
    default:
      // The gateway failed, not the editor's request: 502 tells the editor to show the message.
      return 502;
  }
}
