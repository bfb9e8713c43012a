/**
 * The vendors of the fault matrix: how each flow is built (its config node reaching the simulator through
 * a `*.fault-matrix.invalid` host name, short timeouts), which msg triggers a read or a command, which
 * simulator path it goes to, what a good reply looks like, and where its API makes a cell differ from
 * the table in fault-matrix.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmsSimulator } from '../simulators/ems';
import { HeatingSimulator } from '../simulators/heatingcontrol';
import { deviceId } from '../simulators/heatingcontrol/data';
import { PlugwiseSimulator } from '../simulators/plugwise';
import { ThinknxSimulator } from '../simulators/thinknx';
import type { Outcome, VendorProfile } from './fault-matrix';

/** Seconds: short, so a timeout and its retries take about a second. */
const TIMEOUT = '0.4';

interface WithClient {
  client?: { http: { sent: number } };
  getClient?(): { http: { sent: number } };
}

/** Requests the config node's HttpClient put on the wire. */
function sent(config: unknown): number {
  const c = config as WithClient;
  return (c.client ?? c.getClient?.())?.http.sent ?? 0;
}

const authFailedOnce: Outcome = { code: 'AUTH_FAILED', requests: 1 };

const object = (v: unknown): Record<string, unknown> => {
  assert.ok(v && typeof v === 'object' && !Array.isArray(v), `an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
};

// ---- Plugwise: Basic auth on every request (no session), XML, one request at a time ----

const SMILE_ID = 'fmx7q2rk';
const ZONE = 'f2bf9048bef64cc5b6d5110154e33c81';
const setpoint = (i: number): number => 17 + (i % 10) * 0.5;

function plugwise(): VendorProfile {
  let sim: PlugwiseSimulator;
  const hasControl = existsSync(join(__dirname, '..', '..', 'src', 'nodes', 'plugwise', 'control.ts'));
  const profile: VendorProfile = {
    vendor: 'plugwise',
    config: 'gw',
    async startSim() {
      sim = new PlugwiseSimulator({ fixture: 'adam_plus_anna_new', password: SMILE_ID });
      await sim.start();
      return sim;
    },
    flow: (host, port) => [
      { id: 'gw', type: 'plugwise-gateway', name: 'hub', host, port, pollInterval: '60', timeout: TIMEOUT },
      { id: 'pin', type: 'plugwise-in', gateway: 'gw', output: 'snapshot', entity: '', poll: false, wires: [['pin-out']] },
      ...(hasControl ? [{ id: 'pctl', type: 'plugwise-control', gateway: 'gw', entity: ZONE, action: 'setpoint', wires: [['pctl-out']] }] : []),
    ],
    credentials: { gw: { username: 'smile', password: SMILE_ID } },
    secrets: () => [SMILE_ID, Buffer.from(`smile:${SMILE_ID}`).toString('base64')],
    attempts: sent,
    afterLoad(getNode) {
      // About 2 s in use (the time a Smile takes to apply a write); 10 ms against the simulator.
      (getNode('gw') as { writeSettleMs: number }).writeSettleMs = 10;
    },
    ops: [
      {
        kind: 'read',
        title: 'plugwise-in read',
        node: 'pin',
        path: '/core/domain_objects',
        input: () => ({ payload: 'read' }),
        check(msg) {
          assert.equal(msg.topic, 'plugwise');
          const p = object(msg.payload);
          assert.equal(object(p.gateway).model, 'adam');
          assert.ok(Object.keys(object(p.entities)).length > 5, 'the entities');
        },
        // An empty document (or an <error> one) is what a Smile serves while it restarts: SERVER_ERROR.
        overrides: { session401: authFailedOnce, auth401: authFailedOnce, empty: { code: 'SERVER_ERROR', requests: 1 } },
      },
    ],
  };
  if (hasControl) {
    profile.ops.push({
      kind: 'command',
      title: 'plugwise-control write',
      node: 'pctl',
      path: `/core/locations;id=${ZONE}/thermostat`,
      input: (i) => ({ payload: setpoint(i) }),
      check(msg, i) {
        assert.equal(msg.topic, `plugwise/${ZONE}`);
        assert.equal(object(object(msg.payload).thermostat).setpoint, setpoint(i), 'the entity read back shows the new setpoint');
      },
      // The reply to a write has no body (content-length 0): a stalled body needs one to stall.
      makes: { bodyTimeout: { stallBody: true, body: ' '.repeat(64) } },
      // The hub answers a write with an empty body, which is not read: the entity read back is what counts.
      overrides: {
        session401: authFailedOnce,
        auth401: authFailedOnce,
        malformed: { ok: true, requests: 1 },
        truncated: { ok: true, requests: 1 },
        htmlPage: { ok: true, requests: 1 },
        empty: { ok: true, requests: 1 },
      },
    });
  }
  return profile;
}

// ---- HeatingControl: OAuth2 bearer token (renewed once on a 401), JSON envelope ----

const HC = { clientId: 'fault-matrix-client', clientSecret: 'fm-Secret-4471-hc' };
const DEV = deviceId(1);

function heating(): VendorProfile {
  let sim: HeatingSimulator;
  return {
    vendor: 'heatingcontrol',
    config: 'acct',
    async startSim() {
      sim = new HeatingSimulator({ ...HC, deviceCount: 2 });
      await sim.start();
      return sim;
    },
    flow: (host, port) => [
      { id: 'acct', type: 'heating-account', name: 'sim', baseUrl: `http://${host}:${port}`, scope: '', clientAuth: 'body', timeout: TIMEOUT },
      { id: 'hread', type: 'heating-command', account: 'acct', operation: 'state', device: DEV, command: '', setting: '', homeId: '', params: {}, wires: [['hread-out']] },
      { id: 'hcmd', type: 'heating-command', account: 'acct', operation: 'command', device: DEV, command: 'setTemperature', setting: '', homeId: '', params: {}, wires: [['hcmd-out']] },
    ],
    credentials: { acct: HC },
    secrets: () => [HC.clientSecret, ...sim.issued],
    attempts: sent,
    expireSession: () => sim.revokeAccessTokens(),
    renewals: () => sim.tokenRequests,
    ops: [
      {
        kind: 'read',
        title: 'heating-command state',
        node: 'hread',
        path: `/v1/devices/${DEV}/state`,
        input: () => ({}),
        check(msg) {
          const p = object(msg.payload);
          assert.equal(p.deviceId, DEV);
          assert.equal(typeof p.currentTemperature, 'number');
        },
      },
      {
        kind: 'command',
        title: 'heating-command command',
        node: 'hcmd',
        path: `/v1/devices/${DEV}/commands/setTemperature`,
        input: (i) => ({ payload: { temperature: 16 + (i % 10) } }),
        check(msg, i) {
          const p = object(msg.payload);
          assert.equal(p.command, 'setTemperature');
          assert.equal(p.success, true);
          assert.equal(sim.devices[0]?.state.targetTemperature, 16 + (i % 10), 'the heater took the new temperature');
        },
        executed: () => sim.executed.length,
      },
    ],
  };
}

