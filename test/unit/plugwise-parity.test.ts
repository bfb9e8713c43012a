/**
 * Parity with python-plugwise 1.14.1: real hub XML (test/fixtures/plugwise, see SOURCE.md) must give
 * exactly python-plugwise's entities (camelCased), with the clock frozen at each fixture's time.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSnapshot, detectHub, pollPaths, type HubInfo, type PlugwiseSnapshot } from '../../src/vendors/plugwise';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');

/** File names of python-plugwise's userdata -> the hub path that serves them (tests/test_init.py). */
const FILES: Record<string, string[]> = {
  'core.domain_objects.xml': ['/core/domain_objects'],
  'core.appliances.xml': ['/core/appliances'],
  'core.locations.xml': ['/core/locations'],
  'core.modules.xml': ['/core/modules'],
  'system_status_xml.xml': ['/system/status.xml', '/system'],
};

interface Fixture {
  name: string;
  model: HubInfo['model'];
  /** python-plugwise's frozen clock (freezegun, naive = UTC). */
  frozen: string;
  updatedFrozen?: string;
}

const FIXTURES: Fixture[] = [
  { name: 'anna_p1', model: 'anna', frozen: '2025-11-02T00:00:01Z' },
  { name: 'adam_plus_anna_new', model: 'adam', frozen: '2025-10-12T00:00:01Z', updatedFrozen: '2022-01-16T00:00:01Z' },
  { name: 'p1v4_442_single', model: 'p1', frozen: '2022-05-16T00:00:01Z', updatedFrozen: '2022-05-16T00:00:01Z' },
  { name: 'stretch_v31', model: 'stretch', frozen: '2022-05-16T00:00:01Z', updatedFrozen: '2022-05-16T00:00:01Z' },
];

function hubFiles(dir: string): Record<string, string> {
  const served: Record<string, string> = {};
  for (const [file, paths] of Object.entries(FILES)) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    const body = readFileSync(full, 'utf8');
    for (const p of paths) served[p] = body;
  }
  return served;
}

function fakeGet(served: Record<string, string>, asked: string[]) {
  return async (p: string): Promise<string> => {
    asked.push(p);
    const body = served[p];
    if (body === undefined) throw new Error(`unexpected GET ${p}`);
    return body;
  };
}

/** Independent of src: the contract's mechanical snake_case -> camelCase of keys. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), camel(v)]),
  );
}

/** Compare every leaf of `expected` with `actual`; returns [compared, equal, mismatches]. */
function compareLeaves(expected: unknown, actual: unknown, where: string, out: string[]): [number, number] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const exp = expected as Record<string, unknown>;
    const act = (actual ?? {}) as Record<string, unknown>;
    let compared = 0;
    let equal = 0;
    for (const key of Object.keys(exp)) {
      const [c, e] = compareLeaves(exp[key], act[key], `${where}.${key}`, out);
      compared += c;
      equal += e;
    }
    if (Object.keys(exp).length === 0) {
      compared += 1;
      if (actual !== null && typeof actual === 'object' && Object.keys(actual as object).length === 0) equal += 1;
      else out.push(`${where}: expected {} got ${JSON.stringify(actual)}`);
    }
    return [compared, equal];
  }
  try {
    assert.deepStrictEqual(actual, expected);
    return [1, 1];
  } catch {
    out.push(`${where}: expected ${JSON.stringify(expected)} got ${JSON.stringify(actual)}`);
    return [1, 0];
  }
}

function extraKeys(expected: unknown, actual: unknown, where: string, out: string[]): void {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return;
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return;
  for (const key of Object.keys(actual as object)) {
    const exp = (expected as Record<string, unknown>)[key];
    if (exp === undefined) out.push(`${where}.${key}: not expected (got ${JSON.stringify((actual as Record<string, unknown>)[key])})`);
    else extraKeys(exp, (actual as Record<string, unknown>)[key], `${where}.${key}`, out);
  }
}

describe('plugwise parity with python-plugwise 1.14.1', () => {
  for (const fx of FIXTURES) {
    const dir = path.join(ROOT, fx.name);

    describe(fx.name, () => {
      let info: HubInfo;
      let snapshot: PlugwiseSnapshot;
      const asked: string[] = [];

      before(async () => {
        const served = hubFiles(dir);
        info = await detectHub(fakeGet(served, asked));
        const docs: Record<string, string> = {};
        for (const p of pollPaths(info)) docs[p] = served[p];
        snapshot = buildSnapshot(info, docs, Date.parse(fx.frozen));
      });

      it('detects the hub', () => {
        assert.equal(info.model, fx.model);
        assert.equal(asked[0], '/core/domain_objects');
        assert.equal(snapshot.gateway.id, info.id);
        assert.ok(Number.isFinite(snapshot.gateway.time));
      });

      it('gives every expected entity and field, and nothing else', () => {
        const expected = camel(JSON.parse(readFileSync(path.join(dir, `${fx.name}.json`), 'utf8'))) as Record<string, Record<string, unknown>>;
        const problems: string[] = [];
        let compared = 0;
        let equal = 0;
        for (const [id, entity] of Object.entries(expected)) {
          const actual = snapshot.entities[id];
          if (actual === undefined) {
            problems.push(`${id}: missing entity (${String(entity.name)})`);
            continue;
          }
          const [c, e] = compareLeaves({ ...entity, id }, actual, id, problems);
          compared += c;
          equal += e;
          extraKeys({ ...entity, id }, actual, id, problems);
        }
        for (const id of Object.keys(snapshot.entities)) if (!(id in expected)) problems.push(`${id}: unexpected entity`);
        console.log(`      parity ${fx.name}: ${equal}/${compared} fields`);
        assert.deepEqual(problems, []);
        assert.equal(equal, compared);
      });

      if (fx.updatedFrozen !== undefined) {
        it('follows the updated XML', () => {
          const served = hubFiles(path.join(dir, 'updated'));
          const docs: Record<string, string> = {};
          for (const p of pollPaths(info)) docs[p] = served[p];
          const updated = buildSnapshot(info, docs, Date.parse(fx.updatedFrozen as string));
          const expected = camel(JSON.parse(readFileSync(path.join(dir, `${fx.name}_UPDATED_DATA.json`), 'utf8'))) as Record<string, unknown>;
          const problems: string[] = [];
          let compared = 0;
          let equal = 0;
          for (const [id, fields] of Object.entries(expected)) {
            const [c, e] = compareLeaves(fields, updated.entities[id], id, problems);
            compared += c;
            equal += e;
          }
          console.log(`      parity ${fx.name} updated: ${equal}/${compared} fields`);
          assert.deepEqual(problems, []);
        });
      }
    });
  }

  it('would fail on a real mismatch', async () => {
    const dir = path.join(ROOT, 'p1v4_442_single');
    const served = hubFiles(dir);
    const info = await detectHub(fakeGet(served, []));
    const good = buildSnapshot(info, { '/core/domain_objects': served['/core/domain_objects'] }, Date.parse('2022-05-16T00:00:01Z'));
    const tampered = served['/core/domain_objects'].replace('17643423.00', '17643424.00');
    const bad = buildSnapshot(info, { '/core/domain_objects': tampered }, Date.parse('2022-05-16T00:00:01Z'));
    const problems: string[] = [];
    const id = 'ba4de7613517478da82dd9b6abea36af';
    compareLeaves(good.entities[id], bad.entities[id], id, problems);
    assert.ok(problems.some((p) => p.includes('electricityConsumedOffPeakCumulative')), problems.join('\n'));
  });
});
