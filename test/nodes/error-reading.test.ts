/**
 * Issue 15, items 2 and 6: what a user reads when a node fails, in the four built node sets against their
 * simulators. The Catch node's msg.error.message and Node-RED's log line are the sentence (not
 * "GatewayError: ..."), msg.error.code is kept, the red status shows the code and a few words of why; and
 * the sentence names the likely cause of the usual set-up mistakes (an EMS base URL with a path, https://
 * to a plain-HTTP port, a heating account pointed at another server).
 */
import assert from 'node:assert/strict';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { deviceId } from '../simulators/heatingcontrol/data';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import { Collector, helper, loadNodeSet, onTab, statuses, until, type Msg, type Status } from './harness';

const SETS = { plugwise: loadNodeSet('plugwise'), heatingcontrol: loadNodeSet('heatingcontrol'), thinknx: loadNodeSet('thinknx'), ems: loadNodeSet('ems') };
type Vendor = keyof typeof SETS;

const SMILE_ID = 'qwertzui';
const HEATING = { clientId: 'node-test-client', clientSecret: 'n0de-t3st-s3cret-77' };
const THINKNX_PASSWORD = 'digest-Pa55word';
const EMS = { username: 'reader', password: 'Ems-pw-7c21-xQ' };
const DEV = deviceId(1);
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

let plugwiseSim: PlugwiseSimulator;
let heatingSim: HeatingSimulator;
let thinknxSim: ThinknxSimulator;
let emsSim: EmsSimulator;

const config = {
  plugwise: (port: number) => ({ id: 'cfg', type: 'plugwise-gateway', name: 'hub', host: '127.0.0.1', port, pollInterval: '60', timeout: '2' }),
  heatingcontrol: (url: string) => ({ id: 'cfg', type: 'heating-account', name: 'acct', baseUrl: url, scope: '', clientAuth: 'body' }),
  thinknx: (port: number, extra: Record<string, unknown> = {}) => ({ id: 'cfg', type: 'thinknx-server', name: 'home', mode: 'local', host: '127.0.0.1', port, tls: false, auth: 'digest', timeout: '2', ...extra }),
  ems: (url: string) => ({ id: 'cfg', type: 'ems-server', name: 'ems', baseUrl: url, allowSelfSigned: false }),
};

const action = {
  plugwise: { id: 'n', type: 'plugwise-in', gateway: 'cfg', output: 'snapshot', entity: '', poll: false },
  heatingcontrol: { id: 'n', type: 'heating-command', account: 'cfg', operation: 'state', device: DEV, command: '', setting: '', homeId: '', params: {} },
  thinknx: { id: 'n', type: 'thinknx-control', server: 'cfg', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1' },
  ems: { id: 'n', type: 'ems-history', server: 'cfg', operation: 'devices', scope: 'all', uid: '', uids: '', range: '24h', pageSize: 100, maxRecords: 1000, output: 'single' },
};

interface Failure {
  /** The failing node's type. */
  type: string;
  error: NonNullable<Msg['error']>;
  status: Status | undefined;
  /** The line Node-RED's console logger prints for the error when no Catch node takes it. */
  logLine: string;
  /** The Error object Node-RED's log got (what the debug sidebar encodes). */
  logged: unknown;
}

/**
 * Sends `msg` to the vendor's action node twice: once with a Catch node on the tab (its msg.error), once
 * without (Node-RED logs the error: its console line and the object the debug sidebar shows).
 */
async function fail(vendor: Vendor, cfg: object, creds: Record<string, string>, msg: Record<string, unknown>, node: object = action[vendor]): Promise<Failure> {
  const flow = onTab([cfg, { ...node, wires: [['out']] }, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }]);
  await helper.load(SETS[vendor], flow, { cfg: creds });
  const seen = statuses('n');
  const caught = new Collector('caught');
  const out = new Collector('out');
  (helper.getNode('n') as unknown as { receive(m: object): void }).receive(msg);
  const [m] = await caught.waitFor(1, 15_000);
  assert.equal(out.msgs.length, 0, 'nothing on the output');
  const status = seen.at(-1);
  await helper.unload();

  await helper.load(SETS[vendor], onTab([cfg, { ...node, wires: [[]] }]), { cfg: creds });
  (helper.getNode('n') as unknown as { receive(m: object): void }).receive(msg);
  const spy = helper.log() as unknown as { args: { id?: string; level?: number; type?: string; msg?: unknown }[][] };
  const errors = (): { type?: string; msg?: unknown }[] => spy.args.map((a) => a[0] ?? {}).filter((o) => o.id === 'n' && o.level === 20);
  await until(() => errors().length > 0, 15_000, 'the error logged');
  const entry = errors()[0]!;
  // @node-red/util's console logger: "[error] [type:name] " + msg.msg (string concatenation calls toString()).
  const logLine = `[error] [${entry.type}:n] ${entry.msg as string}`;
  await helper.unload();
  return { type: String(entry.type), error: m!.error!, status, logLine, logged: entry.msg };
}

