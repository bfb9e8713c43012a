/**
 * Parity with python-plugwise 1.14.1 on every hub dump under test/fixtures/plugwise (see SOURCE.md there).
 *
 * Each folder is run the way python-plugwise's own tests run it (and ../shared/reference/.../run_fixture.py):
 * connect (detectHub), one update with the clock frozen at the folder's test time, and where the folder has
 * updated/ a second update on the same model at the second test time. Every request is answered from the
 * folder's files; a file the folder lacks is answered like a hub's 404. The clock times come from the table
 * in SOURCE.md, so a folder added there with its files is tested without touching this file.
 *
 * - `<name>.json`: every field of every entity must equal (camelCased, plus `id`), and nothing else may appear.
 * - `<name>_UPDATED_DATA.json`: the listed entities and keys must equal; for the sensor/switch groups only the
 *   listed sub-keys (as upstream's test_and_assert does).
 * - `EXPECTED_ERROR.md`: connect must fail with one GatewayError (a contract code, a sentence saying what to
 *   check) and no snapshot comes out.
 * - `reboot/`, `error/`: the update after them fails with a GatewayError (python-plugwise: PlugwiseError,
 *   ResponseError).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../src/core/errors';
import { PLUGWISE_DUMP_FILES } from '../simulators/plugwise';
import { detectHub, PlugwiseModel, type HubInfo, type PlugwiseSnapshot } from '../../src/vendors/plugwise';

const ROOT = path.join(__dirname, '..', 'fixtures', 'plugwise');

const FILES = PLUGWISE_DUMP_FILES;

const CODES = new Set(['BAD_INPUT', 'AUTH_FAILED', 'NOT_FOUND', 'RATE_LIMITED', 'TIMEOUT', 'UNREACHABLE', 'BAD_RESPONSE', 'SERVER_ERROR', 'REJECTED']);

/** Groups whose sub-keys upstream's test_and_assert checks one by one (the rest compare whole). */
const GROUPED = new Set([
  'binarySensors',
  'central',
  'climate',
  'sensors',
  'switches',
  'domesticHotWaterSetpoint',
  'maximumBoilerTemperature',
  'maxDhwTemperature',
  'temperatureOffset',
  'thermostat',
]);

interface Clocks {
  first?: string;
  second?: string;
}

/** "2022-05-16 00:00:01" (freezegun's naive time) -> ms; the model reads it as the hub's wall clock (see below). */
function frozen(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '-' || value.trim() === '') return undefined;
  const ms = Date.parse(`${value.trim().replace(' ', 'T')}Z`);
  assert.ok(Number.isFinite(ms), `SOURCE.md: "${value}" is not a time`);
  return ms;
}

/** folder -> its clocks, from SOURCE.md's table (columns found by their header). */
function readClocks(): Map<string, Clocks> {
  const out = new Map<string, Clocks>();
  const md = readFileSync(path.join(ROOT, 'SOURCE.md'), 'utf8');
  let header: string[] | undefined;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (header === undefined) {
      if (cells[0] === 'folder') header = cells;
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const col = (name: string) => cells[header!.findIndex((h) => h.startsWith(name))];
    out.set(cells[0], { first: col('clock frozen at'), second: col('second read') });
  }
  return out;
}

function serve(dir: string): Record<string, string> {
  const served: Record<string, string> = {};
  for (const [p, file] of Object.entries(FILES)) {
    const full = path.join(dir, file);
    if (existsSync(full)) served[p] = readFileSync(full, 'utf8');
  }
  return served;
}

/** A hub answering from `served`; what a real hub answers for a path it lacks (our client's 404 error). */
function hub(served: () => Record<string, string>, asked: string[]) {
  return async (p: string): Promise<string> => {
    asked.push(p);
    const body = served()[p];
    if (body === undefined) throw new GatewayError('NOT_FOUND', `Smile fixture has no ${p}: check that the host is a Plugwise hub.`, { statusCode: 404 });
    return body;
  };
}

