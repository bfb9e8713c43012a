/**
 * Hostile XML from a "hub" (issue 7): a Plugwise-like SimServer answers /core/domain_objects with
 * entity expansion (billion laughs), external entities, a 50 MB body, 100,000 levels of nesting, a
 * DOCTYPE that makes a backtracking pattern explode, and 16 MiB of empty elements. Through the
 * PlugwiseClient and through a plugwise-in node: each read ends within seconds, the heap grows by
 * less than 200 MB, and the result is BAD_RESPONSE (billion laughs: BAD_RESPONSE or the entity left
 * unexpanded, never expanded); the client and the node read normally again once the hub is sane.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GatewayError } from '../../src/core/errors';
import { PlugwiseClient } from '../../src/vendors/plugwise/client';
import { helper, loadNodeSet, onTab } from '../nodes/harness';
import { PLUGWISE_FIXTURES, PlugwiseSimulator } from '../simulators/plugwise';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

const SMILE_ID = 'hostile1';
const FIXTURE = 'adam_plus_anna_new';
const NAMED = '10016900610d4c7481df78c89606ef22'; // its <name> carries the entity references below
const MAX_MS = 10_000; // "a few seconds", generous for a shared 2-core machine
const MAX_HEAP_MB = 200;

const real = readFileSync(join(PLUGWISE_FIXTURES, FIXTURE, 'core.domain_objects.xml'), 'utf8');
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** The real document with a DOCTYPE before its root and `ref` in the first appliance's name. */
function withDoctype(doctype: string, ref: string): string {
  return real.replace(XML_DECL, `${XML_DECL}\n${doctype}`).replace('<name>Aanvoer', `<name>${ref}Aanvoer`);
}

const LAUGHS = [
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
].join('');

interface Case {
  name: string;
  body: () => string;
  /** BAD_RESPONSE only, or BAD_RESPONSE / a snapshot with the references left as they are. */
  unexpandedOk?: boolean;
}

const CASES: Case[] = [
  { name: 'billion laughs (10^9 "lol" by entity expansion)', body: () => withDoctype(`<!DOCTYPE domain_objects [${LAUGHS}]>`, '&lol9;'), unexpandedOk: true },
  { name: 'external entity (SYSTEM file:///etc/passwd)', body: () => withDoctype('<!DOCTYPE domain_objects [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;') },
  { name: 'external parameter entity (http://127.0.0.1:9/evil.dtd)', body: () => withDoctype('<!DOCTYPE domain_objects [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>', '') },
  { name: '50 MB body', body: () => `<domain_objects>${'<gateway id="x"/>'.padEnd(64, ' ').repeat((50 * 1024 * 1024) / 64)}</domain_objects>` },
  { name: '100,000 levels of nesting', body: () => `<domain_objects>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</domain_objects>` },
  { name: '100,000 unclosed levels', body: () => `<domain_objects>${'<location><a>'.repeat(50_000)}` },
  { name: 'DOCTYPE of 5,000 "[]" pairs and no end (backtracking)', body: () => `${XML_DECL}<!DOCTYPE a ${'[]'.repeat(5000)}<domain_objects/>` },
  { name: '16 MiB of empty elements (4 million)', body: () => `<domain_objects>${'<x/>'.repeat(4_000_000)}</domain_objects>` },
];

interface Measured {
  ms: number;
  heapMb: number;
}

/** Runs `read` once with the heap settled first; the growth is measured before any later collection. */
async function measure<T>(read: () => Promise<T>): Promise<Measured & { result: T }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const t0 = Date.now();
  try {
    const result = await read();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, ms: Date.now() - t0, heapMb: (peak - heap0) / 1048576 };
  } finally {
    clearInterval(sampler);
  }
}

function checkOutcome(c: Case, outcome: { code?: string; text?: string }): void {
  if (outcome.code === 'BAD_RESPONSE') return;
  assert.ok(c.unexpandedOk, `${c.name}: expected BAD_RESPONSE, got ${outcome.code ?? 'a snapshot'}`);
  assert.equal(outcome.code, undefined, `${c.name}: BAD_RESPONSE or a snapshot, got ${outcome.code}`);
  assert.ok(outcome.text !== undefined && !outcome.text.includes('lollol'), 'the entities are never expanded');
  assert.ok(outcome.text.includes('&lol9;'), 'the reference is kept as it is');
  assert.ok(outcome.text.length < 2 * 1024 * 1024, `a normal-sized snapshot (${outcome.text.length} chars)`);
}

const figure = (c: Case, where: string, m: Measured, code: string): void =>
  console.log(`      ${where}: ${c.name}: ${code} in ${m.ms} ms, heap +${m.heapMb.toFixed(0)} MB`);

