/**
 * Safe XML parsing for Smile/Stretch bodies, plus the few tree helpers the entity model needs.
 *
 * - Text is kept untrimmed, as ElementTree keeps it (names with trailing spaces); whitespace-only text is dropped.
 * - fast-xml-parser with entity processing OFF: a DOCTYPE's entities are never expanded (no billion
 *   laughs, no external entities). We decode only the five predefined entities and numeric character
 *   references ourselves; any other `&name;` stays literal.
 * - A stray `&` that does not start a reference (real Smiles send "Tom & Jerry") is escaped first.
 * - fast-xml-parser is lenient (it accepts truncated or mismatched tags), so a cheap single-pass tag
 *   scanner checks well-formedness of the tag structure first; failures are BAD_RESPONSE.
 * - Every element becomes an array (isArray), so "one or many" never changes the shape.
 */
import type { X2jOptions, XMLParser } from 'fast-xml-parser';
import { badResponse } from '../../core/errors';

/** A parsed element: a string when it has neither attributes nor child elements, else an object. */
export type XmlNode = string | XmlElement;
export interface XmlElement {
  [tag: string]: unknown;
}

const TEXT = '#text';
const ATTRS = '@';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  if (value.indexOf('&') < 0) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref.charCodeAt(0) !== 35 /* # */) return PREDEFINED[ref] ?? whole;
    const code = ref.charCodeAt(1) === 120 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!Number.isFinite(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: ATTRS,
  textNodeName: TEXT,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // python-plugwise (ElementTree) keeps text as the hub wrote it: "Jip overloop " keeps its space
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The callbacks ignore the path: without this, fast-xml-parser builds a path string for every tag and
  // value to hand them (about a sixth of the parse; bench/plugwise-parse.ts).
  jPath: false,
  isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  // whitespace between elements is no text (ElementTree's indentation); a whitespace-only leaf is taken as empty
  tagValueProcessor: (_tag: string, value: string) => (value.trim() === '' ? '' : decodeEntities(value)),
  attributeValueProcessor: (_name: string, value: string) => decodeEntities(value),
};

/**
 * The parser, made on first use: fast-xml-parser and its dependencies are loaded then, not when Node-RED
 * loads the node set at start (bench/nodered-start.ts).
 */
let parser: XMLParser | undefined;
function xmlParser(): XMLParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= new (require('fast-xml-parser') as typeof import('fast-xml-parser')).XMLParser(PARSER_OPTIONS);
  return parser;
}

/** `&` that does not start a character or entity reference. */
const STRAY_AMP = /&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);)/g;

// One token starting at '<': start/end/empty tag, comment, CDATA, processing instruction or DOCTYPE.
// The DOCTYPE part matches each text one way only (name, then at most one [internal subset]): the
// former `(?:[^>[]|\[[\s\S]*?\])*` could split "[][][]..." in exponentially many ways on a hostile body.
const TOKEN =
  /<(?:(\/?)([A-Za-z_][\w.:-]*)(?:\s+[^<>"'\s=/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>|!--[\s\S]*?-->|!\[CDATA\[[\s\S]*?\]\]>|\?[\s\S]*?\?>|!DOCTYPE[^>[]*(?:\[[^\]]*\][^>[]*)?>)/y;

/**
 * The most elements a hub document may hold. The largest real one in the fixtures has ~2,300; each
 * element costs about 500 bytes of heap once parsed, so 16 MiB of `<x/>` (4 million) would take ~2 GB
 * and could stop Node-RED. 200,000 keeps the worst case near 100 MB.
 */
export const MAX_ELEMENTS = 200_000;

/** Cheap structural check: every tag well-formed, properly nested and closed, exactly one root, not too many elements. */
function checkWellFormed(xml: string): string | undefined {
  const stack: string[] = [];
  let rootSeen = false;
  let elements = 0;
  let pos = 0;
  for (;;) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? xml.length : lt;
    if (stack.length === 0 && textEnd > pos && xml.slice(pos, textEnd).trim() !== '') {
      return 'text outside the root element';
    }
    if (lt < 0) break;
    TOKEN.lastIndex = lt;
    const m = TOKEN.exec(xml);
    if (!m) return `malformed markup at offset ${lt}`;
    pos = TOKEN.lastIndex;
    const name = m[2];
    if (name === undefined) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== name) return `closing tag </${name}> does not match <${open ?? ''}>`;
    } else {
      if (++elements > MAX_ELEMENTS) return `more than ${MAX_ELEMENTS} elements`;
      if (stack.length === 0) {
        if (rootSeen) return 'more than one root element';
        rootSeen = true;
      }
      if (!m[3]) stack.push(name);
    }
  }
  if (stack.length > 0) return `unclosed element <${stack[stack.length - 1]}> (truncated?)`;
  if (!rootSeen) return 'no root element';
  return undefined;
}

