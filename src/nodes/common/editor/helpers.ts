/** Editor helpers shared by every vendor's dialogs: admin calls, Test connection, live pickers. */
import { storedNumber } from '../../../core/settings';
import { VALUE_TYPES, isLiteralType, readStoredValue, storedValueProblem } from '../node-value';

export type Translate = (key: string, subs?: Record<string, unknown>) => string;

/** The message catalog of one node set (nodes/locales/<lang>/<vendor>.json). */
export function catalog(vendor: string): Translate {
  return (key, subs) => RED._(`node-red-contrib-energy-gateways/${vendor}:${key}`, subs);
}

/**
 * `t(key)`, or `fallback` when the catalog has no such key (RED._ answers with the key itself then):
 * for strings that also live in a runtime table, so a missing translation still shows something readable.
 */
export function translated(t: Translate, key: string, fallback: string, subs?: Record<string, unknown>): string {
  const v = t(key, subs);
  return !v || v === key || v.endsWith(`:${key}`) ? fallback : v;
}

const blank = (v: unknown): boolean => v === undefined || v === null || String(v).trim() === '';

// Numbers are read as the runtime reads a stored setting (storedNumber: decimal only, no 0x10 or 1e3),
// so what the dialog accepts the node accepts at deploy.

/** A TCP port, 1-65535 (or empty when `blankAllowed`: the node's default applies). */
export function isPort(v: unknown, blankAllowed = false): boolean {
  if (blank(v)) return blankAllowed;
  const n = storedNumber(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** A number of seconds above zero (or empty when `blankAllowed`). */
export function isSeconds(v: unknown, blankAllowed = false): boolean {
  if (blank(v)) return blankAllowed;
  const n = storedNumber(v);
  return Number.isFinite(n) && n > 0;
}

/** An http(s) URL with a host. */
export function isHttpUrl(v: unknown): boolean {
  return typeof v === 'string' && /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(v.trim());
}

export interface AdminError {
  code: string;
  message: string;
}

/** POSTs JSON to one of this package's admin endpoints (relative URL: works under any httpAdminRoot). */
export function adminPost<T>(path: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    $.ajax({
      url: `energy-gateways/${path}`,
      method: 'POST',
      contentType: 'application/json',
      data: JSON.stringify(body),
      dataType: 'json',
      timeout: 60_000,
    })
      .done((data: T) => resolve(data))
      .fail((xhr: { responseJSON?: { error?: AdminError }; status: number; statusText: string }) => {
        const e = xhr.responseJSON?.error;
        reject(e ?? { code: xhr.status === 401 || xhr.status === 403 ? 'FORBIDDEN' : 'UNREACHABLE', message: xhr.statusText || 'The Node-RED server did not answer.' });
      });
  });
}

/**
 * The settings of a config node as its open dialog holds them: `props` are read from
 * #node-config-input-<prop>, `creds` likewise (a password shown as a placeholder is sent as such and
 * the server uses the stored one).
 */
export function dialogConfig(id: string, props: string[], creds: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id };
  for (const p of props) {
    const el = $(`#node-config-input-${p}`);
    out[p] = el.is(':checkbox') ? el.is(':checked') : el.val();
  }
  const c: Record<string, unknown> = {};
  for (const k of creds) c[k] = $(`#node-config-input-${k}`).val();
  out.credentials = c;
  return out;
}

/** The settings of a config node from the editor's model (for an action node's pickers). */
export function storedConfig(id: string | undefined, props: string[]): Record<string, unknown> | undefined {
  if (!id || id === '_ADD_') return undefined;
  const n = RED.nodes.node(id);
  if (!n) return undefined;
  const out: Record<string, unknown> = { id };
  for (const p of props) out[p] = n[p];
  out.credentials = n.credentials ?? {};
  return out;
}

/** Wires a Test connection button: shows a spinner, then the summary or the error in `result`. */
export function testButton(t: Translate, button: string, result: string, run: () => Promise<string>): void {
  // An empty result box would show as a bare yellow strip: it appears with the first test.
  $(result).toggle($(result).text().trim() !== '');
  $(button).on('click', () => {
    const box = $(result);
    box.removeClass('eg-ok eg-error').text(t('common.testing')).show();
    $(button).prop('disabled', true);
    run()
      .then((summary) => box.addClass('eg-ok').text(`✓ ${summary}`))
      .catch((err: AdminError) => box.addClass('eg-error').text(`✗ ${err.code}: ${err.message}`))
      .finally(() => $(button).prop('disabled', false));
  });
}

export interface PickerOptions<T> {
  t: Translate;
  /** The <select> (or <input>) of the property. */
  input: string;
  /** Fetches the choices; undefined means "cannot ask yet" (no config node chosen). */
  load: () => Promise<T[]> | undefined;
  value: (item: T) => string;
  label: (item: T) => string;
  /** A first, empty choice (e.g. "all entities"). */
  emptyLabel?: string;
  /** Where load errors are shown. */
  message?: string;
  /**
   * The saved value. A <select> without options cannot hold the value Node-RED puts in it before
   * oneditprepare, so the picker is told it and shows it at once, listed or not.
   */
  initial?: string;
  /** What to show for `initial` until the list arrives (e.g. the saved device name); the value by default. */
  initialLabel?: string;
  /** Called after the choices are in (e.g. to show dependent fields). */
  onLoaded?: (items: T[]) => void;
  /**
   * Why a saved value may be missing from the list when the list is filtered (e.g. "not in this home"),
   * or undefined when it is not: shown after the value instead of common.notListed.
   */
  notListed?: () => string | undefined;
}

