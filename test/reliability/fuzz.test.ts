/**
 * Fuzzing the BUILT action nodes in Node-RED against their simulators (issue 7): per node 10,000
 * generated msgs (fuzz-gen.ts, seeded) of wrong types, 1 MB strings, NaN/Infinity/-0, nested junk,
 * Buffers, Dates and own prototype keys, then checks what a user relies on:
 * - every msg ends in exactly one success output or exactly one Catch-able error (none lost, none twice);
 * - every msg the spec calls bad input is answered BAD_INPUT, and the BAD_INPUT msgs sent no request;
 * - no unhandled rejection, no uncaught exception, no prototype pollution; the node still works after.
 * Figures are printed per node (npx mocha 'test/reliability/fuzz.test.ts').
 */
import assert from 'node:assert/strict';
import type { RecordedRequest } from '../simulators/base';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import { helper, loadNodeSet } from '../nodes/harness';
import { fuzzMsg, type FuzzSpec } from './fuzz-gen';
import { NR_FLOW, Rig, describeCodes, describeMsg } from './fuzz-rig';
import { emsSpec, heatingSpec, plugwiseControlSpec, plugwiseInSpec, thinknxSpec } from './fuzz-specs';

const SEED = Number(process.env.FUZZ_SEED ?? 7);
const INVALID = 7000;
const FREE = 3000;
const BATCH = 250;

interface Sim {
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

interface Target {
  title: string;
  vendor: string;
  spec: () => FuzzSpec;
  /** Starts the simulator; returns it with the config node, the node under test's settings and credentials. */
  start(): Promise<{ sim: Sim; config: Record<string, unknown>; node: Record<string, unknown>; creds: Record<string, Record<string, string>> }>;
  /** Reads a BAD_INPUT answer may need: checking the input against the gateway's fresh data (bounded, never a write). */
  validationRead?: RegExp;
  /** Called once the flow is loaded. */
  loaded?(): void;
}

const TARGETS: Target[] = [
  {
    title: 'heating-command (every operation)',
    vendor: 'heatingcontrol',
    spec: () => heatingSpec,
    // An unknown command/setting name makes the client re-read that device's schema (at most every 5 s).
    validationRead: /^GET \/v1\/devices\/[^/]+\/(commands|settings)$/,
    async start() {
      const creds = { clientId: 'fuzz-client', clientSecret: 'fuzz-s3cret-value' };
      const sim = new HeatingSimulator({ ...creds, deviceCount: 4 });
      await sim.start();
      return {
        sim: { requests: sim.server.requests, stop: () => sim.stop() },
        config: { id: 'cfg', type: 'heating-account', name: 'sim', baseUrl: sim.url, scope: '', clientAuth: 'body' },
        node: { type: 'heating-command', account: 'cfg', operation: 'state', device: '', command: '', setting: '', homeId: '', params: {} },
        creds: { cfg: creds },
      };
    },
  },
  {
    title: 'thinknx-control (every capability, knx with every dpt)',
    vendor: 'thinknx',
    spec: () => thinknxSpec,
    async start() {
      const sim = new ThinknxSimulator({ password: 'fuzz-Pa55', fbDelayMs: 1 });
      await sim.start();
      return {
        sim: { requests: sim.server.requests, stop: () => sim.stop() },
        config: { id: 'cfg', type: 'thinknx-server', name: 'sim', mode: 'local', host: '127.0.0.1', port: sim.port, tls: false, auth: 'digest', timeout: '5' },
        node: { type: 'thinknx-control', server: 'cfg', capability: 'power', guid: 'kitchen-light', feedback: false, group: '1/0/1', dpt: '1' },
        creds: { cfg: { username: 'integration', password: 'fuzz-Pa55' } },
      };
    },
  },
  {
    title: 'ems-history (every operation and scope)',
    vendor: 'ems',
    spec: () => emsSpec(Date.now()),
    async start() {
      const sim = new EmsSimulator({ username: 'fuzz', password: 'fuzz-ems-pw' });
      await sim.start();
      return {
        sim: { requests: sim.server.requests, stop: () => sim.stop() },
        config: { id: 'cfg', type: 'ems-server', name: 'sim', baseUrl: sim.url, allowSelfSigned: false },
        node: { type: 'ems-history', server: 'cfg', operation: 'history', scope: 'device', uid: '1', uids: '', range: '1h', pageSize: 100, maxRecords: 100, output: 'single' },
        creds: { cfg: { username: 'fuzz', password: 'fuzz-ems-pw' } },
      };
    },
  },
  {
    title: 'plugwise-in',
    vendor: 'plugwise',
    spec: () => plugwiseInSpec,
    start: () => plugwise({ type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false }),
  },
  {
    title: 'plugwise-control (every action)',
    vendor: 'plugwise',
    spec: () => plugwiseControlSpec,
    start: () => plugwise({ type: 'plugwise-control', gateway: 'cfg', entity: '', action: 'setpoint' }),
    loaded: () => {
      (helper.getNode('cfg') as unknown as { writeSettleMs: number }).writeSettleMs = 0;
    },
  },
];

async function plugwise(node: Record<string, unknown>): ReturnType<Target['start']> {
  const sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: 'fuzz1234' });
  await sim.start();
  return {
    sim: { requests: sim.server.requests, stop: () => sim.stop() },
    config: { id: 'cfg', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port: sim.port, pollInterval: '3600', timeout: '5' },
    node,
    creds: { cfg: { username: 'smile', password: 'fuzz1234' } },
  };
}

