/**
 * The small part of Node-RED's runtime API this package uses, typed here so the package has no
 * dependency on a types package that lags behind Node-RED releases.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NodeMessage {
  _msgid?: string;
  topic?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type SendFn = (msg: NodeMessage | (NodeMessage | NodeMessage[] | null)[] | null) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface Node<TCreds = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials: TCreds;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | (NodeMessage | NodeMessage[] | null)[] | null): void;
  status(status: NodeStatus | Record<string, never>): void;
  log(msg: unknown): void;
  warn(msg: unknown): void;
  error(err: unknown, msg?: NodeMessage): void;
  debug(msg: unknown): void;
}

export interface AdminRequest extends IncomingMessage {
  body?: unknown;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
}

export interface AdminResponse extends ServerResponse {
  json(body: unknown): void;
  status(code: number): AdminResponse;
}

type Handler = (req: AdminRequest, res: AdminResponse, next?: () => void) => void;

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(type: string, ctor: (this: Node, def: NodeDef) => void, opts?: { credentials?: Record<string, { type: 'text' | 'password' }> }): void;
    getNode(id: string): unknown;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  httpAdmin: {
    get(path: string, ...handlers: Handler[]): void;
    post(path: string, ...handlers: Handler[]): void;
  };
  auth: { needsPermission(permission: string): Handler };
  /** settings.js, as Node-RED gives it to nodes. */
  settings?: Record<string, unknown>;
  util: { cloneMessage<T extends NodeMessage>(msg: T): T };
  log: { warn(msg: string): void; info(msg: string): void; error(msg: string): void };
  _: (key: string, subs?: Record<string, string>) => string;
  version?: () => string;
}
