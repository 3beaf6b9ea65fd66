// Transparency (信息公开): my community's contracts, payments, balances and evaluation results.
import { get, list, listAll } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { date, money, number } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, badge, pageHeader, pager, section, table } from '../lib/ui.js';
import { balances, paymentsTable } from '../console/finance.js';
import { resultView } from '../shared/result.js';

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

export async function transparencyPage(ctx) {
  const community = ctx.community;
  const name = label(`community.${community}`, community);
  return h('div', pageHeader(t('portal.transparency.title')),
    h('p', { class: 'muted' }, t('portal.transparency.intro', { community: name })),
    section(t('portal.transparency.balances'), asyncBlock(async () => balances(await listAll('/contracts/accounts', { community })))),
    section(t('portal.transparency.contracts'), paged((rows) => table([
      { label: t('contract.number'), cell: (r) => h('a', { href: ctx.href(`/transparency/contracts/${r.id}`) }, r.number) },
      { label: t('tender.title_field'), cell: (r) => r.title },
      { label: t('contract.provider'), cell: (r) => r.provider_name },
      { label: t('contract.value'), cell: (r) => money(r.value_fen), class: 'num' },
      { label: t('contract.paid'), cell: (r) => money(r.paid_fen), class: 'num' },
      { label: t('contract.period'), cell: (r) => `${date(r.period_start)} – ${date(r.period_end)}` },
      { label: t('common.status'), cell: (r) => badge('contract.status', r.status) },
    ], rows, { emptyText: t('contracts.no_contracts') }), '/contracts/contracts', { community })),
    section(t('portal.transparency.payments'), paged((rows) => paymentsTable(rows, false), '/contracts/payments', { community })),
    section(t('portal.transparency.results'), paged((rows) => table([
      { label: t('scheme.title_field'), cell: (r) => h('a', { href: ctx.href(`/transparency/results/${r.id}`) }, r.title) },
      { label: t('scheme.year'), cell: (r) => String(r.year) },
      { label: t('result.score'), cell: (r) => (r.score === null || r.score === undefined ? '—' : number(r.score, 2)), class: 'num' },
      { label: t('result.grade'), cell: (r) => (r.grade ? badge('grade', r.grade) : '—') },
    ], rows, { emptyText: t('portal.transparency.no_results') }), '/evaluation/rounds', { community, status: 'closed' })),
    h('p', { class: 'muted' }, t('portal.transparency.open_data'), ' ',
      h('a', { href: `/api/contracts/ocds/releases?community=${community}` }, 'OCDS 1.1 (JSON)')));
}

export async function resultPage(ctx, params) {
  const round = await get(`/evaluation/rounds/${params.id}`);
  const result = await get(`/evaluation/rounds/${params.id}/result`);
  return h('div', pageHeader(`${round.title} · ${round.year}`), section(t('result.title'), resultView(result)));
}
