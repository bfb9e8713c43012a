/**
 * The fuzz rig: one flow with the node under test (id `fz`) wired to a helper `out` and a Catch node
 * wired to `caught`; every msg carries a tag (`_fz`) so each output or error is matched to its input.
 */
import { helper, onTab } from '../nodes/harness';
import { show } from './fuzz-gen';

export type Outcome = { out: number; errors: string[]; message?: string };

/** One flow: the node under test wired to `out`, a Catch node wired to `caught`; outcomes by msg tag. */
export class Rig {
  readonly outcomes = new Map<string, Outcome>();
  strays = 0;
  private readonly node: { receive(m: object): void };

  constructor() {
    this.node = helper.getNode('fz') as unknown as { receive(m: object): void };
    const on = (id: string, fn: (msg: Record<string, unknown>) => void): void =>
      (helper.getNode(id) as unknown as { on(e: string, f: (m: Record<string, unknown>) => void): void }).on('input', fn);
    on('out', (msg) => this.note(msg, (o) => o.out++));
    on('caught', (msg) =>
      this.note(msg, (o) => {
        const error = msg.error as { code?: unknown; message?: unknown } | undefined;
        o.errors.push(String(error?.code));
        if (process.env.FUZZ_DEBUG) o.message = String(error?.message).slice(0, 160);
      }),
    );
  }

  private note(msg: Record<string, unknown>, fn: (o: Outcome) => void): void {
    const tag = msg._fz;
    if (typeof tag !== 'string') {
      this.strays++;
      return;
    }
    let o = this.outcomes.get(tag);
    if (!o) this.outcomes.set(tag, (o = { out: 0, errors: [] }));
    fn(o);
  }

  /** Sends the msgs at once (synchronously), then waits until each has an outcome. */
  async run(batch: { tag: string; msg: Record<string, unknown>; why?: string }[]): Promise<void> {
    for (const { tag, msg } of batch) {
      msg._fz = tag;
      this.node.receive(msg);
    }
    const end = Date.now() + 60_000;
    while (batch.some((b) => !this.outcomes.has(b.tag))) {
      if (Date.now() > end) {
        const lost = batch.filter((b) => !this.outcomes.has(b.tag));
        throw new Error(`no outcome within 60 s for ${lost.length} msgs (silent loss): ${lost.slice(0, 5).map((b) => `${b.tag} ${b.why ?? ''}`).join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    // The test helper's sinon spies keep every msg sent; drop them so memory stays flat.
    (helper as unknown as { _sandbox?: { resetHistory(): void } })._sandbox?.resetHistory();
  }
}

export const NR_FLOW = (config: Record<string, unknown>, node: Record<string, unknown>): object[] =>
  onTab([
    config,
    { id: 'fz', ...node, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ]);

export const describeMsg = (msg: Record<string, unknown>): string => Object.keys(msg).map((k) => `${k}=${show(msg[k])}`).join(' ');

export const describeCodes = (list: Outcome[]): string => {
  const counts: Record<string, number> = {};
  for (const o of list) for (const e of o.errors) counts[e] = (counts[e] ?? 0) + 1;
  return Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
};

