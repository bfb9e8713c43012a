import { toGatewayError, type GatewayError } from './errors';

export interface PollListener<T> {
  /** A read succeeded (a poll, or a refresh asked for by someone else). */
  data(value: T): void;
  /** A read failed. */
  error(err: GatewayError): void;
  /** A read started (status: connecting). */
  reading?(): void;
}

export interface PollerOptions<T> {
  read: (signal: AbortSignal) => Promise<T>;
  /**
   * Interval between the starts of two polls, ms (asked again before each wait), so pollers started apart
   * stay apart. A poll is followed by at least half an interval of rest (a slow hub is not read back to
   * back); while reads fail, the wait is counted from the end and doubles.
   */
  intervalMs: number | (() => number);
  /** While reads fail, the wait doubles up to this (ms; default 5 min, or the interval if longer). */
  maxBackoffMs?: number;
}

/**
 * First polls of pollers started together are this far apart (ms): 50 hubs deployed at once are read one
 * after another over 5 s instead of in one burst, and the fixed-rate schedule keeps them apart after that.
 * A poller started alone reads at once.
 */
export const STAGGER_MS = 100;

/** First polls waiting for their slot (ms epoch each), and when the last one started. */
const waitingFirst = new Set<number>();
let lastFirst = 0;

/**
 * A slot for a new poller's first read: at once, or STAGGER_MS after the latest first read started or
 * waiting. A poller stopped before its first read gives its slot back (redeploys do not pile slots up).
 */
export function firstPollSlot(now = Date.now()): { delay: number; release(): void; started(): void } {
  let latest = lastFirst;
  for (const t of waitingFirst) latest = Math.max(latest, t);
  const at = Math.max(now, latest + STAGGER_MS);
  waitingFirst.add(at);
  return {
    delay: at - now,
    release: () => waitingFirst.delete(at),
    started: () => {
      waitingFirst.delete(at);
      lastFirst = Math.max(lastFirst, at);
    },
  };
}

interface Subscription<T> {
  listener: PollListener<T>;
  poll: boolean;
}

/**
 * One timer chain per gateway, shared by every subscriber. Reads in flight are shared: whoever asks
 * while one runs gets that read's result. The timer runs only while a subscriber wants polls.
 */
export class Poller<T> {
  private readonly subs = new Set<Subscription<T>>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<T> | undefined;
  private readonly stopping = new AbortController();
  private lastValue: T | undefined;
  private lastTime = 0;
  /** True from a poll's scheduling until its read ends: one chain only. */
  private chain = false;
  /** Reads failed in a row (polls back off while the gateway fails). */
  private failures = 0;
  /** Gives back the first-poll slot while the first poll waits for it. */
  private releaseSlot: (() => void) | undefined;

  constructor(private readonly options: PollerOptions<T>) {}

  get last(): T | undefined {
    return this.lastValue;
  }

  /** ms epoch of the last successful read (0: none yet). */
  get lastReadTime(): number {
    return this.lastTime;
  }

  get polling(): boolean {
    return this.chain;
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  /**
   * Returns the unsubscribe function. A polling subscriber starts the timer: the first read at once, or
   * STAGGER_MS after the first read of the poller started just before (firstPollSlot).
   */
  subscribe(listener: PollListener<T>, poll = true): () => void {
    const sub: Subscription<T> = { listener, poll };
    this.subs.add(sub);
    if (poll && !this.chain && !this.stopping.signal.aborted) {
      const slot = firstPollSlot();
      this.schedule(slot.delay, slot);
    }
    return () => {
      this.subs.delete(sub);
      if (!this.wantsPolls()) this.clearTimer();
    };
  }

  /**
   * Reads now. While a read is in flight its result is shared, unless `fresh` is set (after a write):
   * then a new read starts once the current one ends. `origin` is not told through its listener:
   * it has the promise.
   */
  refresh(origin?: PollListener<T>, fresh = false): Promise<T> {
    if (this.inFlight && !fresh) return this.inFlight;
    const previous = this.inFlight;
    const start = (): Promise<T> => this.startRead(origin, true);
    return previous ? previous.then(start, start) : start();
  }

  stop(): void {
    this.stopping.abort();
    this.clearTimer();
    this.subs.clear();
  }

  private startRead(origin?: PollListener<T>, force = false): Promise<T> {
    if (this.inFlight && !force) return this.inFlight;
    for (const s of this.subs) if (s.poll) safe(() => s.listener.reading?.());
    const read = (async () => this.options.read(this.stopping.signal))();
    this.inFlight = read;
    read.then(
      (value) => {
        this.failures = 0;
        this.lastValue = value;
        this.lastTime = Date.now();
        this.broadcast(origin, (l) => l.data(value));
      },
      (err: unknown) => {
        if (this.stopping.signal.aborted) return;
        this.failures++;
        const gerr = toGatewayError(err);
        this.broadcast(origin, (l) => l.error(gerr));
      },
    ).finally(() => {
      if (this.inFlight === read) this.inFlight = undefined;
    });
    return read;
  }

  private broadcast(origin: PollListener<T> | undefined, fn: (l: PollListener<T>) => void): void {
    for (const s of [...this.subs]) if (s.poll && s.listener !== origin) safe(() => fn(s.listener));
  }

  private schedule(delay: number, slot?: { release(): void; started(): void }): void {
    this.clearTimer();
    this.chain = true;
    this.releaseSlot = slot?.release;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.releaseSlot = undefined;
      slot?.started();
      const started = Date.now();
      this.refresh().then(
        () => undefined,
        () => undefined,
      ).finally(() => {
        this.chain = false;
        if (!this.stopping.signal.aborted && this.timer === undefined && this.wantsPolls()) this.schedule(this.nextDelay(started));
      });
    }, delay);
  }

  /** The wait after a poll that started at `started`: fixed rate while reads succeed, backoff from the end while they fail. */
  private nextDelay(started: number): number {
    const i = this.options.intervalMs;
    const base = typeof i === 'function' ? i() : i;
    if (this.failures > 0) {
      const cap = Math.max(base, this.options.maxBackoffMs ?? 300_000);
      return Math.min(cap, base * 2 ** Math.min(this.failures, 16));
    }
    return Math.max(base - (Date.now() - started), base / 2);
  }

  private wantsPolls(): boolean {
    for (const s of this.subs) if (s.poll) return true;
    return false;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.releaseSlot?.();
    this.releaseSlot = undefined;
    this.timer = undefined;
    this.chain = false;
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure is its own; the poll goes on for the others.
  }
}
