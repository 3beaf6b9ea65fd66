// Labelled form fields, value collection and 422 field errors shown beside their fields.
import { h, replace, uid } from './el.js';
import { t } from './i18n.js';
import { problemBox } from './ui.js';

function control(spec, id, describedBy) {
  const common = { id, name: spec.name, 'aria-describedby': describedBy, required: spec.required || null, ...(spec.attrs || {}) };
  if (spec.type === 'select') {
    const options = [];
    if (spec.placeholder !== undefined) options.push(h('option', { value: '' }, spec.placeholder));
    for (const option of spec.options || []) {
      options.push(h('option', { value: option.value, selected: String(option.value) === String(spec.value ?? '') },
        option.label));
    }
    return h('select', common, options);
  }
  if (spec.type === 'textarea') {
    return h('textarea', { ...common, rows: spec.rows || 3, value: spec.value ?? '' });
  }
  return h('input', { ...common, type: spec.type || 'text', value: spec.value ?? '' });
}

function choices(spec, errorId, helpId) {
  const multiple = spec.type === 'checkboxes';
  const chosen = new Set([].concat(spec.value ?? []).map(String));
  return h('fieldset', { class: 'choices', 'aria-describedby': [helpId, errorId].filter(Boolean).join(' ') },
    h('legend', spec.label, spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    (spec.options || []).map((option) => {
      const id = uid('c');
      return h('span', { class: 'choice' },
        h('input', { type: multiple ? 'checkbox' : 'radio', id, name: spec.name, value: option.value,
          checked: chosen.has(String(option.value)) }),
        h('label', { for: id }, option.label));
    }));
}

/**
 * One field: {name, label, type (text, number, date, datetime-local, email, tel, select, textarea,
 * checkbox, radios, checkboxes, hidden), value, options [{value,label}], placeholder, help, required, attrs}.
 */
export function field(spec) {
  const id = uid('f');
  const errorId = `${id}-error`;
  const helpId = spec.help ? `${id}-help` : null;
  const wrapper = h('div', { class: ['field', `field-${spec.type || 'text'}`, spec.wide && 'field-wide'], dataset: { field: spec.name } });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const help = spec.help ? h('small', { class: 'help', id: helpId }, spec.help) : null;
  if (spec.type === 'hidden') {
    return h('input', { type: 'hidden', name: spec.name, value: spec.value ?? '' });
  }
  if (spec.type === 'radios' || spec.type === 'checkboxes') {
    wrapper.append(choices(spec, errorId, helpId), help || '', error);
    return wrapper;
  }
  if (spec.type === 'checkbox') {
    const input = h('input', { type: 'checkbox', id, name: spec.name, checked: Boolean(spec.value),
      'aria-describedby': [helpId, errorId].join(' '), ...(spec.attrs || {}) });
    wrapper.append(h('span', { class: 'choice' }, input, h('label', { for: id }, spec.label)), help || '', error);
    return wrapper;
  }
  wrapper.append(
    h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control(spec, id, [helpId, errorId].filter(Boolean).join(' ')), help || '', error);
  return wrapper;
}

/** The values of a form's fields by name (checkbox -> boolean, checkboxes -> list). */
export function values(form) {
  const out = {};
  for (const element of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    const { name } = element;
    if (element.type === 'checkbox') {
      const group = element.closest('fieldset.choices');
      if (group) {
        out[name] = out[name] || [];
        if (element.checked) out[name].push(element.value);
      } else {
        out[name] = element.checked;
      }
    } else if (element.type === 'radio') {
      if (!(name in out)) out[name] = '';
      if (element.checked) out[name] = element.value;
    } else {
      out[name] = element.value;
    }
  }
  return out;
}

/** Remove every shown error of a form. */
export function clearErrors(form) {
  for (const error of form.querySelectorAll('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
  const slot = form.querySelector('.form-problem');
  if (slot) replace(slot);
}

function wrapperFor(form, key, locate) {
  const wanted = locate ? locate(key) : key;
  let path = wanted;
  while (path) {
    const found = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (found) return found;
    path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
  }
  return null;
}

/**
 * Show an API problem on a form: field errors beside their fields (the closest field for a
 * nested path; `locate(key)` may translate keys), the rest with title and detail on top.
 */
export function showErrors(form, error, locate) {
  clearErrors(form);
  const unplaced = {};
  const fieldErrors = error && error.fieldErrors ? error.fieldErrors : {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    const wrapper = wrapperFor(form, key, locate);
    if (!wrapper) {
      unplaced[key] = messages;
      continue;
    }
    const slot = wrapper.querySelector(':scope > .field-error') || wrapper.querySelector('.field-error');
    slot.textContent = [slot.textContent, ...messages].filter(Boolean).join(' ');
    slot.hidden = false;
    for (const input of wrapper.querySelectorAll('input, select, textarea')) input.setAttribute('aria-invalid', 'true');
  }
  const slot = form.querySelector('.form-problem');
  if (slot) {
    const shown = Object.create(Object.getPrototypeOf(error || {}));
    Object.assign(shown, error);
    Object.defineProperty(shown, 'fieldErrors', { value: unplaced });
    replace(slot, problemBox(shown));
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

/**
 * A form with a problem area, its fields and a submit button. onSubmit(values, form) may
 * throw an ApiError: its problem is shown (field errors beside their fields).
 */
export function form({ fields, submitLabel, onSubmit, locate, className, extra }) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel || t('common.submit'));
  const element = h('form', { class: ['form', className], novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    h('div', { class: 'fields' }, fields), extra || null, h('div', { class: 'form-actions' }, submit));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(element);
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(values(element), element);
    } catch (error) {
      showErrors(element, error, locate);
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  return element;
}

/** A problem made in the browser (e.g. an amount that is not a number) shown like the API's. */
export function localProblem(errors, title) {
  const error = new Error(title || t('error.validation'));
  error.problem = { title: title || t('error.validation') };
  Object.defineProperty(error, 'fieldErrors', { value: errors });
  return error;
}