describe('fuzzing the action nodes (10,000 generated msgs each)', function () {
  this.timeout(240_000);
  const problems: string[] = [];
  const onRejection = (reason: unknown): void => void problems.push(`unhandledRejection: ${String(reason)}`);
  const onException = (err: unknown): void => void problems.push(`uncaughtException: ${String(err)}`);

  before(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    await helper.startServer();
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    await helper.stopServer();
  });

  it('a msg with own `hasOwnProperty` / `__proto__` keys (JSON.parse makes them): its error still reaches the Catch node', async () => {
    // Node-RED's error routing calls msg.hasOwnProperty() on a copy; before handleInput caught that,
    // the throw became an unhandled rejection, which stops Node-RED.
    const target = TARGETS.find((t) => t.vendor === 'thinknx')!;
    const { sim, config, node, creds } = await target.start();
    try {
      await helper.load(loadNodeSet(target.vendor), NR_FLOW(config, node), creds);
      const rig = new Rig();
      const hostile = [
        JSON.parse('{"hasOwnProperty": 1, "capability": "nope", "topic": "t"}'),
        JSON.parse('{"__proto__": null, "capability": "nope"}'),
        JSON.parse('{"__proto__": {"hasOwnProperty": "x"}, "capability": "power", "payload": 7}'),
        Object.assign(JSON.parse('{"__proto__": {"a": [1]}}'), { junk: { ['__proto__']: new Map() }, capability: 'knx', group: 'x' }),
      ] as Record<string, unknown>[];
      await rig.run(hostile.map((msg, i) => ({ tag: `h${i}`, msg })));
      for (let i = 0; i < hostile.length; i++) assert.deepEqual(rig.outcomes.get(`h${i}`), { out: 0, errors: ['BAD_INPUT'] });
      await rig.run([{ tag: 'ok', msg: { capability: 'power', guid: 'kitchen-light', payload: true } }]);
      assert.equal(rig.outcomes.get('ok')?.out, 1, 'the node still works');
      assert.deepEqual(problems, [], 'no unhandled rejection or uncaught exception');
    } finally {
      await helper.unload();
      await sim.stop();
    }
  });

  for (const target of TARGETS) {
    it(target.title, async () => {
      const { sim, config, node, creds } = await target.start();
      try {
        await helper.load(loadNodeSet(target.vendor), NR_FLOW(config, node), creds);
        target.loaded?.();
        await fuzz(target, sim);
      } finally {
        await helper.unload();
        await sim.stop();
      }
      assert.deepEqual(problems, [], 'no unhandled rejection or uncaught exception');
      for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
        assert.equal(Object.prototype.hasOwnProperty.call(proto, 'polluted'), false, 'no prototype pollution');
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
});

async function fuzz(target: Target, sim: Sim): Promise<void> {
  const spec = target.spec();
  const rig = new Rig();
  const started = Date.now();
  const key = (r: RecordedRequest): string => `${r.method} ${r.path.split('?')[0]}`;
  const unexpected = (from: number): RecordedRequest[] => sim.requests.slice(from).filter((r) => !target.validationRead?.test(key(r)));

  // Warm-up: every valid msg succeeds (login, detection and schema caches happen here).
  const warm = spec.cases.map((c, i) => ({ tag: `w${i}`, msg: { ...c.valid } }));
  await rig.run(warm);
  for (const [i, c] of spec.cases.entries()) {
    const o = rig.outcomes.get(`w${i}`)!;
    assert.equal(o.out, 1, `valid msg ${JSON.stringify(c.valid)} must succeed, got errors ${o.errors.join(', ')}`);
  }
  const warmRequests = sim.requests.length;

  // Invalid msgs: each one BAD_INPUT, and not one request.
  const wrong: string[] = [];
  for (let from = 0; from < INVALID; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(INVALID, from + BATCH); i++) batch.push({ tag: `i${i}`, ...fuzzMsg(spec, SEED, i, 'invalid') });
    await rig.run(batch);
  }
  for (let i = 0; i < INVALID; i++) {
    const o = rig.outcomes.get(`i${i}`)!;
    if (o.out !== 0 || o.errors.length !== 1 || o.errors[0] !== 'BAD_INPUT') {
      wrong.push(`${fuzzMsg(spec, SEED, i, 'invalid').why} -> ${o.out} out, errors [${o.errors.join(', ')}]`);
    }
  }
  const invalidRequests = unexpected(warmRequests);
  const validationReads = sim.requests.length - warmRequests - invalidRequests.length;
  const invalidSeconds = (Date.now() - started) / 1000;
  assert.deepEqual(wrong.slice(0, 12), [], `${wrong.length} of ${INVALID} invalid msgs were not answered BAD_INPUT once`);
  assert.deepEqual(invalidRequests.map(key).slice(0, 10), [], 'the invalid msgs sent no request');
  // A re-read of a schema happens at most once per 5 s per device and kind.
  assert.ok(validationReads <= 2 * (Math.ceil(invalidSeconds / 5) + 1) * 4, `${validationReads} validation reads`);

  // Free msgs: anything at all; each ends in exactly one outcome.
  const freeStart = sim.requests.length;
  for (let from = 0; from < FREE; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(FREE, from + BATCH); i++) batch.push({ tag: `f${i}`, ...fuzzMsg(spec, SEED, i, 'free') });
    await rig.run(batch);
  }
  const freeOutcomes = Array.from({ length: FREE }, (_, i) => rig.outcomes.get(`f${i}`)!);
  const freeRequests = sim.requests.length - freeStart;

  // The free msgs answered BAD_INPUT, sent again on their own: still BAD_INPUT, and no request.
  const refused = freeOutcomes.flatMap((o, i) => (o.errors[0] === 'BAD_INPUT' ? [i] : []));
  const replayStart = sim.requests.length;
  for (let from = 0; from < refused.length; from += BATCH) {
    await rig.run(refused.slice(from, from + BATCH).map((i) => ({ tag: `r${i}`, msg: fuzzMsg(spec, SEED, i, 'free').msg })));
  }
  for (const i of refused) assert.deepEqual(rig.outcomes.get(`r${i}`)?.errors, ['BAD_INPUT'], `free msg ${i} answered BAD_INPUT again`);
  const replayRequests = unexpected(replayStart).length;
  assert.deepEqual(unexpected(replayStart).map(key).slice(0, 10), [], 'the free msgs answered BAD_INPUT sent no request');
  if (process.env.FUZZ_DEBUG) {
    const odd = freeOutcomes.flatMap((o, i) => (o.out === 0 && o.errors[0] !== 'BAD_INPUT' && (process.env.FUZZ_DEBUG === '1' || o.errors[0] === process.env.FUZZ_DEBUG) ? [`${o.errors.join(',')} (${o.message}): ${describeMsg(fuzzMsg(spec, SEED, i, 'free').msg)}`] : []));
    console.log(odd.slice(0, 30).join('\n'));
  }

  // Nothing late, nothing twice, nothing lost; the node still works.
  await new Promise((r) => setTimeout(r, 300));
  const after = (spec.after ?? spec.cases.map((c) => c.valid)).map((msg, i) => ({ tag: `a${i}`, msg: { ...msg } }));
  await rig.run(after);
  for (const { tag, msg } of after) assert.equal(rig.outcomes.get(tag)?.out, 1, `${JSON.stringify(msg)} after the fuzzing still succeeds: ${rig.outcomes.get(tag)?.errors}`);
  const inputs = warm.length + INVALID + FREE + refused.length + after.length;
  let outputs = 0;
  let errors = 0;
  for (const [tag, o] of rig.outcomes) {
    assert.equal(o.out + o.errors.length, 1, `msg ${tag}: exactly one outcome, got ${o.out} out and errors [${o.errors.join(', ')}]`);
    outputs += o.out;
    errors += o.errors.length;
  }
  assert.equal(rig.outcomes.size, inputs);
  assert.equal(outputs + errors, inputs, 'inputs == outputs + errors');
  assert.equal(rig.strays, 0, 'no output or error without its input msg');
  const freeOut = freeOutcomes.filter((o) => o.out === 1).length;
  assert.ok(freeOut > 0 && refused.length > 0, 'the free msgs both reach the gateway and get refused');
  console.log(
    `      ${target.title.split(' ')[0]}: ${inputs} msgs in ${((Date.now() - started) / 1000).toFixed(1)} s: ${INVALID} invalid -> BAD_INPUT ${INVALID - wrong.length}, ` +
      `requests 0 (+${validationReads} schema re-reads); ${FREE} free -> ${freeOut} out, errors ${describeCodes(freeOutcomes)}, ` +
      `${freeRequests} requests; ${refused.length} BAD_INPUT replayed -> ${replayRequests} requests; crashes 0`,
  );
}
