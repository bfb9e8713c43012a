/**
 * Issue 13, items 6 and 7, against a real Node-RED 4 with adminAuth (an admin and a read-only user),
 * the package linked as a user installs it:
 * - 7: a heating-command whose stored operation is "frobnicate", a thinknx-control whose stored
 *   capability is unknown and a heating-account whose clientAuth is unknown (an imported flow): red
 *   status at deploy, BAD_INPUT to the Catch node for every msg, zero requests to the simulators;
 * - 6: msg text with CR/LF (and U+2028) forges no line in Node-RED's console log.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { delay, until } from '../nodes/harness';
import { demo as heatingDemo } from '../simulators/heatingcontrol';
import { deviceId } from '../simulators/heatingcontrol/data';
import { demo as thinknxDemo } from '../simulators/thinknx';
import type { DemoHandle } from '../../scripts/demo';
import { startSecuredRed, type SecuredRed } from './secured-red';

const FORGED = '[error] [heating-command:forged] forged line';

interface CommsMsg {
  topic: string;
  data: { msg?: string; format?: string; text?: string; fill?: string; shape?: string; id?: string };
}

describe('input hygiene in a real Node-RED (adminAuth on): stored settings and log lines', function () {
  this.timeout(120_000);
  let secured: SecuredRed;
  let heating: DemoHandle;
  let thinknx: DemoHandle;
  let ws: WebSocket | undefined;
  const comms: CommsMsg[] = [];

  before(async () => {
    [heating, thinknx] = await Promise.all([heatingDemo.start(0), thinknxDemo.start(0)]);
    secured = await startSecuredRed('input-hygiene');
    ws = new WebSocket(new URL('comms', secured.red.url.replace(/^http/, 'ws')));
    ws.on('message', (data) => {
      try {
        const parsed = JSON.parse(String(data)) as CommsMsg | CommsMsg[];
        comms.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      } catch {
        // not a comms msg
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws?.once('open', () => resolve());
      ws?.once('error', reject);
    });
    ws.send(JSON.stringify({ auth: secured.token('admin') }));
    await delay(200);
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
    await delay(200);
  });

  after(async () => {
    ws?.close();
    await secured?.stop();
    await Promise.all([heating?.stop(), thinknx?.stop()]);
  });

  const inject = async (id: string): Promise<void> => {
    const res = await secured.api(`inject/${id}`, { method: 'POST' });
    assert.equal(res.status, 200, `inject ${id}`);
  };
  const injectNode = (id: string, z: string, target: string, props: Record<string, string>): Record<string, unknown> => ({
    id,
    type: 'inject',
    z,
    props: Object.keys(props).map((p) => ({ p, v: props[p], vt: 'str' })),
    ...props,
    repeat: '',
    once: false,
    wires: [[target]],
  });

  it('a stored option outside its list: red BAD_INPUT at deploy and for every msg (Catch node), nothing sent; a read-only user cannot trigger it', async () => {
    const tab = 'hy-tab';
    const hcBase = `http://127.0.0.1:${heating.port}`;
    const flow: Record<string, unknown>[] = [
      { id: tab, type: 'tab', label: 'stored settings' },
      { id: 'hy-account', type: 'heating-account', name: 'sim', baseUrl: hcBase, scope: '', clientAuth: 'body', credentials: heatingDemo.credentials },
      { id: 'hy-account-bad', type: 'heating-account', name: 'imported', baseUrl: hcBase, scope: '', clientAuth: 'header', credentials: heatingDemo.credentials },
      { id: 'hy-server', type: 'thinknx-server', name: 'sim', mode: 'local', host: '127.0.0.1', port: thinknx.port, tls: false, auth: 'digest', timeout: 2, credentials: thinknxDemo.credentials },
      { id: 'hy-op', type: 'heating-command', z: tab, account: 'hy-account', operation: 'frobnicate', device: deviceId(1), command: '', setting: '', wires: [['hy-out']] },
      { id: 'hy-auth', type: 'heating-command', z: tab, account: 'hy-account-bad', operation: 'homes', device: '', command: '', setting: '', wires: [['hy-out']] },
      { id: 'hy-cap', type: 'thinknx-control', z: tab, server: 'hy-server', capability: 'frobnicate', guid: 'kitchen-light', feedback: false, group: '', dpt: '1', wires: [['hy-out']] },
      injectNode('hy-op-inject', tab, 'hy-op', { payload: '' }),
      injectNode('hy-auth-inject', tab, 'hy-auth', { payload: '' }),
      injectNode('hy-cap-inject', tab, 'hy-cap', { payload: 'get' }),
      { id: 'hy-out', type: 'debug', z: tab, name: 'out', active: true, tosidebar: true, console: false, complete: 'true', targetType: 'full', wires: [] },
      { id: 'hy-catch', type: 'catch', z: tab, scope: null, uncaught: false, wires: [['hy-caught']] },
      { id: 'hy-caught', type: 'debug', z: tab, name: 'caught', active: true, tosidebar: true, console: false, complete: 'error', targetType: 'msg', wires: [] },
    ];
    await secured.deploy(flow);
    const statusOf = (id: string): CommsMsg['data'] | undefined => comms.filter((m) => m.topic === `status/${id}`).at(-1)?.data;
    await until(() => statusOf('hy-op') !== undefined && statusOf('hy-cap') !== undefined, 10_000, 'the statuses at deploy');
    for (const id of ['hy-op', 'hy-cap']) {
      assert.equal(statusOf(id)?.fill, 'red', `${id}: red at deploy`);
      assert.match(String(statusOf(id)?.text), /^BAD_INPUT: invalid (operation|capability)$/, id);
    }
    assert.match(secured.red.log, /clientAuth is "header", not one of body, basic/, 'the misconfigured account says so at deploy (warning)');

    // A reader cannot press the inject buttons (inject.write).
    assert.equal((await secured.api('inject/hy-op-inject', { method: 'POST' }, 'reader')).status, 401);
    const requestsBefore = heating.requests() + thinknx.requests();
    for (let i = 0; i < 2; i++) for (const id of ['hy-op-inject', 'hy-auth-inject', 'hy-cap-inject']) await inject(id);
    const caught = (): CommsMsg['data'][] => comms.filter((m) => m.topic === 'debug' && m.data.id === 'hy-caught').map((m) => m.data);
    await until(() => caught().length >= 6, 15_000, 'six errors caught');
    await delay(300);
    const errors = caught().map((d) => JSON.parse(String(d.msg)) as { code?: string; message?: string; source?: { id: string } });
    assert.equal(errors.length, 6, JSON.stringify(errors));
    for (const e of errors) assert.equal(e.code, 'BAD_INPUT', JSON.stringify(e));
    const bySource = (id: string): string[] => errors.filter((e) => e.source?.id === id).map((e) => String(e.message));
    assert.equal(bySource('hy-op').length, 2, 'every msg');
    assert.match(bySource('hy-op')[0]!, /operation is "frobnicate", not one of homes, devices, device, rename, state, settings, setSetting, commands, command/);
    assert.match(bySource('hy-auth')[0]!, /clientAuth is "header", not one of body, basic/);
    assert.match(bySource('hy-cap')[0]!, /capability .*frobnicate/);
    assert.equal(comms.filter((m) => m.topic === 'debug' && m.data.id === 'hy-out').length, 0, 'nothing on any output');
    assert.equal(heating.requests() + thinknx.requests() - requestsBefore, 0, 'no request reached a gateway');
  });

  it('CR/LF and U+2028 in msg.device, msg.setting and msg.capability forge no line in the console log', async () => {
    // No Catch node on this tab: the errors go to Node-RED's log, as they do in most flows.
    const tab = 'hy-log-tab';
    const flow: Record<string, unknown>[] = [
      { id: tab, type: 'tab', label: 'log lines' },
      { id: 'hy-account', type: 'heating-account', name: 'sim', baseUrl: `http://127.0.0.1:${heating.port}`, scope: '', clientAuth: 'body', credentials: heatingDemo.credentials },
      { id: 'hy-server', type: 'thinknx-server', name: 'sim', mode: 'local', host: '127.0.0.1', port: thinknx.port, tls: false, auth: 'digest', timeout: 2, credentials: thinknxDemo.credentials },
      { id: 'hy-device', type: 'heating-command', z: tab, account: 'hy-account', operation: 'state', device: deviceId(1), command: '', setting: '', wires: [[]] },
      { id: 'hy-setting', type: 'heating-command', z: tab, account: 'hy-account', operation: 'setSetting', device: deviceId(1), command: '', setting: 'keyboard_locked', wires: [[]] },
      { id: 'hy-cap', type: 'thinknx-control', z: tab, server: 'hy-server', capability: 'power', guid: 'kitchen-light', feedback: false, group: '', dpt: '1', wires: [[]] },
      injectNode('hy-device-inject', tab, 'hy-device', { device: `x\r\n${FORGED}` }),
      injectNode('hy-setting-inject', tab, 'hy-setting', { setting: `k\n${FORGED}`, payload: 'true' }),
      injectNode('hy-cap-inject', tab, 'hy-cap', { capability: `p\u2028${FORGED}` }),
    ];
    await secured.deploy(flow);
    await delay(300);
    const logBefore = secured.red.log.length;
    const requestsBefore = heating.requests() + thinknx.requests();
    for (const id of ['hy-device-inject', 'hy-setting-inject', 'hy-cap-inject']) await inject(id);
    await until(() => (secured.red.log.slice(logBefore).match(/\[error\] \[(heating-command|thinknx-control):/g) ?? []).length >= 3, 15_000, 'three errors logged');
    await delay(300);
    const log = secured.red.log.slice(logBefore);
    const lines = log.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/);
    const forged = lines.filter((l) => l.trimStart().startsWith('[error] [heating-command:forged]'));
    assert.deepEqual(forged, [], `forged log lines:\n${log}`);
    assert.ok(!/[\u2028\u2029\u001b]/.test(log), 'no line separator or escape sequence in the log');
    assert.match(log, /msg\.device holds control characters/);
    assert.match(log, /msg\.setting holds control characters/);
    assert.match(log, /\\u2028/, 'the capability is quoted with its U+2028 escaped');
    assert.equal(heating.requests() + thinknx.requests() - requestsBefore, 0, 'BAD_INPUT: nothing sent');
  });
});
