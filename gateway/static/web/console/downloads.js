// Downloads (下载): the monthly report of each community the signed-in person may read, one
// Excel file per community and closed month, written by the evaluation service's worker after
// the month closes (desk, cases, grid coverage, money, evaluation).
import { list } from '../lib/api.js';
import { fileButton } from '../lib/download.js';
import { h, replace } from '../lib/el.js';
import { field, values } from '../lib/form.js';
import { dateTime, money, number, percent } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, pageHeader, pager, section, table } from '../lib/ui.js';

export const DOWNLOAD_ROLES = ['center_staff', 'committee_member', 'subdistrict_officer'];

export async function downloadsPage(ctx) {
  const communities = ctx.claims?.communities || [];
  const filters = { community: communities.length === 1 ? communities[0] : '' };
  let page = 1;
  const results = h('div');
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/evaluation/reports', { community: filters.community, page, page_size: 24 });
    return [table([
      { label: t('downloads.month'), cell: (r) => r.month },
      { label: t('downloads.community'), cell: (r) => label(`community.${r.community}`, r.community) },
      { label: t('downloads.tickets'), cell: (r) => number(r.figures?.desk?.tickets_served), class: 'num' },
      { label: t('downloads.cases'), cell: (r) => number(r.figures?.cases?.cases_resolved), class: 'num' },
      { label: t('downloads.coverage'), cell: (r) => percent(r.figures?.grid?.inspection_coverage), class: 'num' },
      { label: t('downloads.paid'), cell: (r) => money(r.figures?.money?.paid_fen ?? 0), class: 'num' },
      { label: t('downloads.generated'), cell: (r) => dateTime(r.generated_at) },
      { label: t('common.actions'), cell: (r) => fileButton(`/evaluation/reports/${r.id}`,
        t('downloads.download'), { 'data-report': `${r.community}-${r.month}`,
          'aria-label': t('downloads.download_named', { name: r.filename }) }) },
    ], answer.items, { caption: t('downloads.caption'), emptyText: t('downloads.none') }),
    pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  const filter = communities.length > 1 ? h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault(),
    onchange: (e) => { Object.assign(filters, values(e.currentTarget)); page = 1; load(); } },
  field({ name: 'community', label: t('downloads.filter'), type: 'select', placeholder: t('common.all'),
    options: communities.map((c) => ({ value: c, label: label(`community.${c}`, c) })) })) : null;
  return h('div', pageHeader(t('downloads.title'), h('p', { class: 'muted' }, t('downloads.intro'))),
    filter, section(t('downloads.reports'), results));
}
