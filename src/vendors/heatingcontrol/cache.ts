/**
 * Per-device cache of what changes rarely (command schemas, setting descriptors): an entry older than
 * `maxAgeMs` is fetched again; callers asking while a fetch runs share it; `invalidate` after the API
 * refused a request as invalid makes the next caller fetch a fresh copy.
 */
export class DeviceCache<T> {
  /** Fetches made (tests read it). */
  fetches = 0;
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly fetch: (device: string) => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The device's entry if it is held and young enough (no wait: callers on a hot path try this first). */
  held(device: string): T | undefined {
    const entry = this.entries.get(device);
    return entry && this.now() - entry.at < this.maxAgeMs ? entry.value : undefined;
  }

  /** The device's entry, fetched when missing, stale, or when `fresh` is asked for. */
  async get(device: string, fresh = false): Promise<T> {
    if (!fresh) {
      const value = this.held(device);
      if (value !== undefined) return value;
    }
    const running = this.pending.get(device);
    if (running) return running;
    const p = this.fetch(device)
      .then((value) => {
        this.fetches++;
        this.entries.set(device, { value, at: this.now() });
        return value;
      })
      .finally(() => this.pending.delete(device));
    this.pending.set(device, p);
    return p;
  }

  /** ms since the device's entry was fetched (Infinity when there is none). */
  age(device: string): number {
    const entry = this.entries.get(device);
    return entry ? this.now() - entry.at : Infinity;
  }

  invalidate(device: string): void {
    this.entries.delete(device);
  }

  clear(): void {
    this.entries.clear();
  }
}
