/**
 * The editor endpoints of all four vendors, as an attacker would call them: a deployed config node's id
 * with a host of the caller's choosing must never carry the node's stored secret there; editor calls end
 * when the editor's request goes away, and only a few run at once. (Permissions: test/reliability/admin-auth.)
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAllSims, type AllSims } from '../reliability/all-nodes';
import { startRecordingHost, startSilentHost, type RecordingHost, type TestHost } from '../simulators/hosts';
import { demo as emsDemo } from '../simulators/ems';
import { demo as heatingDemo } from '../simulators/heatingcontrol';
import { demo as plugwiseDemo } from '../simulators/plugwise';
import { demo as thinknxDemo } from '../simulators/thinknx';
import { helper, loadNodeSet, onTab, until } from './harness';

const SETS = ['plugwise', 'heatingcontrol', 'thinknx', 'ems'].map(loadNodeSet);
const P = '__PWRD__';

interface Reply {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
  text: string;
}

async function post(path: string, body: object): Promise<Reply> {
  const res = await helper.request().post(`/energy-gateways/${path}`).send(body);
  return { status: res.status, body: res.body as Reply['body'], text: res.text };
}

/** The config nodes of the four simulators, with their stored credentials. */
function configNodes(sims: AllSims): { flow: object[]; creds: Record<string, Record<string, string>> } {
  return {
    flow: onTab([
      { id: 'pw', type: 'plugwise-gateway', host: '127.0.0.1', port: sims.plugwise.port, pollInterval: '60', timeout: '2' },
      { id: 'hc', type: 'heating-account', baseUrl: `http://127.0.0.1:${sims.heating.port}`, scope: '', clientAuth: 'body', timeout: '2' },
      { id: 'tk', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', cloudUrl: 'https://data.thinknx.eu', timeout: '2' },
      { id: 'ems', type: 'ems-server', baseUrl: `http://127.0.0.1:${sims.ems.port}`, allowSelfSigned: false, timeout: '2' },
    ]),
    creds: { pw: plugwiseDemo.credentials, hc: heatingDemo.credentials, tk: thinknxDemo.credentials, ems: emsDemo.credentials },
  };
}

describe('editor endpoints: stored secrets stay with their own connection', function () {
  this.timeout(30_000);
  let sims: AllSims;
  let attacker: RecordingHost;

  beforeEach(async () => {
    sims = await startAllSims();
    attacker = await startRecordingHost();
    await helper.startServer();
    const { flow, creds } = configNodes(sims);
    await helper.load(SETS, flow, creds);
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await attacker.stop();
    await sims.stop();
  });

  it("a deployed node's id with another host, URL or auth mode sends nothing, and asks to type the secret", async () => {
    const a = new URL(attacker.url);
    const calls: [string, object][] = [
      ['plugwise/test', { id: 'pw', host: a.hostname, port: a.port, credentials: { username: 'smile', password: P } }],
      ['plugwise/test', { id: 'pw', host: '127.0.0.1', port: a.port, credentials: { username: 'smile' } }],
      ['plugwise/entities', { id: 'pw', host: a.hostname, port: a.port, credentials: { password: P } }],
      ['plugwise/actions', { id: 'pw', host: a.hostname, port: a.port }],
      ['heatingcontrol/test', { id: 'hc', baseUrl: attacker.url, clientAuth: 'body', credentials: { clientId: heatingDemo.credentials.clientId, clientSecret: P } }],
      ['heatingcontrol/devices', { id: 'hc', baseUrl: attacker.url, clientAuth: 'body', credentials: { clientId: heatingDemo.credentials.clientId } }],
      ['thinknx/test', { id: 'tk', mode: 'local', host: a.hostname, port: a.port, auth: 'digest', credentials: { username: 'demo', password: P } }],
      ['thinknx/test', { id: 'tk', mode: 'cloud', cloudUrl: attacker.url, credentials: { username: 'demo', key: P } }],
      ['ems/test', { id: 'ems', baseUrl: attacker.url, credentials: { username: emsDemo.credentials.username, password: P } }],
      ['ems/resources', { id: 'ems', baseUrl: attacker.url, kind: 'devices', credentials: { username: emsDemo.credentials.username } }],
      // Another vendor's node: its password must not become a Smile ID.
      ['plugwise/test', { id: 'ems', host: a.hostname, port: a.port, credentials: { password: P } }],
    ];
    for (const [path, body] of calls) {
      const res = await post(path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.error?.code, 'BAD_INPUT');
      assert.match(res.body.error?.message ?? '', /type .+ again|Enter the Smile ID/, res.text);
    }
    // Same host, but the password moved into the URL (auth: query): that is another connection too.
    const before = sims.thinknx.requests();
    const query = await post('thinknx/test', { id: 'tk', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, auth: 'query', credentials: { username: 'demo', password: P } });
    assert.equal(query.status, 400, query.text);
    assert.equal(sims.thinknx.requests(), before, 'nothing sent to the Thinknx server either');
    assert.equal(attacker.received.length, 0, attacker.text());
  });

  it('the same call with the deployed settings still uses the stored credentials', async () => {
    const ok = [
      await post('plugwise/test', { id: 'pw', host: '127.0.0.1', port: sims.plugwise.port, credentials: { username: 'smile', password: P } }),
      await post('heatingcontrol/test', { id: 'hc', baseUrl: `http://127.0.0.1:${sims.heating.port}`, clientAuth: 'body', credentials: { clientId: heatingDemo.credentials.clientId, clientSecret: P } }),
      await post('thinknx/test', { id: 'tk', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', cloudUrl: 'https://data.thinknx.eu', credentials: { username: 'demo', password: P } }),
      await post('ems/test', { id: 'ems', baseUrl: `http://127.0.0.1:${sims.ems.port}`, allowSelfSigned: false, credentials: { username: emsDemo.credentials.username, password: P } }),
    ];
    for (const r of ok) assert.equal(r.status, 200, r.text);
  });

  it('typed credentials reach a new host; the stored ones do not', async () => {
    const res = await post('heatingcontrol/test', { id: 'hc', baseUrl: attacker.url, clientAuth: 'body', credentials: { clientId: 'someone', clientSecret: 'typed-by-the-user' } });
    assert.equal(res.body.error?.code, 'NOT_FOUND', res.text);
    assert.equal(attacker.received.length, 1, 'one token request');
    assert.ok(attacker.text().includes('typed-by-the-user'), 'what the user typed was sent');
    assert.ok(!attacker.text().includes(heatingDemo.credentials.clientSecret), 'the stored secret was not');
    assert.ok(!res.text.includes('typed-by-the-user'), 'and the reply does not repeat it');
  });
});

describe('editor endpoints: bounded calls', function () {
  this.timeout(30_000);
  let silent: TestHost;
  /** The test helper's admin app on a real socket of its own, so an editor call can be walked away from. */
  let admin: Server;
  let adminUrl = '';

  beforeEach(async () => {
    silent = await startSilentHost();
    await helper.startServer();
    await helper.load(SETS, onTab([]), {});
    admin = createServer((helper as unknown as { _httpAdmin: Parameters<typeof createServer>[0] })._httpAdmin);
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    admin.closeAllConnections();
    await new Promise((resolve) => admin.close(resolve));
    await helper.unload();
    await helper.stopServer();
    await silent.stop();
  });

  /** Starts an editor call and returns a function that walks away from it (as a closed dialog does). */
  function hangingCall(path: string, body: object): { abandon(): void; reply: Promise<number> } {
    const data = JSON.stringify(body);
    let req: ReturnType<typeof request> | undefined;
    const reply = new Promise<number>((resolve) => {
      req = request(`${adminUrl}/energy-gateways/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      req.end(data);
    });
    return { abandon: () => req?.destroy(), reply };
  }

  const silentCalls = (): [string, object][] => [
    ['plugwise/test', { host: '127.0.0.1', port: silent.port, timeout: 86400, credentials: { password: 'typed123' } }],
    ['heatingcontrol/test', { baseUrl: silent.url, timeout: 86400, credentials: { clientId: 'c', clientSecret: 'typed-secret' } }],
    ['thinknx/test', { mode: 'local', host: '127.0.0.1', port: silent.port, auth: 'basic', timeout: 86400, credentials: { username: 'u', password: 'typed-pass' } }],
    ['ems/test', { baseUrl: silent.url, timeout: 86400, credentials: { username: 'u', password: 'typed-pass' } }],
  ];

  it('a call the editor walks away from is aborted: no socket to the gateway stays open', async () => {
    for (let wave = 0; wave < 3; wave++) {
      const calls = silentCalls().map(([path, body]) => hangingCall(path, body));
      await until(() => silent.openSockets() === calls.length, 5000, `wave ${wave}: every call reached the silent host (${silent.openSockets()})`);
      for (const c of calls) c.abandon();
      await until(() => silent.openSockets() === 0, 5000, `wave ${wave}: the abandoned calls closed their sockets (open: ${silent.openSockets()})`);
    }
    assert.equal(silent.connections(), 12);
  });

  it('at most a few calls per node type run at once; the next is refused until one ends', async () => {
    const [path, body] = silentCalls()[3]!;
    const running = [1, 2, 3, 4].map(() => hangingCall(path, body));
    await until(() => silent.openSockets() === 4, 5000, 'four calls running');
    const fifth = await post(path, body);
    assert.equal(fifth.status, 429, fifth.text);
    assert.equal(fifth.body.error?.code, 'RATE_LIMITED');
    assert.equal(silent.connections(), 4, 'the refused call sent nothing');
    // Another node type is not held up by these.
    const other = hangingCall(...silentCalls()[0]!);
    await until(() => silent.openSockets() === 5, 5000, 'a Plugwise call runs beside them');
    for (const c of [...running, other]) c.abandon();
    await until(() => silent.openSockets() === 0, 5000, 'all closed');
    // The places were given back.
    const again = hangingCall(path, body);
    await until(() => silent.openSockets() === 1, 5000, 'a new call is accepted');
    again.abandon();
    await until(() => silent.openSockets() === 0, 5000, 'and closed');
  });
});
