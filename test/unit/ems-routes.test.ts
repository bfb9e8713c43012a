import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { OPERATIONS, ROUTES, SCOPES, findRoute, planRequest, scopesOf } from '../../src/vendors/ems/routes';

const badInput = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof GatewayError);
  assert.equal(err.code, 'BAD_INPUT');
  assert.match(err.message, pattern);
  return true;
};

describe('ems route table', () => {
  it('holds exactly the contract\'s routes, each once', () => {
    // CONTRACT.md, "ems-server": the project's reading of the documentation.
    const contract = [
      'devices all /v1/devices',
      'loads all /v1/loads',
      'loads device /v1/devices/{uid}/loads',
      'signals all /v1/signals',
      'signals load /v1/loads/{uid}/signals',
      'signals device /v1/devices/{uid}/signals',
      'realtime all /v1/realtime',
      'realtime load /v1/loads/{uid}/realtime',
      'realtime device /v1/devices/{uid}/realtime',
      'history all /v1/history',
      'history signal /v1/signals/{uid}/history',
      'history load /v1/loads/{uid}/history',
      'history device /v1/devices/{uid}/history',
      'last all /v1/history/last',
      'last signal /v1/signals/{uid}/history/last',
      'last load /v1/loads/{uid}/history/last',
      'last device /v1/devices/{uid}/history/last',
    ];
    assert.deepEqual(ROUTES.map((r) => `${r.operation} ${r.scope} ${r.path}`).sort(), contract.sort());
    for (const op of OPERATIONS) for (const scope of SCOPES) assert.ok(ROUTES.filter((r) => r.operation === op && r.scope === scope).length <= 1);
  });

  it('pages exactly the routes the documentation gives limit and page', () => {
    const paged = ROUTES.filter((r) => r.params.includes('page')).map((r) => r.path);
    assert.deepEqual(paged.sort(), ['/v1/history', '/v1/history/last', '/v1/loads/{uid}/history', '/v1/devices/{uid}/history', '/v1/realtime', '/v1/signals', '/v1/signals/{uid}/history'].sort());
    assert.deepEqual(scopesOf('devices'), ['all']);
    assert.deepEqual(scopesOf('loads'), ['all', 'device']);
    assert.deepEqual(scopesOf('history'), ['all', 'signal', 'load', 'device']);
  });

  it('plans a history read: window and uids as query, uid in the path', () => {
    const all = planRequest({ operation: 'history', scope: 'all', uids: [101, 100], start: 1000, end: 2000 });
    assert.equal(all.path, '/v1/history');
    assert.deepEqual(all.query, { uids: '101,100', start: '1000', end: '2000' });
    assert.equal(all.paged, true);
    assert.equal(all.keep, undefined);
    const signal = planRequest({ operation: 'history', scope: 'signal', uid: 100, start: 1, end: 2 });
    assert.equal(signal.path, '/v1/signals/100/history');
    assert.deepEqual(signal.query, { start: '1', end: '2' });
  });

  it('filters uids itself where the route takes no uids, and never sends a window to last', () => {
    const plan = planRequest({ operation: 'realtime', scope: 'device', uid: 1, uids: [100, 102] });
    assert.equal(plan.path, '/v1/devices/1/realtime');
    assert.deepEqual(plan.query, {});
    assert.deepEqual([...(plan.keep ?? [])], [100, 102]);
    assert.equal(plan.paged, false);
    const last = planRequest({ operation: 'last', scope: 'all', start: 1, end: 2 });
    assert.deepEqual(last.query, {});
  });

  it('refuses what cannot be asked, before anything is sent', () => {
    assert.throws(() => planRequest({ operation: 'devices', scope: 'signal', uid: 1 }), badInput(/"devices" cannot be read at scope "signal": use one of all/));
    assert.throws(() => planRequest({ operation: 'loads', scope: 'load', uid: 2 }), badInput(/use one of all, device/));
    assert.throws(() => planRequest({ operation: 'history', scope: 'load' }), badInput(/needs the uid of a load/));
    assert.throws(() => planRequest({ operation: 'signals', scope: 'all', protocol: 'tcp' }), badInput(/protocol filter/));
    assert.deepEqual(planRequest({ operation: 'loads', scope: 'all', protocol: 'meterBus' }).query, { protocol: 'meterBus' });
    assert.equal(findRoute('devices', 'device'), undefined);
  });
});