/** One update of the model: GET what it asks for, then build. */
async function update(model: PlugwiseModel, get: (p: string) => Promise<string>, now: number): Promise<PlugwiseSnapshot> {
  const docs: Record<string, string> = {};
  for (const p of model.paths(now)) docs[p] = await get(p);
  return model.update(docs, now);
}

/** Independent of src: the contract's mechanical snake_case -> camelCase of keys. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.replace(/_+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase()), camel(v)]),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Counts every leaf of `expected` (an empty object counts as one) and lists where `actual` differs. */
function compare(expected: unknown, actual: unknown, where: string, problems: string[], exact: boolean): [number, number] {
  if (isObject(expected) && Object.keys(expected).length > 0) {
    let total = 0;
    let equal = 0;
    for (const [key, value] of Object.entries(expected)) {
      const [t, e] = compare(value, isObject(actual) ? actual[key] : undefined, `${where}.${key}`, problems, exact);
      total += t;
      equal += e;
    }
    if (exact && isObject(actual)) {
      for (const key of Object.keys(actual)) {
        if (!(key in expected)) problems.push(`${where}.${key}: not in python-plugwise's output (got ${JSON.stringify(actual[key])})`);
      }
    }
    return [total, equal];
  }
  try {
    assert.deepStrictEqual(actual, expected);
    return [1, 1];
  } catch {
    problems.push(`${where}: python-plugwise ${JSON.stringify(expected)}, ours ${JSON.stringify(actual)}`);
    return [1, 0];
  }
}

/** The first read: everything equal, nothing extra. */
function compareFull(expected: Record<string, Record<string, unknown>>, snapshot: PlugwiseSnapshot, problems: string[]): [number, number] {
  let total = 0;
  let equal = 0;
  for (const [id, entity] of Object.entries(expected)) {
    const [t, e] = compare({ ...entity, id }, snapshot.entities[id], id, problems, true);
    total += t;
    equal += e;
  }
  for (const id of Object.keys(snapshot.entities)) if (!(id in expected)) problems.push(`${id}: entity not in python-plugwise's output`);
  return [total, equal];
}

/** The second read, as upstream's test_and_assert: listed keys only, grouped dicts by their listed sub-keys. */
function compareListed(expected: Record<string, Record<string, unknown>>, snapshot: PlugwiseSnapshot, problems: string[]): [number, number] {
  let total = 0;
  let equal = 0;
  for (const [id, keys] of Object.entries(expected)) {
    const entity = snapshot.entities[id] as Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(keys)) {
      const [t, e] =
        GROUPED.has(key) && isObject(value)
          ? compare(value, entity?.[key] ?? {}, `${id}.${key}`, problems, false)
          : compare(value, entity?.[key], `${id}.${key}`, problems, false);
      total += t;
      equal += e;
    }
  }
  return [total, equal];
}

function assertGatewayError(err: unknown, what: string): GatewayError {
  assert.ok(err instanceof GatewayError, `${what}: expected a GatewayError, got ${String(err)}`);
  assert.ok(Object.prototype.hasOwnProperty.call(err, 'code'), `${what}: code must be an own property`);
  assert.ok(CODES.has(err.code), `${what}: ${err.code} is not a contract code`);
  assert.match(err.message, /^[A-Z].*[a-z].*\.$/s, `${what}: "${err.message}" is not a sentence`);
  assert.match(err.message, /check|update|configure|add|retried/i, `${what}: "${err.message}" does not say what to check`);
  return err;
}

const CLOCKS = readClocks();
const FOLDERS = readdirSync(ROOT)
  .filter((d) => statSync(path.join(ROOT, d)).isDirectory() && existsSync(path.join(ROOT, d, 'core.domain_objects.xml')))
  .sort();
const REPORT: string[] = [];

