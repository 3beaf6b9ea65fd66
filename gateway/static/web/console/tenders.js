// Contracts: what waits for the committee, the purchases, the contracts, and drafting a purchase.
import { list, listAll, post } from '../lib/api.js';
import { CONTRACT_STATUSES, TENDER_STATUSES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem, values } from '../lib/form.js';
import { date, money, parseYuan } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, badge, empty, flash, pageHeader, pager, section, table } from '../lib/ui.js';
import { downloadButtons } from '../lib/download.js';

function tenderTable(ctx, rows, emptyText) {
  return table([
    { label: t('tender.number'), cell: (r) => h('a', { href: ctx.href(`/contracts/tenders/${r.id}`) }, r.number) },
    { label: t('tender.title_field'), cell: (r) => r.title },
    { label: t('tender.method'), cell: (r) => label(`tender.method.${r.method}`, r.method) },
    { label: t('tender.estimate'), cell: (r) => money(r.estimated_value_fen), class: 'num' },
    { label: t('common.status'), cell: (r) => badge('tender.status', r.status) },
  ], rows, { emptyText });
}

function waitingForCommittee(ctx) {
  return section(t('contracts.waiting'), asyncBlock(async () => {
    const community = ctx.community;
    const [tenders, awards, signing] = await Promise.all([
      listAll('/contracts/tenders', { community, status: 'pending_approval' }),
      listAll('/contracts/tenders', { community, status: 'award_proposed' }),
      listAll('/contracts/contracts', { community, status: 'signing' }),
    ]);
    const drafts = await listAll('/contracts/contracts', { community, status: 'draft' });
    const unsigned = [...drafts, ...signing].filter((c) => !(c.parties_signed || []).includes('committee'));
    return [
      h('h3', t('contracts.waiting.approvals')), tenderTable(ctx, [...tenders, ...awards], t('contracts.waiting.none')),
      h('h3', t('contracts.waiting.signatures')),
      unsigned.length ? h('ul', { class: 'links' }, unsigned.map((c) => h('li',
        h('a', { href: ctx.href(`/contracts/${c.id}`) }, `${c.number} · ${c.title}`)))) : empty(t('contracts.waiting.none')),
    ];
  }));
}

async function tenderForm(ctx, done) {
  const community = ctx.community;
  const [packages, providers] = await Promise.all([
    listAll('/contracts/packages', { community, active: 'true' }), listAll('/contracts/providers', { community, status: 'active' })]);
  const year = Number(new Date().getFullYear());
  return form({
    fields: [
      field({ name: 'title', label: t('tender.title_field'), required: true, wide: true }),
      field({ name: 'description', label: t('tender.description'), type: 'textarea', wide: true }),
      field({ name: 'fiscal_year', label: t('tender.fiscal_year'), type: 'number', value: year, required: true }),
      field({ name: 'funding_line', label: t('tender.funding_line'), type: 'select', value: 'services',
        options: ['services', 'autonomy_fund'].map((v) => ({ value: v, label: t(`funding.${v}`) })) }),
      field({ name: 'method', label: t('tender.method'), type: 'select', required: true, value: 'open',
        options: ['open', 'competitive_negotiation', 'single_source'].map((v) => ({ value: v, label: t(`tender.method.${v}`) })) }),
      field({ name: 'estimated_value', label: t('tender.estimate_yuan'), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'bid_deadline', label: t('tender.bid_deadline'), type: 'datetime-local', help: t('tender.bid_deadline.help') }),
      field({ name: 'package_codes', label: t('tender.packages'), type: 'checkboxes', required: true, wide: true,
        options: packages.map((p) => ({ value: p.code, label: p.name })) }),
      field({ name: 'invited_provider_ids', label: t('tender.invited'), type: 'checkboxes', wide: true,
        options: providers.map((p) => ({ value: p.id, label: p.name })) }),
      field({ name: 'single_source_reason', label: t('tender.single_source_reason'), type: 'textarea', wide: true }),
    ],
    submitLabel: t('tender.create'),
    onSubmit: async (chosen) => {
      const fen = parseYuan(chosen.estimated_value);
      if (Number.isNaN(fen)) throw localProblem({ estimated_value_fen: [t('money.invalid')] });
      const body = { community, fiscal_year: Number(chosen.fiscal_year), funding_line: chosen.funding_line,
        title: chosen.title, description: chosen.description, method: chosen.method, estimated_value_fen: fen,
        package_codes: chosen.package_codes, invited_provider_ids: chosen.invited_provider_ids };
      if (chosen.single_source_reason) body.single_source_reason = chosen.single_source_reason;
      if (chosen.bid_deadline) body.bid_deadline = `${chosen.bid_deadline}:00+08:00`;
      const tender = await post('/contracts/tenders', body);
      flash(t('tender.created', { number: tender.number }));
      done(tender);
    },
    locate: (key) => (key === 'estimated_value_fen' ? 'estimated_value' : key),
  });
}

