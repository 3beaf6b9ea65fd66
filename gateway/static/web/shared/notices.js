// My notifications (portal and console): the in-app inbox with its unread count, and my
// contact points, each verified by the code sent to it (shown masked, never in clear).
import { get, list, post } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { actionButton, asyncBlock, flash, pageHeader, section, table } from '../lib/ui.js';

const KINDS = ['mobile', 'email', 'wechat'];

function inbox(reload) {
  return asyncBlock(async () => {
    const [{ unread }, page] = await Promise.all([get('/notifications/inbox/unread'),
      list('/notifications/inbox', { page_size: 50 })]);
    const columns = [
      { label: t('notices.text'), cell: (line) => (line.read_at ? line.text : h('strong', line.text)) },
      { label: t('notices.at'), cell: (line) => dateTime(line.created_at) },
      { label: t('notices.state'), cell: (line) => (line.read_at ? t('notices.read') : actionButton(t('notices.mark_read'),
        async () => { await post(`/notifications/inbox/${line.id}/read`); reload(); }, { tone: 'ghost' })) },
    ];
    return [h('p', { class: 'unread', 'aria-live': 'polite' }, t('notices.unread', { n: unread })),
      table(columns, page.items, { emptyText: t('notices.empty') })];
  });
}

function verifyForm(contact, reload) {
  return form({
    fields: [field({ name: 'code', label: t('notices.code'), required: true, attrs: { inputmode: 'numeric', autocomplete: 'one-time-code' } })],
    submitLabel: t('notices.verify'),
    onSubmit: async (chosen) => {
      await post(`/notifications/contacts/${contact.id}/verify`, { code: chosen.code.trim() });
      flash(t('notices.verified'));
      reload();
    },
  });
}

function contacts(reload) {
  return asyncBlock(async () => {
    const mine = await get('/notifications/contacts');
    const columns = [
      { label: t('notices.kind'), cell: (c) => t(`notices.kind.${c.kind}`) },
      { label: t('notices.value'), cell: (c) => c.value_masked },
      { label: t('notices.state'), cell: (c) => (c.verified ? t('notices.is_verified') : verifyForm(c, reload)) },
    ];
    const add = form({
      fields: [
        field({ name: 'kind', label: t('notices.kind'), type: 'select', required: true, value: 'mobile',
          options: KINDS.map((kind) => ({ value: kind, label: t(`notices.kind.${kind}`) })) }),
        field({ name: 'value', label: t('notices.value'), required: true, help: t('notices.value_help') }),
      ],
      submitLabel: t('notices.add'),
      onSubmit: async (chosen) => {
        await post('/notifications/contacts', { kind: chosen.kind, value: chosen.value.trim() });
        flash(t('notices.code_sent'));
        reload();
      },
    });
    return [table(columns, mine, { emptyText: t('notices.no_contacts') }), add];
  });
}

export async function noticesPage() {
  const page = h('div');
  const load = () => replace(page, pageHeader(t('notices.title')),
    section(t('notices.inbox'), inbox(load)), section(t('notices.contacts'), contacts(load)));
  load();
  return page;
}
