import assert from 'node:assert/strict';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { Collector, onTab, checkRedeploys, delay, helper, loadNodeSet, logText, statuses, until, simulatorForEachTest, type Msg } from './harness';

const plugwise = loadNodeSet('plugwise');
const SMILE_ID = 'qwertzui';

function gatewayNode(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'gw', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port, pollInterval: '0.2', timeout: '1', ...extra };
}

function inNode(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'plugwise-in', gateway: 'gw', output: 'snapshot', entity: '', poll: true, wires: [[`${id}-out`]], ...extra };
}

const CREDS = { gw: { username: 'smile', password: SMILE_ID } };

describe('plugwise-in (built node set, against the simulator)', function () {
  let sim: PlugwiseSimulator;

  simulatorForEachTest(() => new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID }), (s) => (sim = s));

  it('emits a snapshot with the gateway and camelCased entities', async () => {
    await helper.load(plugwise, onTab([gatewayNode(sim.port), inNode('in1', { poll: false }), { id: 'in1-out', type: 'helper' }]), CREDS);
    const out = new Collector('in1-out');
    (helper.getNode('in1') as { receive(m: object): void }).receive({ payload: 'go', keep: 42 });
    const [msg] = await out.waitFor(1);
    assert.equal(msg?.topic, 'plugwise');
    assert.equal(msg?.keep, 42, 'the input msg passes through');
    const payload = msg?.payload as { gateway: Record<string, unknown>; entities: Record<string, Record<string, unknown>> };
    assert.equal(payload.gateway.model, 'adam');
    assert.equal(payload.gateway.id, '03a6e66b6794429a8d7ce35a42115981', 'the <gateway> element id');
    assert.equal(payload.entities.da224107914542988a88561b4452b0f6?.devClass, 'gateway');
    assert.equal(typeof payload.gateway.time, 'number');
    const zone = Object.values(payload.entities).find((e) => e.devClass === 'climate');
    assert.ok(zone, 'an Adam has climate zones');
    assert.ok(zone.thermostat && typeof (zone.thermostat as Record<string, unknown>).setpoint === 'number');
    for (const e of Object.values(payload.entities)) assert.ok(!Object.keys(e).some((k) => k.includes('_')), 'keys are camelCase');
  });

  it('5 nodes on one gateway cause exactly one request per poll', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const flow: object[] = [gatewayNode(sim.port)];
    for (const id of ids) flow.push(inNode(id), { id: `${id}-out`, type: 'helper' });
    await helper.load(plugwise, onTab(flow), CREDS);
    const outs = ids.map((id) => new Collector(`${id}-out`));
    await Promise.all(outs.map((o) => o.waitFor(4)));
    await delay(50);
    const polls = Math.min(...outs.map((o) => o.msgs.length));
    const maxPolls = Math.max(...outs.map((o) => o.msgs.length));
    assert.equal(polls, maxPolls, 'every node got every poll');
    // Detection reuses the first read's body, so requests == polls (a poll may be in flight at the count).
    const requests = sim.count('/core/domain_objects');
    assert.ok(requests === polls || requests === polls + 1, `${requests} requests for ${polls} polls`);
    console.log(`      fan-out: 5 nodes, ${polls} polls, ${requests} requests`);
  });

  it('ten simultaneous triggers cause one request', async () => {
    await helper.load(plugwise, onTab([gatewayNode(sim.port), inNode('in1', { poll: false }), { id: 'in1-out', type: 'helper' }]), CREDS);
    const out = new Collector('in1-out');
    const node = helper.getNode('in1') as { receive(m: object): void };
    for (let i = 0; i < 10; i++) node.receive({ payload: i });
    const msgs = await out.waitFor(10);
    assert.deepEqual(msgs.map((m) => m.payload && (m.payload as { gateway: { id: string } }).gateway.id).length, 10);
    assert.equal(sim.count('/core/domain_objects'), 1);
  });

  it('401 -> AUTH_FAILED on a red status, one Catch-able error, no retry storm', async () => {
    const flow = [
      gatewayNode(sim.port),
      inNode('in1'),
      { id: 'in1-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(plugwise, onTab(flow), { gw: { username: 'smile', password: 'wrongpwd' } });
    const seen = statuses('in1');
    const caught = new Collector('caught');
    const errors = await caught.waitFor(1);
    assert.equal(errors[0]?.error?.code, 'AUTH_FAILED');
    assert.match(String(errors[0]?.error?.message), /Smile ID/);
    await until(() => seen.some((s) => s.fill === 'red' && s.text === 'AUTH_FAILED: Smile ID refused'), 5000, 'red AUTH_FAILED status');
    const before = sim.count();
    await delay(1500);
    // Polls back off while the hub refuses: 0.2 s doubled per failure, no retries of a 401.
    const during = sim.count() - before;
    assert.ok(during <= 4, `${during} requests in 1.5 s while failing`);
    assert.equal(caught.msgs.length, 1, 'reported once, not on every poll');
    assert.equal(new Collector('in1-out').msgs.length, 0);
  });

  it('timeout and malformed XML each give one error, and the node recovers when the hub does', async () => {
    const flow = [
      gatewayNode(sim.port, { timeout: '0.3' }),
      inNode('in1', { poll: false }),
      { id: 'in1-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(plugwise, onTab(flow), CREDS);
    const node = helper.getNode('in1') as { receive(m: object): void };
    const out = new Collector('in1-out');
    const caught = new Collector('caught');
    const seen = statuses('in1');

    sim.server.setFault({ hang: true });
    node.receive({ payload: 'timeout?' });
    const [timeoutErr] = await caught.waitFor(1, 15_000);
    assert.equal(timeoutErr?.error?.code, 'TIMEOUT');
    assert.equal(timeoutErr?.payload, 'timeout?', 'the failed msg reaches the Catch node');
    assert.equal(seen.at(-1)?.text, 'TIMEOUT: no answer in 0.3 s');

    sim.server.setFault({ body: 'malformed' });
    node.receive({ payload: 'malformed?' });
    await caught.waitFor(2);
    assert.equal(caught.msgs[1]?.error?.code, 'BAD_RESPONSE');
    assert.equal(seen.at(-1)?.text, 'BAD_RESPONSE: The hub sent malformed XML');

    sim.server.setFault(undefined);
    node.receive({ payload: 'ok?' });
    await out.waitFor(1);
    assert.equal(out.msgs[0]?.payload && typeof out.msgs[0].payload, 'object');
    assert.equal(seen.at(-1)?.fill, 'green');
    await delay(100);
    assert.equal(caught.msgs.length, 2, 'exactly one error per failed input');
  });

  it('entities and changes outputs: one msg per entity, then only what changed', async () => {
    const flow = [
      gatewayNode(sim.port),
      inNode('all', { output: 'entities', poll: false }),
      { id: 'all-out', type: 'helper' },
      inNode('chg', { output: 'changes', poll: false }),
      { id: 'chg-out', type: 'helper' },
    ];
    await helper.load(plugwise, onTab(flow), CREDS);
    const all = new Collector('all-out');
    const chg = new Collector('chg-out');
    (helper.getNode('chg') as { receive(m: object): void }).receive({});
    await delay(300);
    const firstCount = chg.msgs.length;
    assert.ok(firstCount > 5, 'the first read sends every entity');
    assert.ok(chg.msgs.every((m: Msg) => String(m.topic).startsWith('plugwise/')));
    (helper.getNode('chg') as { receive(m: object): void }).receive({});
    await delay(300);
    assert.equal(chg.msgs.length, firstCount, 'nothing changed, nothing sent');
    sim.variant = 'updated';
    (helper.getNode('chg') as { receive(m: object): void }).receive({});
    await delay(300);
    const changed = chg.msgs.length - firstCount;
    assert.ok(changed > 0 && changed < firstCount, `${changed} changed entities`);
    (helper.getNode('all') as { receive(m: object): void }).receive({ entity: 'da224107914542988a88561b4452b0f6' });
    await all.waitFor(1);
    assert.equal(all.msgs.length, 1);
    assert.equal(all.msgs[0]?.topic, 'plugwise/da224107914542988a88561b4452b0f6');
  });

  it('50 redeploys leave no open sockets, timers or duplicate polls', async () => {
    const flow = [gatewayNode(sim.port, { pollInterval: '0.05' }), inNode('in1'), { id: 'in1-out', type: 'helper' }];
    await checkRedeploys({
      times: 50,
      load: () => helper.load(plugwise, onTab(flow), CREDS),
      warmUp: () => delay(200),
      during: (i) => delay(i % 10 === 0 ? 120 : 5),
      sim,
      requestsStop: 'no poll survives its node',
    });
    await helper.load(plugwise, onTab(flow), CREDS);
  });

  it('never shows the Smile ID in logs, statuses, errors or msgs', async () => {
    const flow = [
      gatewayNode(sim.port, { timeout: '0.3' }),
      inNode('in1'),
      { id: 'in1-out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    await helper.load(plugwise, onTab(flow), CREDS);
    const seen = statuses('in1');
    const out = new Collector('in1-out');
    const caught = new Collector('caught');
    await out.waitFor(1);
    const node = helper.getNode('in1') as { receive(m: object): void };
    for (const fault of [{ status: 401 }, { status: 500 }, { body: 'malformed' }, { drop: true }, { hang: true }] as const) {
      sim.server.setFault(fault);
      node.receive({ payload: 'x' });
      await caught.waitFor(caught.msgs.length + 1, 15_000);
    }
    sim.server.setFault(undefined);
    const everything = JSON.stringify([out.msgs, caught.msgs, seen]) + logText();
    const b64 = Buffer.from(`smile:${SMILE_ID}`).toString('base64');
    assert.ok(everything.length > 1000);
    assert.ok(!everything.includes(SMILE_ID), 'Smile ID leaked');
    assert.ok(!everything.includes(b64), 'Basic credentials leaked');
  });
});
