import type { Node } from './red';

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

/** Node status in the contract's three states; `text` is always a string. */
export const status = {
  connecting(node: Node, text = 'connecting'): void {
    node.status({ fill: 'yellow', shape: 'ring', text: String(text) });
  },
  ok(node: Node, summary: string, time: number = Date.now()): void {
    const text = summary ? `${summary} · ${clockTime(time)}` : clockTime(time);
    node.status({ fill: 'green', shape: 'dot', text });
  },
  error(node: Node, code: string): void {
    node.status({ fill: 'red', shape: 'ring', text: String(code || 'error') });
  },
  idle(node: Node, text = ''): void {
    node.status(text ? { fill: 'grey', shape: 'ring', text } : {});
  },
};
