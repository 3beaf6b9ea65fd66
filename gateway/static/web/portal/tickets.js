// Taking a ticket online, following my place in the queue, and rating a completed service.
import { get, getFresh, list, listAll, post } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime, duration } from '../lib/format.js';
import { label, language, localName, t } from '../lib/i18n.js';
import { follow } from '../lib/live.js';
import { asyncBlock, badge, facts, flash, notice, pageHeader, section, timeline } from '../lib/ui.js';
import { ticketForm } from '../shared/ticketform.js';

export async function takeTicketPage(ctx, params, query = {}) {
  const types = await listAll('/intake/business-types', { community: ctx.community });
  return h('div', pageHeader(t('portal.ticket.title')), h('p', { class: 'muted' }, t('portal.ticket.intro')),
    section(t('portal.ticket.form'), ticketForm({ community: ctx.community, types, channels: ['portal'], chosen: query.type,
      onDone: (ticket) => {
        flash(t('portal.ticket.taken', { number: ticket.number }));
        ctx.navigate(`/tickets/${ticket.id}`);
      } })));
}

/** The rating form for a completed ticket or a closed case (once). */
export function ratingForm(kind, id, onDone) {
  return form({
    fields: [
      field({ name: 'score', label: t('rating.score'), type: 'radios', required: true,
        options: [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t(`rating.${n}`) })) }),
      field({ name: 'comment', label: t('rating.comment'), type: 'textarea', help: t('rating.comment.help') }),
    ],
    submitLabel: t('rating.submit'),
    onSubmit: async (chosen) => {
      const body = { target_kind: kind, target_id: id, score: chosen.score ? Number(chosen.score) : undefined };
      if (chosen.comment.trim()) body.comment = chosen.comment.trim();
      await post('/intake/feedback', body);
      flash(t('rating.thanks'));
      onDone();
    },
  });
}

async function rated(id) {
  const answer = await list('/intake/feedback', { page_size: 100 });
  return answer.items.find((item) => item.target_id === id) || null;
}

/** The notifications service's view of the queue (the estimated wait) and whether I asked to be told. */
async function queuePlace(id) {
  const [queued, watches] = await Promise.all([
    getFresh(`/notifications/tickets/${id}/queue`).then((answer) => answer.data).catch(() => null),
    getFresh('/notifications/watches').then((answer) => answer.data).catch(() => [])]);
  return { ...(queued || { estimated_wait_seconds: null }), watching: watches.some((w) => w.target_id === id) };
}

const REMIND_AHEAD = 3;

/** "Text me when I'm 3 ahead": consent to queue notices (the wording shown is recorded), then the watch. */
function remindMe(ticket, watching, onDone) {
  if (watching) return h('p', { class: 'remind', 'aria-live': 'polite' }, t('portal.ticket.remind_done', { n: REMIND_AHEAD }));
  const done = h('p', { class: 'muted', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'btn', onclick: async () => {
    button.disabled = true;
    try {
      await post('/notifications/consents', { purpose: 'queue', language: language() === 'en' ? 'en' : 'zh-Hans' });
      await post('/notifications/watches', { target_kind: 'ticket', target_id: ticket.id, ahead: REMIND_AHEAD });
      onDone();
    } catch (error) {
      button.disabled = false;
      replace(done, error.message);
    }
  } }, t('portal.ticket.remind', { n: REMIND_AHEAD }));
  return h('div', { class: 'remind' }, button, h('p', { class: 'muted' }, t('portal.ticket.remind_help')), done);
}

function place(ticket, windows, queued, onDone) {
  if (ticket.status === 'waiting') {
    const wait = queued && queued.estimated_wait_seconds !== null ? queued.estimated_wait_seconds : null;
    return h('div', { class: 'queue-place' }, h('p', t('portal.ticket.ahead_label')),
      h('p', { class: 'ahead', 'aria-live': 'polite' }, ticket.waiting_ahead ?? '—'), h('p', { class: 'muted' }, t('portal.ticket.ahead_help')),
      wait !== null ? h('p', { class: 'estimated-wait' }, t('portal.ticket.estimated_wait', { wait: duration(wait) })) : null,
      remindMe(ticket, queued && queued.watching, onDone));
  }
  if (ticket.status === 'called' || ticket.status === 'serving') {
    const win = windows.find((w) => w.id === ticket.window_id);
    return notice(t(`portal.ticket.${ticket.status}`, { window: win ? win.label || win.number : '' }), 'success');
  }
  return null;
}

