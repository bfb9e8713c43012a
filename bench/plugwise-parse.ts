/**
 * Plugwise: XML -> entity model of the largest Adam fixture (safe parse, well-formedness check, the
 * python-plugwise entity model, camelCase) against fast-xml-parser's bare parse of the same bytes.
 *   npx tsx bench/plugwise-parse.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildSnapshot, detectHub } from '../src/vendors/plugwise';
import { PLUGWISE_FIXTURES } from '../test/simulators/plugwise';
import { ROOT, alternate, header, main, median, ms, report, timed, x } from './lib';

const GOAL = 1.5;
const PER_BATCH = 20;
const ROUNDS = 15;
const WARMUP = 3;

/** Every core.domain_objects.xml under the Adam fixtures, largest first. */
function largestAdamFixture(): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'core.domain_objects.xml') found.push(full);
    }
  };
  for (const d of readdirSync(PLUGWISE_FIXTURES)) if (d.startsWith('adam')) walk(join(PLUGWISE_FIXTURES, d));
  found.sort((a, b) => statSync(b).size - statSync(a).size);
  if (!found[0]) throw new Error(`no Adam fixture in ${PLUGWISE_FIXTURES}`);
  return found[0];
}

main(async () => {
  const file = largestAdamFixture();
  const body = readFileSync(file, 'utf8');
  header('plugwise-parse', `${relative(ROOT, file)} (${(body.length / 1024).toFixed(0)} KiB): buildSnapshot vs new XMLParser().parse, ${PER_BATCH} per batch, ${ROUNDS} alternating batches after ${WARMUP} warm-up`);
  const info = await detectHub(async (path) => {
    if (path !== '/core/domain_objects') throw new Error(`unexpected ${path}`);
    return body;
  });
  if (info.model !== 'adam') throw new Error(`${file} is detected as ${info.model}, not an Adam`);
  const docs = { '/core/domain_objects': body };
  const now = Date.now();
  const entities = Object.keys(buildSnapshot(info, docs, now).entities).length;
  const bare = new XMLParser();

  const run = await alternate(
    ROUNDS,
    WARMUP,
    () =>
      timed(() => {
        for (let i = 0; i < PER_BATCH; i++) buildSnapshot(info, docs, now);
      }),
    () =>
      timed(() => {
        for (let i = 0; i < PER_BATCH; i++) bare.parse(body);
      }),
  );
  report({
    bench: 'plugwise-parse',
    measure: 'Plugwise parse + entity model (largest Adam fixture)',
    value: `${x(run.ratio)} the bare parse`,
    goal: `<= ${GOAL}x`,
    pass: run.ratio <= GOAL,
    detail: `${ms(median(run.a) / PER_BATCH)} vs ${ms(median(run.b) / PER_BATCH)} per document, ${entities} entities`,
  });
});
