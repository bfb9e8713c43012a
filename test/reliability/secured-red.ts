/**
 * A real Node-RED 4 process with adminAuth on and two users: `admin` (every permission) and `reader`
 * (read-only: `read`, as a user a dashboard viewer or an auditor gets). Tests deploy flows and call the
 * admin API as either; `api(path, init, 'anonymous')` sends no token.
 */
import assert from 'node:assert/strict';
import { NodeRedProcess } from '../node-red-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(s: string, rounds: number): string };

export const ADMIN_PASSWORD = 'admin-pass-0123';
export const CREDENTIAL_SECRET = 'flow-credential-key-0123';

export type Who = 'admin' | 'reader' | 'anonymous';

export interface SecuredRed {
  red: NodeRedProcess;
  /** A fetch against the admin API as `who` (admin by default), JSON content type. */
  api(path: string, init?: RequestInit, who?: Who): Promise<Response>;
  /** Deploys these nodes as the whole flow (as admin); throws unless Node-RED accepts them. */
  deploy(flow: object[]): Promise<void>;
  /** The bearer token of a user, for a comms websocket. */
  token(who: Exclude<Who, 'anonymous'>): string;
  stop(): Promise<void>;
}

export interface SecuredRedOptions {
  /** Extra lines for settings.js (inside module.exports), e.g. `  functionGlobalContext: {},`. */
  extraSettings?: string;
  /** Arguments for node before Node-RED's script, e.g. `--max-old-space-size=256`. */
  nodeArgs?: string[];
}

export async function startSecuredRed(name: string, options: SecuredRedOptions = {}): Promise<SecuredRed> {
  const red = new NodeRedProcess();
  const hash = bcrypt.hashSync(ADMIN_PASSWORD, 8);
  await red.start(name, {
    credentialSecret: CREDENTIAL_SECRET,
    nodeArgs: options.nodeArgs,
    extraSettings: `  adminAuth: { type: 'credentials', users: [
    { username: 'admin', password: ${JSON.stringify(hash)}, permissions: '*' },
    { username: 'reader', password: ${JSON.stringify(hash)}, permissions: 'read' },
  ] },
${options.extraSettings ?? ''}`,
  });
  const tokens: Record<string, string> = {};
  const raw = (path: string, init: RequestInit, bearer: string): Promise<Response> =>
    fetch(new URL(path, red.url), {
      ...init,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(init.headers as Record<string, string>) },
    });
  for (const [user, scope] of [['admin', '*'], ['reader', 'read']] as const) {
    const res = await raw('auth/token', { method: 'POST', body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username: user, password: ADMIN_PASSWORD }) }, '');
    assert.equal(res.status, 200, `login ${user}`);
    tokens[user] = ((await res.json()) as { access_token: string }).access_token;
  }
  const api = (path: string, init: RequestInit = {}, who: Who = 'admin'): Promise<Response> => raw(path, init, who === 'anonymous' ? '' : tokens[who] ?? '');
  return {
    red,
    api,
    token: (who) => tokens[who] ?? '',
    deploy: async (flow) => {
      const res = await api('flows', { method: 'POST', body: JSON.stringify(flow), headers: { 'Node-RED-Deployment-Type': 'full' } });
      assert.equal(res.status, 204, await res.text());
    },
    stop: () => red.stop(),
  };
}
