import type { Translate } from '../../common/editor/helpers';
import { checkValue } from '../../../vendors/heatingcontrol/schema';
import type { ParamSchema } from '../../../vendors/heatingcontrol/types';

/** A command as the admin endpoint lists it. */
export interface CommandChoice {
  key: string;
  params: Record<string, { type?: string; required?: boolean; constraints?: Record<string, unknown>; options?: unknown[] }>;
}

export interface SettingChoice {
  key: string;
  label?: string;
  type?: string;
  value?: unknown;
  editable?: boolean;
  options?: unknown[];
}

const NUMERIC = ['number', 'integer', 'int', 'float', 'double'];

/** "number · required · 5 – 35 · step 0.5": what the API allows, shown next to the input. */
export function constraintText(t: Translate, p: CommandChoice['params'][string]): string {
  const c = p.constraints ?? {};
  const parts = [p.type ?? t('command.anyType'), p.required ? t('command.required') : t('command.optional')];
  if (c.min !== undefined || c.max !== undefined) parts.push(`${c.min ?? '…'} – ${c.max ?? '…'}`);
  if (c.step !== undefined) parts.push(`${t('command.step')} ${String(c.step)}`);
  if (p.options?.length) parts.push(p.options.map(String).join(' | '));
  return parts.join(' · ');
}

/**
 * The command's parameter form: one input per parameter (a select for options and booleans, a number
 * input carrying min/max/step), with its constraints beside it. Values already set are shown.
 */
export function paramsForm(t: Translate, container: string, command: CommandChoice | undefined, values: Record<string, unknown>): void {
  const box = $(container).empty();
  if (!command) {
    box.append($('<div class="form-tips">').text(t('command.pickCommand')));
    return;
  }
  const names = Object.keys(command.params ?? {});
  if (names.length === 0) {
    box.append($('<div class="form-tips">').text(t('command.noParams')));
    return;
  }
  for (const name of names) {
    const p = command.params[name] ?? {};
    const type = String(p.type ?? '').toLowerCase();
    const current = values[name];
    let input;
    if (p.options?.length || type === 'boolean' || type === 'bool') {
      const options = p.options?.length ? p.options : [true, false];
      input = $('<select>').append($('<option>').val('').text(t('command.notSet')));
      for (const o of options) input.append($('<option>').val(JSON.stringify(o)).text(String(o)));
      input.val(current === undefined ? '' : JSON.stringify(current));
    } else {
      input = $('<input>').attr('type', NUMERIC.includes(type) ? 'number' : 'text');
      const c = p.constraints ?? {};
      for (const k of ['min', 'max', 'step']) if (typeof c[k] === 'number') input.attr(k, String(c[k]));
      input.val(current === undefined ? '' : String(current)).attr('placeholder', p.required ? t('command.required') : t('command.optional'));
    }
    input.attr({ 'data-param': name, 'data-type': type }).css('width', '60%');
    const row = $('<div class="form-row" style="margin-bottom: 6px;">');
    const hint = $('<div class="hc-constraints" style="margin-left: 104px; font-size: 0.9em; opacity: 0.75;">').text(constraintText(t, p));
    row.append($('<label>').text(name), input, hint);
    box.append(row);
  }
  box.append($('<div class="form-tips">').text(t('command.paramsTip')));
}

/** The form's values as the params object (empty inputs left out); `previous` when there is no form. */
export function readParams(container: string, previous: Record<string, unknown>): Record<string, unknown> {
  const inputs = $(`${container} [data-param]`);
  if (inputs.length === 0) return previous;
  const out: Record<string, unknown> = {};
  inputs.each(function (this: unknown) {
    const el = $(this);
    const name = String(el.attr('data-param'));
    const raw = String(el.val() ?? '');
    if (raw === '') return;
    if (el.is('select')) out[name] = JSON.parse(raw);
    else if (NUMERIC.includes(String(el.attr('data-type'))) && Number.isFinite(Number(raw))) out[name] = Number(raw);
    else out[name] = raw;
  });
  return out;
}

/** What the chosen setting accepts, under its picker. */
export function settingHint(t: Translate, target: string, s: SettingChoice | undefined): void {
  if (!s) {
    $(target).text('');
    return;
  }
  const parts = [s.type ?? t('command.anyType'), `${t('command.current')} ${JSON.stringify(s.value)}`];
  if (s.options?.length) parts.push(s.options.map(String).join(' | '));
  if (s.editable === false) parts.push(t('command.readOnly'));
  $(target).text(parts.join(' · '));
}

/** The command's parameter schema as stored with the node (from the list the dialog loaded). */
export type StoredParamsSchema = Record<string, ParamSchema>;

/**
 * The problems of the node's params against the schema stored with it, checked as the runtime checks
 * them (checkValue of the vendor's schema): a value of the wrong type, outside min/max, off the step, not
 * one of the options, or a name the command does not take. Missing required params are not a problem
 * here: msg.payload may give them.
 */
export function paramsProblems(schema: unknown, params: unknown): string[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  if (!params || typeof params !== 'object' || Array.isArray(params)) return [];
  const defs = schema as StoredParamsSchema;
  const problems: string[] = [];
  for (const [name, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === undefined || v === null || v === '') continue;
    if (!Object.prototype.hasOwnProperty.call(defs, name)) {
      problems.push(`${name} is not a parameter of this command`);
      continue;
    }
    const r = checkValue(name, defs[name] ?? {}, v);
    if ('problem' in r) problems.push(r.problem);
  }
  return problems;
}

/**
 * While the dialog is open: an input whose value the command refuses turns red (Node-RED's input-error)
 * and its hint says why, as the config fields do.
 */
export function watchParams(container: string, command: CommandChoice | undefined): void {
  const box = $(container);
  const check = (el: JQueryLike): void => {
    const name = String(el.attr('data-param'));
    const schema = command?.params?.[name];
    const raw = String(el.val() ?? '');
    let problem: string | undefined;
    if (schema && raw !== '') {
      const value = el.is('select') ? JSON.parse(raw) : NUMERIC.includes(String(el.attr('data-type'))) && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      const r = checkValue(name, schema, value);
      if ('problem' in r) problem = r.problem;
    }
    el.toggleClass('input-error', problem !== undefined);
    el.siblings('.hc-problem').text(problem ?? '').toggle(problem !== undefined);
  };
  box.find('[data-param]').each(function (this: unknown) {
    const el = $(this);
    el.after($('<div class="hc-problem" style="margin-left: 104px; font-size: 0.9em; color: var(--red-ui-text-color-error, #d6615f); display: none;">'));
    el.on('change input', () => check(el));
    check(el);
  });
}