/**
 * A live picker: replaces the text input with a select filled from the gateway, keeping the current
 * value even when the gateway does not list it (so nothing is lost when the gateway is offline).
 */
export function picker<T>(opts: PickerOptions<T>): { reload: () => void } {
  const input = $(opts.input);
  // The labels of the values seen (the saved one, and every listed one): a value a later list leaves out
  // (another filter) is still shown by its name.
  const labels = new Map<string, string>();
  if (opts.initial && opts.initialLabel) labels.set(opts.initial, opts.initialLabel);
  if (opts.initial && input.is('select') && input.find(`option[value="${CSS.escape(opts.initial)}"]`).length === 0) {
    input.append($('<option>').val(opts.initial).text(opts.initialLabel || opts.initial));
    input.val(opts.initial);
  }
  const reload = (): void => {
    const current = String(input.val() ?? '');
    const promise = opts.load();
    const msg = opts.message ? $(opts.message) : undefined;
    if (!promise) {
      // Nothing to ask yet (no config node): still offer the empty choice, keeping the saved value.
      if (opts.emptyLabel !== undefined && input.is('select') && input.find('option[value=""]').length === 0) {
        input.prepend($('<option>').val('').text(opts.emptyLabel));
        input.val(current);
      }
      msg?.text('');
      return;
    }
    msg?.removeClass('eg-error').text(opts.t('common.loading'));
    promise
      .then((items) => {
        input.empty();
        if (opts.emptyLabel !== undefined) input.append($('<option>').val('').text(opts.emptyLabel));
        let found = current === '' && opts.emptyLabel !== undefined;
        for (const item of items) {
          const v = opts.value(item);
          if (v === current) found = true;
          const label = opts.label(item);
          labels.set(v, label);
          input.append($('<option>').val(v).text(label));
        }
        if (!found && current) {
          const why = opts.notListed?.() || opts.t('common.notListed');
          input.append($('<option>').val(current).text(`${labels.get(current) ?? current} (${why})`));
        }
        input.val(current);
        msg?.text('');
        opts.onLoaded?.(items);
      })
      .catch((err: AdminError) => {
        msg?.addClass('eg-error').text(`${err.code}: ${err.message}`);
        if (input.find('option').length === 0 && current) input.append($('<option>').val(current).text(current));
        input.val(current);
      });
  };
  return { reload };
}

/**
 * A new action node takes the config node when there is exactly one of its type (Node-RED leaves the
 * select empty): called in oneditprepare, after Node-RED has filled the select.
 */
export function selectOnlyConfigNode(node: EditorNode, property: string, type: string): void {
  if (node[property]) return;
  const found: string[] = [];
  RED.nodes.eachConfig((c) => {
    if (c.type === type && !c.d) found.push(c.id);
  });
  if (found.length === 1) $(`#node-input-${property}`).val(found[0]).trigger('change');
}

/** The longest automatic label (a name the user typed is shown whole): longer ones end in "…". */
export const MAX_LABEL = 36;

/** An automatic label capped at MAX_LABEL characters, so it does not run over the wires beside the node. */
export function autoLabel(text: string, max = MAX_LABEL): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/**
 * The validators of the `value` + `valueType` properties of a node that holds a value (plugwise-control,
 * thinknx-control): the stored value is read as the runtime reads it (node-value.ts), so a value the node
 * would refuse marks the node invalid. Each node lists both properties in its own `defaults` literal (the
 * Flow Library and node-red-dev read those literals: no spread).
 * Two arguments: Node-RED (3.1+) then takes a returned string as "invalid, because ...".
 */
export function validateValue(this: EditorNode, v: unknown, _opt?: unknown): boolean | string {
  const problem = storedValueProblem(this.valueType, v);
  if (problem) return problem;
  const type = String(this.valueType || 'str');
  if ((type === 'msg' || type === 'flow' || type === 'global') && RED.utils?.validatePropertyExpression) {
    const key = type === 'msg' ? String(v).trim() : String(v).trim().replace(/^#:\([^)]*\)::/, '');
    if (!RED.utils.validatePropertyExpression(key)) return `${JSON.stringify(v)} is not a ${type} property name`;
  }
  return true;
}

export function validateValueType(v: unknown): boolean {
  return v === undefined || v === '' || (VALUE_TYPES as readonly unknown[]).includes(v);
}

/** The typed input of the value (#node-input-value with its type in #node-input-valueType). */
export function valueInput(): void {
  $('#node-input-value').typedInput({ default: 'str', typeField: '#node-input-valueType', types: [...VALUE_TYPES] });
}

/** The node's value for its label: a literal ("21.5", "on"), a source ("msg.level"), or "" when none. */
export function valueLabel(node: EditorNode): string {
  try {
    const v = readStoredValue(node.valueType, node.value);
    if (v.kind === 'none') return '';
    if (v.kind === 'source') return `${v.type}.${v.path}`;
    if (!isLiteralType(node.valueType || 'str')) return '';
    return typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
  } catch {
    return '';
  }
}
