import assert from 'node:assert/strict';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, checkRedeploys, delay, helper, loadNodeSet, logText, onTab, statuses, simulatorForEachTest, type Msg } from './harness';

const thinknx = loadNodeSet('thinknx');
const PASSWORD = 'qu3ry-Secret-pw';
const KEY = 'CloudKey5ecret77';

type Receiver = { receive(m: object): void };

const CATCH = [
  { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

/** Bad input, each a different kind of mistake; [node, msg]. None may cause a request. */
const BAD: Array<[string, string, Record<string, unknown>]> = [
  ['power: unknown word', 'c', { payload: 'maybe' }],
  ['power: number other than 0/1', 'c', { payload: 2 }],
  ['powerlevel: above 100', 'c', { capability: 'powerlevel', payload: 101 }],
  ['powerlevel: below 0', 'c', { capability: 'powerlevel', payload: -1 }],
  ['heightlevel: not a number', 'c', { capability: 'heightlevel', payload: 'abc' }],
  ['blindangle: an object', 'c', { capability: 'blindangle', payload: { angle: 5 } }],
  ['value: infinite', 'c', { capability: 'value', payload: '1e999' }],
  ['setpoint: outside -30..100', 'c', { capability: 'setpoint', payload: 205 }],
  ['setpoint: decimal comma', 'c', { capability: 'setpoint', payload: '20,5' }],
  ['tempmode: unknown mode name', 'c', { capability: 'tempmode', payload: 'turbo' }],
  ['hvacmode: number out of 0-4', 'c', { capability: 'hvacmode', payload: 5 }],
  ['hvacfan: unknown speed', 'c', { capability: 'hvacfan', payload: 'ludicrous' }],
  ['updown: unknown direction', 'c', { capability: 'updown', payload: 'left' }],
  ['blindstep: number out of 0-1', 'c', { capability: 'blindstep', payload: 2 }],
  ['scene: unknown action', 'c', { capability: 'scene', payload: 'pause' }],
  ['stop: "get" on a set-only capability', 'c', { capability: 'stop', payload: 'get' }],
  ['updown: empty payload (no status to read)', 'c', { capability: 'updown', payload: '' }],
  ['unknown capability', 'c', { capability: 'fly', payload: 1 }],
  ['no GUID at all', 'noguid', { payload: true }],
  ['malformed GUID', 'c', { guid: 'a b&c=d', payload: true }],
  ['GUID of the wrong type', 'c', { guid: { id: 1 }, payload: true }],
  ['feedback not a boolean', 'c', { feedback: 'yes', payload: true }],
  ['knx: main group above 31', 'k', { group: '32/0/1', payload: 1 }],
  ['knx: middle group above 7', 'k', { group: '1/8/0', payload: 1 }],
  ['knx: not main/middle/sub', 'k', { group: '1-2-3', payload: 1 }],
  ['knx: broadcast 0/0/0', 'k', { group: '0/0/0', payload: 1 }],
  ['knx: unsupported DPT', 'k', { dpt: 7, payload: 1 }],
  ['knx DPT 1: value 2', 'k', { dpt: 1, payload: 2 }],
  ['knx DPT 5: above 255', 'k', { dpt: 5, payload: 256 }],
  ['knx DPT 5: not whole', 'k', { dpt: 5, payload: 1.5 }],
  ['knx DPT 6: below -128', 'k', { dpt: 6, payload: -129 }],
  ['knx DPT 9: outside its range', 'k', { dpt: 9, payload: 700000 }],
  ['knx: no value', 'k', { payload: '' }],
  ['server: query auth over TLS', 'badcfg', { payload: true }],
];

describe('thinknx safety (built node set)', function () {
  let sim: ThinknxSimulator;

  simulatorForEachTest(() => new ThinknxSimulator({ password: PASSWORD, keys: [KEY] }), (s) => (sim = s));

  it(`rejects ${BAD.length} kinds of bad input as BAD_INPUT with zero requests`, async () => {
    const flow = [
      { id: 'srv', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'digest', timeout: '1' },
      { id: 'srv-bad', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'query', tls: true },
      { id: 'c', type: 'thinknx-control', server: 'srv', capability: 'power', guid: 'kitchen-light', wires: [['out']] },
      { id: 'noguid', type: 'thinknx-control', server: 'srv', capability: 'power', guid: '', wires: [['out']] },
      { id: 'k', type: 'thinknx-control', server: 'srv', capability: 'knx', group: '1/0/1', dpt: '5', wires: [['out']] },
      { id: 'badcfg', type: 'thinknx-control', server: 'srv-bad', capability: 'power', guid: 'kitchen-light', wires: [['out']] },
      { id: 'out', type: 'helper' },
      ...CATCH,
    ];
    const creds = { srv: { username: 'integration', password: PASSWORD }, 'srv-bad': { username: 'integration', password: PASSWORD } };
    await helper.load(thinknx, onTab(flow), creds);
    const caught = new Collector('caught');
    const seen = statuses('c');
    for (const [i, [kind, id, msg]] of BAD.entries()) {
      (helper.getNode(id) as Receiver).receive({ ...msg, kind });
      const errors = await caught.waitFor(i + 1, 3000);
      const e = errors[i] as Msg;
      assert.equal(e.kind, kind);
      assert.equal(e.error?.code, 'BAD_INPUT', `${kind}: ${e.error?.message}`);
      assert.ok(String(e.error?.message).length > 20 && !/undefined|\[object/.test(String(e.error?.message)), `${kind}: ${e.error?.message}`);
    }
    await delay(50);
    assert.equal(caught.msgs.length, BAD.length, 'one error each');
    assert.equal(new Collector('out').msgs.length, 0);
    // The code and the first words of the last refusal's message.
    assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'BAD_INPUT: msg.feedback must be true or false' });
    assert.equal(sim.count(), 0, 'no request reached the server');
    console.log(`      ${BAD.length} kinds of bad input rejected, ${sim.count()} requests sent`);
  });

  it('the password (query mode) and the cloud key appear in no log, status, error or msg', async () => {
    const flow = [
      { id: 'srv', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'query', timeout: '0.3' },
      { id: 'srv-cloud', type: 'thinknx-server', mode: 'cloud', cloudUrl: sim.url, timeout: '0.3' },
      { id: 'srv-wrong', type: 'thinknx-server', mode: 'cloud', cloudUrl: sim.url, timeout: '0.3' },
      { id: 'l', type: 'thinknx-control', server: 'srv', capability: 'setpoint', guid: 'bath-thermostat', wires: [['out']] },
      { id: 'cl', type: 'thinknx-control', server: 'srv-cloud', capability: 'setpoint', guid: 'bath-thermostat', wires: [['out']] },
      { id: 'w', type: 'thinknx-control', server: 'srv-wrong', capability: 'serverStatus', wires: [['out']] },
      { id: 'out', type: 'helper' },
      ...CATCH,
    ];
    const creds = { srv: { username: 'integration', password: PASSWORD }, 'srv-cloud': { key: KEY }, 'srv-wrong': { key: 'Wrong0Key0Secret' } };
    await helper.load(thinknx, onTab(flow), creds);
    const seen = { l: statuses('l'), cl: statuses('cl'), w: statuses('w') };
    const out = new Collector('out');
    const caught = new Collector('caught');
    let expectErrors = 0;
    for (const id of ['l', 'cl']) {
      const node = helper.getNode(id) as Receiver;
      node.receive({ payload: 21 });
      node.receive({ payload: 'get' });
      for (const fault of [{ status: 500 }, { status: 403 }, { body: 'malformed' }, { drop: true }, { hang: true }, { status: 404, body: '{"error":"device not found"}' }] as const) {
        sim.server.setFault({ ...fault, times: 1 });
        node.receive({ payload: 22 });
        await caught.waitFor(++expectErrors, 5000);
      }
    }
    (helper.getNode('w') as Receiver).receive({ payload: 'x' });
    await caught.waitFor(++expectErrors, 5000);
    sim.server.setFault(undefined);
    await out.waitFor(4);
    assert.equal(caught.msgs.at(-1)?.error?.code, 'AUTH_FAILED');
    const everything = JSON.stringify([out.msgs, caught.msgs, seen]) + logText();
    assert.ok(everything.length > 2000);
    if (process.env.THINKNX_SHOW_ERRORS) for (const m of caught.msgs) console.log(`      ${m.error?.code}: ${m.error?.message}`);
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), KEY, 'Wrong0Key0Secret']) assert.ok(!everything.includes(secret), `${secret} leaked`);
    assert.ok(sim.server.requests.some((r) => r.path.includes(`pass=${encodeURIComponent(PASSWORD)}`)), 'the query mode did send it (to the server only)');
  });

  it('declares the password and the key as password credentials (kept out of flow files and exports)', () => {
    const types: Record<string, unknown> = {};
    const noop = (): void => undefined;
    thinknx({
      nodes: { registerType: (type: string, _ctor: unknown, opts?: { credentials?: unknown }) => (types[type] = opts?.credentials), createNode: noop, getNode: noop, getCredentials: noop },
      httpAdmin: { get: noop, post: noop },
      auth: { needsPermission: () => noop },
      util: { cloneMessage: (m: unknown) => m },
      log: { warn: noop, info: noop, error: noop },
      _: (k: string) => k,
    });
    assert.deepEqual(types['thinknx-server'], { username: { type: 'text' }, password: { type: 'password' }, key: { type: 'password' } });
    assert.equal(types['thinknx-control'], undefined, 'the action node holds no credential');
  });

  it('Test connection works before deploy with the typed settings, and scrubs the secrets from errors', async () => {
    await helper.load(thinknx, onTab([]), {});
    const post = (body: object) => helper.request().post('/energy-gateways/thinknx/test').send(body);
    const ok = await post({ id: 'new-node', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'digest', credentials: { username: 'integration', password: PASSWORD } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body, { label: `Thinknx 127.0.0.1:${sim.port}`, version: '6.2.1.4', processUptime: 184500, serverUptime: 3542820, connectedClients: 3 });
    const cloud = await post({ id: 'n2', mode: 'cloud', cloudUrl: sim.url, credentials: { key: KEY } });
    assert.equal(cloud.status, 200, cloud.text);
    const wrong = await post({ id: 'n3', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'query', credentials: { username: 'integration', password: 'typed-Wrong-pass' } });
    assert.equal(wrong.status, 502);
    assert.equal((wrong.body as { error: { code: string } }).error.code, 'AUTH_FAILED');
    const bad = await post({ id: 'n4', mode: 'cloud', cloudUrl: sim.url, credentials: { key: 'bad/key' } });
    assert.equal(bad.status, 400);
    const before = sim.count();
    const none = await post({ id: 'n5', mode: 'local', host: '', credentials: {} });
    assert.equal(none.status, 400);
    assert.equal(sim.count(), before);
    const text = JSON.stringify([ok.body, cloud.body, wrong.body, bad.body, none.body]);
    for (const s of ['typed-Wrong-pass', KEY, PASSWORD]) assert.ok(!text.includes(s), s);
  });

  it('30 redeploys with commands in flight leave no sockets or timers behind', async () => {
    const flow = [
      { id: 'srv', type: 'thinknx-server', mode: 'local', host: '127.0.0.1', port: sim.port, auth: 'digest', timeout: '5' },
      { id: 'c', type: 'thinknx-control', server: 'srv', capability: 'power', guid: 'kitchen-light', feedback: true, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    const creds = { srv: { username: 'integration', password: PASSWORD } };
    await checkRedeploys({
      times: 30,
      load: () => helper.load(thinknx, onTab(flow), creds),
      // From here on the server hangs: every command is still in flight when its node stops.
      warmUp: async () => sim.server.setFault({ hang: true }),
      during: async (i) => {
        (helper.getNode('c') as Receiver).receive({ payload: i % 2 === 0 });
        await delay(i % 10 === 0 ? 60 : 5);
      },
      sim,
    });
    sim.server.setFault(undefined);
  });
});
