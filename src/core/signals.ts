import { setMaxListeners } from 'node:events';

/**
 * Combining abort signals per request, cheaply.
 *
 * `AbortSignal.any()` would do, but on Node 20 each call registers the new signal as a weak dependant
 * of every source, with a FinalizationRegistry entry; on a long-lived source (a config node's "closing"
 * signal, asked on every request) those pile up until GC clears them, and a call costs 15-30 µs and
 * grows (profiled in bench/heating-command.ts: three calls per command were half the client's overhead).
 * Here each source gets one plain `abort` listener for good (see onAbort), and each request a place in
 * its set of watchers, which `release()` gives back when the work is done.
 */

export interface LinkedSignal {
  /** Aborts when any source does (with that source's reason), or when `abort` is called. */
  readonly signal: AbortSignal;
  /** Aborts the linked signal (and releases the sources). */
  abort(reason?: unknown): void;
  /** Stops listening to the sources. Call it when the work the signal guarded has ended. */
  release(): void;
}

/** The "stop following" of a signal there was nothing to follow. */
export const NOTHING = (): void => undefined;

/** Per source signal, the callbacks waiting for it to abort (one real listener per signal). */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts; returns the function that stops watching. However many requests
 * watch one signal (a node's, a config node's), the signal gets a single listener: no per-request
 * listeners to add and remove, and no MaxListenersExceededWarning when many requests share it.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return NOTHING;
  }
  let set = watchers.get(signal);
  if (set === undefined) {
    const waiting = new Set<() => void>();
    watchers.set(signal, waiting);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const f of waiting) {
          try {
            f();
          } catch {
            // One watcher's failure is its own: the others are still told.
          }
        }
        waiting.clear();
      },
      { once: true },
    );
    set = waiting;
  }
  const mine = set;
  mine.add(fn);
  return () => {
    mine.delete(fn);
  };
}

/**
 * A long-lived source (a config node's "closing" signal) carries one listener per request waiting in its
 * queue; each is removed by release(), so many at once is load, not a leak: no MaxListeners warning.
 */
export function longLivedSignal(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}

/** A signal linked to `sources` (undefined entries are skipped). Always `release()` it (in a finally). */
export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const listening: (() => void)[] = [];
  const release = (): void => {
    for (const stop of listening) stop();
    listening.length = 0;
  };
  const abort = (reason?: unknown): void => {
    release();
    if (!controller.signal.aborted) controller.abort(reason);
  };
  for (const source of sources) {
    if (source === undefined) continue;
    if (source.aborted) {
      abort(source.reason);
      return { signal: controller.signal, abort: NOTHING, release: NOTHING };
    }
    listening.push(onAbort(source, () => abort(source.reason)));
  }
  return { signal: controller.signal, abort, release };
}

/**
 * Runs `work` with one signal for all of `sources`: the source itself when there is only one (nothing
 * to combine), else a linked signal released when the work settles.
 */
export async function withSignals<T>(sources: (AbortSignal | undefined)[], work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const present = sources.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 1) return work(present[0]!);
  const linked = linkSignals(...present);
  try {
    return await work(linked.signal);
  } finally {
    linked.release();
  }
}
