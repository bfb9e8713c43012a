import { GatewayError } from './errors';

/**
 * JSON replies, read safely. JSON.parse is iterative and copes with any nesting, but what it builds does
 * not: a reply of millions of nested arrays costs hundreds of MB to hold, and anything recursive that meets
 * it later (util.inspect, JSON.stringify, Node-RED's cloneMessage, a core `http request` node) throws
 * "Maximum call stack size exceeded". So nesting is measured on the bytes, before anything is built.
 *
 * No documented reply of these APIs nests deeper than 6 levels (an EMS history map: object, map, array,
 * record; a HeatingControl command map: object, command, params, param, constraints, options). 64 is far
 * beyond any real reply and far below the depth at which recursion in Node-RED gives up (thousands).
 */
export const MAX_JSON_DEPTH = 64;

/** Byte classes outside strings: 1 quote, 2 opening bracket, 3 closing bracket (0: anything else). */
const OUTSIDE = new Uint8Array(256);
OUTSIDE[0x22] = 1;
OUTSIDE[0x5b] = 2;
OUTSIDE[0x7b] = 2;
OUTSIDE[0x5d] = 3;
OUTSIDE[0x7d] = 3;
/** Byte classes inside a string: 1 the closing quote, 2 a backslash (the next byte is escaped). */
const INSIDE = new Uint8Array(256);
INSIDE[0x22] = 1;
INSIDE[0x5c] = 2;

/**
 * Measures UTF-8 JSON fed in chunks (as a reply arrives): how deep arrays and objects nest, and how many
 * there are, brackets inside strings not counted. One pass, nothing allocated, a table lookup per byte:
 * about a third of what JSON.parse of the same text costs, spread over the chunks as they come (figures in
 * test/unit/core-json.test.ts). In UTF-8 the bytes of a multi-byte character are all >= 0x80, so a quote,
 * backslash or bracket byte is always that character, whatever chunk boundary splits a text.
 *
 * The count matters as much as the depth: an empty object costs V8 about 20 times its 3 bytes of text
 * (`{},`), so 4 MiB of them is 1.3 million objects, over 100 MB and 400 ms of parsing. A real reply holds
 * about one object per record. Whether the text is valid JSON is JSON.parse's business.
 */
export class JsonGauge {
  /** The deepest nesting seen so far. */
  deepest = 0;
  /** Arrays and objects opened so far. */
  containers = 0;
  private depth = 0;
  private inString = false;
  /** The previous chunk ended in a string, on a backslash. */
  private escaped = false;

  constructor(
    readonly maxDepth = MAX_JSON_DEPTH,
    readonly maxContainers = Infinity,
  ) {}

  /** Which limit the text passed, if it did. */
  get exceeded(): 'depth' | 'containers' | undefined {
    return this.deepest > this.maxDepth ? 'depth' : this.containers > this.maxContainers ? 'containers' : undefined;
  }

  /** Feeds the next chunk; false as soon as a limit is passed (the rest is not looked at). */
  feed(bytes: Uint8Array): boolean {
    const n = bytes.length;
    const maxDepth = this.maxDepth;
    const maxContainers = this.maxContainers;
    let containers = this.containers;
    let depth = this.depth;
    let deepest = this.deepest;
    let i = 0;
    let inString = this.inString;
    if (inString && this.escaped) i = 1;
    this.escaped = false;
    let ok = true;
    for (; i < n; i++) {
      if (inString) {
        for (; i < n; i++) {
          const k = INSIDE[bytes[i]!];
          if (k === 0) continue;
          if (k === 1) break;
          if (++i === n) this.escaped = true;
        }
        if (i < n) inString = false;
        continue;
      }
      const k = OUTSIDE[bytes[i]!];
      if (k === 0) continue;
      if (k === 1) inString = true;
      else if (k === 2) {
        containers++;
        if (++depth > deepest) deepest = depth;
        if (depth > maxDepth || containers > maxContainers) {
          ok = false;
          break;
        }
      } else depth--;
    }
    this.containers = containers;
    this.depth = depth;
    this.deepest = deepest;
    this.inString = inString;
    return ok;
  }
}

/** How deep a text nests (brackets in strings not counted). */
export function nestingOf(text: string, limit = MAX_JSON_DEPTH): number {
  const gauge = new JsonGauge(limit);
  gauge.feed(Buffer.from(text, 'utf8'));
  return gauge.deepest;
}

/** A reply body and, when the transport measured it as it arrived (HttpResponse), its nesting depth. */
export interface JsonText {
  body: string;
  nesting?: number;
}

function tooDeep(reply: string | JsonText, maxDepth: number): boolean {
  const text = typeof reply === 'string' ? reply : reply.body;
  const measured = typeof reply === 'string' ? undefined : reply.nesting;
  return (measured ?? nestingOf(text, maxDepth)) > maxDepth;
}

/**
 * A reply body as JSON, or BAD_RESPONSE: `notJson` when it does not parse; a message naming `subject`
 * (e.g. "The reply to GET /v1/devices") when it nests deeper than `maxDepth`, found before parsing, so such
 * a reply costs no memory. An HttpResponse of a client made with `maxJsonDepth` was measured as it arrived
 * and is not scanned again.
 */
export function parseJson(reply: string | JsonText, subject: string, notJson: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (tooDeep(reply, maxDepth)) throw new GatewayError('BAD_RESPONSE', deepMessage(subject, maxDepth), { statusText: 'reply nested too deep' });
  try {
    return JSON.parse(typeof reply === 'string' ? reply : reply.body) as unknown;
  } catch {
    throw new GatewayError('BAD_RESPONSE', notJson, { statusText: 'reply is not JSON' });
  }
}

/** As parseJson, but undefined for a text that is not JSON or nests too deep (error bodies, optional fields). */
export function tryParseJson(reply: string | JsonText, maxDepth = MAX_JSON_DEPTH): unknown {
  if (tooDeep(reply, maxDepth)) return undefined;
  try {
    return JSON.parse(typeof reply === 'string' ? reply : reply.body) as unknown;
  } catch {
    return undefined;
  }
}

export function deepMessage(subject: string, maxDepth = MAX_JSON_DEPTH): string {
  return `${subject} nests JSON deeper than ${maxDepth} levels: that is not a reply this node expects, so it was not read.`;
}

/** The message of a reply whose gauge passed a limit. */
export function gaugeMessage(subject: string, gauge: JsonGauge): string {
  if (gauge.exceeded === 'depth') return deepMessage(subject, gauge.maxDepth);
  return `${subject} holds more than ${gauge.maxContainers} JSON arrays and objects: that is not a reply this node expects, so it was not read.`;
}
