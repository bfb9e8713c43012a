/**
 * What a node that streams a long read as pages needs (ems-history, plugwise-history): the next request
 * waits until the runtime has delivered the page just sent, and status updates stay rare.
 */

/** Status updates while pages stream are at most this frequent (each one travels to every editor). */
export const STATUS_EVERY_MS = 500;

/** Lets the runtime deliver what was just sent before the next page is fetched (backpressure). */
export const delivered = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
