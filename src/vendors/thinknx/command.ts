/**
 * One user request -> one Integration Kit call (controller + parameters), every check done before
 * anything is sent; and the server's reply -> the payload out. Driven by the controller table.
 */
import { badInput, badResponse } from '../../core/errors';
import { encodeValue, decodeStatus, formatDecimal, requestedOutput, shown } from './codecs';
import { CAPABILITIES, findCapability, type Capability } from './controllers';
import { dptSpec, knxValue, parseGroupAddress, type DptSpec } from './knx';
import { camelKeys, parseServerStatus } from './status';

export interface CommandInput {
  capability: unknown;
  payload: unknown;
  guid?: unknown;
  feedback?: unknown;
  group?: unknown;
  dpt?: unknown;
}

export interface Command {
  capability: Capability;
  kind: 'set' | 'get';
  controller: string;
  /** Query parameters, in order (`fb` is added by the client when `feedback`). */
  params: Record<string, string>;
  feedback: boolean;
  guid?: string;
  /** The number sent by a set. */
  wire?: number;
  knx?: { group: string; dpt: DptSpec; value: number };
  topic: string;
}

export interface CommandResult {
  payload: unknown;
  /** Sets only: true when the payload is the status the device reported (feedback). */
  confirmed?: boolean;
  /** The reply as received, keys camelCased (`comm_obj` -> `commObj`). */
  thinknx: Record<string, unknown>;
}

const GUID = /^[A-Za-z0-9._~+/=-]{1,100}$/;

/** A payload asking for a read: nothing, an empty string or "get". */
export function isGet(payload: unknown): boolean {
  // trim() rather than /^\s*(get)?\s*$/: the two \s* share every blank, quadratic on a long padded string.
  if (typeof payload !== 'string') return payload === undefined || payload === null;
  const word = payload.trim();
  return word === '' || word.toLowerCase() === 'get';
}

export function checkGuid(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw badInput('No device GUID: set it in the node or send msg.guid (Configurator or Server → Integration Kit shows it).');
  }
  const guid = typeof value === 'string' ? value.trim() : value;
  if (typeof guid !== 'string' || !GUID.test(guid)) {
    throw badInput(`${shown(value)} is not a device GUID: copy the identifier from Server → Integration Kit (letters, digits, - _ . + / =).`);
  }
  return guid;
}

function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw badInput(`${what} must be true or false, not ${shown(value)}.`);
}

export function capabilityOf(name: unknown): Capability {
  const cap = findCapability(name);
  if (!cap) {
    throw badInput(`${shown(name)} is not a Thinknx capability: use one of ${CAPABILITIES.map((c) => c.name).join(', ')}.`);
  }
  return cap;
}

/** Checks everything and builds the call; throws BAD_INPUT (nothing is sent) on any problem. */
export function buildCommand(input: CommandInput): Command {
  const cap = capabilityOf(input.capability);
  const feedbackAsked = flag(input.feedback, 'msg.feedback');
  if (cap.codec === 'knx') return knxCommand(cap, input);
  if (cap.codec === 'serverStatus') {
    return { capability: cap, kind: 'get', controller: cap.get!.controller, params: {}, feedback: false, topic: 'thinknx/serverStatus' };
  }
  const guid = checkGuid(input.guid);
  const topic = `thinknx/${cap.name}/${guid}`;
  const readOnly = !cap.set;
  if (readOnly || (isGet(input.payload) && cap.codec !== 'action')) {
    if (!cap.get) {
      throw badInput(`"${cap.name}" cannot be read (the Integration Kit has no status for it): send a value such as ${JSON.stringify(cap.example)}.`);
    }
    return { capability: cap, kind: 'get', controller: cap.get.controller, params: { guid }, feedback: false, guid, topic };
  }
  if (cap.codec === 'action' && typeof input.payload === 'string' && /^\s*get\s*$/i.test(input.payload)) {
    throw badInput(`"${cap.name}" cannot be read (the Integration Kit has no status for it): send any other payload to run it.`);
  }
  const set = cap.set!;
  const wire = encodeValue(cap, input.payload);
  const params: Record<string, string> = { guid, [set.param ?? 'cmd']: formatDecimal(wire) };
  const feedback = feedbackAsked && set.feedback === true;
  return { capability: cap, kind: 'set', controller: set.controller, params, feedback, guid, wire, topic };
}

function knxCommand(cap: Capability, input: CommandInput): Command {
  const group = parseGroupAddress(input.group);
  const dpt = dptSpec(input.dpt);
  if (isGet(input.payload)) {
    throw badInput(`A KNX telegram needs a value in msg.payload (DPT ${dpt.dpt}: ${dpt.min} to ${dpt.max}); the Integration Kit cannot read the bus.`);
  }
  const value = knxValue(dpt, input.payload);
  return {
    capability: cap,
    kind: 'set',
    controller: dpt.controller,
    params: { group: group.text, value: formatDecimal(value) },
    feedback: false,
    knx: { group: group.text, dpt, value },
    topic: `thinknx/knx/${group.text}`,
  };
}

/** The payload out of a reply (already known to be a JSON object without `error`). */
export function commandResult(cmd: Command, body: Record<string, unknown>, who: string): CommandResult {
  const thinknx = camelKeys(body);
  const cap = cmd.capability;
  if (cap.codec === 'serverStatus') return { payload: parseServerStatus(body), thinknx };
  if (cmd.knx) {
    const { group, dpt, value } = cmd.knx;
    return { payload: { group, value: dpt.bit ? value === 1 : value, dpt: dpt.dpt }, confirmed: false, thinknx };
  }
  if (cmd.kind === 'get') {
    if (!('status' in body)) throw badResponse(`${who} sent no status for ${cap.name} (${cmd.controller}).`);
    return { payload: decodeStatus(cap, body.status, who), thinknx };
  }
  if (cmd.feedback && 'status' in body && body.status !== null && body.status !== '') {
    return { payload: decodeStatus(cap, body.status, who), confirmed: true, thinknx };
  }
  return { payload: requestedOutput(cap, cmd.wire ?? 0), confirmed: false, thinknx };
}
