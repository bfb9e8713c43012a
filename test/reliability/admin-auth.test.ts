/**
 * Issue 13, items 1 and 2, against a real Node-RED with adminAuth (an admin and a read-only user) and the
 * four config nodes deployed with their stored secrets:
 * - a reader cannot make Node-RED send anything to a host of its choosing, nor press Test connection;
 *   a reader's pickers work while they ask the deployed nodes' own connections;
 * - nobody gets a stored secret sent to another host, URL, auth mode or TLS setting;
 * - editor calls to a silent host end when the caller walks away, run a few at a time, and time out
 *   within the cap whatever timeout the request names.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { delay, until } from '../nodes/harness';
import { startRecordingHost, startSilentHost, type RecordingHost, type TestHost } from '../simulators/hosts';
import { CREDENTIALS, allNodesFlow, allSecrets, startAllSims, type AllSims } from './all-nodes';
import { startSecuredRed, type SecuredRed, type Who } from './secured-red';

const P = '__PWRD__';

describe('editor endpoints in a real Node-RED with adminAuth (issue 13: 1, 2)', function () {
  this.timeout(180_000);
  let sims: AllSims;
  let secured: SecuredRed;
  let attacker: RecordingHost;
  let silent: TestHost;

  before(async () => {
    sims = await startAllSims();
    attacker = await startRecordingHost();
    silent = await startSilentHost();
    secured = await startSecuredRed('admin-auth');
    const flow = allNodesFlow(sims, '60')
      .filter((n) => n.type !== 'helper')
      .map((n) => ({ ...n, ...('wires' in n ? { wires: [[]] } : {}), ...(CREDENTIALS[String(n.id)] ? { credentials: CREDENTIALS[String(n.id)] } : {}) }));
    await secured.deploy(flow);
    await delay(1000);
  });

  after(async () => {
    await secured?.stop();
    await Promise.all([sims?.stop(), attacker?.stop(), silent?.stop()]);
  });

  const call = async (path: string, body: object, who: Who): Promise<{ status: number; text: string; code?: string }> => {
    const res = await secured.api(`energy-gateways/${path}`, { method: 'POST', body: JSON.stringify(body) }, who);
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      // 401 replies have no body
    }
    return { status: res.status, text, code };
  };

  /** The deployed config nodes' own settings, as an action node's picker sends them. */
  const own = (): Record<string, object> => ({
    plugwise: { id: 'rel-pw-gw', host: '127.0.0.1', port: sims.plugwise.port, credentials: { username: 'smile', password: P } },
    heatingcontrol: { id: 'rel-hc-account', baseUrl: `http://127.0.0.1:${sims.heating.port}`, scope: '', clientAuth: 'body', credentials: { clientId: CREDENTIALS['rel-hc-account']!.clientId, clientSecret: P } },
    thinknx: { id: 'rel-tk-server', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', cloudUrl: 'https://data.thinknx.eu', credentials: { username: 'demo', password: P, key: P } },
    ems: { id: 'rel-ems-server', baseUrl: `http://127.0.0.1:${sims.ems.port}`, allowSelfSigned: false, credentials: { username: CREDENTIALS['rel-ems-server']!.username, password: P } },
  });
  /** The same ids, pointed at the attacker's host (or, for Thinknx, the password moved into the URL). */
  const hostile = (): [string, object][] => {
    const port = new URL(attacker.url).port;
    const o = own();
    return [
      ['plugwise/test', { ...o.plugwise, host: '127.0.0.1', port }],
      ['plugwise/entities', { ...o.plugwise, host: '127.0.0.1', port }],
      ['plugwise/actions', { ...o.plugwise, host: '127.0.0.1', port }],
      ['heatingcontrol/test', { ...o.heatingcontrol, baseUrl: attacker.url }],
      ['heatingcontrol/homes', { ...o.heatingcontrol, baseUrl: attacker.url }],
      ['heatingcontrol/devices', { ...o.heatingcontrol, baseUrl: attacker.url }],
      ['heatingcontrol/commands', { ...o.heatingcontrol, baseUrl: attacker.url, device: 'x' }],
      ['heatingcontrol/settings', { ...o.heatingcontrol, baseUrl: attacker.url, device: 'x' }],
      ['thinknx/test', { ...o.thinknx, port }],
      ['thinknx/test', { ...o.thinknx, auth: 'query' }],
      ['thinknx/test', { ...o.thinknx, mode: 'cloud', cloudUrl: attacker.url }],
      ['ems/test', { ...o.ems, baseUrl: attacker.url }],
      ['ems/resources', { ...o.ems, baseUrl: attacker.url, kind: 'devices' }],
    ];
  };

  it('a reader can neither test a connection nor send a deployed node\'s secret anywhere; its pickers work', async () => {
    const before = sims.requests();
    for (const [path, body] of hostile()) {
      assert.equal((await call(path, body, 'reader')).status, 401, `reader ${path}`);
      assert.equal((await call(path, body, 'anonymous')).status, 401, `anonymous ${path}`);
    }
    const o = own();
    for (const path of ['plugwise/test', 'heatingcontrol/test', 'thinknx/test', 'ems/test']) {
      const vendor = path.split('/')[0]!;
      assert.equal((await call(path, o[vendor]!, 'reader')).status, 401, `reader ${path} (Test connection needs write)`);
    }
    assert.equal(sims.requests(), before, 'the refused calls sent nothing to the gateways');
    const pickers: [string, object][] = [
      ['plugwise/entities', o.plugwise!],
      ['plugwise/actions', o.plugwise!],
      ['heatingcontrol/devices', o.heatingcontrol!],
      ['heatingcontrol/homes', o.heatingcontrol!],
      ['ems/resources', { ...o.ems, kind: 'devices' }],
    ];
    for (const [path, body] of pickers) {
      const r = await call(path, body, 'reader');
      assert.equal(r.status, 200, `reader ${path} on the deployed connection: ${r.text}`);
    }
    assert.equal(attacker.connections(), 0, attacker.text());
  });

  it('an admin gets a request to type the secret: nothing reaches the other host, no secret in any reply', async () => {
    const replies: string[] = [];
    const before = sims.thinknx.requests();
    for (const [path, body] of hostile()) {
      const r = await call(path, body, 'admin');
      replies.push(r.text);
      assert.equal(r.status, 400, `admin ${path}: ${r.text}`);
      assert.equal(r.code, 'BAD_INPUT');
      assert.match(r.text, /type .+ again/);
    }
    assert.equal(attacker.connections(), 0, attacker.text());
    assert.equal(sims.thinknx.requests(), before, 'auth switched to query sent nothing to the Thinknx server');
    const o = own();
    for (const path of ['plugwise/test', 'heatingcontrol/test', 'thinknx/test', 'ems/test']) {
      const r = await call(path, o[path.split('/')[0]!]!, 'admin');
      replies.push(r.text);
      assert.equal(r.status, 200, `admin ${path} on the deployed connection: ${r.text}`);
    }
    const all = replies.join('\n') + secured.red.log;
    for (const s of allSecrets()) assert.ok(!all.includes(s), `a secret in a reply or the log: ${s.slice(0, 3)}…`);
  });

  it('editor calls to a silent host: capped timeout, aborted when the caller leaves, a few at a time', async () => {
    const silentBodies: [string, object][] = [
      ['plugwise/test', { host: '127.0.0.1', port: silent.port, timeout: 86400, credentials: { password: 'typed123' } }],
      ['heatingcontrol/test', { baseUrl: silent.url, timeout: 86400, credentials: { clientId: 'c', clientSecret: 'typed-secret' } }],
      ['thinknx/test', { mode: 'local', host: '127.0.0.1', port: silent.port, auth: 'basic', timeout: 86400, credentials: { username: 'u', password: 'typed-pass' } }],
      ['ems/test', { baseUrl: silent.url, timeout: 86400, credentials: { username: 'u', password: 'typed-pass' } }],
    ];
    const open = (path: string, body: object): { abandon(): void; done: Promise<number> } => {
      const data = JSON.stringify(body);
      let req: ReturnType<typeof request> | undefined;
      const done = new Promise<number>((resolve) => {
        req = request(new URL(`energy-gateways/${path}`, secured.red.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${secured.token('admin')}` },
        }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(-1));
        req.end(data);
      });
      return { abandon: () => req?.destroy(), done };
    };

    // One call waited for: it ends by itself within the cap, though it asked for a day.
    const started = Date.now();
    const waited = call(silentBodies[0]![0], silentBodies[0]![1], 'admin');

    // Six waves of calls the editor walks away from (three node types, three calls each).
    for (let wave = 0; wave < 6; wave++) {
      const calls = silentBodies.slice(1).flatMap(([path, body]) => [open(path, body), open(path, body), open(path, body)]);
      await until(() => silent.openSockets() === 1 + calls.length, 10_000, `wave ${wave}: every call reached the silent host (${silent.openSockets()})`);
      for (const c of calls) c.abandon();
      await until(() => silent.openSockets() === 1, 10_000, `wave ${wave}: abandoned calls let their sockets go (${silent.openSockets()} open)`);
    }
    // Four at once per node type; the fifth is refused before it sends anything.
    const [path, body] = silentBodies[3]!;
    const four = [1, 2, 3, 4].map(() => open(path, body));
    await until(() => silent.openSockets() === 5, 10_000, 'four EMS calls running');
    const connections = silent.connections();
    const fifth = await call(path, body, 'admin');
    assert.equal(fifth.status, 429, fifth.text);
    assert.equal(fifth.code, 'RATE_LIMITED');
    assert.equal(silent.connections(), connections, 'the fifth sent nothing');
    for (const c of four) c.abandon();

    const reply = await waited;
    const seconds = (Date.now() - started) / 1000;
    console.log(`      silent host: a call asking for an 86400 s timeout ended after ${seconds.toFixed(1)} s (${reply.code}); 6 waves of 9 abandoned calls: ${silent.connections()} connections in all, ${silent.openSockets()} open afterwards`);
    assert.equal(reply.status, 502, reply.text);
    assert.equal(reply.code, 'TIMEOUT');
    assert.ok(seconds <= 35, `ended within the cap (${seconds} s)`);
    await until(() => silent.openSockets() === 0, 10_000, 'no socket to the silent host is left');
  });
});