describe('hostile XML from a hub', function () {
  this.timeout(120_000);
  let sim: PlugwiseSimulator;
  const problems: string[] = [];
  const onProblem = (what: string) => (err: unknown): void => void problems.push(`${what}: ${String(err)}`);
  const onRejection = onProblem('unhandledRejection');
  const onException = onProblem('uncaughtException');
  const bodies = new Map<string, string>();

  before(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    sim = new PlugwiseSimulator({ fixture: FIXTURE, password: SMILE_ID });
    await sim.start();
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    await sim.stop();
    assert.deepEqual(problems, [], 'no unhandled rejection or uncaught exception');
  });

  /** Serves the case's body for /core/domain_objects (built once, before any measurement). */
  function serve(c: Case): void {
    if (!bodies.has(c.name)) bodies.set(c.name, c.body());
    sim.server.setFault({ path: '/core/domain_objects', body: bodies.get(c.name)! });
  }

  describe('PlugwiseClient', () => {
    let client: PlugwiseClient;
    before(async () => {
      client = new PlugwiseClient({ host: '127.0.0.1', port: sim.port, password: SMILE_ID, timeoutMs: 10_000 });
      await client.read(); // detected as an Adam with the sane document
    });
    after(() => client.close());

    for (const c of CASES) {
      it(c.name, async () => {
        serve(c);
        const m = await measure(() => client.read().then((snapshot) => ({ text: JSON.stringify(snapshot) }), (err: unknown) => ({ err })));
        sim.server.setFault(undefined);
        const err = 'err' in m.result ? m.result.err : undefined;
        assert.ok(err === undefined || err instanceof GatewayError, `a GatewayError, not ${String(err)}`);
        const code = err instanceof GatewayError ? err.code : undefined;
        if (err instanceof GatewayError) assert.doesNotMatch(err.message, /root:x:0|lollol/);
        checkOutcome(c, { code, text: 'text' in m.result ? m.result.text : undefined });
        figure(c, 'client', m, code ?? 'unexpanded');
        assert.ok(m.ms < MAX_MS, `${m.ms} ms`);
        assert.ok(m.heapMb < MAX_HEAP_MB, `heap grew by ${m.heapMb.toFixed(0)} MB`);
        const again = await client.read();
        assert.equal(again.entities[NAMED]?.name, 'Aanvoer water afsluiter (nous lz3)', 'a sane document reads normally again');
      });
    }
  });

  describe('plugwise-in', () => {
    const msgs: { out: Record<string, unknown>[]; caught: Record<string, unknown>[] } = { out: [], caught: [] };
    let node: { receive(m: object): void };

    before(async () => {
      await helper.startServer();
      const flow = onTab([
        { id: 'gw', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port: sim.port, pollInterval: '3600', timeout: '10' },
        { id: 'in', type: 'plugwise-in', gateway: 'gw', output: 'snapshot', entity: '', poll: false, wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      await helper.load(loadNodeSet('plugwise'), flow, { gw: { username: 'smile', password: SMILE_ID } });
      const on = (id: string, list: Record<string, unknown>[]): void =>
        (helper.getNode(id) as unknown as { on(e: string, f: (m: Record<string, unknown>) => void): void }).on('input', (m) => list.push(m));
      on('out', msgs.out);
      on('caught', msgs.caught);
      node = helper.getNode('in') as unknown as typeof node;
    });

    after(async () => {
      await helper.unload();
      await helper.stopServer();
    });

    /** One msg in; resolves with what came out or was caught. */
    async function trigger(): Promise<{ out?: Record<string, unknown>; caught?: Record<string, unknown> }> {
      const [o, c] = [msgs.out.length, msgs.caught.length];
      node.receive({ payload: 'read' });
      const end = Date.now() + 60_000;
      while (msgs.out.length === o && msgs.caught.length === c) {
        if (Date.now() > end) throw new Error('no output and no error');
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(msgs.out.length - o + msgs.caught.length - c, 1, 'exactly one outcome');
      return { out: msgs.out[o], caught: msgs.caught[c] };
    }

    it('reads the sane hub first', async () => {
      assert.ok((await trigger()).out);
    });

    for (const c of CASES) {
      it(c.name, async () => {
        serve(c);
        const m = await measure(trigger);
        sim.server.setFault(undefined);
        const error = m.result.caught?.error as { code?: string; message?: string } | undefined;
        assert.doesNotMatch(String(error?.message), /root:x:0|lollol/);
        checkOutcome(c, { code: error?.code, text: m.result.out ? JSON.stringify(m.result.out.payload) : undefined });
        figure(c, 'plugwise-in', m, error?.code ?? 'unexpanded');
        assert.ok(m.ms < MAX_MS, `${m.ms} ms`);
        assert.ok(m.heapMb < MAX_HEAP_MB, `heap grew by ${m.heapMb.toFixed(0)} MB`);
        assert.ok((await trigger()).out, 'the node reads the sane hub again');
      });
    }
  });
});
