/**
 * plugwise-control's requests against what python-plugwise 1.14.1 sends, per control and hub dump.
 *
 * test/fixtures/plugwise/writes/<dump>.json holds the library's own requests for every control it has
 * on every entity of that dump (scripts/capture-plugwise-writes.py). Each capture is replayed on the same
 * entity with the same value; our request must equal the library's (method, path, body), or be one of the
 * deliberate differences listed in DELIBERATE (each also in plugwise-control's help).
 *
 * The entities are the library's own output for the dump (camelCased), so this tests the write side
 * only: the parser's parity is test/unit/plugwise-parity.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../src/core/errors';
import { camelizeKeys, entityActions, hubXml, parseXml, planWrite, type ControlAction, type Entity, type HubInfo, type LastRead, type WriteRequest } from '../../src/vendors/plugwise';
import { cdata, escapeXml, formatNumber, hubMidnight, pyFloat } from '../../src/vendors/plugwise/control-values';
import { isControlAction } from '../../src/vendors/plugwise/controls';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');
const WRITES = path.join(ROOT, 'writes');
const FILES: Record<string, string> = {
  '/core/domain_objects': 'core.domain_objects.xml',
  '/core/appliances': 'core.appliances.xml',
  '/core/locations': 'core.locations.xml',
  '/core/modules': 'core.modules.xml',
  '/system': 'system_status_xml.xml',
  '/system/status.xml': 'system_status_xml.xml',
};

interface Capture {
  action: string;
  entity: string;
  payload: unknown;
  call: string;
  requests: Array<{ method: string; path: string; body: string | null }>;
  error: string | null;
}

interface CaptureFile {
  dump: string;
  frozenAt: string;
  hub: { name: string; model: HubInfo['model']; vendorModel: string; firmware: string; legacy: boolean; gatewayId: string };
  captures: Capture[];
}

/** A dump read as a write sees it: the hub as the library saw it, our XML, the library's entities. */
function lastReadOf(data: CaptureFile): LastRead {
  const dir = path.join(ROOT, data.dump);
  const docs: Record<string, string> = {};
  for (const [p, file] of Object.entries(FILES)) if (existsSync(path.join(dir, file))) docs[p] = readFileSync(path.join(dir, file), 'utf8');
  const { gatewayId, name: _name, ...hub } = data.hub;
  const info: HubInfo = { ...hub, id: gatewayId, hostname: '', mac: '' };
  const xml = hubXml(info, docs);
  const library = JSON.parse(readFileSync(path.join(dir, `${data.dump}.json`), 'utf8')) as Record<string, object>;
  const entities: Record<string, Entity> = {};
  for (const [id, e] of Object.entries(library)) entities[id] = { ...(camelizeKeys(e) as Entity), id };
  const time = Date.parse(xml.clock.time ?? `${data.frozenAt.replace(' ', 'T')}Z`);
  const { legacy: _legacy, ...gateway } = info;
  return { info, snapshot: { gateway: { ...gateway, time }, entities }, xml };
}

const captures = (dump: string): CaptureFile => JSON.parse(readFileSync(path.join(WRITES, `${dump}.json`), 'utf8')) as CaptureFile;
const readOf = (dump: string): LastRead => lastReadOf(captures(dump));

/** Bodies compared as XML, not as text: whitespace between tags and `<x></x>` / `<x />` are the same. */
function canonical(body: string | null): string {
  return (body ?? '').replace(/>\s+</g, '><').replace(/<([\w:-]+)([^<>]*?)>\s*<\/\1>/g, '<$1$2 />').replace(/\s+\/>/g, ' />');
}

/** The library's requests, bodies canonical. */
const theirs = (c: Capture): WriteRequest[] => c.requests.map((r) => ({ method: r.method as WriteRequest['method'], path: r.path, body: canonical(r.body) }));

type Expect = { requests: WriteRequest[] } | { badInput: RegExp };

interface Deliberate {
  why: string;
  applies(c: Capture, read: LastRead): boolean;
  expect(c: Capture, read: LastRead): Expect;
}

const entityOf = (c: Capture, read: LastRead): Entity => read.snapshot.entities[c.entity] as Entity;

