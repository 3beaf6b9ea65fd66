// Departments' subscriptions: an administrator's grants, a department's own subscriptions
// (create, pause, resume, delete; the secret or password shown once) and the delivery log.
import { list, post, request } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { actionButton, asyncBlock, flash, notice, pageHeader, pager, section, table } from '../lib/ui.js';

const words = (text) => (text || '').split(/[,，\s]+/).map((w) => w.trim()).filter(Boolean);

function grantsBlock(ctx) {
  const admin = ctx.hasOwn('admin');
  const slot = h('div');
  const load = () => replace(slot, asyncBlock(async () => {
    const answer = await list('/subscriptions/grants', { page_size: 100 });
    return table([
      { label: t('subs.department'), cell: (g) => g.department },
      { label: t('subs.pattern'), cell: (g) => h('code', g.pattern) },
      { label: t('subs.granted_at'), cell: (g) => dateTime(g.granted_at) },
      admin ? { label: '', cell: (g) => actionButton(t('subs.revoke'), async () => {
        await request('DELETE', `/subscriptions/grants/${g.id}`);
        flash(t('subs.revoked', { pattern: g.pattern }));
        load();
      }, { tone: 'secondary' }) } : null,
    ].filter(Boolean), answer.items, { emptyText: t('subs.no_grants') });
  }));
  load();
  const grantForm = admin ? form({
    fields: [
      field({ name: 'department', label: t('subs.department'), required: true }),
      field({ name: 'pattern', label: t('subs.pattern'), required: true, help: t('subs.pattern_help') }),
    ],
    submitLabel: t('subs.grant'),
    onSubmit: async (chosen) => {
      await post('/subscriptions/grants', chosen);
      flash(t('subs.granted', { pattern: chosen.pattern, department: chosen.department }));
      load();
    },
  }) : null;
  return section(t('subs.grants'), slot, grantForm);
}

function shownOnce(created) {
  const secret = created.secret || created.amqp_password;
  if (!secret) return notice(t('subs.created'), 'success');
  return notice(h('span', t('subs.shown_once'), ' ', h('code', { class: 'secret' }, secret),
    created.amqp_user ? h('span', ' ', t('subs.amqp_user', { user: created.amqp_user, queue: created.queue })) : null),
  'warning');
}

function createForm(ctx, reveal, reload) {
  const admin = ctx.hasOwn('admin');
  return h('details', h('summary', t('subs.new')), form({
    fields: [
      admin ? field({ name: 'department', label: t('subs.department'), required: true }) : null,
      field({ name: 'name', label: t('subs.name'), required: true }),
      field({ name: 'event_types', label: t('subs.event_types'), required: true, help: t('subs.pattern_help') }),
      field({ name: 'communities', label: t('subs.communities'), help: t('subs.communities_help') }),
      field({ name: 'mode', label: t('subs.mode'), type: 'select',
        options: ['webhook', 'amqp'].map((m) => ({ value: m, label: t(`subs.mode.${m}`) })) }),
      field({ name: 'url', label: t('subs.url'), help: t('subs.url_help'), wide: true }),
    ].filter(Boolean),
    submitLabel: t('subs.create'),
    onSubmit: async (chosen) => {
      const body = { name: chosen.name, mode: chosen.mode, event_types: words(chosen.event_types),
        communities: words(chosen.communities) };
      if (chosen.department) body.department = chosen.department;
      if (chosen.mode === 'webhook') body.url = chosen.url;
      const created = (await request('POST', '/subscriptions/subscriptions', { body })).data;
      replace(reveal, shownOnce(created));
      reload();
    },
  }));
}

function actions(s, reload) {
  const act = (action) => actionButton(t(`subs.${action}`), async () => {
    await post(`/subscriptions/subscriptions/${s.id}/${action}`);
    reload();
  }, { tone: 'secondary' });
  return h('span', { class: 'actions' },
    s.status === 'active' ? act('pause') : act('resume'),
    actionButton(t('subs.delete'), async () => {
      if (!window.confirm(t('subs.delete_confirm', { name: s.name }))) return;
      await request('DELETE', `/subscriptions/subscriptions/${s.id}`);
      flash(t('subs.deleted', { name: s.name }));
      reload();
    }, { tone: 'danger' }));
}

function subscriptionsBlock(ctx) {
  const slot = h('div');
  const reveal = h('div', { class: 'shown-once', 'aria-live': 'polite' });
  const load = () => replace(slot, asyncBlock(async () => {
    const answer = await list('/subscriptions/subscriptions', { page_size: 100 });
    return table([
      { label: t('subs.name'), cell: (s) => h('a', { href: `/console/subscriptions/${s.id}` }, s.name) },
      { label: t('subs.department'), cell: (s) => s.department },
      { label: t('subs.event_types'), cell: (s) => s.event_types.join(', ') },
      { label: t('subs.mode'), cell: (s) => t(`subs.mode.${s.mode}`) },
      { label: t('subs.status'), cell: (s) => t(`subs.status.${s.status}`) },
      { label: t('subs.target'), cell: (s) => h('code', s.url || s.queue || '') },
      { label: '', cell: (s) => actions(s, load) },
    ], answer.items, { emptyText: t('subs.none') });
  }));
  load();
  return section(t('subs.mine'), reveal, slot, createForm(ctx, reveal, load));
}

export async function subscriptionsPage(ctx) {
  return h('div', pageHeader(t('subs.title')), subscriptionsBlock(ctx), grantsBlock(ctx));
}

export async function deliveriesPage(ctx, { id }) {
  let page = 1;
  const slot = h('div');
  const load = () => replace(slot, asyncBlock(async () => {
    const answer = await list(`/subscriptions/subscriptions/${id}/deliveries`, { page, page_size: 50 });
    return [table([
      { label: t('subs.event_time'), cell: (d) => dateTime(d.event_time) },
      { label: t('subs.event_type'), cell: (d) => d.event_type },
      { label: t('subs.subject'), cell: (d) => h('code', d.subject) },
      { label: t('subs.status'), cell: (d) => t(`subs.delivery.${d.status}`) },
      { label: t('subs.attempts'), cell: (d) => String(d.attempts), class: 'num' },
      { label: t('subs.latency'), cell: (d) => (d.latency_ms === null ? '' : `${d.latency_ms} ms`), class: 'num' },
      { label: t('subs.answer'), cell: (d) => (d.last_status ? String(d.last_status) : d.last_error || '') },
      { label: '', cell: (d) => actionButton(t('subs.redeliver'), async () => {
        await post(`/subscriptions/subscriptions/${id}/redeliveries`, { event_id: d.event_id });
        flash(t('subs.redelivery_queued'));
        load();
      }, { tone: 'secondary' }) },
    ], answer.items, { emptyText: t('subs.no_deliveries') }), pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  return h('div', pageHeader(t('subs.log')), slot);
}
