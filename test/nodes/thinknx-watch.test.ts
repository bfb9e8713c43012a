/**
 * thinknx-control's watch: the server polls each watched status once per interval, shared by every node
 * watching it; a watching node sends the status when it changes (the first read at deploy), as a get
 * would; failures are reported once and recover; redeploys leave no timer and no poll.
 */
import assert from 'node:assert/strict';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, checkRedeploys, delay, helper, loadNodeSet, onTab, recordStatuses, simulatorForEachTest, until, type Msg } from './harness';

const thinknx = loadNodeSet('thinknx');
const PASSWORD = 'watch-Pa55word';
const CREDS = { srv: { username: 'integration', password: PASSWORD } };

// Basic auth: one HTTP request per read (Digest adds a challenge round trip on first contact).
function serverNode(port: number): Record<string, unknown> {
  return { id: 'srv', type: 'thinknx-server', name: 'home', mode: 'local', host: '127.0.0.1', port, tls: false, auth: 'basic', timeout: '1' };
}

function control(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'thinknx-control', server: 'srv', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1', watch: '1', wires: [[`${id}-out`]], ...extra };
}

function flow(port: number, nodes: Record<string, unknown>[]): object[] {
  const outs = nodes.map((n) => ({ id: `${String(n.id)}-out`, type: 'helper', wires: [] }));
  return onTab([serverNode(port), ...nodes, ...outs, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper', wires: [] }]);
}

describe('thinknx-control watch (built node set, against the simulator)', function () {
  this.timeout(20_000);
  let sim: ThinknxSimulator;
  simulatorForEachTest(() => new ThinknxSimulator({ password: PASSWORD, fbDelayMs: 20 }), (s) => (sim = s));

  /** Requests to `controller` for `guid` (the simulator's own log). */
  const reads = (controller: string, guid: string): number =>
    sim.server.requests.filter((r) => r.path.startsWith(`/api/V1/${controller}?`) && new URL(r.path, 'http://x').searchParams.get('guid') === guid).length;

  it('two nodes watching one GUID and capability cost one request per interval, and both get the first value at deploy', async () => {
    await helper.load(thinknx, flow(sim.port, [control('w1'), control('w2'), control('get', { watch: '' })]), CREDS);
    const w1 = new Collector('w1-out');
    const w2 = new Collector('w2-out');
    await w1.waitFor(1, 3000);
    await w2.waitFor(1, 3000);
    const first = reads('powerstatus', 'kitchen-light');
    assert.equal(first, 1, 'one read at deploy for both nodes');
    // Reads at about 1 s and 2 s after the first: 3 in all (not 6, as two inject loops would make).
    await delay(2400);
    assert.equal(reads('powerstatus', 'kitchen-light'), 3);
    assert.equal(sim.count(), 3, 'nothing else was sent');
    // Nothing changed: one msg each, with what a get gives.
    assert.equal(w1.msgs.length, 1);
    assert.equal(w2.msgs.length, 1);
    const got = new Collector('get-out');
    (helper.getNode('get') as unknown as { receive(m: object): void }).receive({ payload: 'get' });
    await got.waitFor(1, 3000);
    for (const m of [w1.msgs[0]!, w2.msgs[0]!]) {
      assert.deepEqual({ topic: m.topic, payload: m.payload, thinknx: m.thinknx }, { topic: got.msgs[0]!.topic, payload: got.msgs[0]!.payload, thinknx: got.msgs[0]!.thinknx });
    }
    assert.deepEqual(w1.msgs[0]!.thinknx, { namespace: 'powerstatus', guid: 'kitchen-light', commObj: 100, status: 0 });
    assert.equal(w1.msgs[0]!.payload, false);
    assert.equal('confirmed' in w1.msgs[0]!, false, 'a watch reports a status, as a get does');
    assert.notEqual(w1.msgs[0], w2.msgs[0], 'each node sends its own msg');
  });

  it('sends only when the status changes: a wall switch shows up, unchanged polls send nothing, its own set is not echoed', async () => {
    await helper.load(thinknx, flow(sim.port, [control('w1')]), CREDS);
    const out = new Collector('w1-out');
    await out.waitFor(1, 3000);
    assert.equal(out.msgs[0]!.payload, false);
    // Someone switches the light on at the wall: the next poll sends it.
    sim.device('kitchen-light').state.power = 1;
    await out.waitFor(2, 3000);
    assert.equal(out.msgs[1]!.payload, true);
    assert.equal(out.msgs[1]!.topic, 'thinknx/power/kitchen-light');
    const polls = reads('powerstatus', 'kitchen-light');
    await delay(2200);
    assert.ok(reads('powerstatus', 'kitchen-light') >= polls + 2, 'it kept polling');
    assert.equal(out.msgs.length, 2, 'no msg for an unchanged status');
    // The node's own set: its msg says "off"; the polls that then read off send nothing more.
    (helper.getNode('w1') as unknown as { receive(m: object): void }).receive({ payload: false });
    await out.waitFor(3, 3000);
    assert.deepEqual([out.msgs[2]!.payload, out.msgs[2]!.confirmed], [false, false]);
    assert.equal(sim.device('kitchen-light').state.power, 0);
    await delay(2200);
    assert.equal(out.msgs.length, 3);
    // The wall switch again: a change again.
    sim.device('kitchen-light').state.power = 1;
    await out.waitFor(4, 3000);
    assert.deepEqual(out.msgs.map((m) => m.payload), [false, true, false, true]);
  });

  it('polls different GUIDs and capabilities separately, each node getting its own status', async () => {
    sim.device('living-dimmer').state.level = 40;
    sim.device('living-dimmer').state.power = 1;
    sim.device('bath-thermostat').state.setpoint = 19.5;
    const nodes = [
      control('n-light'),
      control('n-dimmer-power', { guid: 'living-dimmer' }),
      control('n-dimmer-level', { guid: 'living-dimmer', capability: 'powerlevel', watch: '2' }),
      control('n-setpoint', { guid: 'bath-thermostat', capability: 'setpoint' }),
      control('n-server', { guid: '', capability: 'serverStatus' }),
    ];
    await helper.load(thinknx, flow(sim.port, nodes), CREDS);
    const outs = Object.fromEntries(nodes.map((n) => [String(n.id), new Collector(`${String(n.id)}-out`)]));
    for (const c of Object.values(outs)) await c.waitFor(1, 3000);
    assert.deepEqual(
      Object.fromEntries(Object.entries(outs).map(([id, c]) => [id, c.msgs[0]!.topic])),
      { 'n-light': 'thinknx/power/kitchen-light', 'n-dimmer-power': 'thinknx/power/living-dimmer', 'n-dimmer-level': 'thinknx/powerlevel/living-dimmer', 'n-setpoint': 'thinknx/setpoint/bath-thermostat', 'n-server': 'thinknx/serverStatus' },
    );
    assert.deepEqual(['n-light', 'n-dimmer-power', 'n-dimmer-level', 'n-setpoint'].map((id) => outs[id]!.msgs[0]!.payload), [false, true, 40, 19.5]);
    assert.equal((outs['n-server']!.msgs[0]!.payload as { version: string }).version, '6.2.1.4');
    const start = { light: reads('powerstatus', 'kitchen-light'), dimmer: reads('powerstatus', 'living-dimmer'), level: reads('powerlevelstatus', 'living-dimmer') };
    assert.deepEqual(start, { light: 1, dimmer: 1, level: 1 });
    await delay(2400);
    // 1 s watches: 3 reads each; the 2 s watch: 2.
    assert.deepEqual(
      { light: reads('powerstatus', 'kitchen-light'), dimmer: reads('powerstatus', 'living-dimmer'), level: reads('powerlevelstatus', 'living-dimmer'), setpoint: reads('setpointstatus', 'bath-thermostat'), server: sim.count('system/serverStatus') },
      { light: 3, dimmer: 3, level: 2, setpoint: 3, server: 3 },
    );
    for (const c of Object.values(outs)) assert.equal(c.msgs.length, 1);
  });

  it('two nodes watching one status at different intervals share one poll at the shorter interval', async () => {
    await helper.load(thinknx, flow(sim.port, [control('fast', { watch: '1' }), control('slow', { watch: '30' })]), CREDS);
    const fast = new Collector('fast-out');
    const slow = new Collector('slow-out');
    await fast.waitFor(1, 3000);
    await slow.waitFor(1, 3000);
    await delay(2400);
    assert.equal(reads('powerstatus', 'kitchen-light'), 3);
    sim.device('kitchen-light').state.power = 1;
    await slow.waitFor(2, 3000);
    assert.equal(slow.msgs[1]!.payload, true);
  });

  it('leaves no timer and no poll after redeploys', async () => {
    const nodes = [control('w1'), control('w2'), control('w3', { guid: 'bath-thermostat', capability: 'temperature' })];
    const load = async (): Promise<void> => {
      await helper.load(thinknx, flow(sim.port, nodes), CREDS);
    };
    await checkRedeploys({
      times: 3,
      load,
      warmUp: async () => {
        await new Collector('w3-out').waitFor(1, 3000);
      },
      during: async () => {
        await new Collector('w1-out').waitFor(1, 3000);
        await delay(1200);
      },
      sim,
      requestsStop: 'no watch poll survives its node',
    });
  });

  it('a failing server: one red status and one error for a Catch node, then it recovers by itself', async () => {
    // The first two polls get a 500 (at deploy, then after the doubled interval); the third reads.
    sim.server.setFault({ status: 500, times: 2 });
    const shown = recordStatuses('w1');
    try {
      await helper.load(thinknx, flow(sim.port, [control('w1')]), CREDS);
      const caught = new Collector('caught');
      const out = new Collector('w1-out');
      await out.waitFor(1, 10_000);
      assert.equal(reads('powerstatus', 'kitchen-light'), 3, 'no retry within a poll: one request per poll');
      assert.equal(caught.msgs.length, 1, 'the error is reported once, not on every failed poll');
      const err = caught.msgs[0]!.error!;
      assert.equal(err.code, 'SERVER_ERROR');
      assert.equal(err.source?.id, 'w1');
      assert.equal(caught.msgs[0]!.topic, 'thinknx/power/kitchen-light');
      assert.equal(out.msgs[0]!.payload, false);
      await until(() => shown.shown.at(-1)?.fill === 'green', 2000, 'green status');
      const fills = shown.shown.map((s) => s.fill);
      assert.deepEqual(fills.filter((f) => f === 'red').length, 1, JSON.stringify(shown.shown));
      assert.deepEqual(fills.slice(0, 2), ['yellow', 'red']);
      assert.match(shown.shown.at(-1)!.text ?? '', /^off · \d\d:\d\d:\d\d$/);
      assert.ok(!JSON.stringify(caught.msgs).includes(PASSWORD));
      // Down again later: reported again, once.
      sim.server.setFault({ status: 500, times: 1 });
      await caught.waitFor(2, 4000);
      await delay(100);
      assert.equal(caught.msgs.length, 2);
    } finally {
      shown.restore();
    }
  });

  it('polls wait out the server\'s rate limit like commands: nothing is sent while it holds', async () => {
    await helper.load(thinknx, flow(sim.port, [control('w1'), control('w2', { guid: 'bath-thermostat', capability: 'setpoint' })]), CREDS);
    const caught = new Collector('caught');
    const out = new Collector('w1-out');
    const w2 = new Collector('w2-out');
    await out.waitFor(1, 3000);
    await w2.waitFor(1, 3000);
    const before = sim.server.requests.length;
    sim.throttle(1, 1);
    await until(() => sim.server.requests.length > before, 3000, 'the throttled request');
    const held = sim.server.requests[before]!.time;
    // A command sent during the hold goes once the hold is over.
    (helper.getNode('w1') as unknown as { receive(m: object): void }).receive({ payload: true });
    await out.waitFor(2, 5000);
    assert.equal(out.msgs[1]!.payload, true);
    const after = sim.server.requests.slice(before + 1).map((r) => r.time - held);
    assert.ok(after.length >= 1);
    assert.ok(after.every((ms) => ms >= 950), `requests ${JSON.stringify(after)} ms after the 429 (Retry-After: 1 s)`);
    assert.equal(sim.device('kitchen-light').state.applied, 1, 'the set was sent once');
    // The throttled poll is a failed read of w1's status (reported once); the set did not fail.
    assert.deepEqual(caught.msgs.map((m) => [m.error?.code, m.error?.source?.id]), [['RATE_LIMITED', 'w1']]);
  });

  describe('a watch it cannot use is a configuration error (nothing is polled)', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['a capability without status', { capability: 'stop', guid: 'living-blind' }, /watch cannot be used with "stop": the Integration Kit has no status to poll for it/],
      ['a KNX telegram', { capability: 'knx', guid: '', group: '1/0/1' }, /watch cannot be used with "knx"/],
      ['no GUID in the node', { guid: '' }, /watch needs the device GUID in the node/],
      ['under a second', { watch: '0.2' }, /watch is "0.2", not at least 1/],
      ['not a number', { watch: 'often' }, /watch is "often", not a number/],
    ];
    for (const [what, extra, message] of bad) {
      it(what, async () => {
        const shown = recordStatuses('w1');
        try {
          await helper.load(thinknx, flow(sim.port, [control('w1', extra)]), CREDS);
          await delay(300);
          assert.equal(sim.count(), 0, 'nothing polled');
          assert.deepEqual(shown.shown.at(-1), { fill: 'red', shape: 'ring', text: 'BAD_INPUT: invalid watch' });
          const caught = new Collector('caught');
          (helper.getNode('w1') as unknown as { receive(m: object): void }).receive({ payload: 'get' });
          const [m] = (await caught.waitFor(1, 2000)) as Msg[];
          assert.equal(m!.error?.code, 'BAD_INPUT');
          assert.match(m!.error?.message ?? '', message);
          assert.equal(sim.count(), 0, 'nothing sent');
        } finally {
          shown.restore();
        }
      });
    }
  });
});
