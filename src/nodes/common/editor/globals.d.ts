// The editor's globals, as far as this package uses them (Node-RED 3.1+ editor, jQuery 3).

interface EditorNode {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, unknown>;
  [key: string]: unknown;
}

interface EditorNodeDefinition {
  category: string;
  color?: string;
  defaults: Record<string, { value: unknown; required?: boolean; type?: string; validate?: (this: EditorNode, v: unknown, opt?: unknown) => boolean | string; label?: string }>;
  credentials?: Record<string, { type: 'text' | 'password'; required?: boolean; value?: string }>;
  inputs?: number;
  outputs?: number;
  icon?: string;
  align?: 'left' | 'right';
  paletteLabel?: string | (() => string);
  label?: (this: EditorNode) => string;
  labelStyle?: (this: EditorNode) => string;
  inputLabels?: string | ((this: EditorNode) => string);
  outputLabels?: string | string[] | ((this: EditorNode, index: number) => string);
  oneditprepare?: (this: EditorNode) => void;
  oneditsave?: (this: EditorNode) => void;
  oneditcancel?: (this: EditorNode) => void;
  oneditresize?: (this: EditorNode, size: { width: number; height: number }) => void;
  button?: unknown;
}

interface EditorRED {
  nodes: {
    registerType(type: string, def: EditorNodeDefinition): void;
    node(id: string): EditorNode | null;
    eachConfig(cb: (node: EditorNode) => boolean | void): void;
  };
  utils?: { validatePropertyExpression?(expr: string): boolean };
  notify(message: string, type?: 'compact' | 'success' | 'warning' | 'error'): void;
  _(key: string, subs?: Record<string, unknown>): string;
  validators: { number(blankAllowed?: boolean): (v: unknown) => boolean; regex(re: RegExp): (v: unknown) => boolean };
  settings: Record<string, unknown>;
}

// jQuery is typed loosely here: the editor ships it, and a types package for it would be the only reason
// to add one. Calls stay few and simple (val, on, empty, append, text, prop, toggle, ajax).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JQueryLike = any;

declare const RED: EditorRED;
declare const $: JQueryLike;
