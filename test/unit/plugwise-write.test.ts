/**
 * planWrite (pure): the hub variants the simulated fixtures do not cover (Anna with cooling, Stretch v2,
 * legacy Anna), value checks, escaping, and the hub-clock arithmetic of vacation periods.
 */
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../src/core/errors';
import { buildSnapshot, collectWriteTargets, detectHub, entityActions, parseXml, planWrite, pollPaths, type LastRead } from '../../src/vendors/plugwise';
import { formatNumber } from '../../src/vendors/plugwise/write-actions';
import { fillShape } from '../../src/vendors/plugwise/write-shapes';
import { hubMidnight, type WriteTargets } from '../../src/vendors/plugwise/write-targets';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');
const FILES: Record<string, string> = {
  '/core/domain_objects': 'core.domain_objects.xml',
  '/core/appliances': 'core.appliances.xml',
  '/core/locations': 'core.locations.xml',
  '/core/modules': 'core.modules.xml',
  '/system': 'system_status_xml.xml',
  '/system/status.xml': 'system_status_xml.xml',
};

async function readFixture(name: string, edit: (path: string, xml: string) => string = (_p, x) => x, firmware?: string): Promise<LastRead> {
  const get = async (p: string): Promise<string> => {
    const file = path.join(ROOT, name, FILES[p] ?? '-');
    if (!existsSync(file)) throw new Error(`no ${p}`);
    return edit(p, readFileSync(file, 'utf8'));
  };
  const detected = await detectHub(get);
  const info = firmware ? { ...detected, firmware } : detected;
  const docs: Record<string, string> = {};
  for (const p of pollPaths(info)) docs[p] = await get(p);
  const snapshot = buildSnapshot({ ...info, firmware: detected.firmware }, docs, Date.parse('2025-11-02T00:00:01Z'));
  return { info, snapshot, targets: collectWriteTargets(info, docs) };
}

function badInput(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof GatewayError && err.code === 'BAD_INPUT' && message.test(err.message));
}

const ANNA = '1e5e55b958ac445583602f767cb45942';
const ANNA_SETPOINT = '/core/locations;id=5b13651d79c4454684fd268850b1bff8/thermostat;id=9e3dcbfd026f48d88a50add3dab7713c';
const withCooling = (p: string, xml: string): string => (p === '/core/domain_objects' ? xml.replace('<features>', "<features><cooling id='c0011'/>") : xml);

