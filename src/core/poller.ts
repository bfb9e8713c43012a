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
  /** Interval between the end of one poll and the start of the next, ms (asked again before each wait). */
  intervalMs: number | (() => number);
  /** While reads fail, the wait doubles up to this (ms; default 5 min, or the interval if longer). */
  maxBackoffMs?: number;
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

  /** Returns the unsubscribe function. A polling subscriber starts the timer (first read at once). */
  subscribe(listener: PollListener<T>, poll = true): () => void {
    const sub: Subscription<T> = { listener, poll };
    this.subs.add(sub);
    if (poll && !this.chain && !this.stopping.signal.aborted) this.schedule(0);
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

  private schedule(delay: number): void {
    this.clearTimer();
    this.chain = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh().then(
        () => undefined,
        () => undefined,
      ).finally(() => {
        this.chain = false;
        if (!this.stopping.signal.aborted && this.timer === undefined && this.wantsPolls()) this.schedule(this.interval());
      });
    }, delay);
  }

  private interval(): number {
    const i = this.options.intervalMs;
    const base = typeof i === 'function' ? i() : i;
    if (this.failures === 0) return base;
    const cap = Math.max(base, this.options.maxBackoffMs ?? 300_000);
    return Math.min(cap, base * 2 ** Math.min(this.failures, 16));
  }

  private wantsPolls(): boolean {
    for (const s of this.subs) if (s.poll) return true;
    return false;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
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
