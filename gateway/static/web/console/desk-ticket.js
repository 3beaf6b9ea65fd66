// The window desk's current ticket: its details and the steps allowed in its status.
import { get, post } from '../lib/api.js';
import { TICKET_ACTIONS } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime, duration } from '../lib/format.js';
import { localName, localText, t } from '../lib/i18n.js';
import { actionButton, badge, facts, flash } from '../lib/ui.js';
import { attributeFields, attributeValues, typeField } from '../shared/ticketform.js';

export const ACTION_KEYS = {
  'call-next': 'c', start: 's', complete: 'd', recall: 'r', 'no-show': 'x', hold: 'h', transfer: 't', resume: 'u',
};

function transferForm(ticket, types, done) {
  const byCode = new Map(types.map((type) => [type.code, type]));
  const attributes = h('div', { class: 'fields attributes' });
  const select = typeField(types, { exclude: ticket.business_type });
  select.querySelector('select').addEventListener('change', (event) => {
    replace(attributes, attributeFields(byCode.get(event.target.value)));
  });
  return form({
    className: 'inline-form',
    fields: [select, attributes],
    submitLabel: t('desk.transfer.submit'),
    onSubmit: async (values) => {
      const type = byCode.get(values.business_type);
      await post(`/intake/tickets/${ticket.id}/transfer`, {
        business_type: values.business_type, attributes: attributeValues(type, values) });
      flash(t('desk.transferred', { number: ticket.number }));
      done();
    },
  });
}

/** After completing a ticket whose type needs follow-up: open a case from it. */
export function caseForm(ticket, type, done) {
  return h('div', { class: 'follow-up' }, h('h3', t('desk.open_case.title', { number: ticket.number })),
    h('p', { class: 'muted' }, t('desk.open_case.help', { days: type.sla_days })),
    form({
      className: 'inline-form',
      fields: [field({ name: 'summary', label: t('case.summary'), type: 'textarea', required: true })],
      submitLabel: t('desk.open_case.submit'),
      onSubmit: async (values) => {
        const opened = await post('/intake/cases', { community: ticket.community, ticket_id: ticket.id, summary: values.summary });
        flash(t('desk.case_opened', { number: opened.number }));
        done();
      },
    }));
}

/**
 * The panel of the window's ticket. desk: {window, types, errors, refresh, afterComplete}.
 * Returns {node, actions} where actions maps keys to the allowed buttons (keyboard).
 */
export async function ticketPanel(desk) {
  const { window: win, types } = desk;
  const typeByCode = new Map(types.map((type) => [type.code, type]));
  const buttons = new Map();
  const extra = h('div', { class: 'desk-extra' });
  const add = (action, run, tone = 'secondary') => {
    const button = actionButton(t(`desk.action.${action}`), run, { tone, errorSlot: desk.errors,
      keyHint: ACTION_KEYS[action].toUpperCase(), dataset: { action } });
    buttons.set(ACTION_KEYS[action], button);
    return button;
  };
  if (!win.current_ticket_id) {
    const call = add('call-next', async () => {
      const called = await post(`/intake/windows/${win.id}/call-next`);
      flash(t('desk.called', { number: called.ticket.number, window: called.window_number }));
      await desk.refresh();
    }, 'primary');
    if (win.status !== 'open') call.disabled = true;
    return { node: h('div', { class: 'ticket-panel idle' }, h('p', { class: 'big-number muted' }, '—'),
      h('p', win.status === 'open' ? t('desk.idle') : t('desk.window_not_open')), h('div', { class: 'actions' }, call)),
    buttons };
  }
  const ticket = await get(`/intake/tickets/${win.current_ticket_id}`);
  const type = typeByCode.get(ticket.business_type);
  const step = (action, tone) => add(action, async () => {
    await post(`/intake/tickets/${ticket.id}/${action}`, {});
    flash(t(`desk.done.${action}`, { number: ticket.number }));
    if (action === 'complete' && type && type.needs_follow_up) desk.afterComplete(ticket, type);
    await desk.refresh();
  }, tone);
  const actions = (TICKET_ACTIONS[ticket.status] || []).map((action) => {
    if (action === 'transfer') {
      return add('transfer', async () => {
        replace(extra, transferForm(ticket, types, () => desk.refresh()));
        extra.querySelector('select')?.focus();
      });
    }
    return step(action, ['start', 'complete'].includes(action) ? 'primary' : 'secondary');
  });
  const attributes = Object.entries(ticket.attributes || {}).map(([code, value]) => {
    const definition = (type?.attributes || []).find((a) => a.code === code);
    const names = new Map((definition?.values || []).map((v) => [v.key, v.name]));
    const shown = [].concat(value).map((v) => names.get(v) ?? String(v)).join('、');
    return [definition ? localText(definition, 'description') : code, shown];
  });
  const node = h('div', { class: 'ticket-panel', dataset: { status: ticket.status } },
    h('p', { class: 'big-number', 'aria-live': 'polite' }, ticket.number),
    h('p', badge('ticket.status', ticket.status), ' ', type ? localName(type) : ticket.business_type,
      ticket.priority ? h('span', { class: 'badge badge-warn' }, t('ticket.priority')) : null),
    facts([
      [t('ticket.channel'), t(`ticket.channel.${ticket.channel}`)],
      [t('ticket.issued_at'), dateTime(ticket.issued_at)],
      [t('ticket.waited'), duration(ticket.wait_seconds)],
      [t('ticket.contact_phone'), ticket.contact_phone],
      ...attributes,
    ]),
    h('div', { class: 'actions' }, actions), extra);
  return { node, buttons };
}
