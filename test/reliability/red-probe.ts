/**
 * Measures a real Node-RED process from outside while something happens to it: its resident memory (VmRSS
 * of /proc/<pid>/status, sampled every 20 ms) and how long its event loop stalls (a cheap admin API
 * request every 20 ms, one at a time: the slowest answer is the longest the loop was blocked, give or take
 * one request's own time, which the idle figure shows). Also what tests of one flow share: inject by id,
 * wait for a log line.
 */
import { readFileSync } from 'node:fs';
import { delay, until } from '../nodes/harness';
import type { SecuredRed } from './secured-red';

export interface Figures {
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  /** The slowest probe answer during the action, ms. */
  stallMs: number;
  probes: number;
  ms: number;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s*kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export class RedProbe {
  constructor(private readonly sr: SecuredRed) {}

  get pid(): number {
    const pid = this.sr.red.child?.pid;
    if (pid === undefined) throw new Error('Node-RED is not running');
    return pid;
  }

  get log(): string {
    return this.sr.red.log;
  }

  /** Waits until the flows of the last deploy run (Node-RED answers the deploy before it starts them). */
  async started(deploys = 1): Promise<void> {
    await until(() => (this.log.match(/\] Started flows/g) ?? []).length > deploys, 30_000, 'the deployed flows to start');
  }

  /** Presses an inject node's button (as admin). */
  async inject(id: string): Promise<void> {
    const res = await this.sr.api(`inject/${id}`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`inject ${id}: HTTP ${res.status} ${await res.text()}`);
  }

  /** Waits until the log, after `from` characters, matches `pattern`; returns what matched. */
  async waitLog(pattern: RegExp, from: number, timeoutMs = 30_000): Promise<string> {
    let found = '';
    await until(() => {
      found = pattern.exec(this.log.slice(from))?.[0] ?? '';
      return found !== '';
    }, timeoutMs, `log ${pattern}`);
    return found;
  }

  /** One probe: a cheap admin API request, its round trip in ms. */
  async probe(): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(new URL('auth/login', this.sr.red.url));
    await res.arrayBuffer();
    return performance.now() - t0;
  }

  /** Runs `action` while sampling RSS and probing the event loop every 20 ms; settles them before returning. */
  async measure(action: () => Promise<void>): Promise<Figures> {
    const pid = this.pid;
    await delay(300);
    const rssBeforeMb = rssMb(pid);
    let rssPeakMb = rssBeforeMb;
    let stallMs = 0;
    let probes = 0;
    let running = true;
    const sampler = setInterval(() => {
      try {
        rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
      } catch {
        // the process is gone: the test fails on its own
      }
    }, 20);
    const prober = (async () => {
      while (running) {
        const ms = await this.probe().catch(() => Infinity);
        stallMs = Math.max(stallMs, ms);
        probes++;
        await delay(20);
      }
    })();
    const t0 = Date.now();
    try {
      await action();
      // What the action set off (a GC, a late retry) shows in the figures too.
      await delay(500);
    } finally {
      running = false;
      await prober;
      clearInterval(sampler);
    }
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
    return { rssBeforeMb, rssPeakMb, rssGrowthMb: rssPeakMb - rssBeforeMb, stallMs, probes, ms: Date.now() - t0 };
  }
}

export function describeFigures(f: Figures): string {
  return `RSS ${f.rssBeforeMb.toFixed(0)} -> peak ${f.rssPeakMb.toFixed(0)} MB (+${f.rssGrowthMb.toFixed(0)} MB), event loop: slowest of ${f.probes} probes ${f.stallMs.toFixed(0)} ms, ${f.ms} ms in all`;
}
