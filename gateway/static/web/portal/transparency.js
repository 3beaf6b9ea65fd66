// Transparency (信息公开): a community's contracts, payments, budget and evaluation results of a
// month, read from the public open data (no sign-in): /api/<service>/open-data/<dataset>/<YYYY-MM>.json.
import { get } from '../lib/api.js';
import { COMMUNITIES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { date, dateTime, money, number } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, badge, pageHeader, section, table } from '../lib/ui.js';
import { resultView } from '../shared/result.js';

const CHOSEN = 'community.transparency';

function currentMonth() {
  const now = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai' }));
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** One month's rows of a public dataset, of one community. */
async function rowsOf(service, dataset, month, community) {
  const rows = await get(`/${service}/open-data/${dataset}/${month}.json`);
  return rows.filter((row) => row.community === community);
}

function downloads(service, dataset, month) {
  const base = `/api/${service}/open-data/${dataset}/${month}`;
  return h('p', { class: 'muted' }, t('portal.transparency.download'), ' ',
    h('a', { href: `${base}.csv`, download: '' }, 'CSV'), ' · ', h('a', { href: `${base}.json` }, 'JSON'));
}

function monthSections(ctx, community, month) {
  const signedIn = Boolean(ctx.claims);
  return [
    section(t('portal.transparency.contracts'), asyncBlock(async () => table([
      { label: t('contract.number'), cell: (r) => (signedIn ? h('a', { href: ctx.href(`/transparency/contracts/${r.id}`) }, r.number) : r.number) },
      { label: t('tender.title_field'), cell: (r) => r.title },
      { label: t('contract.provider'), cell: (r) => r.supplier_name },
      { label: t('contract.value'), cell: (r) => money(r.value_fen), class: 'num' },
      { label: t('contract.period'), cell: (r) => `${date(r.period_start)} – ${date(r.period_end)}` },
      { label: t('portal.transparency.signed_at'), cell: (r) => dateTime(r.signed_at) },
    ], await rowsOf('contracts', 'contracts', month, community), { emptyText: t('contracts.no_contracts') })),
    downloads('contracts', 'contracts', month)),
    section(t('portal.transparency.payments'), asyncBlock(async () => table([
      { label: t('portal.transparency.payment_number'), cell: (r) => r.number },
      { label: t('contract.number'), cell: (r) => r.contract_number },
      { label: t('portal.transparency.milestone'), cell: (r) => r.milestone },
      { label: t('portal.transparency.amount'), cell: (r) => money(r.amount_fen), class: 'num' },
      { label: t('portal.transparency.paid_at'), cell: (r) => dateTime(r.paid_at) },
    ], await rowsOf('contracts', 'payments', month, community), { emptyText: t('portal.transparency.no_payments') })),
    downloads('contracts', 'payments', month)),
    section(t('portal.transparency.budgets'), asyncBlock(async () => table([
      { label: t('portal.transparency.line'), cell: (r) => t(`funding.${r.line}`) },
      { label: t('scheme.year'), cell: (r) => String(r.fiscal_year) },
      { label: t('portal.transparency.planned'), cell: (r) => money(r.planned_fen), class: 'num' },
      { label: t('portal.transparency.allocated_in_month'), cell: (r) => money(r.allocated_in_month_fen), class: 'num' },
      { label: t('portal.transparency.paid_in_month'), cell: (r) => money(r.paid_in_month_fen), class: 'num' },
    ], await rowsOf('contracts', 'budgets', month, community), { emptyText: t('portal.transparency.no_budget') })),
    downloads('contracts', 'budgets', month)),
    section(t('portal.transparency.results'), asyncBlock(async () => table([
      { label: t('scheme.title_field'), cell: (r) => (signedIn ? h('a', { href: ctx.href(`/transparency/results/${r.round_id}`) }, r.title) : r.title) },
      { label: t('scheme.year'), cell: (r) => String(r.year) },
      { label: t('result.score'), cell: (r) => (r.score_centi === null ? '—' : number(r.score_centi / 100, 2)), class: 'num' },
      { label: t('result.grade'), cell: (r) => (r.grade ? badge('grade', r.grade) : '—') },
    ], await rowsOf('evaluation', 'results', month, community), { emptyText: t('portal.transparency.no_results') })),
    downloads('evaluation', 'results', month)),
  ];
}

export async function transparencyPage(ctx) {
  let community = ctx.community || sessionStorage.getItem(CHOSEN) || COMMUNITIES[0];
  let month = currentMonth();
  const body = h('div');
  const render = () => replace(body, ...monthSections(ctx, community, month));
  const pickCommunity = h('select', { id: 'transparency-community', onchange: (e) => {
    community = e.target.value;
    sessionStorage.setItem(CHOSEN, community);
    render();
  } }, COMMUNITIES.map((code) => h('option', { value: code, selected: code === community }, label(`community.${code}`, code))));
  const pickMonth = h('input', { id: 'transparency-month', type: 'month', value: month, max: month, onchange: (e) => {
    if (/^\d{4}-\d{2}$/.test(e.target.value)) {
      month = e.target.value;
      render();
    }
  } });
  render();
  return h('div', pageHeader(t('portal.transparency.title')),
    h('p', { class: 'muted' }, t('portal.transparency.intro_public')),
    h('div', { class: 'filters' },
      h('label', { for: 'transparency-community' }, t('shell.community'), ' ', pickCommunity),
      h('label', { for: 'transparency-month' }, t('portal.transparency.month'), ' ', pickMonth)),
    body,
    h('p', { class: 'muted' }, t('portal.transparency.open_data'), ' ',
      h('a', { href: '/api/datapackage.json' }, t('portal.transparency.catalogue')), ' · ',
      h('a', { href: `/api/contracts/ocds/releases?community=${community}` }, 'OCDS 1.1 (JSON)')));
}

export async function resultPage(ctx, params) {
  const round = await get(`/evaluation/rounds/${params.id}`);
  const result = await get(`/evaluation/rounds/${params.id}/result`);
  return h('div', pageHeader(`${round.title} · ${round.year}`), section(t('result.title'), resultView(result)));
}
