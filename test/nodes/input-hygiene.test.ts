/**
 * Issue 13, items 6, 7 and 8c, against the BUILT node sets and the four simulators:
 * - 6: control characters (CR, LF, ESC, U+2028...) from a msg never reach an error message or a log line
 *   raw (no forged log line);
 * - 7: a stored setting outside its options (a hand-edited or imported flow) is a configuration error:
 *   red status at deploy, BAD_INPUT naming the setting and its options for every msg, nothing sent;
 *   absent settings (flows saved before a property existed) keep their defaults;
 * - 8c: overrides a user cannot have meant ("0x10", "3,,4", a 10^20-day range, " " as an entity, a 1 MB
 *   device name) are BAD_INPUT, and nothing is sent.
 */
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { deviceId } from '../simulators/heatingcontrol/data';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, delay, helper, loadNodeSet, onTab, recordStatuses, until, type Msg, type Status } from './harness';

const SETS = { heatingcontrol: loadNodeSet('heatingcontrol'), thinknx: loadNodeSet('thinknx'), ems: loadNodeSet('ems'), plugwise: loadNodeSet('plugwise') };
const HC = { clientId: 'hygiene-client', clientSecret: 'hygiene-s3cret-99' };
const TK = { username: 'integration', password: 'hygiene-Pa55' };
const EMS = { username: 'hygiene', password: 'hygiene-ems-pw' };
const PW = { username: 'smile', password: 'hyg12345' };
const DEV = deviceId(1);
const FORGED = '\r\n[error] forged';

interface Receiver {
  receive(m: object): void;
}

interface Sims {
  heating: HeatingSimulator;
  thinknx: ThinknxSimulator;
  ems: EmsSimulator;
  plugwise: PlugwiseSimulator;
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('input hygiene (issue 13: items 6, 7, 8c)', function () {
  this.timeout(30_000);
  let sims: Sims;
  // Every status node `n` shows, the one set while it is made (at deploy) included: recorded on Node-RED's
  // Node class, as the harness's statuses() can only wrap a node once it exists.
  let recorder: ReturnType<typeof recordStatuses> | undefined;
  let shown: Status[] = [];

  before(async () => {
    recorder = recordStatuses('n');
    shown = recorder.shown;
    sims = {
      heating: new HeatingSimulator({ ...HC, deviceCount: 3 }),
      thinknx: new ThinknxSimulator({ password: TK.password, fbDelayMs: 1 }),
      ems: new EmsSimulator(EMS),
      plugwise: new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: PW.password }),
    };
    await Promise.all(Object.values(sims).map((s) => s.start()));
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
  });
  after(async () => {
    recorder?.restore();
    await helper.stopServer();
    await Promise.all(Object.values(sims ?? {}).map((s) => s.stop()));
  });

  const configs = (): Record<string, Record<string, unknown>> => ({
    heatingcontrol: { id: 'cfg', type: 'heating-account', name: 'sim', baseUrl: sims.heating.url, scope: '', clientAuth: 'body' },
    thinknx: { id: 'cfg', type: 'thinknx-server', name: 'sim', mode: 'local', host: '127.0.0.1', port: sims.thinknx.port, tls: false, auth: 'digest', timeout: '2' },
    ems: { id: 'cfg', type: 'ems-server', name: 'sim', baseUrl: sims.ems.url, allowSelfSigned: false },
    plugwise: { id: 'cfg', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port: sims.plugwise.port, pollInterval: '3600', timeout: '5' },
  });
  const CREDS: Record<keyof typeof SETS, Record<string, string>> = { heatingcontrol: HC, thinknx: TK, ems: EMS, plugwise: PW };
  const simOf = (vendor: keyof typeof SETS): { server: { requests: unknown[] } } =>
    ({ heatingcontrol: sims.heating, thinknx: sims.thinknx, ems: sims.ems, plugwise: sims.plugwise })[vendor];

  interface Loaded {
    out: Collector;
    caught: Collector;
    seen: Status[];
    /** Requests the vendor's simulator received since the flow was loaded. */
    requests(): number;
    /** Sends a msg and waits for its one outcome (a msg out or a caught error). */
    run(msg: object): Promise<{ out?: Msg; error?: Msg['error'] }>;
  }

