import { statusWords, type GatewayError } from '../../core/errors';
import { escapeControls } from '../../core/text';
import type { Node, NodeStatus } from './red';

/** The last clock time made (a busy node asks for the same second many times). */
let lastClock = { second: NaN, text: '' };

/** "14:03:27": the clock time shown next to a node's status. */
export function clockTime(ms: number = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second === lastClock.second) return lastClock.text;
  const d = new Date(ms);
  const text = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  lastClock = { second, text };
  return text;
}

/** What each node shows: the same status set again would cost the runtime a status event for nothing. */
const shown = new WeakMap<Node, string>();

function show(node: Node, s: NodeStatus): void {
  // A summary may quote a msg or a gateway's reply: no control character reaches the editor.
  if (s.text) s.text = escapeControls(s.text);
  const key = `${s.fill}:${s.shape}:${s.text}`;
  if (shown.get(node) === key) return;
  shown.set(node, key);
  node.status(s.fill ? s : {});
}

/**
 * Node status in the contract's three states; `text` is always a string. A status equal to the one shown
 * is not set again (a busy node's green text changes once a second, with the clock).
 */
export const status = {
  connecting(node: Node, text = 'connecting'): void {
    show(node, { fill: 'yellow', shape: 'ring', text: String(text) });
  },
  ok(node: Node, summary: string, time: number = Date.now()): void {
    show(node, { fill: 'green', shape: 'dot', text: summary ? `${summary} · ${clockTime(time)}` : clockTime(time) });
  },
  /** "BAD_INPUT", or with a few words: "BAD_INPUT: invalid operation". */
  error(node: Node, code: string, detail?: string): void {
    const text = String(code || 'error');
    show(node, { fill: 'red', shape: 'ring', text: detail ? `${text}: ${detail}` : text });
  },
  /**
   * A failure: its code and a few words of why ("AUTH_FAILED: Smile ID refused"). Pass the error as it
   * leaves the node (scrubbed of the config node's secrets): its words are shown as they are.
   */
  failed(node: Node, err: GatewayError): void {
    status.error(node, err.code, statusWords(err));
  },
  idle(node: Node, text = ''): void {
    show(node, text ? { fill: 'grey', shape: 'ring', text } : {});
  },
};
