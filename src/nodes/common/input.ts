import { toGatewayError, type GatewayError } from '../../core/errors';
import { redactError } from '../../core/redact';
import { status } from './status';
import type { Node, NodeMessage, SendFn } from './red';

export interface InputOptions {
  /** The secrets of the config node behind this node: scrubbed from any error before it leaves. */
  secrets?: () => Iterable<string | undefined>;
}

/**
 * Wires an async input handler so that nothing escapes: every failure becomes one GatewayError,
 * reported once through `done(err)` (Node-RED's node.error(err, msg), so a Catch node sees it),
 * with a red status showing its code. Nothing is sent on failure.
 */
export function handleInput(node: Node, handler: (msg: NodeMessage, send: SendFn) => Promise<void>, options: InputOptions = {}): void {
  node.on('input', (msg, send, done) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      const gerr = scrub(toGatewayError(err), options);
      status.error(node, gerr.code);
      done(gerr);
    };
    try {
      handler(msg, send).then(() => {
        if (settled) return;
        settled = true;
        done();
      }, fail);
    } catch (err) {
      fail(err);
    }
  });
}

export function scrub(err: GatewayError, options: InputOptions): GatewayError {
  return options.secrets ? redactError(err, options.secrets()) : err;
}

/** Runs a callback from a timer or an emitter, never letting an exception reach the runtime. */
export function guarded<A extends unknown[]>(node: Node, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      node.error(toGatewayError(err).message);
    }
  };
}
