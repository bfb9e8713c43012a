/**
 * The fault matrix: every gateway failure a user can meet, tried on every vendor's action node through
 * the BUILT node sets in Node-RED, against the simulators. This file holds the fault table (FAULTS: how
 * each fault is made and what a read and a command must end in) and the runner; fault-profiles.ts holds
 * each vendor's flow, trigger msgs, counted paths and the cells where its API answers differently.
 * The resulting matrix, with the reasons for each code, is documented in fault-matrix.test.ts.
 *
 * For every failed input: exactly one error reaches the Catch node (with the failed msg), its `code`
 * is the table's, its message is readable and names what to check, nothing leaves on the output, the
 * status is a red ring with that code, and no secret shows. "retried" means 2-5 requests spaced by a
 * backoff (>= 1 s apart after Retry-After: 1); a command is never sent again after a timeout or a 5xx
 * and never executed twice. The next input after the fault clears succeeds (green status, right payload).
 * Requests are counted at the simulator on the faulted path, or as the client's attempts when nothing
 * can reach the simulator (refused, DNS).
 */
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../src/core/errors';
import type { Fault, SimServer } from '../simulators/base';
import { Collector, delay, helper, until, type Msg, type Status } from '../nodes/harness';
import type { FakeDns } from './fake-dns';

export type FaultId =
  | 'refused' | 'dns' | 'headersTimeout' | 'bodyTimeout' | 'dropped'
  | 'http500' | 'http502' | 'http503' | 'http504' | 'http429RetryAfter' | 'http429'
  | 'session401' | 'auth401' | 'malformed' | 'truncated' | 'htmlErrorPage' | 'htmlPage' | 'empty' | 'huge';

/** What an input sent during the fault must end in; `requests` counted on the faulted path. */
export type Outcome = { code: ErrorCode; requests: number | 'retried' } | { ok: true; requests: number };

export type Making = { sim: Fault } | { special: 'refused' | 'dns' | 'session' };

export interface FaultCase {
  id: FaultId;
  title: string;
  make: Making;
  read: Outcome;
  command: Outcome;
  /** Minimum spacing of retries (ms): a backoff, or the Retry-After asked for. */
  spacingMs?: number;
  /** What the error message must say (it names what to check). */
  says?: RegExp;
  /** The words after the code in the red status, when every vendor says the same. */
  statusWords?: RegExp;
}

const fail = (code: ErrorCode, requests: number | 'retried'): Outcome => ({ code, requests });
const ok = (requests: number): Outcome => ({ ok: true, requests });
const retried = (code: ErrorCode): Pick<FaultCase, 'read' | 'command'> => ({ read: fail(code, 'retried'), command: fail(code, 1) });
const once = (code: ErrorCode): Pick<FaultCase, 'read' | 'command'> => ({ read: fail(code, 1), command: fail(code, 1) });

