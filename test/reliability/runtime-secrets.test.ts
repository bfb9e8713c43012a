/**
 * A real Node-RED process with adminAuth on, all nine node types deployed through the admin API, and the
 * gateways answering and failing. Sentinel secrets are then searched for in everything Node-RED writes:
 * its log, the flows file, the flows exported by the admin API, debug msgs and statuses (comms websocket),
 * Catch-node errors, and this package's admin endpoint replies. Admin endpoints must refuse a caller
 * without the node's read permission.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { NodeRedProcess } from '../node-red-process';
import { delay, until } from '../nodes/harness';
import { CREDENTIALS, TRIGGERS, allNodesFlow, allSecrets, startAllSims, type AllSims } from './all-nodes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(s: string, rounds: number): string };

const ADMIN_PASSWORD = 'admin-pass-0123';
const CREDENTIAL_SECRET = 'flow-credential-key-0123';
/** A wrong Smile ID typed into Test connection: a secret too. */
const WRONG_SMILE_ID = 'wrongid9';
const WRONG_CLIENT_SECRET = 'wrong-client-secret-typed';

interface TokenReply {
  access_token: string;
}

describe('secrets in a real Node-RED (adminAuth on)', function () {
  this.timeout(180_000);
  const red = new NodeRedProcess();
  let sims: AllSims;
  let token = '';
  let limitedToken = '';
  const comms: string[] = [];
  let ws: WebSocket | undefined;

  const api = async (path: string, init: RequestInit = {}, bearer = token): Promise<Response> =>
    fetch(new URL(path, red.url), {
      ...init,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(init.headers as Record<string, string>) },
    });

  const login = async (username: string, password: string, scope = '*'): Promise<string> => {
    const res = await api('auth/token', { method: 'POST', body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }) }, '');
    assert.equal(res.status, 200, `login ${username}`);
    return ((await res.json()) as TokenReply).access_token;
  };

  before(async () => {
    sims = await startAllSims();
    const hash = bcrypt.hashSync(ADMIN_PASSWORD, 8);
    await red.start('secrets', {
      credentialSecret: CREDENTIAL_SECRET,
      extraSettings: `  adminAuth: { type: 'credentials', users: [
    { username: 'admin', password: ${JSON.stringify(hash)}, permissions: '*' },
    { username: 'limited', password: ${JSON.stringify(hash)}, permissions: ['flows.read'] },
  ] },`,
    });
    token = await login('admin', ADMIN_PASSWORD);
    limitedToken = await login('limited', ADMIN_PASSWORD, 'flows.read');
    ws = new WebSocket(new URL('comms', red.url.replace(/^http/, 'ws')));
    ws.on('message', (data) => comms.push(String(data)));
    await new Promise<void>((resolve, reject) => {
      ws?.once('open', () => resolve());
      ws?.once('error', reject);
    });
    ws.send(JSON.stringify({ auth: token }));
    await delay(200);
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
  });

  after(async () => {
    ws?.close();
    await red.stop();
    await sims.stop();
  });

  it('finds no secret in the log, flows file, exported flows, debug msgs, statuses, errors or admin replies', async () => {
    // The flow: all nine node types, each triggered by an inject, every output and every error into a debug.
    const base = allNodesFlow(sims, '1');
    const flow: Record<string, unknown>[] = [];
    for (const n of base) {
      const id = String(n.id);
      if (n.type === 'helper') {
        flow.push({ id, type: 'debug', z: n.z, active: true, tosidebar: true, console: true, complete: 'true', targetType: 'full', wires: [] });
      } else {
        flow.push({ ...n, ...(CREDENTIALS[id] ? { credentials: CREDENTIALS[id] } : {}) });
      }
    }
    for (const id of Object.keys(TRIGGERS)) {
      flow.push({ id: `${id}-inject`, type: 'inject', z: 'rel-tab', props: [{ p: 'payload' }], payload: String(TRIGGERS[id]?.payload ?? ''), payloadType: 'str', wires: [[id]] });
    }
    // A second gateway with a wrong Smile ID, and an account with a wrong secret: errors to a Catch node.
    flow.push(
      { id: 'bad-gw', type: 'plugwise-gateway', name: 'wrong id', host: '127.0.0.1', port: sims.plugwise.port, pollInterval: '1', timeout: '1', credentials: { username: 'smile', password: WRONG_SMILE_ID } },
      { id: 'bad-in', type: 'plugwise-in', z: 'rel-tab', gateway: 'bad-gw', output: 'snapshot', entity: '', poll: true, wires: [[]] },
      { id: 'bad-account', type: 'heating-account', name: 'wrong secret', baseUrl: `http://127.0.0.1:${sims.heating.port}`, scope: '', clientAuth: 'body', credentials: { clientId: 'demo-client', clientSecret: WRONG_CLIENT_SECRET } },
      { id: 'bad-hc', type: 'heating-command', z: 'rel-tab', account: 'bad-account', operation: 'homes', device: '', command: '', setting: '', wires: [[]] },
      { id: 'bad-hc-inject', type: 'inject', z: 'rel-tab', props: [{ p: 'payload' }], payload: '', payloadType: 'str', wires: [['bad-hc']] },
      { id: 'catch-all', type: 'catch', z: 'rel-tab', scope: null, uncaught: false, wires: [['catch-debug']] },
      { id: 'catch-debug', type: 'debug', z: 'rel-tab', active: true, tosidebar: true, console: true, complete: 'true', targetType: 'full', wires: [] },
    );
    const deploy = await api('flows', { method: 'POST', body: JSON.stringify(flow), headers: { 'Node-RED-Deployment-Type': 'full' } });
    assert.equal(deploy.status, 204, await deploy.text());

    await delay(1500);
    for (const id of [...Object.keys(TRIGGERS), 'bad-hc']) {
      const res = await api(`inject/${id}-inject`, { method: 'POST' });
      assert.equal(res.status, 200, `inject ${id}`);
    }
    await until(() => comms.filter((c) => c.includes('"topic":"debug"')).length >= 7, 30_000, 'debug msgs from every node and the Catch node');
    await delay(1500);

    // Admin endpoints, with good and wrong typed credentials.
    const replies: string[] = [];
    const admin = async (path: string, body: object, bearer = token): Promise<Response> => {
      const res = await api(`energy-gateways/${path}`, { method: 'POST', body: JSON.stringify(body) }, bearer);
      replies.push(`${path} ${res.status} ${await res.clone().text()}`);
      return res;
    };
    await admin('plugwise/test', { id: 'rel-pw-gw', host: '127.0.0.1', port: sims.plugwise.port, credentials: { password: '__PWRD__' } });
    await admin('plugwise/test', { host: '127.0.0.1', port: sims.plugwise.port, credentials: { username: 'smile', password: WRONG_SMILE_ID } });
    await admin('heatingcontrol/test', { id: 'rel-hc-account', baseUrl: `http://127.0.0.1:${sims.heating.port}`, clientAuth: 'body', credentials: { clientId: 'demo-client' } });
    await admin('heatingcontrol/test', { baseUrl: `http://127.0.0.1:${sims.heating.port}`, clientAuth: 'body', credentials: { clientId: 'demo-client', clientSecret: WRONG_CLIENT_SECRET } });
    await admin('thinknx/test', { id: 'rel-tk-server', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, auth: 'query', credentials: { username: 'demo' } });
    await admin('ems/test', { id: 'rel-ems-server', baseUrl: `http://127.0.0.1:${sims.ems.port}`, credentials: { username: 'api' } });
    assert.ok(replies.some((r) => r.startsWith('plugwise/test 200')), replies.join('\n'));
    assert.ok(replies.some((r) => r.startsWith('plugwise/test 502') && r.includes('AUTH_FAILED')), replies.join('\n'));

    const exported = await (await api('flows')).text();
    const flowsFile = readFileSync(join(red.dir, 'flows.json'), 'utf8');
    const credFile = readFileSync(join(red.dir, 'flows_cred.json'), 'utf8');
    const secrets = [
      ...allSecrets(),
      WRONG_SMILE_ID,
      WRONG_CLIENT_SECRET,
      ...(sims.heating.issuedSecrets?.() ?? []),
      ...(sims.ems.issuedSecrets?.() ?? []),
    ].filter((s) => s.length >= 6);
    assert.ok((sims.heating.issuedSecrets?.() ?? []).length > 0 && (sims.ems.issuedSecrets?.() ?? []).length > 0, 'tokens were issued and are searched for');
    const places: Record<string, string> = {
      log: red.log,
      'flows file': flowsFile,
      'credentials file (encrypted)': credFile,
      'exported flows': exported,
      'debug msgs and statuses': comms.join('\n'),
      'admin endpoint replies': replies.join('\n'),
    };
    const hits: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      for (const s of secrets) {
        if (text.includes(s) || text.includes(Buffer.from(s).toString('base64').replace(/=+$/, ''))) hits.push(`${place}: ${s.slice(0, 3)}…`);
      }
    }
    const statuses = comms.filter((c) => c.includes('"topic":"status/')).length;
    console.log(`      scanned: log ${red.log.length} B, flows ${flowsFile.length} B, export ${exported.length} B, comms ${comms.length} msgs (${statuses} statuses), ${replies.length} admin replies, ${secrets.length} secrets; hits: ${hits.length}`);
    assert.ok(statuses > 0 && red.log.includes('AUTH_FAILED'), 'the scan saw statuses and the failures');
    assert.deepEqual(hits, []);
  });

  it('admin endpoints refuse callers without the node read permission', async () => {
    const body = JSON.stringify({ host: '127.0.0.1', port: sims.plugwise.port, credentials: { password: 'x' } });
    const paths = ['plugwise/test', 'plugwise/entities', 'heatingcontrol/test', 'heatingcontrol/devices', 'thinknx/test', 'ems/test', 'ems/resources'];
    for (const path of paths) {
      const anonymous = await api(`energy-gateways/${path}`, { method: 'POST', body }, '');
      assert.equal(anonymous.status, 401, `${path} without a token`);
      const limited = await api(`energy-gateways/${path}`, { method: 'POST', body }, limitedToken);
      assert.equal(limited.status, 401, `${path} with flows.read only`);
    }
    const allowed = await api('energy-gateways/plugwise/entities', { method: 'POST', body: JSON.stringify({ id: 'rel-pw-gw', host: '127.0.0.1', port: sims.plugwise.port }) });
    assert.equal(allowed.status, 200);
  });
});