/** The safe XML parse: returns `{ <rootTag>: [rootElement] }`; malformed XML is a BAD_RESPONSE. */
export function parseXml(xml: string): unknown {
  const text = xml.indexOf('&') >= 0 ? xml.replace(STRAY_AMP, '&amp;') : xml;
  const problem = checkWellFormed(text);
  if (problem !== undefined) {
    throw badResponse(`The hub sent malformed XML (${problem}); check that the host is a Plugwise Smile.`);
  }
  try {
    return xmlParser().parse(text);
  } catch (err) {
    throw badResponse('The hub sent XML that could not be parsed; check that the host is a Plugwise Smile.', err);
  }
}

/** Parse and return the root element's name and node. */
export function parseRoot(xml: string): { tag: string; node: XmlNode } {
  const doc = parseXml(xml) as Record<string, XmlNode[]>;
  for (const tag of Object.keys(doc)) {
    const list = doc[tag];
    if (Array.isArray(list) && list.length > 0) return { tag, node: list[0] as XmlNode };
  }
  throw badResponse('The hub sent an XML document without a root element.');
}

// ---- tree helpers (mirroring ElementTree's find/findall/text/attrib) ----

function isElement(node: unknown): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

/** Child elements named `tag`, in document order. */
export function kids(node: XmlNode | undefined, tag: string): XmlNode[] {
  if (!isElement(node)) return [];
  const list = node[tag];
  return Array.isArray(list) ? (list as XmlNode[]) : [];
}

/** First child element named `tag`. */
export function kid(node: XmlNode | undefined, tag: string): XmlNode | undefined {
  if (!isElement(node)) return undefined;
  const list = node[tag];
  return Array.isArray(list) && list.length > 0 ? (list[0] as XmlNode) : undefined;
}

/** Element text, or undefined when empty (ElementTree's `.text is None`). */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node === '' ? undefined : node;
  const t = node[TEXT];
  return typeof t === 'string' && t !== '' ? t : undefined;
}

/** Text of the first child named `tag`. */
export function kidText(node: XmlNode | undefined, tag: string): string | undefined {
  return text(kid(node, tag));
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  const attrs = node[ATTRS] as Record<string, string> | undefined;
  return attrs === undefined ? undefined : attrs[name];
}

/** Names of the child elements, in first-appearance order per name. */
export function childTags(node: XmlNode | undefined): string[] {
  if (!isElement(node)) return [];
  return Object.keys(node).filter((k) => k !== TEXT && k !== ATTRS);
}

/** True when the element has at least one child element (ElementTree `find("x/") is not None`). */
export function hasChildElements(node: XmlNode | undefined): boolean {
  return childTags(node).length > 0;
}

/** ElementTree-like `find("a/b/c")`: the first element along the path, trying every branch in order. */
export function find(node: XmlNode | undefined, path: readonly string[], from = 0): XmlNode | undefined {
  if (from === path.length) return node;
  for (const child of kids(node, path[from])) {
    const hit = find(child, path, from + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** ElementTree-like `findall("a/b")`. */
export function findAll(node: XmlNode | undefined, path: readonly string[]): XmlNode[] {
  let level: XmlNode[] = node === undefined ? [] : [node];
  for (const tag of path) {
    const next: XmlNode[] = [];
    for (const n of level) for (const c of kids(n, tag)) next.push(c);
    level = next;
  }
  return level;
}
