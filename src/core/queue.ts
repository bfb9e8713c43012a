import { GatewayError } from './errors';
import { longLivedSignal, linkSignals } from './signals';

type Job<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Runs jobs one at a time, in the order asked (a hub that serves one request at a time gets no more).
 * `close()` aborts the running job and rejects the waiting ones.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly closing = longLivedSignal(new AbortController());
  private waiting = 0;

  get pending(): number {
    return this.waiting;
  }

  run<T>(job: Job<T>, signal?: AbortSignal): Promise<T> {
    if (this.closing.signal.aborted) {
      return Promise.reject(new GatewayError('UNREACHABLE', 'The gateway is stopping; nothing more is sent.'));
    }
    this.waiting++;
    const linked = signal ? linkSignals(this.closing.signal, signal) : undefined;
    const combined = linked ? linked.signal : this.closing.signal;
    const result = this.tail.then(() => {
      if (combined.aborted) throw combined.reason instanceof Error ? combined.reason : new GatewayError('UNREACHABLE', 'Cancelled.');
      return job(combined);
    });
    if (linked) void result.then(linked.release, linked.release);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.tail = settled;
    void settled.then(() => this.waiting--);
    return result;
  }

  close(): void {
    this.closing.abort(new GatewayError('UNREACHABLE', 'The gateway was stopped (redeploy or shutdown).'));
  }
}
