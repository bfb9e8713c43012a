/**
 * Text that came from outside (a msg, a stored flow, a gateway's reply) on its way into an error message,
 * a status or a log line. Pure: no Node.js API (the editor bundles may import it).
 */

/**
 * Characters that make one log line look like several, or reorder what a terminal shows: C0 controls
 * (CR, LF, ESC...), DEL, C1 controls (NEL...), the Unicode line and paragraph separators and the
 * bidirectional embedding, override and isolate controls.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written out as an escape (`\r`, `\n`, `\t`, `\u001b`...). */
export function escapeControls(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when `text` holds a character escapeControls() would write out. */
export function hasControls(text: string): boolean {
  return CONTROL.test(text);
}

/** A short description of a value for a message: a short string quoted (controls escaped), never a large value. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : escapeControls(JSON.stringify(value));
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  return `a ${typeof value}`;
}
