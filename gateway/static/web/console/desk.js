// The window desk: my window, the ticket at it, the waiting queue by type; keyboard-friendly.
import { getWithEtag, listAll, patch, post } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field } from '../lib/form.js';
import { duration, time } from '../lib/format.js';
import { localName, t } from '../lib/i18n.js';
import { follow } from '../lib/live.js';
import { actionButton, empty, flash, pageHeader, problemBox, section, table } from '../lib/ui.js';
import { ticketForm } from '../shared/ticketform.js';
import { caseForm, ticketPanel } from './desk-ticket.js';

const POLL_MS = 10000;  // only while the change stream is not connected (lib/live.js)

// The service calls by queue key: issue time, 15 minutes earlier for a priority ticket (aging).
const PRIORITY_BOOST_MS = 15 * 60 * 1000;
const queueKey = (ticket) => Date.parse(ticket.issued_at) - (ticket.priority ? PRIORITY_BOOST_MS : 0);

function queueBlock(desk, waiting, held) {
  waiting = [...waiting].sort((a, b) => queueKey(a) - queueKey(b));
  const typeByCode = new Map(desk.types.map((type) => [type.code, type]));
  const counts = new Map();
  for (const ticket of waiting) counts.set(ticket.business_type, (counts.get(ticket.business_type) || 0) + 1);
  const now = Date.now();
  const callButton = (ticket) => actionButton(t('desk.call_this'), async () => {
    const called = await post(`/intake/windows/${desk.window.id}/call`, { ticket_id: ticket.id });
    flash(t('desk.called', { number: called.ticket.number, window: called.window_number }));
    await desk.refresh();
  }, { tone: 'small', errorSlot: desk.errors, disabled: !desk.window || Boolean(desk.window.current_ticket_id) || desk.window.status !== 'open' });
  return [
    h('h3', t('desk.queue.by_type')),
    counts.size ? h('ul', { class: 'chips' }, [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) =>
      h('li', h('span', typeByCode.has(code) ? localName(typeByCode.get(code)) : code), h('strong', n))))
      : null,
    table([
      { label: t('ticket.number'), cell: (r) => h('strong', r.number) },
      { label: t('ticket.business_type'), cell: (r) => (typeByCode.has(r.business_type) ? localName(typeByCode.get(r.business_type)) : r.business_type) },
      { label: t('ticket.issued_at'), cell: (r) => time(r.issued_at) },
      { label: t('ticket.waiting_for'), cell: (r) => duration((now - Date.parse(r.issued_at)) / 1000) },
      { label: t('ticket.priority'), cell: (r) => (r.priority ? t(`ticket.priority.${r.priority_reason || 'yes'}`) : '') },
      { label: t('common.actions'), cell: callButton },
    ], waiting, { caption: t('desk.queue.waiting', { n: waiting.length }), emptyText: t('desk.queue.empty') }),
    held.length ? table([
      { label: t('ticket.number'), cell: (r) => h('strong', r.number) },
      { label: t('ticket.business_type'), cell: (r) => (typeByCode.has(r.business_type) ? localName(typeByCode.get(r.business_type)) : r.business_type) },
      { label: t('common.actions'), cell: (r) => actionButton(t('desk.action.resume'), async () => {
        await post(`/intake/tickets/${r.id}/resume`, {});
        await desk.refresh();
      }, { tone: 'small', errorSlot: desk.errors }) },
    ], held, { caption: t('desk.queue.held', { n: held.length }) }) : null,
  ];
}

function windowControls(desk) {
  const setStatus = (status) => actionButton(t(`desk.window.${status}`), async () => {
    const { etag } = await getWithEtag(`/intake/windows/${desk.window.id}`);
    await patch(`/intake/windows/${desk.window.id}`, { status }, etag);
    await desk.refresh();
  }, { tone: 'secondary', errorSlot: desk.errors });
  return h('p', { class: 'window-status' }, t('desk.window.status'), ' ',
    h('span', { class: `badge badge-${desk.window.status === 'open' ? 'success' : 'warn'}` }, t(`window.status.${desk.window.status}`)),
    ' ', desk.window.status === 'open' ? setStatus('paused') : setStatus('open'));
}

export async function deskPage(ctx) {
  const community = ctx.community;
  const [windows, types] = await Promise.all([
    listAll('/intake/windows', { community }), listAll('/intake/business-types', { community })]);
  const store = `community.desk.${community}`;
  const errors = h('div', { class: 'desk-errors', 'aria-live': 'assertive' });
  const panel = h('div', { class: 'desk-panel' });
  const queue = h('div', { class: 'desk-queue' });
  const followUp = h('div');
  const controls = h('div');
  const desk = { types, errors, window: null, buttons: new Map() };

  desk.afterComplete = (ticket, type) => replace(followUp, caseForm(ticket, type, () => replace(followUp)));
  desk.refresh = async ({ auto = false } = {}) => {
    const id = localStorage.getItem(store);
    if (auto && panel.querySelector('form')) {
      // The clerk is filling a form (a transfer): leave the panel alone, refresh the queue only.
    } else if (!id) {
      replace(panel, empty(t('desk.pick_window')));
      replace(controls);
      desk.buttons = new Map();
    } else {
      try {
        desk.window = (await getWithEtag(`/intake/windows/${id}`)).data;
        const shown = await ticketPanel(desk);
        desk.buttons = shown.buttons;
        replace(panel, shown.node);
        replace(controls, windowControls(desk));
      } catch (error) {
        replace(panel, problemBox(error));
      }
    }
    try {
      const [waiting, held] = await Promise.all([
        listAll('/intake/tickets', { community, status: 'waiting' }, 100, 10, { revalidate: true }),
        listAll('/intake/tickets', { community, status: 'held' }, 100, 10, { revalidate: true })]);
      replace(queue, queueBlock(desk, waiting, held));
    } catch (error) {
      replace(queue, problemBox(error));
    }
  };

  const picker = field({ name: 'window', label: t('desk.my_window'), type: 'select', value: localStorage.getItem(store) || '',
    placeholder: t('common.choose'), options: windows.map((w) => ({ value: w.id,
      label: `${w.label || w.number} · ${t(`window.mode.${w.mode}`)}` })) });
  picker.querySelector('select').addEventListener('change', (event) => {
    if (event.target.value) localStorage.setItem(store, event.target.value);
    else localStorage.removeItem(store);
    desk.window = null;
    desk.refresh();
  });

  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest('input, select, textarea, [contenteditable]')) return;
    const button = desk.buttons.get(event.key.toLowerCase());
    if (button && !button.disabled && document.body.contains(button)) {
      event.preventDefault();
      button.click();
    }
  };
  document.addEventListener('keydown', onKey);
  ctx.onLeave(() => document.removeEventListener('keydown', onKey));

  await desk.refresh();
  ctx.onLeave(follow({ community, pollMs: POLL_MS, refresh: async () => {
    if (!document.hidden) await desk.refresh({ auto: true });
  } }));
  const walkIn = h('details', { class: 'card' }, h('summary', t('desk.walk_in.title')),
    ticketForm({ community, types, channels: ['walk_in', 'phone'], onDone: (ticket) => {
      flash(t('desk.walk_in.done', { number: ticket.number }));
      walkIn.open = false;
      desk.refresh();
    } }));
  return h('div', { class: 'desk' },
    pageHeader(t('desk.title'), h('p', { class: 'muted' }, t('desk.keys_help'))),
    h('div', { class: 'desk-grid' },
      section(t('desk.current'), h('div', { class: 'desk-window' }, picker, controls), errors, panel, followUp),
      section(t('desk.queue'), queue)),
    walkIn);
}