  /** Loads one action node `node` (id `n`) of `vendor` with its config node (`config` overrides its settings). */
  async function load(vendor: keyof typeof SETS, node: Record<string, unknown>, config: Record<string, unknown> = {}, withCatch = true): Promise<Loaded> {
    const flow = [
      { ...configs()[vendor], ...config },
      { id: 'n', wires: [['n-out']], ...node },
      { id: 'n-out', type: 'helper' },
      ...(withCatch ? [{ id: 'hy-catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }] : []),
    ];
    const sim = simOf(vendor);
    const before = sim.server.requests.length;
    shown.length = 0;
    await helper.load(SETS[vendor], onTab(flow), { cfg: CREDS[vendor] });
    const out = new Collector('n-out');
    const caught = withCatch ? new Collector('caught') : out;
    const run = async (msg: object): Promise<{ out?: Msg; error?: Msg['error'] }> => {
      const o = out.msgs.length;
      const c = caught.msgs.length;
      (helper.getNode('n') as unknown as Receiver).receive(msg);
      await until(() => out.msgs.length > o || caught.msgs.length > c, 10_000, 'an outcome');
      return out.msgs.length > o ? { out: out.msgs[o] } : { error: caught.msgs[c]?.error };
    };
    return {
      out,
      caught,
      seen: shown,
      requests: () => sim.server.requests.length - before,
      run,
    };
  }

  describe('item 6: no control character from a msg reaches an error or a log raw', () => {
    it('GatewayError escapes C0/C1 controls, DEL, U+2028/2029 and bidi overrides in its message (and stack)', () => {
      const e = new GatewayError('BAD_INPUT', 'a\r\nb\t\u001b[31mc\u0085d\u007fe\u2028f\u2029g\u202eh', { requestId: 'r\nq', vendorCode: 'v\r' });
      assert.equal(e.message, 'a\\r\\nb\\t\\u001b[31mc\\u0085d\\u007fe\\u2028f\\u2029g\\u202eh');
      assert.ok(!CONTROLS.test(String(e.stack).split('\n')[0] ?? ''), 'the stack header');
      assert.equal(e.requestId, 'r\\nq');
      assert.equal(e.vendorCode, 'v\\r');
      assert.equal(new GatewayError('NOT_FOUND', 'plain text, ünïcödé').message, 'plain text, ünïcödé', 'other text is untouched');
    });

    it('heating-command: msg.device with CR/LF is BAD_INPUT before anything is sent, and no log line is forged', async () => {
      const l = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'state', device: DEV, command: '', setting: '', homeId: '', params: {} }, {}, false);
      (helper.getNode('n') as unknown as Receiver).receive({ device: `nope${FORGED}` });
      const spy = helper.log() as unknown as { args: { id?: string; msg?: unknown; level?: number }[][] };
      const lines = (): { msg?: unknown }[] => spy.args.map((a) => a[0] ?? {}).filter((o) => o.id === 'n' && o.level === 20);
      await until(() => lines().length > 0, 5000, 'the error logged');
      assert.equal(l.requests(), 0, 'nothing sent');
      assert.match(String((lines()[0]?.msg as Error).message), /msg\.device holds control characters/);
      for (const o of lines()) {
        const text = String(o?.msg instanceof Error ? o.msg.toString() : o?.msg);
        assert.ok(!CONTROLS.test(text), `a raw control character in the log: ${JSON.stringify(text)}`);
        assert.ok(!text.split(/\r\n|\r|\n/).some((line) => line.startsWith('[error]')), 'a forged line');
      }
    });

    it('every action node: msg text with controls in a Catch-node error is escaped', async () => {
      const cases: [keyof typeof SETS, Record<string, unknown>, object][] = [
        ['heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'state', device: DEV }, { operation: `x${FORGED}` }],
        ['heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'setSetting', device: DEV }, { setting: `k${FORGED}`, payload: 1 }],
        ['thinknx', { type: 'thinknx-control', server: 'cfg', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1' }, { capability: `x\u2028${FORGED}` }],
        ['thinknx', { type: 'thinknx-control', server: 'cfg', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1' }, { guid: `g${FORGED}` }],
        ['ems', { type: 'ems-history', server: 'cfg', operation: 'devices', scope: 'all', uid: '', uids: '', range: '24h', pageSize: 100, maxRecords: 1000, output: 'single' }, { uids: `1,2${FORGED}` }],
        ['ems', { type: 'ems-history', server: 'cfg', operation: 'history', scope: 'device', uid: '1', uids: '', range: '24h', pageSize: 100, maxRecords: 1000, output: 'single' }, { start: `2025\u2029${FORGED}` }],
        ['plugwise', { type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false }, { entity: `nope${FORGED}` }],
      ];
      for (const [vendor, node, msg] of cases) {
        const l = await load(vendor, node);
        const { out, error } = await l.run(msg);
        assert.equal(out, undefined, `${vendor} ${JSON.stringify(msg)}: nothing out`);
        assert.equal(error?.code, 'BAD_INPUT', `${vendor} ${JSON.stringify(msg)}: ${error?.message}`);
        assert.ok(!CONTROLS.test(error?.message ?? ''), `${vendor}: raw control character in ${JSON.stringify(error?.message)}`);
        await helper.unload();
      }
    });
  });

  describe('item 7: a stored setting outside its options is a configuration error', () => {
    const refused = async (l: Loaded, words: RegExp[], what: string): Promise<void> => {
      await delay(50);
      const { out, error } = await l.run({ payload: 'get' });
      assert.equal(out, undefined, `${what}: nothing out`);
      assert.equal(error?.code, 'BAD_INPUT', `${what}: ${error?.code} ${error?.message}`);
      for (const w of words) assert.match(error?.message ?? '', w, what);
      const again = await l.run({ payload: 'get', topic: 'again' });
      assert.equal(again.error?.code, 'BAD_INPUT', `${what}: every msg`);
      assert.equal(l.requests(), 0, `${what}: nothing sent`);
      const first = l.seen[0];
      assert.equal(first?.fill, 'red', `${what}: red status at deploy, before any msg (${JSON.stringify(l.seen)})`);
      assert.match(String(first?.text), /^BAD_INPUT: invalid /, `${what}: status`);
    };

    it('heating-command operation "frobnicate": red BAD_INPUT at deploy, every msg refused naming operation and its options, nothing sent', async () => {
      const node = { type: 'heating-command', account: 'cfg', operation: 'frobnicate', device: DEV, command: '', setting: '', homeId: '', params: {} };
      const l = await load('heatingcontrol', node);
      await refused(l, [/operation/, /"frobnicate"/, /homes, devices, device, rename, state, settings, setSetting, commands, command/], 'heating-command operation');
      assert.equal(l.seen[0]?.text, 'BAD_INPUT: invalid operation');
    });

    it('heating-command: a params text that is not JSON is refused; a flow saved without operation or params still reads the state', async () => {
      const bad = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'command', device: DEV, command: 'boost', params: '{minutes: 30' });
      await refused(bad, [/params/, /JSON/], 'params');
      await helper.unload();
      const old = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', device: DEV });
      const { out, error } = await old.run({});
      assert.equal(error, undefined, error?.message);
      assert.equal(out?.topic, `heatingcontrol/${DEV}/state`);
    });

    it('heating-account clientAuth "header" or timeout "soon": every msg BAD_INPUT naming the setting, nothing sent; absent clientAuth is body', async () => {
      for (const config of [{ clientAuth: 'header' }, { timeout: 'soon' }]) {
        const l = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'homes' }, config);
        const { error } = await l.run({});
        assert.equal(error?.code, 'BAD_INPUT', JSON.stringify(config));
        assert.match(error?.message ?? '', new RegExp(Object.keys(config)[0]!));
        if (config.clientAuth) assert.match(error?.message ?? '', /body, basic/);
        assert.equal(l.requests(), 0, 'nothing sent');
        await helper.unload();
      }
      const l = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'homes' }, { clientAuth: undefined, timeout: '' });
      const { out, error } = await l.run({});
      assert.equal(error, undefined, error?.message);
      assert.ok(Array.isArray(out?.payload));
    });

    it('thinknx-control capability, feedback or dpt outside their options, and thinknx-server mode/auth/tls: BAD_INPUT, nothing sent', async () => {
      const base = { type: 'thinknx-control', server: 'cfg', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1' };
      for (const [extra, word] of [[{ capability: 'frobnicate' }, /capability/], [{ feedback: 'maybe' }, /feedback/], [{ dpt: '7' }, /dpt/], [{ group: '99/9/9' }, /group/]] as const) {
        const l = await load('thinknx', { ...base, ...extra });
        await refused(l, [word], `thinknx-control ${JSON.stringify(extra)}`);
        await helper.unload();
      }
      for (const [config, word] of [[{ mode: 'lan' }, /mode.*local, cloud/], [{ auth: 'ntlm' }, /auth.*digest, basic, query/], [{ tls: 'yes' }, /tls/], [{ timeout: '0' }, /timeout/]] as const) {
        const l = await load('thinknx', base, config);
        const { error } = await l.run({ payload: 'get' });
        assert.equal(error?.code, 'BAD_INPUT', JSON.stringify(config));
        assert.match(error?.message ?? '', word);
        assert.equal(l.requests(), 0, 'nothing sent');
        await helper.unload();
      }
    });

    it('ems-history operation, scope, output, pageSize, maxRecords, uid or range outside their options, and ems-server allowSelfSigned: BAD_INPUT, nothing sent', async () => {
      const base = { type: 'ems-history', server: 'cfg', operation: 'devices', scope: 'all', uid: '', uids: '', range: '24h', pageSize: 100, maxRecords: 1000, output: 'single' };
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ operation: 'watts' }, /operation.*history, last, realtime/],
        [{ scope: 'everything' }, /scope.*all, signal, load, device/],
        [{ output: 'stream' }, /output.*single, pages/],
        [{ pageSize: 'abc' }, /pageSize/],
        [{ pageSize: 100_001 }, /pageSize.*at most 100000/],
        [{ maxRecords: '-1' }, /maxRecords/],
        [{ uid: '0x10', scope: 'device' }, /uid/],
        [{ range: '99999999999999999999d', operation: 'history' }, /range/],
      ];
      for (const [extra, word] of bad) {
        const l = await load('ems', { ...base, ...extra });
        await refused(l, [word], `ems-history ${JSON.stringify(extra)}`);
        await helper.unload();
      }
      const l = await load('ems', base, { allowSelfSigned: 'maybe' });
      const { error } = await l.run({});
      assert.equal(error?.code, 'BAD_INPUT');
      assert.match(error?.message ?? '', /allowSelfSigned.*true or false/);
      assert.equal(l.requests(), 0);
      await helper.unload();
      // A flow saved before output/pageSize/maxRecords existed keeps the defaults.
      const old = await load('ems', { type: 'ems-history', server: 'cfg', operation: 'devices' });
      const r = await old.run({});
      assert.equal(r.error, undefined, r.error?.message);
      assert.ok(Array.isArray(r.out?.payload));
    });

    it('plugwise-in output "everything" or poll "often": BAD_INPUT, no msg out', async () => {
      for (const extra of [{ output: 'everything' }, { poll: 'often' }]) {
        const l = await load('plugwise', { type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false, ...extra });
        await refused(l, [new RegExp(Object.keys(extra)[0]!)], `plugwise-in ${JSON.stringify(extra)}`);
        await helper.unload();
      }
    });
    it('plugwise-control action "frobnicate": red BAD_INPUT at deploy, every msg refused, nothing sent', async () => {
      const l = await load('plugwise', { type: 'plugwise-control', gateway: 'cfg', entity: 'f2bf9048bef64cc5b6d5110154e33c81', action: 'frobnicate' });
      await refused(l, [/action/, /"frobnicate"/, /setpoint, setpointLow/], 'plugwise-control action');
    });

    it('plugwise-gateway port "0x50" or timeout "soon": its nodes answer BAD_INPUT naming the setting, nothing sent; a blank poll interval keeps the default', async () => {
      for (const extra of [{ port: '0x50' }, { timeout: 'soon' }, { pollInterval: '-5' }]) {
        const l = await load('plugwise', { type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false }, extra);
        const key = Object.keys(extra)[0]!;
        const { out, error } = await l.run({ payload: 'read' });
        assert.equal(out, undefined, key);
        assert.equal(error?.code, 'BAD_INPUT', `${key}: ${error?.code} ${error?.message}`);
        assert.match(error?.message ?? '', new RegExp(`${key} is`), key);
        assert.equal(l.requests(), 0, `${key}: nothing sent`);
        await helper.unload();
      }
      const ok = await load('plugwise', { type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false }, { pollInterval: '' });
      const r = await ok.run({ payload: 'read' });
      assert.equal(r.error, undefined, r.error?.message);
    });
  });

  describe('item 8c: overrides no user can have meant are BAD_INPUT, nothing sent', () => {
    it('ems-history: uid "0x10", "1e1" or " 16x"; uids "3,,4" or "3,"; a range of 10^20 days; msg.start before 1970', async () => {
      const l = await load('ems', { type: 'ems-history', server: 'cfg', operation: 'history', scope: 'device', uid: '1', uids: '', range: '1h', pageSize: 100, maxRecords: 1000, output: 'single' });
      const bad: object[] = [
        { uid: '0x10' },
        { uid: '1e1' },
        { uid: ' 16x' },
        { uid: 2 ** 53 },
        { scope: 'all', uids: '3,,4' },
        { scope: 'all', uids: '3,' },
        { scope: 'all', uids: ['3', ''] },
        { range: '99999999999999999999d' },
        { range: '3651d' },
        { start: -1, end: Date.UTC(2025, 0, 1) },
        { end: 3600_000, range: '2h' },
        { start: '0001-01-01T00:00:00Z' },
      ];
      for (const msg of bad) {
        const { out, error } = await l.run(msg);
        assert.equal(out, undefined, JSON.stringify(msg));
        assert.equal(error?.code, 'BAD_INPUT', `${JSON.stringify(msg)}: ${error?.message}`);
      }
      assert.equal(l.requests(), 0, 'nothing sent');
      const good = await l.run({ uid: '1', range: '520w' });
      assert.equal(good.error, undefined, good.error?.message);
    });

    it('plugwise-in: msg.entity " " is BAD_INPUT, not every entity', async () => {
      const l = await load('plugwise', { type: 'plugwise-in', gateway: 'cfg', output: 'entities', entity: 'f2bf9048bef64cc5b6d5110154e33c81', poll: false });
      const { out, error } = await l.run({ entity: ' ' });
      assert.equal(out, undefined, 'no entity sent');
      assert.equal(error?.code, 'BAD_INPUT');
      assert.match(error?.message ?? '', /msg\.entity/);
      await delay(100);
      assert.equal(l.out.msgs.length, 0);
      const good = await l.run({});
      assert.equal(good.out?.topic, 'plugwise/f2bf9048bef64cc5b6d5110154e33c81');
    });

    it('heating-command rename: a 1 MB, a 101-character or a two-line name is BAD_INPUT; whitespace-only ids too; nothing sent', async () => {
      const l = await load('heatingcontrol', { type: 'heating-command', account: 'cfg', operation: 'rename', device: DEV, command: '', setting: '', homeId: '', params: {} });
      for (const msg of [{ payload: 'x'.repeat(1 << 20) }, { payload: 'n'.repeat(101) }, { payload: 'Living\nRoom' }, { payload: 'Heater\u001b[2J' }, { device: '   ', payload: 'Ok' }, { operation: 'devices', homeId: ' \t ' }]) {
        const { out, error } = await l.run(msg);
        assert.equal(out, undefined);
        assert.equal(error?.code, 'BAD_INPUT', `${JSON.stringify(msg).slice(0, 80)}: ${error?.message}`);
        assert.ok((error?.message.length ?? 0) < 400, 'the message does not quote the value whole');
      }
      assert.equal(l.requests(), 0, 'nothing sent');
      const ok = await l.run({ payload: `  ${'n'.repeat(100)}  ` });
      assert.equal(ok.error, undefined, ok.error?.message);
      assert.equal((ok.out?.payload as { name: string }).name, 'n'.repeat(100));
    });
  });
});
