// The outbox page: what waits for the network, what a service refused (with its reason), and
// conflicts — the record changed on the server meanwhile — with both versions side by side.
import { h } from '../lib/el.js';
import { dateTime } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, empty, problemBox } from '../lib/ui.js';
import { discard, flush, keepMine, pending } from './outbox.js';
import * as store from './store.js';

function show(name, value) {
  if (value === null || value === undefined || value === '') return '—';
  const one = (v) => label(`field.${name}.${v}`, String(v));  // code lists in words (residency...)
  return Array.isArray(value) ? value.map(one).join('、') : one(value);
}

function conflictTable(conflict) {
  const names = [...new Set([...Object.keys(conflict.mine || {}), ...Object.keys(conflict.theirs || {})])]
    .filter((name) => name in (conflict.mine || {}));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data conflict' },
    h('caption', t('field.conflict.caption')),
    h('thead', h('tr', h('th', { scope: 'col' }, t('field.conflict.field')), h('th', { scope: 'col' }, t('field.conflict.mine')),
      h('th', { scope: 'col' }, t('field.conflict.theirs')))),
    h('tbody', names.map((name) => h('tr', { class: show(name, conflict.mine[name]) === show(name, conflict.theirs?.[name]) ? '' : 'differs' },
      h('th', { scope: 'row' }, label(`field.person.field.${name}`, name)),
      h('td', { class: 'mine', 'data-label': t('field.conflict.mine') }, show(name, conflict.mine[name])),
      h('td', { class: 'theirs', 'data-label': t('field.conflict.theirs') }, show(name, conflict.theirs?.[name])))))));
}

function itemCard(item, reload) {
  const actions = [];
  if (item.state === 'conflict') {
    actions.push(h('button', { type: 'button', class: 'btn btn-primary', onclick: async () => { await keepMine(item); reload(); } },
      t('field.conflict.keep_mine')));
  }
  if (item.state !== 'waiting') {
    actions.push(h('button', { type: 'button', class: 'btn', onclick: async () => { await discard(item); reload(); } },
      item.state === 'conflict' ? t('field.conflict.keep_theirs') : t('field.outbox.discard')));
  }
  return h('li', { class: ['field-card', `outbox-${item.state}`], dataset: { kind: item.kind, state: item.state } },
    h('div', { class: 'field-card-head' }, h('strong', item.title), h('span', { class: 'muted' }, dateTime(item.queued_at))),
    h('p', t(`field.outbox.state.${item.state}`)),
    item.state === 'refused' && item.problem ? problemBox({ problem: item.problem }) : null,
    item.state === 'conflict' ? conflictTable(item.conflict) : null,
    actions.length ? h('div', { class: 'form-actions' }, actions) : null);
}

export async function pendingPage(ctx) {
  const block = asyncBlock(async () => {
    const items = await pending();
    const sent = await store.all('sent');
    return [
      items.length ? h('ul', { class: 'field-cards outbox-list' }, items.map((item) => itemCard(item, () => block.reload())))
        : empty(t('field.outbox.nothing')),
      h('h2', t('field.outbox.sent')),
      sent.length ? h('ul', { class: 'sent-list' }, sent.slice(-20).reverse().map((item) => h('li', { dataset: { kind: item.kind } },
        h('strong', item.title), ' ', h('span', { class: 'muted' }, dateTime(item.sent_at))))) : empty(t('field.outbox.none_sent')),
    ];
  });
  const refresh = () => block.reload();
  window.addEventListener('outbox:changed', refresh);
  ctx.onLeave(() => window.removeEventListener('outbox:changed', refresh));
  return h('section', { class: 'field-page' }, h('h1', t('field.outbox.title')),
    h('p', { class: 'muted' }, t('field.outbox.hint')),
    h('button', { type: 'button', class: 'btn btn-block', onclick: () => flush() }, t('field.outbox.send_now')), block);
}