export const FAULTS: readonly FaultCase[] = [
  { id: 'refused', title: 'connection refused', make: { special: 'refused' }, ...retried('UNREACHABLE'), says: /refused the connection/, statusWords: /^connection refused$/ },
  { id: 'dns', title: 'DNS failure', make: { special: 'dns' }, ...retried('UNREACHABLE'), says: /cannot be resolved/, statusWords: /^unknown host name$/ },
  { id: 'headersTimeout', title: 'headers timeout', make: { sim: { hang: true } }, ...retried('TIMEOUT'), says: /did not answer .* within 0\.4 s/, statusWords: /^no answer in 0\.4 s$/ },
  { id: 'bodyTimeout', title: 'body timeout', make: { sim: { stallBody: true } }, ...retried('TIMEOUT'), says: /did not answer .* within 0\.4 s/, statusWords: /^no answer in 0\.4 s$/ },
  { id: 'dropped', title: 'connection dropped', make: { sim: { drop: true } }, ...retried('UNREACHABLE'), statusWords: /^network error UND_ERR_SOCKET$/ },
  { id: 'http500', title: 'HTTP 500', make: { sim: { status: 500 } }, ...retried('SERVER_ERROR'), statusWords: /\(HTTP 500\)$/ },
  { id: 'http502', title: 'HTTP 502', make: { sim: { status: 502 } }, ...retried('SERVER_ERROR'), statusWords: /\(HTTP 502\)$/ },
  { id: 'http503', title: 'HTTP 503', make: { sim: { status: 503 } }, ...retried('SERVER_ERROR'), statusWords: /\(HTTP 503\)$/ },
  { id: 'http504', title: 'HTTP 504', make: { sim: { status: 504 } }, ...retried('TIMEOUT'), statusWords: /\(HTTP 504\)$/ },
  { id: 'http429RetryAfter', title: '429 with Retry-After: 1', make: { sim: { status: 429, headers: { 'retry-after': '1' }, refuse: true } }, ...retried('RATE_LIMITED'), spacingMs: 900 },
  { id: 'http429', title: '429 without Retry-After', make: { sim: { status: 429, refuse: true } }, ...retried('RATE_LIMITED') },
  { id: 'session401', title: '401 mid-session', make: { special: 'session' }, read: ok(2), command: ok(2) },
  { id: 'auth401', title: '401 credentials refused', make: { sim: { status: 401, refuse: true } }, read: fail('AUTH_FAILED', 2), command: fail('AUTH_FAILED', 2) },
  { id: 'malformed', title: 'malformed body', make: { sim: { body: 'malformed' } }, ...once('BAD_RESPONSE') },
  { id: 'truncated', title: 'truncated body', make: { sim: { body: 'truncated' } }, ...once('BAD_RESPONSE') },
  { id: 'htmlErrorPage', title: 'HTML error page (502)', make: { sim: { status: 502, body: 'html' } }, ...retried('SERVER_ERROR'), statusWords: /\(HTTP 502\)$/ },
  { id: 'htmlPage', title: 'HTML page with 200', make: { sim: { body: 'html' } }, ...once('BAD_RESPONSE') },
  { id: 'empty', title: 'empty body', make: { sim: { body: 'empty' } }, ...once('BAD_RESPONSE') },
  { id: 'huge', title: 'reply 10x larger', make: { sim: { body: 'huge' } }, read: ok(1), command: ok(1) },
];

// ---- vendor profiles (filled in by fault-profiles.ts) ----