/** What a user reads, checked the same way for every vendor. */
function readsAsSentence(f: Failure, code: string, sentence: RegExp, words: string): void {
  const message = String(f.error.message);
  assert.equal(f.error.code, code, message);
  assert.match(message, sentence);
  assert.doesNotMatch(message, /^(GatewayError|Error)\b/, 'the Catch node gets the sentence, not "GatewayError: ..."');
  assert.ok(f.logged instanceof Error, 'Node-RED still gets an Error (hooks, custom loggers)');
  // The same failure without a Catch node (a request id may differ): the log line is the sentence.
  const logged = (f.logged as Error).message;
  assert.match(logged, sentence);
  assert.equal(f.logLine, `[error] [${f.type}:n] ${logged}`, 'the log line is the sentence');
  assert.equal((f.logged as Error).name, 'Error', 'the debug sidebar shows name "Error", then the sentence');
  assert.equal((f.logged as { code?: string }).code, code);
  assert.deepEqual(f.status, { fill: 'red', shape: 'ring', text: `${code}: ${words}` });
  assert.ok(String(f.status?.text).length <= 54, `a short status: ${f.status?.text}`);
  assert.ok(!CONTROLS.test(String(f.status?.text)) && !CONTROLS.test(message));
}

describe('errors read as sentences (issue 15, items 2 and 6; built node sets, four simulators)', function () {
  this.timeout(60_000);

  before(async () => {
    plugwiseSim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
    heatingSim = new HeatingSimulator({ ...HEATING, deviceCount: 3 });
    thinknxSim = new ThinknxSimulator({ password: THINKNX_PASSWORD });
    emsSim = new EmsSimulator(EMS);
    await Promise.all([plugwiseSim.start(), heatingSim.start(), thinknxSim.start(), emsSim.start()]);
  });
  after(async () => {
    await Promise.all([plugwiseSim.stop(), heatingSim.stop(), thinknxSim.stop(), emsSim.stop()]);
  });
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
  });

  describe('item 2: the sentence first, the code kept, the status with a few words of why', () => {
    it('plugwise-in, a wrong Smile ID', async () => {
      const f = await fail('plugwise', config.plugwise(plugwiseSim.port), { username: 'smile', password: 'wrongpwd' }, { payload: 'read' });
      readsAsSentence(f, 'AUTH_FAILED', /^Smile 127\.0\.0\.1 refused the login \(HTTP 401\): check the 8-character Smile ID/, 'Smile ID refused');
    });

    it('heating-command, a wrong client secret, and params outside the schema', async () => {
      const refused = await fail('heatingcontrol', config.heatingcontrol(heatingSim.url), { ...HEATING, clientSecret: 'not-the-secret' }, {});
      readsAsSentence(refused, 'AUTH_FAILED', /^HeatingControl 127\.0\.0\.1:\d+ answered HTTP 401 INVALID_CLIENT to POST \/v1\/oauth\/token \(client_credentials\): Client authentication failed \(check the client id and secret/, 'invalid client (HTTP 401)');
      const bad = await fail('heatingcontrol', config.heatingcontrol(heatingSim.url), HEATING, { payload: { temperature: 40 } }, { ...action.heatingcontrol, operation: 'command', command: 'setTemperature' });
      readsAsSentence(bad, 'BAD_INPUT', new RegExp(`^Command "setTemperature" for device ${DEV} was not sent: temperature 40 is above the maximum 35\\.$`), 'temperature 40 is above the maximum 35');
    });

    it('thinknx-control, a wrong password', async () => {
      const f = await fail('thinknx', config.thinknx(thinknxSim.port), { username: 'integration', password: 'wrong-password' }, { payload: 'get' });
      readsAsSentence(f, 'AUTH_FAILED', /^Thinknx 127\.0\.0\.1:\d+ refused the credentials \(HTTP 403\) \("authentication failed"\): check the user name and password in the server node/, 'user/password refused');
    });

    it('ems-history, a wrong password', async () => {
      const f = await fail('ems', config.ems(emsSim.url), { ...EMS, password: 'wrong' }, {});
      readsAsSentence(f, 'AUTH_FAILED', /^EMS 127\.0\.0\.1:\d+ refused the login \(HTTP 401\): check the user name and password of an account with the API role\.$/, 'login refused');
    });
  });

  describe('item 6: each message names the likely cause', () => {
    it('an EMS base URL with a path: check the base URL, it should be the address without a path', async () => {
      const f = await fail('ems', config.ems(`${emsSim.url}/api`), EMS, {});
      readsAsSentence(
        f,
        'AUTH_FAILED',
        new RegExp(`^EMS 127\\.0\\.0\\.1:${emsSim.port} refused the login at POST /api/v1/auth/login \\(HTTP 401\\): check the base URL: it should be the gateway's address without a path \\(http://127\\.0\\.0\\.1:${emsSim.port}\\); then the user name and password\\.$`),
        'base URL has a path',
      );
    });

    it('an EMS base URL where nothing answers the login (404): check the base URL', async () => {
      // The HeatingControl simulator has no /v1/auth/login: 404 with its own error envelope.
      const f = await fail('ems', config.ems(heatingSim.url), EMS, {});
      readsAsSentence(
        f,
        'NOT_FOUND',
        new RegExp(`^EMS 127\\.0\\.0\\.1:${heatingSim.port} has no login at POST /v1/auth/login \\(HTTP 404\\): check the base URL: it should be the gateway's address without a path \\(http://127\\.0\\.0\\.1:${heatingSim.port}\\)\\.$`),
        'no login at this URL',
      );
    });

    it('https:// to the plain-HTTP EMS simulator: the server does not speak HTTPS on this port, use http://', async () => {
      const f = await fail('ems', config.ems(`https://127.0.0.1:${emsSim.port}`), EMS, {});
      readsAsSentence(
        f,
        'UNREACHABLE',
        new RegExp(`^EMS 127\\.0\\.0\\.1:${emsSim.port} does not speak HTTPS on port ${emsSim.port} \\(the TLS handshake failed: ECONNRESET\\): use http:// in the address, or the port where it speaks HTTPS\\.$`),
        'no HTTPS on this port',
      );
    });

    it('TLS on against the plain-HTTP Thinknx simulator: turn TLS off in the server node', async () => {
      const before = thinknxSim.count();
      const f = await fail('thinknx', config.thinknx(thinknxSim.port, { tls: true }), { username: 'integration', password: THINKNX_PASSWORD }, { payload: 'get' });
      readsAsSentence(f, 'UNREACHABLE', /does not speak HTTPS on port \d+ \(the TLS handshake failed: ECONNRESET\): turn TLS off in the Thinknx server node, or enable TLS for the Integration Kit on the server\.$/, 'no HTTPS on this port');
      assert.equal(thinknxSim.count(), before, 'no request reached the plain-HTTP server');
    });

    it('a heating account pointed at another server (the EMS and Plugwise simulators): not a HeatingControl API, not AUTH_FAILED', async () => {
      const ems = await fail('heatingcontrol', config.heatingcontrol(emsSim.url), HEATING, {});
      readsAsSentence(
        ems,
        'BAD_RESPONSE',
        /^HeatingControl 127\.0\.0\.1:\d+ answered POST \/v1\/oauth\/token \(client_credentials\) with HTTP 401 and JSON that is not an OAuth reply, not an OAuth error: the base URL does not look like a HeatingControl API: enter the API's address, like https:\/\/api\.example\.com\.$/,
        'not a HeatingControl API',
      );
      const plugwise = await fail('heatingcontrol', config.heatingcontrol(plugwiseSim.url), HEATING, {});
      readsAsSentence(plugwise, 'BAD_RESPONSE', /with HTTP 401 and plain text, not an OAuth error: the base URL does not look like a HeatingControl API/, 'not a HeatingControl API');
      // The API's own refusal stays what it is (item 2's case): invalid_client is AUTH_FAILED.
    });
  });
});
