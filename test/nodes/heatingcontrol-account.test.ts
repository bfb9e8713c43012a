import assert from 'node:assert/strict';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { deviceId } from '../simulators/heatingcontrol/data';
import { Collector, checkRedeploys, delay, helper, loadNodeSet, logText, statuses, until, simulatorForEachTest } from './harness';

const heating = loadNodeSet('heatingcontrol');
const CREDS = { clientId: 'acct-test-client', clientSecret: 'Acct-S3cret-4f9e21' };
const DEV = deviceId(1);

interface Receiver {
  receive(m: object): void;
}
const send = (id: string, msg: object): void => (helper.getNode(id) as Receiver).receive(msg);

describe('heating-account (built node set, against the simulator)', function () {
  let sim: HeatingSimulator;

  function flow(extra: Record<string, unknown>[] = [], account: Record<string, unknown> = {}): Record<string, unknown>[] {
    return [
      { id: 'acct', type: 'heating-account', name: 'sim', baseUrl: sim.url, scope: '', clientAuth: 'body', ...account },
      { id: 'cmd', type: 'heating-command', account: 'acct', operation: 'command', device: DEV, command: 'setTemperature', params: {}, wires: [['out']] },
      { id: 'read', type: 'heating-command', account: 'acct', operation: 'state', device: DEV, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'hc-catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      ...extra,
    ];
  }

  simulatorForEachTest(() => new HeatingSimulator({ ...CREDS, deviceCount: 6 }), (s) => (sim = s));

  it('1000 commands through two nodes on one account: 1 token request', async () => {
    await helper.load(heating, flow(), { acct: CREDS });
    const out = new Collector('out');
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) {
      const payload = { temperature: 5 + (i % 61) * 0.5 };
      // Half through the command node, half through the state node turned into a command by msg overrides.
      send(i % 2 ? 'cmd' : 'read', i % 2 ? { payload } : { operation: 'command', command: 'setTemperature', payload });
    }
    await out.waitFor(1000, 30_000);
    assert.equal(sim.executed.length, 1000);
    assert.equal(sim.tokenRequests, 1);
    assert.equal(sim.count(`/v1/devices/${DEV}/commands`, 'GET'), 1, 'one schema fetch for all of them');
    console.log(`      node: 1000 commands in ${Date.now() - t0} ms -> ${sim.tokenRequests} token request(s), ${sim.count('/v1/devices/', 'POST')} POSTs`);
  });

  it('concurrent first use, an expired token and a revoked one are all renewed transparently (one request each)', async () => {
    await sim.stop();
    sim = new HeatingSimulator({ ...CREDS, deviceCount: 6, expiresIn: 2 });
    await sim.start();
    await helper.load(heating, flow(), { acct: CREDS });
    const out = new Collector('out');
    const caught = new Collector('caught');
    const seen = statuses('read');
    for (let i = 0; i < 20; i++) send('read', {});
    await out.waitFor(20);
    assert.equal(sim.tokenRequests, 1, 'twenty readers, one token request');
    assert.ok(seen.some((s) => s.fill === 'yellow' && s.text === 'authenticating'), 'yellow while authenticating');
    assert.equal(seen.at(-1)?.fill, 'green');
    await delay(1900); // the 2 s token is past its renewal point (a tenth of its life before expiry)
    for (let i = 0; i < 20; i++) send('read', {});
    await out.waitFor(40);
    assert.equal(sim.tokenRequests, 2);
    assert.equal(sim.grants.refresh_token, 1, 'renewed with the refresh token');
    sim.revokeAccessTokens();
    for (let i = 0; i < 20; i++) send('read', {});
    await out.waitFor(60);
    assert.equal(sim.tokenRequests, 3, 'twenty 401s, one renewal');
    assert.equal(caught.msgs.length, 0, 'no error reached the flow');
  });

  it('the client secret and the tokens appear nowhere: logs, statuses, errors, msgs, flows', async () => {
    const extra = [
      { id: 'bad-acct', type: 'heating-account', name: 'wrong', baseUrl: sim.url, scope: '', clientAuth: 'basic' },
      { id: 'bad', type: 'heating-command', account: 'bad-acct', operation: 'homes', wires: [['out']] },
    ];
    await helper.load(heating, flow(extra), { acct: CREDS, 'bad-acct': { clientId: CREDS.clientId, clientSecret: 'Wrong-S3cret-b77' } });
    const seen = [statuses('cmd'), statuses('read'), statuses('bad')];
    const out = new Collector('out');
    const caught = new Collector('caught');
    send('read', {});
    send('cmd', { payload: { temperature: 21 } });
    await out.waitFor(2);
    send('bad', {});
    await caught.waitFor(1);
    assert.equal(caught.msgs[0]?.error?.code, 'AUTH_FAILED');
    const faults: (() => void)[] = [
      () => sim.refuse({ path: '/v1/devices/', status: 401, code: 'UNAUTHORIZED', message: 'Token revoked', times: 2 }),
      () => sim.server.setFault({ path: '/v1/devices/', status: 500, body: 'html' }),
      () => sim.server.setFault({ path: '/v1/devices/', drop: true }),
      () => sim.server.setFault({ path: '/v1/devices/', body: 'malformed' }),
    ];
    for (const fault of faults) {
      fault();
      send('read', {});
      await caught.waitFor(caught.msgs.length + 1, 15_000);
      sim.server.setFault(undefined);
    }
    send('cmd', { payload: { temperature: 99 } });
    await caught.waitFor(6);
    // What Node-RED would write to the flow file, and how it stores the credentials (flows_cred.json, encrypted).
    const runtime = (helper as unknown as { _redNodes: { getFlows(): unknown; getCredentialDefinition(type: string): unknown } })._redNodes;
    assert.deepEqual(runtime.getCredentialDefinition('heating-account'), { clientId: { type: 'text' }, clientSecret: { type: 'password' } });
    const flowFile = JSON.stringify(runtime.getFlows());
    assert.ok(flowFile.includes('heating-command'));
    const everything = JSON.stringify([out.msgs, caught.msgs, seen]) + flowFile + logText();
    const secrets = [CREDS.clientSecret, 'Wrong-S3cret-b77', ...sim.issued];
    assert.ok(sim.issued.length >= 4, 'tokens were issued');
    assert.ok(everything.length > 2000);
    for (const s of secrets) assert.ok(!everything.includes(s), `secret leaked: ${s.slice(0, 6)}…`);
    assert.ok(!everything.includes(Buffer.from(`${CREDS.clientId}:Wrong-S3cret-b77`).toString('base64')), 'Basic credentials leaked');
    assert.deepEqual(caught.msgs.map((m) => m.error?.code), ['AUTH_FAILED', 'AUTH_FAILED', 'SERVER_ERROR', 'UNREACHABLE', 'BAD_RESPONSE', 'BAD_INPUT']);
  });

  it('editor endpoints work before deploy with the typed credentials, and never echo the secret', async () => {
    await helper.load(heating, [], {});
    const account = { id: 'not-deployed', baseUrl: sim.url, scope: '', clientAuth: 'body', credentials: CREDS };
    const api = helper.request();
    const test = await api.post('/energy-gateways/heatingcontrol/test').send(account);
    assert.equal(test.status, 200, test.text);
    assert.deepEqual(test.body, { homes: 2, devices: 6 });
    const homes = await api.post('/energy-gateways/heatingcontrol/homes').send(account);
    assert.deepEqual((homes.body as { deviceCount: number }[]).map((h) => h.deviceCount), [3, 3]);
    const devices = await api.post('/energy-gateways/heatingcontrol/devices').send({ ...account, homeId: (homes.body as { id: string }[])[1]!.id });
    assert.deepEqual((devices.body as { name: string }[]).map((d) => d.name), ['Bedroom Heater', 'Bathroom Towel Rail', 'Hall Heater'].sort());
    const commands = await api.post('/energy-gateways/heatingcontrol/commands').send({ ...account, device: DEV });
    const setTemp = (commands.body as { key: string; params: Record<string, { constraints: unknown; required: boolean }> }[]).find((c) => c.key === 'setTemperature');
    assert.deepEqual(setTemp?.params.temperature, { type: 'number', required: true, constraints: { min: 5, max: 35, step: 0.5 } });
    const setMode = (commands.body as { key: string; params: Record<string, { options?: unknown[] }> }[]).find((c) => c.key === 'setMode');
    assert.deepEqual(setMode?.params.mode?.options, ['auto', 'manual', 'off']);
    const settings = await api.post('/energy-gateways/heatingcontrol/settings').send({ ...account, device: DEV });
    assert.deepEqual((settings.body as { key: string; editable: boolean }[]).map((s) => [s.key, s.editable]), [
      ['temperature_units', true],
      ['keyboard_locked', true],
      ['window_open_detection', true],
      ['serial_number', false],
    ]);
    const wrong = await api.post('/energy-gateways/heatingcontrol/test').send({ ...account, credentials: { clientId: CREDS.clientId, clientSecret: 'Typed-Wr0ng-991' } });
    assert.equal(wrong.status, 502);
    assert.equal((wrong.body as { error: { code: string } }).error.code, 'AUTH_FAILED');
    assert.ok(!wrong.text.includes('Typed-Wr0ng-991'));
    const noDevice = await api.post('/energy-gateways/heatingcontrol/commands').send(account);
    assert.equal(noDevice.status, 400);
    await until(() => sim.server.openSockets === 0, 3000, 'editor clients closed their sockets');
  });

  it('20 redeploys leave no open sockets or timers, and a stopped node sends nothing more', async () => {
    await checkRedeploys({
      times: 20,
      load: () => helper.load(heating, flow(), { acct: CREDS }),
      warmUp: async () => {
        send('read', {});
        await new Collector('out').waitFor(1);
      },
      during: async (i) => {
        send('read', {});
        if (i % 5 === 0) await new Collector('out').waitFor(1);
      },
      sim,
      requestsStop: 'nothing runs after the nodes stopped',
    });
  });
});
