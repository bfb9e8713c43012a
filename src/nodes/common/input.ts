import { toGatewayError, type GatewayError } from '../../core/errors';
import { redactError } from '../../core/redact';
import type { Misconfigured } from '../../core/settings';
import { status } from './status';
import type { DoneFn, Node, NodeMessage, SendFn } from './red';

export interface InputOptions {
  /** The secrets of the config node behind this node: scrubbed from any error before it leaves. */
  secrets?: () => Iterable<string | undefined>;
  /**
   * The node cannot work as stored (a setting outside its options): the status turns red at deploy and
   * every msg fails with this error before the handler runs (nothing is sent).
   */
  misconfigured?: Misconfigured;
}

/**
 * Wires an async input handler so that nothing escapes: every failure becomes one GatewayError,
 * reported once through `done(err)` (Node-RED's node.error(err, msg), so a Catch node sees it),
 * with a red status showing its code and a few words of why. Nothing is sent on failure.
 */
export function handleInput(node: Node, handler: (msg: NodeMessage, send: SendFn) => Promise<void>, options: InputOptions = {}): void {
  // A msg still in flight when the node is stopped (redeploy, shutdown) is abandoned, as Node-RED's own
  // nodes do: its request was aborted by the stop, which is not a gateway failure to report.
  let stopped = false;
  (node.on as (event: 'close', listener: () => void) => void)('close', () => {
    stopped = true;
  });
  const misconfigured = options.misconfigured;
  if (misconfigured) status.error(node, misconfigured.error.code, misconfigured.status);
  node.on('input', (msg, send, done) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      if (stopped) {
        node.debug(`msg abandoned: the node was stopped while it was being handled (${toGatewayError(err).code})`);
        done();
        return;
      }
      const gerr = scrub(toGatewayError(err), options);
      if (gerr === misconfigured?.error) status.error(node, gerr.code, misconfigured.status);
      else status.failed(node, gerr);
      reportFailure(node, msg, done, gerr);
    };
    if (misconfigured) {
      fail(misconfigured.error);
      return;
    }
    try {
      handler(msg, send).then(() => {
        if (settled) return;
        settled = true;
        try {
          done();
        } catch {
          // The msg has left already; Node-RED's completion bookkeeping failing must not reach the runtime.
        }
      }, fail);
    } catch (err) {
      fail(err);
    }
  });
}

/**
 * `done(err)`, never throwing. Node-RED copies the msg for the Catch node (lodash cloneDeep) and calls
 * `msg.hasOwnProperty(...)`: an own `hasOwnProperty` key, an own `__proto__` key (JSON.parse makes one;
 * the copy turns it into the prototype) or a value the copy cannot take makes that throw, and the error
 * would become an unhandled rejection, which stops Node-RED. Then the same error is reported with a
 * copy of the msg without prototype-named keys, then with only its plain values (the Catch node still
 * gets it, `_msgid` and `topic` included), and only as a last resort logged without a msg.
 */
function reportFailure(node: Node, msg: NodeMessage, done: DoneFn, err: GatewayError): void {
  const attempts = [() => done(err), () => node.error(err, routableCopy(msg, false)), () => node.error(err, routableCopy(msg, true)), () => node.error(err)];
  for (const attempt of attempts) {
    try {
      attempt();
      return;
    } catch {
      // Node-RED could not route the error with this msg: try the next, simpler one.
    }
  }
}

/** The msg's own properties except those named like Object.prototype members (`__proto__`, `hasOwnProperty`...). */
export function routableCopy(msg: NodeMessage, plainValuesOnly: boolean): NodeMessage {
  const copy: NodeMessage = {};
  for (const key of Object.keys(msg)) {
    const value = msg[key];
    if (key in Object.prototype) continue;
    if (plainValuesOnly && value !== null && (typeof value === 'object' || typeof value === 'function')) continue;
    copy[key] = value;
  }
  return copy;
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
