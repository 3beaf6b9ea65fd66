// Administration of who the platform works with: providers (服务机构, their unified social
// credit code checked by the service, its check-digit error shown beside the field), Open311
// client applications (a key issued once, revoked, never deleted) and the personal-data
// access audit of a community.
import { list, listAll, post, request } from '../lib/api.js';
import { COMMUNITIES } from '../lib/domain.js';
import { downloadButtons } from '../lib/download.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { actionButton, asyncBlock, flash, pageHeader, pager, section, table } from '../lib/ui.js';

const KINDS = ['social_service_agency', 'community_social_organization'];

export async function providersPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  const registers = ctx.has('subdistrict_officer');
  let page = 1;
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/contracts/providers', { page, page_size: 25 });
    return [table([
      { label: t('admin.name'), cell: (r) => r.name },
      { label: t('admin.provider.uscc'), cell: (r) => r.uscc },
      { label: t('admin.provider.kind'), cell: (r) => t(`admin.provider.kind.${r.kind}`) },
      { label: t('admin.provider.contact'), cell: (r) => [r.contact_name, r.contact_phone].filter(Boolean).join(' ') || '—' },
      { label: t('common.status'), cell: (r) => label(`admin.provider.status.${r.status}`, r.status) },
    ], answer.items, { emptyText: t('admin.empty') }), pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  const register = registers ? form({
    fields: [
      field({ name: 'name', label: t('admin.name'), required: true }),
      field({ name: 'uscc', label: t('admin.provider.uscc'), required: true, help: t('admin.provider.uscc.help') }),
      field({ name: 'kind', label: t('admin.provider.kind'), type: 'select', value: KINDS[0],
        options: KINDS.map((k) => ({ value: k, label: t(`admin.provider.kind.${k}`) })) }),
      field({ name: 'community', label: t('admin.community'), type: 'select', placeholder: t('common.none'),
        options: COMMUNITIES.map((c) => ({ value: c, label: label(`community.${c}`, c) })) }),
      field({ name: 'contact_name', label: t('admin.provider.contact_name') }),
      field({ name: 'contact_phone', label: t('admin.provider.contact_phone'), type: 'tel' }),
    ],
    submitLabel: t('admin.provider.create'),
    onSubmit: async (chosen, element) => {
      const body = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== ''));
      const created = await post('/contracts/providers', body);
      element.reset();
      replace(status, flash(t('admin.saved', { name: created.name })));
      load();
    },
  }) : null;
  return h('div', pageHeader(t('admin.providers'), downloadButtons('/contracts/providers', () => ({}))),
    status, section(t('admin.list'), results),
    register ? h('details', { class: 'card', open: true }, h('summary', t('admin.provider.new')), register) : null);
}

export async function open311Page(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  const issued = h('div', { class: 'issued-key', 'aria-live': 'polite' });
  const load = () => replace(results, asyncBlock(async () => {
    const clients = (await request('GET', '/grid/open311-clients')).data || [];
    return table([
      { label: t('admin.name'), cell: (r) => r.name },
      { label: t('admin.open311.communities'), cell: (r) => r.communities.map((c) => label(`community.${c}`, c)).join('、') },
      { label: t('admin.open311.created_at'), cell: (r) => dateTime(r.created_at) },
      { label: t('common.status'), cell: (r) => (r.revoked_at ? t('admin.open311.revoked', { at: dateTime(r.revoked_at) }) : t('admin.active')) },
      { label: t('common.actions'), cell: (r) => (r.revoked_at ? '—' : actionButton(t('admin.open311.revoke'), async () => {
        await request('DELETE', `/grid/open311-clients/${r.id}`);
        replace(status, flash(t('admin.open311.revoked_now', { name: r.name })));
        load();
      }, { tone: 'danger', errorSlot: status, dataset: { revoke: r.id } })) },
    ], clients, { emptyText: t('admin.empty') });
  }));
  load();
  const issue = form({
    fields: [
      field({ name: 'name', label: t('admin.open311.name'), required: true }),
      field({ name: 'communities', label: t('admin.open311.communities'), type: 'checkboxes', value: [ctx.community],
        options: COMMUNITIES.map((c) => ({ value: c, label: label(`community.${c}`, c) })) }),
    ],
    submitLabel: t('admin.open311.issue'),
    onSubmit: async (chosen, element) => {
      const created = await post('/grid/open311-clients', { name: chosen.name, communities: chosen.communities || [] });
      element.reset();
      replace(issued, h('div', { class: 'alert alert-success' }, h('p', t('admin.open311.key_once')),
        h('code', { class: 'api-key', tabindex: '0' }, created.api_key)));
      load();
    },
  });
  return h('div', pageHeader(t('admin.open311')), status, issued, section(t('admin.list'), results),
    h('details', { class: 'card', open: true }, h('summary', t('admin.open311.new')), issue));
}

const AUDITED = [
  { service: 'intake', path: '/intake/audit/personal-data' },
  { service: 'grid', path: '/grid/audit/personal-data' },
  { service: 'contracts', path: '/contracts/audit/personal-data' },
];

export async function auditPage(ctx) {
  const blocks = AUDITED.map(({ service, path }) => section(t(`admin.audit.${service}`), asyncBlock(async () => {
    const rows = await listAll(path, { community: ctx.community });
    return table([
      { label: t('admin.audit.at'), cell: (r) => dateTime(r.accessed_at) },
      { label: t('admin.audit.who'), cell: (r) => `${r.accessor_sub} (${r.accessor_roles})` },
      { label: t('admin.audit.record'), cell: (r) => `${r.record_kind} ${r.record_id}` },
      { label: t('admin.audit.fields'), cell: (r) => r.fields },
      { label: t('admin.audit.purpose'), cell: (r) => r.purpose },
    ], rows, { emptyText: t('admin.audit.empty') });
  })));
  return h('div', pageHeader(t('admin.audit'), h('p', { class: 'muted' }, t('admin.audit.intro'))), ...blocks);
}