describe('plugwise parity with python-plugwise 1.14.1 (every dump in test/fixtures/plugwise)', () => {
  after(() => {
    if (REPORT.length > 0) console.log(`\n      parity per dump (fields equal / total):\n${REPORT.map((l) => `        ${l}`).join('\n')}\n`);
  });

  it('has a SOURCE.md row for every folder', () => {
    assert.deepEqual(FOLDERS.filter((d) => !CLOCKS.has(d)), []);
  });

  for (const name of FOLDERS) {
    const dir = path.join(ROOT, name);
    const clocks = CLOCKS.get(name) ?? {};

    if (existsSync(path.join(dir, 'EXPECTED_ERROR.md'))) {
      it(`${name}: refused at connect with one clear GatewayError and no snapshot`, async () => {
        const want = /exception:\s*`?([\w.]+)`?/.exec(readFileSync(path.join(dir, 'EXPECTED_ERROR.md'), 'utf8'))?.[1] ?? '?';
        const asked: string[] = [];
        let snapshot: PlugwiseSnapshot | undefined;
        let failure: unknown;
        try {
          const info = await detectHub(hub(() => serve(dir), asked));
          const model = new PlugwiseModel(info);
          snapshot = await update(model, hub(() => serve(dir), asked), frozen(clocks.first) ?? Date.now());
        } catch (err) {
          failure = err;
        }
        assert.equal(snapshot, undefined, `${name}: a snapshot came out`);
        const err = assertGatewayError(failure, name);
        REPORT.push(`${name}: refused as python-plugwise does (${want.split('.').pop()}): ${err.code} "${err.message}"`);
      });
      continue;
    }

    it(`${name}: every field of the first read${existsSync(path.join(dir, 'updated')) ? ' and the second read' : ''}`, async () => {
      const first = frozen(clocks.first);
      assert.ok(first !== undefined, `${name}: SOURCE.md gives no clock`);
      let files = serve(dir);
      const asked: string[] = [];
      const get = hub(() => files, asked);
      const info: HubInfo = await detectHub(get);
      const model = new PlugwiseModel(info);
      const snapshot = await update(model, get, first);
      assert.equal(snapshot.gateway.id, info.id);
      assert.ok(Number.isFinite(snapshot.gateway.time));

      const problems: string[] = [];
      const expected = camel(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'))) as Record<string, Record<string, unknown>>;
      const [total, equal] = compareFull(expected, snapshot, problems);
      let line = `${name}: first read ${equal}/${total}`;

      const updatedJson = path.join(dir, `${name}_UPDATED_DATA.json`);
      if (existsSync(path.join(dir, 'updated')) && existsSync(updatedJson)) {
        const second = frozen(clocks.second) ?? first;
        files = serve(path.join(dir, 'updated'));
        const again = await update(model, get, second);
        const want = camel(JSON.parse(readFileSync(updatedJson, 'utf8'))) as Record<string, Record<string, unknown>>;
        const [t2, e2] = compareListed(want, again, problems);
        line += `, second read ${e2}/${t2}`;
        for (const [sub, what] of [
          ['reboot', 'an empty domain_objects (restarting hub)'],
          ['error', 'an <error> document'],
        ] as const) {
          if (!existsSync(path.join(dir, sub))) continue;
          files = serve(path.join(dir, sub));
          await assert.rejects(update(model, get, second), (err: unknown) => {
            assertGatewayError(err, `${name}/${sub}`);
            return true;
          }, `${name}/${sub}: ${what} must fail the update`);
          line += `, ${sub}/ refused`;
        }
      }
      REPORT.push(line);
      assert.deepEqual(problems, [], `${name}: ${problems.length} differences`);
    });
  }

  it('would fail on a real mismatch', async () => {
    const dir = path.join(ROOT, 'p1v4_442_single');
    const files = serve(dir);
    const info = await detectHub(hub(() => files, []));
    const now = Date.parse('2022-05-16T00:00:01Z');
    const good = new PlugwiseModel(info).update({ '/core/domain_objects': files['/core/domain_objects'] }, now);
    const tampered = files['/core/domain_objects'].replace('17643423.00', '17643424.00');
    const bad = new PlugwiseModel(info).update({ '/core/domain_objects': tampered }, now);
    const problems: string[] = [];
    compareFull(camel(good.entities) as Record<string, Record<string, unknown>>, bad, problems);
    assert.ok(problems.some((p) => p.includes('electricityConsumedOffPeakCumulative')), problems.join('\n'));
  });
});
