/**
 * Watching a Thinknx status: the Integration Kit has no push, so a watching thinknx-control node has its
 * server poll the capability's status controller and sends what it reads when it changes. Which
 * capabilities can be watched (those with a status controller), the interval's bounds, and the key that
 * nodes watching the same status share. Pure: the editor bundle imports it too.
 */
import { numberProblem, storedNumber } from '../../core/settings';
import { describe } from '../../core/text';
import { CAPABILITIES, findCapability, type Capability } from './controllers';

/**
 * The poll interval, seconds. At least 1 s: an embedded server's Integration Kit serves one request at a
 * time, and every watched status costs one request per interval.
 */
export const WATCH_SECONDS = { min: 1, max: 86_400 } as const;

/** A capability can be watched when the Integration Kit has a status controller for it (a get). */
export function canWatch(cap: Capability | undefined): boolean {
  return cap?.get !== undefined;
}

/** What nodes watching the same status share: `power/kitchen-light`, `serverStatus`. */
export function watchKey(cap: Capability, guid: string | undefined): string {
  return cap.fields.includes('guid') ? `${cap.name}/${guid ?? ''}` : cap.name;
}

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * What is wrong with a stored `watch` (present, not blank) for this capability and GUID, as a phrase
 * completing "watch ..." (StoredSettings.refuse), or undefined when it can be used.
 */
export function watchProblem(watch: unknown, capability: unknown, guid: unknown): string | undefined {
  const problem = numberProblem(storedNumber(watch), WATCH_SECONDS);
  if (problem !== undefined) return `is ${describe(watch)}, not ${problem} (seconds between polls; empty: off)`;
  const cap = findCapability(capability);
  // An unknown capability is reported as such (capability ...): nothing more to say about the watch.
  if (!cap) return undefined;
  if (!canWatch(cap)) {
    return `cannot be used with "${cap.name}": the Integration Kit has no status to poll for it (watch works with ${watchable().join(', ')})`;
  }
  if (cap.fields.includes('guid') && blank(guid)) return 'needs the device GUID in the node (a poll has no msg.guid)';
  return undefined;
}

/** The names of the capabilities that can be watched. */
export function watchable(): string[] {
  return CAPABILITIES.filter(canWatch).map((c) => c.name);
}