describe('plugwise writes: Anna with cooling writes the active setpoint', () => {
  it('heating: a number or {setpointLow} writes the low setpoint; the high one must stay 30', async () => {
    const read = await readFixture('anna_p1', withCooling);
    const thermostat = read.snapshot.entities[ANNA]?.thermostat as Record<string, number>;
    assert.equal(thermostat.setpointHigh, 30, 'the model shows low/high setpoints');
    const body = (v: string): string => `<thermostat_functionality><setpoint>${v}</setpoint></thermostat_functionality>`;
    assert.deepEqual(planWrite(read, ANNA, 'setpoint', 20.5).requests, [{ method: 'PUT', path: ANNA_SETPOINT, body: body('20.5') }]);
    assert.deepEqual(planWrite(read, ANNA, 'setpoint', { setpointLow: 18, setpointHigh: 30 }).requests[0]?.body, body('18'));
    badInput(() => planWrite(read, ANNA, 'setpoint', { setpointLow: 18, setpointHigh: 25 }), /heating: only setpointLow can be set now \(setpointHigh stays 30/);
    assert.equal(entityActions(read.snapshot.entities[ANNA]!, { snapshot: read.snapshot, legacy: false })[0]?.target, 'setpointLow');
  });

  it('cooling: the high setpoint is written and the low one must stay 4', async () => {
    const read = await readFixture('anna_p1', withCooling);
    const heater = Object.values(read.snapshot.entities).find((e) => e.devClass === 'heater_central')!;
    heater.binarySensors = { ...(heater.binarySensors as object), coolingEnabled: true };
    read.snapshot.entities[ANNA]!.thermostat = { setpointLow: 4, setpointHigh: 24, lowerBound: 4, upperBound: 30, resolution: 0.1 };
    assert.equal(planWrite(read, ANNA, 'setpoint', { setpointHigh: 23.5 }).requests[0]?.body, '<thermostat_functionality><setpoint>23.5</setpoint></thermostat_functionality>');
    badInput(() => planWrite(read, ANNA, 'setpoint', { setpointLow: 18, setpointHigh: 24 }), /cooling: only setpointHigh/);
    badInput(() => planWrite(read, ANNA, 'setpoint', 31), /between 4 and 30/);
  });
});

describe('plugwise writes: Stretch v2 and legacy Anna', () => {
  it('Stretch v2 switches with the older <relay> body and locks through <actuators>', async () => {
    const read = await readFixture('stretch_v31', undefined, '2.7.18');
    assert.equal(read.targets.stretchV2, true);
    const circle = '5871317346d045bc9f6b987ef25ee638';
    assert.deepEqual(planWrite(read, circle, 'relay', 'on').requests, [
      { method: 'PUT', path: `/core/appliances;id=${circle}/relay`, body: '<relay><state>on</state></relay>' },
    ]);
    const lock = planWrite(read, circle, 'lock', false).requests[0];
    assert.equal(lock?.method, 'POST');
    assert.match(String(lock?.body), /<actuators><relay><lock>false<\/lock><\/relay><\/actuators>/);
  });

  it('legacy Anna: setpoint on the thermostat appliance, presets and the schedule through their rules', () => {
    const targets: WriteTargets = {
      legacy: true,
      stretchV2: false,
      locations: new Map(),
      appliances: new Map(),
      legacyThermostat: 'a0a0a0a0',
      rules: [
        { id: 'r0sched', name: 'Thermostat schedule', active: false, templateId: 't0sched', modified: '', icons: [] },
        { id: 'r0away', name: 'Away', active: false, modified: '', icons: ['away'] },
      ],
    };
    const thermostat = {
      id: 'a0a0a0a0',
      devClass: 'thermostat',
      name: 'Anna',
      thermostat: { setpoint: 20, lowerBound: 4, upperBound: 30, resolution: 0.1 },
      temperatureOffset: { setpoint: 0, lowerBound: -2, upperBound: 2, resolution: 0.1 },
      presetModes: ['home', 'away'],
      activePreset: 'home',
      availableSchedules: ['Thermostat schedule', 'off'],
      selectSchedule: 'off',
    };
    const snapshot = { gateway: { id: 'g', model: 'anna' as const, vendorModel: 'smile_thermo', firmware: '1.8.0', hostname: '', mac: '', time: 0 }, entities: { a0a0a0a0: thermostat } };
    const read: LastRead = { info: { ...snapshot.gateway, legacy: true }, snapshot, targets };
    assert.deepEqual(planWrite(read, 'a0a0a0a0', 'setpoint', 21).requests, [
      { method: 'PUT', path: '/core/appliances;id=a0a0a0a0/thermostat', body: '<thermostat_functionality><setpoint>21</setpoint></thermostat_functionality>' },
    ]);
    assert.deepEqual(planWrite(read, 'a0a0a0a0', 'preset', 'away').requests, [
      { method: 'PUT', path: '/core/rules', body: "<rules><rule id='r0away'><active>true</active></rule></rules>" },
    ]);
    assert.deepEqual(planWrite(read, 'a0a0a0a0', 'schedule', true).requests, [
      {
        method: 'PUT',
        path: '/core/rules;id=r0sched',
        body: "<rules><rule id='r0sched'><name><![CDATA[Thermostat schedule]]></name><template id='t0sched' /><active>true</active></rule></rules>",
      },
    ]);
    badInput(() => planWrite(read, 'a0a0a0a0', 'temperatureOffset', 1), /has no temperatureOffset/);
  });
});

describe('plugwise writes: values and request text', () => {
  it('a P1 has nothing to control', async () => {
    const read = await readFixture('p1v4_442_single');
    for (const e of Object.values(read.snapshot.entities)) assert.deepEqual(entityActions(e, { snapshot: read.snapshot, legacy: false }), []);
    badInput(() => planWrite(read, 'ba4de7613517478da82dd9b6abea36af', 'relay', true), /"P1" \(smartmeter\) has no relay/);
  });

  it('schedule true turns on the last changed schedule; true while one is on sends nothing', async () => {
    const read = await readFixture('adam_plus_anna_new');
    assert.equal(planWrite(read, 'f871b8c4d63549319221e294e4f88074', 'schedule', 'on').value, 'Weekschema');
    assert.deepEqual(planWrite(read, 'f2bf9048bef64cc5b6d5110154e33c81', 'schedule', true).requests, []);
    assert.equal(planWrite(read, 'f2bf9048bef64cc5b6d5110154e33c81', 'preset', 'AWAY').value, 'away', 'options match without case');
  });

  it('names are escaped in the body (text and CDATA) and only hub ids reach the path', () => {
    const preset = fillShape('preset', { location: 'abc123', name: 'Tom & Jerry\'s <room>', type: 'bedroom', value: 'home' });
    const doc = parseXml(preset.body) as { locations: Array<{ location: Array<{ name: string[] }> }> };
    assert.equal(doc.locations[0]?.location[0]?.name[0], 'Tom & Jerry\'s <room>');
    const rule = fillShape('scheduleLegacy', { rule: 'r1', name: 'odd ]]> name', template: 't1', value: 'true' });
    assert.doesNotThrow(() => parseXml(rule.body));
    assert.match(rule.body, /odd ]]]]><!\[CDATA\[> name/);
    for (const bad of ['', '../x', 'a b', 'a;id=b']) {
      assert.throws(() => fillShape('relay', { appliance: bad, functionality: 'f1', value: 'on' }), (e: unknown) => e instanceof GatewayError && e.code === 'BAD_RESPONSE');
    }
  });

  it('numbers are written at the resolution, without float noise', () => {
    assert.equal(formatNumber(21, 0.01), '21');
    assert.equal(formatNumber(20.5, 0.1), '20.5');
    assert.equal(formatNumber(0.1 + 0.2, 0.1), '0.3');
    assert.equal(formatNumber(-0.04, 0.1), '0');
    assert.equal(formatNumber(17.25, 0.25), '17.25');
  });

  it('plain dates are midnight on the hub clock, daylight saving time included', () => {
    const amsterdam = { hubTimezone: 'Europe/Amsterdam', hubTime: '2025-10-11T17:08:41+02:00' };
    assert.equal(new Date(hubMidnight('2025-07-01', amsterdam)).toISOString(), '2025-06-30T22:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', amsterdam)).toISOString(), '2025-12-19T23:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', { hubTime: '2025-10-11T17:08:41-05:00' })).toISOString(), '2025-12-20T05:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', {})).toISOString(), '2025-12-20T00:00:00.000Z');
  });
});