/** Where we do not send what python-plugwise sends, and why (the node's help says the same). */
const DELIBERATE: Deliberate[] = [
  {
    why: 'dhw_cm_switch: the library sends it as a relay (PUT .../relay), a heater has none; we send the comfort toggle set_dhw_mode sends',
    applies: (c) => c.action === 'dhwComfortMode',
    expect: (c) => ({
      requests: [{ method: 'PUT', path: `/core/appliances;id=${c.entity}/toggle;type=domestic_hot_water_comfort_mode`, body: `<toggle><state>${c.payload ? 'on' : 'off'}</state></toggle>` }],
    }),
  },
  {
    why: "Loria: the library refuses DHW modes the entity lists (its allowed list is overwritten with the toggle's comfort/eco); we send them",
    applies: (c) => c.action === 'dhwMode' && /invalid dhw mode/.test(c.error ?? ''),
    expect: (c) => ({
      requests: [
        {
          method: 'PUT',
          path: '/core/appliances;type=heater_central/domestic_hot_water_mode_control',
          body: `<domestic_hot_water_mode_control_functionality><mode>${String(c.payload)}</mode></domestic_hot_water_mode_control_functionality>`,
        },
      ],
    }),
  },
  {
    why: 'vacation: the library starts it "yesterday 23:00Z" by the machine\'s date; we start it at midnight of the hub\'s day in its time zone',
    applies: (c) => c.action === 'gatewayMode' && c.payload === 'vacation',
    expect: (c, read) => {
      const day = /^(\d{4}-\d{2}-\d{2})/.exec(read.xml.clock.time ?? '')?.[1] ?? '';
      const from = new Date(hubMidnight(day, read.xml.clock)).toISOString();
      return { requests: theirs(c).map((r) => ({ ...r, body: r.body.replace(/<valid_from>[^<]*<\/valid_from>/, `<valid_from>${from}</valid_from>`) })) };
    },
  },
  {
    why: 'schedule true with no active schedule: the library sends nothing, or turns on one whose state it keeps apart from the entity; we refuse and name the schedules',
    applies: (c, read) => c.action === 'schedule' && c.payload === true && (entityOf(c, read).selectSchedule ?? 'off') === 'off',
    expect: () => ({ badInput: /no active schedule for true to keep on: (name one of "|it has none)/ }),
  },
  {
    why: 'a zone already in a schedule\'s contexts: the library appends its context a second time; we list it once',
    applies: (c) => c.action === 'schedule' && c.requests.some((r) => duplicateContext(r.body ?? '') !== undefined),
    expect: (c) => ({ requests: theirs(c).map((r) => ({ ...r, body: canonical(dropDuplicate(r.body ?? '')) })) }),
  },
  {
    why: 'legacy Anna: set_select("off") turns the schedule on and "false" sends an off for one the entity shows off; we send nothing for a schedule already off',
    applies: (c, read) => read.info.legacy && c.action === 'schedule' && c.payload !== true,
    expect: () => ({ requests: [] }),
  },
  {
    why: 'a relay the library will not switch (locked, or a plug without a lock) and the library\'s placeholders on legacy hubs: it sends nothing silently; we refuse',
    applies: (c) => c.requests.length === 0 && c.error === null && ['relay', 'reboot', 'deleteNotification', 'maxBoilerTemperature'].includes(c.action),
    expect: () => ({ badInput: /is locked|has no (relay|reboot|deleteNotification|maxBoilerTemperature)/ }),
  },
  {
    why: 'the library refuses it (PlugwiseError): BAD_INPUT, nothing sent',
    applies: (c) => c.error !== null,
    expect: () => ({ badInput: /heating, so only setpointLow|cooling, so only setpointHigh/ }),
  },
];

/** A zone context the body lists twice, if any. */
function duplicateContext(body: string): string | undefined {
  const contexts: string[] = canonical(body).match(/<context>.*?<\/context>/g) ?? [];
  return contexts.find((c, i) => contexts.indexOf(c) !== i && c.includes('<location'));
}

function dropDuplicate(body: string): string {
  const dup = duplicateContext(body) as string;
  const canon = canonical(body);
  const last = canon.lastIndexOf(dup);
  return canon.slice(0, last) + canon.slice(last + dup.length);
}

function ours(read: LastRead, c: Capture): Expect {
  if (!isControlAction(c.action)) throw new Error(`capture with an unknown action ${c.action}`);
  try {
    const plan = planWrite(read, c.entity, c.action as ControlAction, c.payload);
    return { requests: plan.requests.map((r) => ({ ...r, body: canonical(r.body) })) };
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'BAD_INPUT') return { badInput: new RegExp(err.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) };
    throw err;
  }
}

function check(read: LastRead, c: Capture): string | undefined {
  const rule = DELIBERATE.find((d) => d.applies(c, read));
  const want: Expect = rule ? rule.expect(c, read) : { requests: theirs(c) };
  const got = ours(read, c);
  const what = `${c.action} ${JSON.stringify(c.payload)} on ${c.entity} (${c.call})${rule ? ` [deliberate: ${rule.why}]` : ''}`;
  if ('badInput' in want) {
    assert.ok('badInput' in got, `${what}: want BAD_INPUT, we send ${JSON.stringify(got)}`);
    assert.match(got.badInput.source.replace(/\\/g, ''), want.badInput, what);
  } else {
    assert.ok('requests' in got, `${what}: we refuse (${'badInput' in got ? got.badInput.source : ''})`);
    assert.deepEqual(got.requests, want.requests, what);
  }
  return rule?.why;
}

const files = existsSync(WRITES) ? readdirSync(WRITES).filter((f) => f.endsWith('.json')).sort() : [];

describe('plugwise writes: each control as python-plugwise 1.14.1 sends it, per hub dump', () => {
  it('has the captures of every dump the library reads', () => {
    assert.ok(files.length >= 22, `captures in ${WRITES} (scripts/capture-plugwise-writes.py)`);
  });
  for (const file of files) {
    const data = JSON.parse(readFileSync(path.join(WRITES, file), 'utf8')) as CaptureFile;
    describe(data.dump, () => {
      let read: LastRead;
      before(() => {
        read = lastReadOf(data);
      });
      const actions = [...new Set(data.captures.map((c) => c.action))];
      for (const action of actions) {
        const captures = data.captures.filter((c) => c.action === action);
        it(`${action}: ${captures.length} call(s), ${captures.reduce((n, c) => n + c.requests.length, 0)} request(s) from the library`, () => {
          for (const c of captures) check(read, c);
        });
      }
      it('every control we offer on this dump was captured from the library', () => {
        for (const e of Object.values(read.snapshot.entities)) {
          for (const a of entityActions(e, { snapshot: read.snapshot, legacy: read.info.legacy })) {
            // An Anna with cooling: `setpoint` is the active one of setpointLow/High, captured as those.
            const as = a.target ?? a.action;
            assert.ok(data.captures.some((c) => c.entity === e.id && c.action === as), `${a.action} on ${e.id} (${String(e.devClass)}) has no capture`);
          }
        }
      });
    });
  }
});

// ---- what the captures do not show: our own checks and arithmetic ----

const ZONE = 'f2bf9048bef64cc5b6d5110154e33c81';

function badInput(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof GatewayError && err.code === 'BAD_INPUT' && message.test(err.message));
}

describe('plugwise writes: values are checked against the entity before anything is sent', () => {
  it('numbers: bounds, resolution, text', async () => {
    const read = readOf('adam_plus_anna_new');
    badInput(() => planWrite(read, ZONE, 'setpoint', 40), /between 1 and 35/);
    badInput(() => planWrite(read, ZONE, 'setpoint', 20.123), /multiple of 0\.01/);
    badInput(() => planWrite(read, ZONE, 'setpoint', 'warm'), /needs a number/);
    assert.equal(planWrite(read, ZONE, 'setpoint', '21').requests[0]?.body, '<thermostat_functionality><setpoint>21.0</setpoint></thermostat_functionality>');
    badInput(() => planWrite(read, '056ee145a816487eaa69243c3280f8bf', 'maxBoilerTemperature', 100), /between 25 and 95/);
  });

  it('options and switches', async () => {
    const read = readOf('adam_plus_anna_new');
    badInput(() => planWrite(read, ZONE, 'preset', 'holiday'), /one of "vacation", "no_frost"/);
    assert.equal(planWrite(read, ZONE, 'preset', 'AWAY').value, 'away', 'options match without case');
    badInput(() => planWrite(read, ZONE, 'zoneProfile', 'eco'), /"active", "off", "passive"/);
    badInput(() => planWrite(read, '2568cc4b9c1e401495d4741a5f89bee1', 'relay', true), /was not changed \(relay\): its relay is locked/);
    badInput(() => planWrite(read, '2568cc4b9c1e401495d4741a5f89bee1', 'lock', 'maybe'), /true\/false/);
    badInput(() => planWrite(read, 'da224107914542988a88561b4452b0f6', 'reboot', 'yes'), /needs msg\.payload true/);
    badInput(() => planWrite(read, 'da224107914542988a88561b4452b0f6', 'gatewayMode', { mode: 'full', from: '2025-12-20' }), /no period/);
    badInput(() => planWrite(read, 'e2f4322d57924fa090fbbc48b3a140dc', 'setpoint', 20), /set on the zone: use "Bathroom"/);
  });

  it('schedule: true keeps the active one on (nothing sent); with none active it names the schedules', async () => {
    const read = readOf('adam_plus_anna_new');
    assert.deepEqual(planWrite(read, ZONE, 'schedule', true).requests, []);
    badInput(() => planWrite(read, 'f871b8c4d63549319221e294e4f88074', 'schedule', true), /name one of "Badkamer", "Vakantie", "Weekschema", "Test"/);
    badInput(() => planWrite(read, ZONE, 'schedule', 'Nope'), /schedule/);
    assert.equal(planWrite(read, 'f871b8c4d63549319221e294e4f88074', 'schedule', 'weekschema').value, 'Weekschema');
  });

  it('Anna with cooling: a plain setpoint writes the active one; the other one is refused', async () => {
    const heating = readOf('anna_elga_2');
    const anna = 'ebd90df1ab334565b5895f37590ccff4';
    const low = planWrite(heating, anna, 'setpointLow', 20).requests;
    assert.deepEqual(planWrite(heating, anna, 'setpoint', 20).requests, low);
    assert.deepEqual(planWrite(heating, anna, 'setpoint', { setpointLow: 20, setpointHigh: 30 }).requests, low);
    badInput(() => planWrite(heating, anna, 'setpoint', { setpointLow: 20, setpointHigh: 25 }), /heating: only setpointLow can be set now/);
    badInput(() => planWrite(heating, anna, 'setpointHigh', 25), /heating, so only setpointLow/);
    const cooling = readOf('anna_heatpump_cooling');
    const anna2 = '3cb70739631c4d17a86b8b12e8a5161b';
    assert.deepEqual(planWrite(cooling, anna2, 'setpoint', 23).requests, planWrite(cooling, anna2, 'setpointHigh', 23).requests);
    assert.equal(entityActions(cooling.snapshot.entities[anna2] as Entity, { snapshot: cooling.snapshot, legacy: false }).find((a) => a.action === 'setpointLow')?.blocked?.includes('cooling'), true);
  });

  it('a P1 has nothing to control but its gateway commands', async () => {
    const read = readOf('p1v4_442_single');
    const listed = Object.values(read.snapshot.entities).flatMap((e) => entityActions(e, { snapshot: read.snapshot, legacy: false }).map((a) => a.action));
    assert.deepEqual(listed.sort(), ['deleteNotification', 'reboot']);
    badInput(() => planWrite(read, 'ba4de7613517478da82dd9b6abea36af', 'relay', true), /"P1" \(smartmeter\) has no relay/);
  });
});

describe('plugwise writes: text the hub receives', () => {
  it('names are escaped in text and CDATA; only hub ids reach the path', async () => {
    assert.equal(escapeXml('Tom & Jerry\'s <room>'), 'Tom &amp; Jerry&apos;s &lt;room&gt;');
    assert.doesNotThrow(() => parseXml(`<name>${cdata('odd ]]> name')}</name>`));
    assert.match(cdata('odd ]]> name'), /odd ]]]]><!\[CDATA\[> name/);
    const read = readOf('adam_plus_anna_new');
    const odd = { ...read, snapshot: { ...read.snapshot, entities: { ...read.snapshot.entities } } };
    odd.snapshot.entities['bad;id=x'] = { ...(read.snapshot.entities['29542b2b6a6a4169acecc15c72a599b8'] as Entity), id: 'bad;id=x' };
    assert.throws(() => planWrite(odd, 'bad;id=x', 'lock', true), (e: unknown) => e instanceof GatewayError && e.code === 'BAD_RESPONSE');
  });

  it('numbers as Python writes a float, at the resolution', () => {
    assert.equal(pyFloat(21), '21.0');
    assert.equal(pyFloat(20.5), '20.5');
    assert.equal(pyFloat(-0), '0.0');
    assert.equal(pyFloat(Number(formatNumber(0.1 + 0.2, 0.1))), '0.3');
    assert.equal(formatNumber(-0.04, 0.1), '0');
    assert.equal(formatNumber(17.25, 0.25), '17.25');
  });

  it('plain dates are midnight on the hub clock, daylight saving time included', () => {
    const amsterdam = { timezone: 'Europe/Amsterdam', time: '2025-10-11T17:08:41+02:00' };
    assert.equal(new Date(hubMidnight('2025-07-01', amsterdam)).toISOString(), '2025-06-30T22:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', amsterdam)).toISOString(), '2025-12-19T23:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', { time: '2025-10-11T17:08:41-05:00' })).toISOString(), '2025-12-20T05:00:00.000Z');
    assert.equal(new Date(hubMidnight('2025-12-20', {})).toISOString(), '2025-12-20T00:00:00.000Z');
  });
});
