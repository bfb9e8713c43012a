import assert from 'node:assert/strict';
import { EmsSimulator } from '../simulators/ems';
import { helper, loadNodeSet, onTab, until, simulatorForEachTest } from './harness';

const ems = loadNodeSet('ems');
const USER = 'reader';
const PASSWORD = 'Ems-admin-pw-41';

interface AdminReply {
  status: number;
  body: unknown;
  text: string;
}

async function post(path: string, body: unknown): Promise<AdminReply> {
  const res = await helper.request().post(`/energy-gateways/ems/${path}`).send(body);
  return { status: res.status, body: res.body, text: res.text };
}

describe('ems-server editor endpoints (Test connection, pickers)', function () {
  let sim: EmsSimulator;

  simulatorForEachTest(() => new EmsSimulator({ username: USER, password: PASSWORD }), (s) => (sim = s));

  it('Test connection works before the first deploy, with the credentials as typed', async () => {
    await helper.load(ems, onTab([]), {});
    const typed = { id: 'not-deployed', baseUrl: sim.url, allowSelfSigned: false, credentials: { username: USER, password: PASSWORD } };
    const ok = await post('test', typed);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body, { version: '1.8.2', devices: 2 });
    assert.equal(sim.count('/ver'), 1);
    assert.equal(sim.logins, 1);
    await until(() => sim.server.openSockets === 0, 3000, 'the temporary client closed its sockets');

    const wrong = await post('test', { ...typed, credentials: { username: USER, password: 'typed-wrong-pw' } });
    assert.equal(wrong.status, 502);
    assert.equal((wrong.body as { error: { code: string } }).error.code, 'AUTH_FAILED');
    assert.ok(!wrong.text.includes('typed-wrong-pw'));

    const missing = await post('test', { ...typed, baseUrl: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /no base URL/);
  });

  it('a deployed server answers with its stored password when the dialog shows the placeholder', async () => {
    const srv = { id: 'srv', type: 'ems-server', baseUrl: sim.url, allowSelfSigned: false };
    await helper.load(ems, onTab([srv]), { srv: { username: USER, password: PASSWORD } });
    const res = await post('test', { id: 'srv', baseUrl: sim.url, allowSelfSigned: false, credentials: { username: USER, password: '__PWRD__' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as { devices: number }).devices, 2);
    await post('test', { id: 'srv', baseUrl: sim.url, allowSelfSigned: false, credentials: { username: USER, password: '__PWRD__' } });
    assert.equal(sim.logins, 1, "the deployed server's token is reused");
  });

  it('pickers: devices, loads and signals with labels and uids', async () => {
    await helper.load(ems, onTab([]), {});
    const cfg = { baseUrl: sim.url, credentials: { username: USER, password: PASSWORD } };
    const devices = await post('resources', { ...cfg, kind: 'devices' });
    assert.deepEqual(devices.body, [{ uid: 1, label: 'Main meter' }, { uid: 59, label: 'EM1' }]);
    const loads = await post('resources', { ...cfg, kind: 'loads' });
    assert.deepEqual((loads.body as { uid: number; label: string; did: number }[]).map((l) => [l.uid, l.label, l.did]), [[2, 'Main', 1], [3, 'Heat pump', 1], [60, 'PV inverter', 59]]);
    const signals = await post('resources', { ...cfg, kind: 'signals' });
    const list = signals.body as { uid: number; label: string; lid: number }[];
    assert.equal(list.length, 7);
    // A signal reads as its load, its index and its latest value (the API names no quantity or unit).
    assert.deepEqual({ ...list[0], label: undefined }, { uid: 100, label: undefined, did: 1, lid: 2 });
    assert.match(String(list[0]?.label), /^Main · signal 29 · now 2[34]\d(\.\d+)?$/);
    assert.match(String(list[6]?.label), /^PV inverter · signal 30 · now 2[34]\d(\.\d+)? · disabled$/);
    const bad = await post('resources', { ...cfg, kind: 'meters' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /BAD_INPUT/);
  });
});