/** A provider's signatory reads its own purchases and contracts, not the community's. */
export function contractScope(ctx) {
  const providerOnly = ctx.hasOwn('provider_signatory') && !ctx.has('subdistrict_officer', 'committee_member', 'center_staff', 'evaluator');
  return providerOnly ? {} : { community: ctx.community };
}

export async function contractsPage(ctx, params, query) {
  const community = ctx.community;
  const scope = contractScope(ctx);
  const filters = { status: query.status || '' };
  let tenderPage = 1;
  let contractPage = 1;
  const tenders = h('div');
  const contracts = h('div');
  const loadTenders = () => replace(tenders, asyncBlock(async () => {
    const answer = await list('/contracts/tenders', { ...scope, status: filters.status, page: tenderPage, page_size: 20 });
    return [tenderTable(ctx, answer.items, t('contracts.no_tenders')), pager(answer.pagination, (p) => { tenderPage = p; loadTenders(); })];
  }));
  const loadContracts = () => replace(contracts, asyncBlock(async () => {
    const answer = await list('/contracts/contracts', { ...scope, status: filters.contract || '', page: contractPage, page_size: 20 });
    return [table([
      { label: t('contract.number'), cell: (r) => h('a', { href: ctx.href(`/contracts/${r.id}`) }, r.number) },
      { label: t('tender.title_field'), cell: (r) => r.title },
      { label: t('contract.provider'), cell: (r) => r.provider_name },
      { label: t('contract.value'), cell: (r) => money(r.value_fen), class: 'num' },
      { label: t('contract.period'), cell: (r) => `${date(r.period_start)} – ${date(r.period_end)}` },
      { label: t('contract.signed_by'), cell: (r) => `${(r.parties_signed || []).length}/3` },
      { label: t('common.status'), cell: (r) => badge('contract.status', r.status) },
    ], answer.items, { emptyText: t('contracts.no_contracts') }), pager(answer.pagination, (p) => { contractPage = p; loadContracts(); })];
  }));
  loadTenders();
  loadContracts();
  const statusFilter = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault(),
    onchange: (e) => { Object.assign(filters, values(e.currentTarget)); tenderPage = 1; contractPage = 1; loadTenders(); loadContracts(); } },
  field({ name: 'status', label: t('tender.status_filter'), type: 'select', value: filters.status, placeholder: t('common.all'),
    options: TENDER_STATUSES.map((s) => ({ value: s, label: label(`tender.status.${s}`, s) })) }),
  field({ name: 'contract', label: t('contract.status_filter'), type: 'select', placeholder: t('common.all'),
    options: CONTRACT_STATUSES.map((s) => ({ value: s, label: label(`contract.status.${s}`, s) })) }));
  const create = ctx.has('subdistrict_officer', 'committee_member') ? h('details', { class: 'card' },
    h('summary', t('tender.new')), asyncBlock(() => tenderForm(ctx, (tender) => ctx.navigate(`/contracts/tenders/${tender.id}`)))) : null;
  return h('div', pageHeader(t('contracts.title')),
    ctx.has('committee_member') ? waitingForCommittee(ctx) : null,
    statusFilter,
    section(t('contracts.tenders'), downloadButtons('/contracts/tenders', () => ({ ...scope, status: filters.status })), tenders),
    section(t('contracts.contracts'), downloadButtons('/contracts/contracts', () => ({ ...scope, status: filters.contract })), contracts),
    create);
}