// ---- Thinknx: Digest (a stale nonce is answered again), JSON, sets sent as GET with a value ----

const TNX_PASSWORD = 'fm-Digest-pw-9913';
const GUID = 'kitchen-light';

function thinknx(): VendorProfile {
  let sim: ThinknxSimulator;
  return {
    vendor: 'thinknx',
    config: 'srv',
    async startSim() {
      sim = new ThinknxSimulator({ password: TNX_PASSWORD, fbDelayMs: 10 });
      await sim.start();
      return sim;
    },
    flow: (host, port) => [
      { id: 'srv', type: 'thinknx-server', name: 'home', mode: 'local', host, port, tls: false, auth: 'digest', timeout: TIMEOUT },
      { id: 'tget', type: 'thinknx-control', server: 'srv', capability: 'power', guid: GUID, feedback: false, group: '', dpt: '1', wires: [['tget-out']] },
      { id: 'tset', type: 'thinknx-control', server: 'srv', capability: 'power', guid: GUID, feedback: false, group: '', dpt: '1', wires: [['tset-out']] },
    ],
    credentials: { srv: { username: 'integration', password: TNX_PASSWORD } },
    secrets: () => [TNX_PASSWORD],
    attempts: sent,
    expireSession: () => sim.digest.expireNonces(),
    renewals: (config) => {
      const c = (config as { client: { counters: { challenges: number; staleRenewals: number } } }).client.counters;
      return c.challenges + c.staleRenewals;
    },
    ops: [
      {
        kind: 'read',
        title: 'thinknx-control get',
        node: 'tget',
        path: '/api/V1/powerstatus',
        input: () => ({ payload: 'get' }),
        check(msg) {
          assert.equal(msg.payload, sim.device(GUID).state.power === 1, 'the power state the server holds');
        },
        overrides: { auth401: authFailedOnce },
      },
      {
        kind: 'command',
        title: 'thinknx-control set',
        node: 'tset',
        path: '/api/V1/power?',
        input: (i) => ({ payload: i % 2 === 0 }),
        check(msg, i) {
          assert.equal(msg.payload, i % 2 === 0);
          assert.equal(sim.device(GUID).state.power, i % 2 === 0 ? 1 : 0, 'the light took the new state');
        },
        executed: () => sim.device(GUID).state.applied,
        overrides: { auth401: authFailedOnce },
      },
    ],
  };
}

// ---- EMS: JWT login (again once on a 401), JSON, paged history ----

const EMS = { username: 'fm-reader', password: 'fm-Ems-pw-5521' };

function ems(): VendorProfile {
  let sim: EmsSimulator;
  return {
    vendor: 'ems',
    config: 'emssrv',
    async startSim() {
      sim = new EmsSimulator(EMS);
      await sim.start();
      return sim;
    },
    flow: (host, port) => [
      { id: 'emssrv', type: 'ems-server', name: 'ems', baseUrl: `http://${host}:${port}`, allowSelfSigned: false, timeout: TIMEOUT },
      {
        id: 'ehist', type: 'ems-history', server: 'emssrv', operation: 'history', scope: 'device', uid: '1', uids: '', range: '1h',
        pageSize: 1000, maxRecords: 100000, output: 'single', wires: [['ehist-out']],
      },
    ],
    credentials: { emssrv: EMS },
    secrets: () => [EMS.password, ...sim.issued],
    attempts: sent,
    expireSession: () => sim.revokeTokens(),
    renewals: () => sim.count('/v1/auth/login'),
    ops: [
      {
        kind: 'read',
        title: 'ems-history history',
        node: 'ehist',
        path: '/v1/devices/1/history',
        input: () => ({}),
        check(msg) {
          assert.equal(msg.topic, 'ems/history/device/1');
          const series = msg.payload as { uid: number; points: unknown[] }[];
          assert.ok(Array.isArray(series) && series.length > 0, 'series');
          for (const s of series) assert.ok(s.points.length >= 50, `an hour of points for ${s.uid}`);
        },
      },
    ],
  };
}

export const PROFILES: ReadonlyArray<() => VendorProfile> = [plugwise, heating, thinknx, ems];
