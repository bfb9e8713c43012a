/**
 * heating-command, msg in -> msg out, in a real Node-RED runtime against the HeatingControl simulator
 * (its own process), against a bare undici loop making the same HTTP calls (POST .../commands/setTemperature
 * with a token got once, the same headers and body, the reply read and JSON-parsed). One command at a time.
 * For reference, the same alternation measures "the floor": a minimal Node-RED node of a few lines that
 * makes the bare call, i.e. what passing a msg through any node in the runtime costs.
 *   npx tsx bench/heating-command.ts
 */
import { Agent, request } from 'undici';
import { deviceId } from '../test/simulators/heatingcontrol/data';
import { header, main, median, middleHalf, ms, report, requireBuilt, timed, x } from './lib';
import { counter, sink, startRuntime, type Counter, type RuntimeNode } from './runtime';
import { simulatorProcess } from './sim';

const GOAL = 1.2;
const PER_BATCH = 200;
const ROUNDS = 41;
const WARMUP = 3;
const CREDS = { clientId: 'bench-client', clientSecret: 'bench-secret-1234' };
const DEV = deviceId(1);

const temperature = (i: number): number => 15 + (i % 20) * 0.5;

/** The floor node: gets a token on its first msg, then POSTs msg.payload as the params, bare undici. */
const FLOOR_JS = `module.exports = function (RED) {
  const { Agent, request } = require(${JSON.stringify(require.resolve('undici'))});
  function BenchFloor(config) {
    RED.nodes.createNode(this, config);
    const agent = new Agent({ connections: 4 });
    let token;
    this.on('input', async (msg, send, done) => {
      try {
        if (!token) {
          const res = await request(config.baseUrl + '/v1/oauth/token', { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret }) });
          token = (await res.body.json()).access_token;
        }
        const res = await request(config.url, { dispatcher: agent, method: 'POST',
          headers: { authorization: 'Bearer ' + token, accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify({ params: msg.payload }) });
        msg.payload = JSON.parse(await res.body.text());
        send(msg);
        done();
      } catch (err) { done(err); }
    });
    this.on('close', (done) => { agent.close().then(() => done(), () => done()); });
  }
  RED.nodes.registerType('bench-floor', BenchFloor);
};
`;
const FLOOR_HTML = `<script type="text/javascript">RED.nodes.registerType('bench-floor', { category: 'function', defaults: {}, inputs: 1, outputs: 1 });</script>`;

/** Sends PER_BATCH msgs through `node`, each after the previous one came out at `out`. */
function msgToMsg(node: RuntimeNode, out: Counter): () => Promise<number> {
  return () =>
    timed(async () => {
      for (let i = 0; i < PER_BATCH; i++) {
        const want = out.count + 1;
        node.receive({ payload: { temperature: temperature(i) } });
        await out.until(want);
        const payload = out.last?.payload as { state?: string } | undefined;
        if (payload?.state !== 'APPLIED') throw new Error(`the command answered ${JSON.stringify(out.last?.payload)}`);
      }
    });
}

main(async () => {
  requireBuilt('heatingcontrol');
  header('heating-command', `${PER_BATCH} commands per batch, one at a time, ${ROUNDS} alternating batches after ${WARMUP} warm-up; simulator in its own process`);
  const sim = await simulatorProcess('heatingcontrol', { ...CREDS, deviceCount: 4 });
  const url = `${sim.url}/v1/devices/${encodeURIComponent(DEV)}/commands/setTemperature`;
  const rt = await startRuntime(
    [
      { id: 'acct', type: 'heating-account', name: 'bench', baseUrl: sim.url, scope: '', clientAuth: 'body' },
      { id: 'cmd', type: 'heating-command', account: 'acct', operation: 'command', device: DEV, command: 'setTemperature', setting: '', homeId: '', params: {}, wires: [['out']] },
      sink('out'),
      { id: 'floor', type: 'bench-floor', baseUrl: sim.url, url, ...CREDS, wires: [['floor-out']] },
      sink('floor-out'),
    ],
    { acct: CREDS },
    { 'bench-floor.js': FLOOR_JS, 'bench-floor.html': FLOOR_HTML },
  );
  const viaNode = msgToMsg(rt.node('cmd'), counter(rt, 'out'));
  const viaFloor = msgToMsg(rt.node('floor'), counter(rt, 'floor-out'));

  const agent = new Agent({ connections: 4 });
  const tokenRes = await request(`${sim.url}/v1/oauth/token`, {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }),
  });
  const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };
  const bare = (): Promise<number> =>
    timed(async () => {
      for (let i = 0; i < PER_BATCH; i++) {
        const res = await request(url, {
          dispatcher: agent,
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify({ params: { temperature: temperature(i) } }),
        });
        const body = JSON.parse(await res.body.text()) as { state?: string };
        if (res.statusCode !== 200 || body.state !== 'APPLIED') throw new Error(`HTTP ${res.statusCode}`);
      }
    });

  // Three-way: node, bare, floor in turn (the order rotates each round).
  const node: number[] = [];
  const base: number[] = [];
  const flo: number[] = [];
  const kinds: [() => Promise<number>, number[]][] = [[viaNode, node], [bare, base], [viaFloor, flo]];
  for (let round = -WARMUP; round < ROUNDS; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const [run, into] = kinds[(k + Math.max(round, 0)) % kinds.length]!;
      const t = await run();
      if (round >= 0) into.push(t);
    }
  }
  const ratios = node.map((t, i) => t / base[i]!);
  const floorRatios = flo.map((t, i) => t / base[i]!);
  const ratio = median(ratios);
  const floorRatio = median(floorRatios);
  const posts = await sim.count(`/v1/devices/${DEV}/commands/setTemperature`, 'POST');
  await agent.close();
  await rt.stop();
  await sim.stop();
  const expected = (ROUNDS + WARMUP) * PER_BATCH * 3;
  if (posts !== expected) throw new Error(`the simulator got ${posts} commands, expected ${expected}`);
  report({
    bench: 'heating-command',
    measure: 'heating-command msg->msg vs bare undici loop',
    value: `${x(ratio)} the bare loop`,
    goal: `<= ${GOAL}x`,
    pass: ratio <= GOAL,
    detail: `${ms(median(node) / PER_BATCH)} vs ${ms(median(base) / PER_BATCH)} per command; middle half of the ${ROUNDS} rounds ${middleHalf(ratios)}`,
  });
  report({
    bench: 'heating-command',
    measure: 'the same through a minimal Node-RED node (the floor)',
    value: `${x(floorRatio)} the bare loop`,
    goal: '',
    detail: `${ms(median(flo) / PER_BATCH)} per command (middle half ${middleHalf(floorRatios)}): what any node in the runtime costs; heating-command is ${x(ratio / floorRatio)} the floor`,
  });
});
