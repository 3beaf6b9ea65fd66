// Shared pieces of every page: loading, problems, tables, badges, history, pager, notices.
import { h, replace } from './el.js';
import { dateTime } from './format.js';
import { label, t } from './i18n.js';

/** A polite "loading" line (screen readers hear it too). */
export function loading(text) {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    text || t('common.loading'));
}

/** An API problem (title, detail, field list, request id) or any error, readable. */
/** The problem's title in the UI's language: by its type, else by its status, else as sent. */
export function problemTitle(problem) {
  const slug = String(problem.type || '').replace('urn:community:problem:', '');
  const byStatus = problem.status ? label(`problem.status.${problem.status}`, problem.title) : problem.title;
  return (slug && slug !== 'about:blank' ? label(`problem.${slug}`, byStatus) : byStatus) || t('error.unexpected');
}

export function problemBox(error) {
  const problem = error && error.problem ? error.problem : { title: t('error.unexpected'), detail: String(error && error.message || error) };
  const fields = Object.entries(error && error.fieldErrors ? error.fieldErrors : {});
  return h('div', { class: 'alert alert-error', role: 'alert', dataset: { problem: problem.type || '' } },
    h('strong', problemTitle(problem)),
    problem.detail && problem.detail !== problem.title ? h('p', problem.detail) : null,
    fields.length ? h('ul', fields.map(([field, messages]) => h('li', `${field}: ${messages.join(' ')}`))) : null,
    problem.request_id ? h('small', { class: 'muted' }, t('error.request_id', { id: problem.request_id })) : null);
}

export function notice(text, tone = 'info') {
  return h('div', { class: `alert alert-${tone}`, role: tone === 'error' ? 'alert' : 'status' }, text);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text || t('common.empty'));
}

const TONES = {
  success: ['completed', 'resolved', 'verified', 'closed', 'active', 'awarded', 'contracted', 'paid', 'open_window',
    'excellent', 'good', 'signed'],
  warn: ['waiting', 'pending_approval', 'award_proposed', 'signing', 'held', 'referred', 'escalated',
    'waiting_on_department', 'scoring', 'amending', 'pending', 'payable', 'paused', 'pass', 'reported'],
  danger: ['no_show', 'overdue', 'cancelled', 'terminated', 'rejected', 'fail', 'critical', 'withheld', 'barred',
    'suspended'],
  info: ['called', 'serving', 'in_progress', 'accepted', 'published', 'evaluating', 'open', 'draft', 'high'],
};

/** A coloured status label; `group` picks the dictionary section (e.g. 'ticket.status'). */
export function badge(group, value) {
  if (value === null || value === undefined) return h('span', { class: 'badge' }, '—');
  const tone = group === 'severity' ? `severity-${value}` : Object.keys(TONES).find((k) => TONES[k].includes(value)) || 'neutral';
  return h('span', { class: `badge badge-${tone}`, dataset: { value } }, label(`${group}.${value}`, value));
}

/**
 * A table that turns into cards on a phone. columns: [{label, cell(row) -> node|text, class}].
 */
export function table(columns, rows, { caption, emptyText, rowClass } = {}) {
  if (!rows || rows.length === 0) return empty(emptyText);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    caption ? h('caption', caption) : null,
    h('thead', h('tr', columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', rows.map((row) => h('tr', { class: rowClass ? rowClass(row) : null },
      columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(row))))))));
}

/** Term/definition pairs; pairs with an empty value are left out. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([term, value]) => h('div', h('dt', term), h('dd', value))));
}

/** A timeline of steps: [{at, action, from, to, who, note}]; statuses named from `statusGroup`. */
export function timeline(steps, statusGroup) {
  if (!steps || steps.length === 0) return empty(t('common.no_history'));
  const name = (status) => (status ? (statusGroup ? label(`${statusGroup}.${status}`, status) : status) : '—');
  return h('ol', { class: 'timeline' }, steps.map((step) => h('li',
    h('time', { datetime: step.at }, dateTime(step.at)),
    h('span', { class: 'step-action' }, step.action),
    (step.from || step.to) && step.from !== step.to ? h('span', { class: 'muted' }, ` ${name(step.from)} → ${name(step.to)}`) : null,
    step.who ? h('span', { class: 'muted' }, ` · ${step.who}`) : null,
    step.note ? h('p', { class: 'step-note' }, step.note) : null)));
}

/** Previous / next page controls from an X-Pagination object. */
export function pager(pagination, onPage) {
  if (!pagination || !pagination.total_pages || pagination.total_pages <= 1) return null;
  const page = pagination.page || 1;
  return h('nav', { class: 'pager', 'aria-label': t('common.pages') },
    h('button', { type: 'button', class: 'btn', disabled: page <= 1, onclick: () => onPage(page - 1) }, t('common.previous')),
    h('span', t('common.page_of', { page, pages: pagination.total_pages, total: pagination.total })),
    h('button', { type: 'button', class: 'btn', disabled: page >= pagination.total_pages, onclick: () => onPage(page + 1) },
      t('common.next')));
}

/**
 * A block that shows "loading", then what `render()` resolves to, or the problem.
 * Returns the container; call container.reload() to load again.
 */
export function asyncBlock(render, { className } = {}) {
  const box = h('div', { class: ['async', className], 'aria-busy': 'true' }, loading());
  box.reload = async () => {
    box.setAttribute('aria-busy', 'true');
    try {
      const content = await render();
      replace(box, content);
    } catch (error) {
      replace(box, problemBox(error));
    } finally {
      box.removeAttribute('aria-busy');
    }
  };
  box.reload();
  return box;
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', title), ...children);
}

export function pageHeader(title, ...extra) {
  return h('header', { class: 'page-header' }, h('h1', title), ...extra);
}

/** A button that runs `action`, disabled while it runs; problems go to `errorSlot`. */
export function actionButton(text, action, { tone = 'primary', errorSlot, keyHint, ...attrs } = {}) {
  const button = h('button', { type: 'button', class: `btn btn-${tone}`, ...attrs },
    text, keyHint ? h('kbd', { 'aria-hidden': 'true' }, keyHint) : null);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (errorSlot) replace(errorSlot);
    try {
      await action();
    } catch (error) {
      if (errorSlot) replace(errorSlot, problemBox(error));
      else throw error;
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

/** The short-lived message area at the top of the page. */
export function flash(text, tone = 'success') {
  const area = document.getElementById('flash');
  if (!area) return;
  replace(area, notice(text, tone));
  clearTimeout(area.timer);
  area.timer = setTimeout(() => replace(area), 6000);
}
