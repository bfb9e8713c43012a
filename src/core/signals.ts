import { EventEmitter, setMaxListeners } from 'node:events';

/**
 * Combining abort signals per request, cheaply.
 *
 * `AbortSignal.any()` would do, but on Node 20 each call registers the new signal as a weak dependant
 * of every source, with a FinalizationRegistry entry; on a long-lived source (a config node's "closing"
 * signal, asked on every request) those pile up until GC clears them, and a call costs 15-30 µs and
 * grows (profiled in bench/heating-command.ts: three calls per command were half the client's overhead).
 * Here the sources get a plain `abort` listener that `release()` removes when the work is done.
 */

export interface LinkedSignal {
  /** Aborts when any source does (with that source's reason), or when `abort` is called. */
  readonly signal: AbortSignal;
  /** Aborts the linked signal (and releases the sources). */
  abort(reason?: unknown): void;
  /** Stops listening to the sources. Call it when the work the signal guarded has ended. */
  release(): void;
}

const NOTHING = (): void => undefined;

/** A signal linked to `sources` (undefined entries are skipped). Always `release()` it (in a finally). */
/**
 * A long-lived source (a config node's "closing" signal) carries one listener per request waiting in its
 * queue; each is removed by release(), so many at once is load, not a leak: no MaxListeners warning.
 */
export function longLivedSignal(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}

export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const listening: [AbortSignal, () => void][] = [];
  const release = (): void => {
    for (const [source, listener] of listening) source.removeEventListener('abort', listener);
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
    const listener = (): void => abort(source.reason);
    source.addEventListener('abort', listener, { once: true });
    listening.push([source, listener]);
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

/**
 * The abort handle of one HTTP request. undici accepts an EventEmitter as a request's `signal` (documented:
 * `AbortSignal | EventEmitter`), which costs a fraction of an AbortSignal; `stop(reason)` aborts once,
 * and undici rejects the request with that reason.
 */
export class RequestAbort extends EventEmitter {
  reason: Error | undefined;

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  stop(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.emit('abort');
  }

  /**
   * Stops when `signal` aborts, with the reason `reasonOf(signal)` gives. Returns the function that stops
   * following (call it when the request has ended).
   */
  follow(signal: AbortSignal | undefined, reasonOf: (signal: AbortSignal) => Error): () => void {
    if (signal === undefined) return NOTHING;
    if (signal.aborted) {
      this.stop(reasonOf(signal));
      return NOTHING;
    }
    const listener = (): void => this.stop(reasonOf(signal));
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  }
}