export async function ticketPage(ctx, params) {
  const windows = await listAll('/intake/windows', { community: ctx.community }).catch(() => []);
  const types = await listAll('/intake/business-types', { community: ctx.community }).catch(() => []);
  const page = h('div');
  let shown = null;  // what is on the page: a refresh that finds the same leaves it alone
  const read = async () => {
    const ticket = (await getFresh(`/intake/tickets/${params.id}`)).data;
    const queued = ticket.status === 'waiting' ? await queuePlace(ticket.id) : null;
    return { ticket, queued };
  };
  const view = async ({ ticket, queued }) => {
    const type = types.find((ty) => ty.code === ticket.business_type);
    let rating = null;
    if (ticket.status === 'completed') {
      const previous = await rated(ticket.id);
      rating = section(t('rating.title'), previous ? h('p', t('rating.given', { score: previous.score }))
        : ratingForm('ticket', ticket.id, load));
    }
    return [
      pageHeader(t('portal.my_ticket')),
      section(t('portal.ticket.number'), h('p', { class: 'big-number' }, ticket.number), h('p', badge('ticket.status', ticket.status),
        ' ', type ? localName(type) : ticket.business_type), place(ticket, windows, queued, load), facts([
        [t('ticket.issued_at'), dateTime(ticket.issued_at)],
        [t('ticket.waited'), ticket.wait_seconds !== null ? duration(ticket.wait_seconds) : null],
        [t('ticket.finished_at'), ticket.finished_at ? dateTime(ticket.finished_at) : null],
      ])),
      rating,
      section(t('common.history'), timeline((ticket.steps || []).map((step) => ({ at: step.at,
        action: label(`ticket.step.${step.action}`, step.action), from: step.from_status, to: step.to_status })), 'ticket.status')),
    ];
  };
  function load() {
    replace(page, asyncBlock(async () => {
      const state = await read();
      shown = JSON.stringify(state);
      return view(state);
    }));
  }
  // On a queue signal (or the fallback's timer): the place in the queue, if it moved.
  const refresh = async () => {
    if (document.hidden || page.querySelector('form') || shown === null) return;
    const state = await read();
    const seen = JSON.stringify(state);
    if (seen === shown) return;
    shown = seen;
    replace(page, await view(state));
  };
  load();
  ctx.onLeave(follow({ community: ctx.community, refresh, pollMs: 15000 }));
  return page;
}

export async function myCasePage(ctx, params) {
  const page = h('div');
  const load = () => replace(page, asyncBlock(async () => {
    const item = await get(`/intake/cases/${params.id}`);
    let rating = null;
    if (item.status === 'closed') {
      const previous = await rated(item.id);
      rating = section(t('rating.title'), previous ? h('p', t('rating.given', { score: previous.score }))
        : ratingForm('case', item.id, load));
    }
    return [
      pageHeader(`${t('portal.my_case')} ${item.number}`, badge('case.status', item.status)),
      section(t('common.details'), facts([
        [t('case.summary'), item.summary],
        [t('case.opened_at'), dateTime(item.opened_at)],
        [t('case.due_at'), dateTime(item.due_at)],
        [t('case.referral_target'), item.referral_target ? label(`department.${item.referral_target}`, item.referral_target) : null],
        [t('case.resolution'), item.resolution],
      ])),
      rating,
      section(t('common.history'), timeline((item.steps || []).map((step) => ({ at: step.at,
        action: label(`case.step.${step.action}`, step.action), from: step.from_status, to: step.to_status, note: step.note })), 'case.status')),
    ];
  }));
  load();
  return page;
}
