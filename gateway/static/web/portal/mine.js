// My tickets, my cases, my hazard reports and my ratings, with their status.
import { list, listAll } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { dateTime } from '../lib/format.js';
import { label, localName, t } from '../lib/i18n.js';
import { asyncBlock, badge, pageHeader, pager, section, table } from '../lib/ui.js';

function paged(render, path, query) {
  const box = h('div');
  let page = 1;
  const load = () => replace(box, asyncBlock(async () => {
    const answer = await list(path, { ...query, page, page_size: 10 });
    return [render(answer.items), pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  return box;
}

export async function minePage(ctx) {
  const types = await listAll('/intake/business-types', { community: ctx.community }).catch(() => []);
  const typeName = (code) => {
    const type = types.find((ty) => ty.code === code);
    return type ? localName(type) : code || '—';
  };
  const rated = new Set((await listAll('/intake/feedback', {}, 100, 3).catch(() => [])).map((f) => f.target_id));
  const rateLink = (kind, row, done) => (done && !rated.has(row.id)
    ? h('a', { class: 'btn btn-small btn-secondary', href: ctx.href(`/${kind}/${row.id}`) }, t('rating.rate')) : '');
  return h('div', pageHeader(t('portal.mine.title')),
    section(t('portal.mine.tickets'), paged((rows) => table([
      { label: t('ticket.number'), cell: (r) => h('a', { href: ctx.href(`/tickets/${r.id}`) }, r.number) },
      { label: t('ticket.business_type'), cell: (r) => typeName(r.business_type) },
      { label: t('ticket.issued_at'), cell: (r) => dateTime(r.issued_at) },
      { label: t('common.status'), cell: (r) => badge('ticket.status', r.status) },
      { label: t('common.actions'), cell: (r) => rateLink('tickets', r, r.status === 'completed') },
    ], rows, { emptyText: t('portal.mine.no_tickets') }), '/intake/tickets', { mine: 'true' })),
    section(t('portal.mine.cases'), paged((rows) => table([
      { label: t('case.number'), cell: (r) => h('a', { href: ctx.href(`/cases/${r.id}`) }, r.number) },
      { label: t('ticket.business_type'), cell: (r) => typeName(r.business_type) },
      { label: t('case.opened_at'), cell: (r) => dateTime(r.opened_at) },
      { label: t('case.due_at'), cell: (r) => dateTime(r.due_at) },
      { label: t('common.status'), cell: (r) => badge('case.status', r.status) },
      { label: t('common.actions'), cell: (r) => rateLink('cases', r, r.status === 'closed') },
    ], rows, { emptyText: t('portal.mine.no_cases') }), '/intake/cases', { mine: 'true' })),
    section(t('portal.mine.reports'), paged((rows) => table([
      { label: t('case.number'), cell: (r) => h('a', { href: ctx.href(`/reports/${encodeURIComponent(r.number)}`) }, r.number) },
      { label: t('grid.category'), cell: (r) => label(`grid.category.${r.category}`, r.category_name) },
      { label: t('grid.reported_at'), cell: (r) => dateTime(r.reported_at) },
      { label: t('common.status'), cell: (r) => [badge('grid.status', r.status),
        r.status === 'referred' && r.department_name ? h('small', t('portal.report.referred_to', { department: r.department_name })) : null] },
    ], rows, { emptyText: t('portal.mine.no_reports') }), '/grid/cases', { mine: 'true' })));
}