export interface Sim {
  readonly server: SimServer;
  readonly port: number;
  start(port?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface OpProfile {
  kind: 'read' | 'command';
  /** e.g. "thinknx-control set". */
  title: string;
  /** The action node's id in the profile's flow (its output goes to `${node}-out`). */
  node: string;
  /** The simulator path the request goes to (faulted and counted). */
  path: string;
  /** The msg of the i-th input. */
  input(i: number): Record<string, unknown>;
  /** Asserts the msg out of a successful i-th input. */
  check(msg: Msg, i: number): void;
  /** Commands the simulator executed (a replay shows as one too many). */
  executed?(): number;
  overrides?: Partial<Record<FaultId, Outcome>>;
  /** A simulator fault made differently for this request (e.g. a body to stall where the reply has none). */
  makes?: Partial<Record<FaultId, Fault>>;
}

export interface VendorProfile {
  vendor: string;
  /** The config node's id. */
  config: string;
  startSim(): Promise<Sim>;
  /** The flow's nodes (no tab, no Catch): the config node reaches the simulator at host:port. */
  flow(host: string, port: number): Record<string, unknown>[];
  credentials: Record<string, Record<string, string>>;
  /** Secrets that must not show in any error, status or msg. */
  secrets(): string[];
  /** Requests the config node's client put on the wire (attempts, retries included). */
  attempts(config: unknown): number;
  /** Ends the session the client holds (token revoked, nonce expired); absent: no session (a 401 once). */
  expireSession?(): void;
  /** Sessions obtained so far (logins, token grants, Digest nonces renewed). */
  renewals?(config: unknown): number;
  /** After the flow is loaded (e.g. a shorter write settle time). */
  afterLoad?(getNode: (id: string) => unknown): void;
  ops: OpProfile[];
}

export function outcomeOf(op: OpProfile, fault: FaultCase): Outcome {
  return op.overrides?.[fault.id] ?? fault[op.kind];
}

export function describeOutcome(o: Outcome): string {
  if ('ok' in o) return `OK, ${o.requests} request${o.requests === 1 ? '' : 's'}`;
  return `${o.code}, ${o.requests === 'retried' ? 'retried' : `${o.requests} request${o.requests === 1 ? '' : 's'}`}`;
}

// ---- the runner ----

export interface Rig {
  profile: VendorProfile;
  sim: Sim;
  dns: FakeDns;
  caught: Collector;
  outs: Map<string, Collector>;
  statuses: Map<string, Status[]>;
  inputs: number;
  /** The simulator was stopped by a fault (refused, DNS) and is to be started again on its port. */
  stopped?: number;
}

export interface Row {
  vendor: string;
  op: string;
  fault: string;
  result: string;
  requests: number;
  ms: number;
}

export const rows: Row[] = [];

function receive(id: string, msg: Record<string, unknown>): void {
  (helper.getNode(id) as { receive(m: object): void }).receive(msg);
}

function attempts(rig: Rig): number {
  return rig.profile.attempts(helper.getNode(rig.profile.config));
}

function renewals(rig: Rig): number | undefined {
  return rig.profile.renewals?.(helper.getNode(rig.profile.config));
}

/** One input expected to succeed: the msg out is checked, the status turns green, nothing is caught. */
export async function expectSuccess(rig: Rig, op: OpProfile, what: string): Promise<Msg> {
  const out = rig.outs.get(op.node) as Collector;
  const [outs, errs] = [out.msgs.length, rig.caught.msgs.length];
  const i = ++rig.inputs;
  receive(op.node, { ...op.input(i), tag: `${what}-${i}` });
  await until(() => out.msgs.length > outs || rig.caught.msgs.length > errs, 15_000, `${op.title}: ${what}`);
  const err = rig.caught.msgs[errs]?.error;
  assert.equal(rig.caught.msgs.length, errs, `${op.title} ${what}: expected success, got ${err?.code}: ${err?.message}`);
  const msg = out.msgs[outs] as Msg;
  assert.equal(msg.tag, `${what}-${i}`, 'the input msg passes through');
  op.check(msg, i);
  const status = rig.statuses.get(op.node)?.at(-1);
  assert.equal(status?.fill, 'green', `green status after ${what}, got ${JSON.stringify(status)}`);
  return msg;
}

async function applyFault(rig: Rig, op: OpProfile, fault: FaultCase): Promise<void> {
  const m = fault.make;
  if ('sim' in m) return rig.sim.server.setFault({ ...(op.makes?.[fault.id] ?? m.sim), path: op.path });
  if (m.special === 'session') {
    if (rig.profile.expireSession) rig.profile.expireSession();
    else rig.sim.server.setFault({ status: 401, times: 1, path: op.path });
    return;
  }
  rig.stopped = rig.sim.port;
  await rig.sim.stop(); // every socket goes: the next request needs a new connection
  if (m.special === 'dns') rig.dns.up = false;
}

async function clearFault(rig: Rig): Promise<void> {
  rig.sim.server.setFault(undefined);
  rig.dns.up = true;
  if (rig.stopped !== undefined) await rig.sim.start(rig.stopped);
  rig.stopped = undefined;
}

/** Spacing of the requests on `path` since index `from`, ms. */
function gaps(rig: Rig, path: string, from: number): number[] {
  const times = rig.sim.server.requests.slice(from).filter((r) => r.path.startsWith(path)).map((r) => r.time);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

/** One cell: the fault on, one input (its outcome checked), the fault off, one input that must succeed. */
export async function runCell(rig: Rig, op: OpProfile, fault: FaultCase): Promise<void> {
  const expected = outcomeOf(op, fault);
  const out = rig.outs.get(op.node) as Collector;
  const seen = rig.statuses.get(op.node) as Status[];
  const before = {
    outs: out.msgs.length,
    errs: rig.caught.msgs.length,
    path: rig.sim.server.count(op.path),
    log: rig.sim.server.requests.length,
    attempts: attempts(rig),
    executed: op.executed?.(),
    lookups: rig.dns.lookups,
    renewals: renewals(rig),
  };
  const started = Date.now();
  await applyFault(rig, op, fault);
  const counted = (): number => ('special' in fault.make && fault.make.special !== 'session' ? attempts(rig) - before.attempts : rig.sim.server.count(op.path) - before.path);
  let requests: number;
  let result: string;
  try {
    if ('ok' in expected) {
      await expectSuccess(rig, op, fault.id);
      requests = counted();
      result = 'OK';
      if (op.executed && before.executed !== undefined) assert.equal(op.executed() - before.executed, 1, 'executed exactly once');
      if (fault.id === 'session401' && before.renewals !== undefined) assert.equal(renewals(rig)! - before.renewals, 1, 'one renewal of the session');
    } else {
      const i = ++rig.inputs;
      receive(op.node, { ...op.input(i), tag: `${fault.id}-${i}` });
      await until(() => rig.caught.msgs.length > before.errs, 15_000, `${op.title}: the error of ${fault.title}`);
      await delay(250); // a second error or a late output would show by now
      requests = counted();
      const caught = rig.caught.msgs.slice(before.errs);
      assert.equal(caught.length, 1, `exactly one error, got ${caught.map((m) => m.error?.code).join(', ')}`);
      const err = caught[0] as Msg;
      result = String(err.error?.code);
      assert.equal(err.error?.code, expected.code, `code of ${fault.title}: ${err.error?.message}`);
      assert.equal(err.tag, `${fault.id}-${i}`, 'the failed msg reaches the Catch node');
      assert.equal(err.error?.source?.id, op.node, 'the error comes from the action node');
      const message = String(err.error?.message ?? '');
      assert.ok(message.length > 10 && !/<!doctype|<head>|<title>|<body>|\bundefined\b|\[object /i.test(message), `a readable message: ${message}`);
      if (fault.says) assert.match(message, fault.says);
      if (fault.id === 'dns') assert.ok(rig.dns.lookups - before.lookups >= requests, 'each attempt asked the (local) resolver');
      if (op.executed && before.executed !== undefined) {
        const refused = 'sim' in fault.make && fault.make.sim.refuse === true;
        assert.ok(op.executed() - before.executed <= (refused ? 0 : 1), refused ? 'a refused command is not executed' : 'never executed twice');
      }
      if (before.renewals !== undefined) assert.ok(renewals(rig)! - before.renewals <= 1, 'at most one renewal of the session, no loop');
      for (const s of rig.profile.secrets()) assert.ok(!JSON.stringify([caught, seen]).includes(s), 'no secret in the error or status');
      assert.equal(out.msgs.length, before.outs, 'nothing on the output');
      // The code, then a few words of why: never the gateway's name (the words are the reason), never long.
      const status = seen.at(-1);
      assert.deepEqual({ ...status, text: undefined }, { fill: 'red', shape: 'ring', text: undefined }, 'a red ring');
      const [shown, words = ''] = String(status?.text).split(/: (.*)/s);
      assert.equal(shown, expected.code, `red ring with the code: ${status?.text}`);
      assert.ok(words.length > 0 && words.length <= 40, `a few words of why: ${status?.text}`);
      assert.doesNotMatch(words, /^(Smile|Thinknx|EMS|HeatingControl) \S*[.:]/, `the words say why, not who (a host): ${status?.text}`);
      if (fault.statusWords) assert.match(words, fault.statusWords, `the status of ${fault.title}`);
      if (expected.requests === 'retried') {
        assert.ok(requests > 1 && requests <= 5, `a read is retried, without a storm: ${requests} requests`);
        const spacing = fault.spacingMs ?? 250;
        const g = 'sim' in fault.make ? gaps(rig, op.path, before.log) : [];
        for (const gap of g) assert.ok(gap >= spacing, `retries spaced by a backoff (>= ${spacing} ms): ${g.join(', ')}`);
        if (g.length === 0) assert.ok(Date.now() - started >= spacing * (requests - 1), 'retries spaced by a backoff');
      }
    }
    if (expected.requests !== 'retried') assert.equal(requests, expected.requests, `requests on ${op.path} (a command is never replayed)`);
  } finally {
    await clearFault(rig);
  }
  rows.push({ vendor: rig.profile.vendor, op: op.title, fault: fault.title, result, requests, ms: Date.now() - started });
  await expectSuccess(rig, op, `recovery-after-${fault.id}`);
}

/** The matrix as a table, for the closing note. */
export function printRows(): void {
  if (rows.length === 0) return;
  const ops = [...new Set(rows.map((r) => r.op))];
  const faults = [...new Set(rows.map((r) => r.fault))];
  const cell = (op: string, fault: string): string => {
    const r = rows.find((x) => x.op === op && x.fault === fault);
    return r ? `${r.result}/${r.requests}` : '-';
  };
  const width = Math.max(...faults.map((f) => f.length));
  const head = ['fault'.padEnd(width), ...ops.map((o) => o.padEnd(Math.max(o.length, 17)))].join(' | ');
  console.log(`\n      fault matrix (result/requests on the faulted path; refused and DNS: client attempts)\n      ${head}`);
  for (const f of faults) console.log(`      ${[f.padEnd(width), ...ops.map((o) => cell(o, f).padEnd(Math.max(o.length, 17)))].join(' | ')}`);
  const failed = rows.filter((r) => r.result !== 'OK').length;
  console.log(`      ${rows.length} cells: ${failed} failed inputs with an error each, ${rows.length - failed} succeeded; every cell recovered.`);
}
