// Budgets (预算) of a community by fiscal year and funding mode: the committee's fixed budget
// (定额预算) or pass-through money, and the community autonomy fund (社区自治基金) as its own
// line. Officers set a budget and allocate tranches to a line; everyone with the right reads
// planned, allocated, committed and paid per line. Budgets are never deleted (money points to them).
import { list, post } from '../lib/api.js';
import { downloadButtons } from '../lib/download.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { money, parseYuan } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { asyncBlock, flash, pageHeader, pager, section, table } from '../lib/ui.js';

const MODES = ['committee_budget', 'pass_through'];
const LINES = ['services', 'autonomy_fund'];

function yuanOrProblem(chosen, name) {
  const fen = parseYuan(chosen[name]);
  if (Number.isNaN(fen)) throw localProblem({ [name]: [t('money.invalid')] });
  return fen;
}

function allocateForm(budget, reload) {
  return form({
    className: 'inline-form',
    fields: [
      field({ name: 'funding_line', label: t('admin.budget.line'), type: 'select', value: 'autonomy_fund',
        options: LINES.map((line) => ({ value: line, label: t(`funding.${line}`) })) }),
      field({ name: 'amount', label: t('allocation.amount_yuan'), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'memo', label: t('payment.memo') }),
    ],
    submitLabel: t('allocation.submit'),
    locate: (key) => (key === 'amount_fen' ? 'amount' : key),
    onSubmit: async (chosen) => {
      const fen = yuanOrProblem(chosen, 'amount');
      await post(`/contracts/budgets/${budget.id}/allocations`, { funding_line: chosen.funding_line, amount_fen: fen,
        ...(chosen.memo ? { memo: chosen.memo } : {}) });
      flash(t('allocation.done', { amount: money(fen) }));
      reload();
    },
  });
}

function budgetBlock(ctx, budget, reload) {
  return h('article', { class: 'card budget', dataset: { budget: budget.id } },
    h('h3', t('admin.budget.heading', { year: budget.fiscal_year, mode: t(`budget.mode.${budget.mode}`) })),
    table([
      { label: t('admin.budget.line'), cell: (l) => t(`funding.${l.line}`) },
      { label: t('budget.planned'), cell: (l) => money(l.planned_fen), class: 'num' },
      { label: t('budget.allocated'), cell: (l) => money(l.allocated_fen), class: 'num' },
      { label: t('budget.committed'), cell: (l) => money(l.committed_fen), class: 'num' },
      { label: t('budget.paid'), cell: (l) => money(l.paid_fen), class: 'num' },
    ], budget.lines || [], { caption: t('admin.budget.lines') }),
    ctx.has('subdistrict_officer') && budget.mode === 'committee_budget'
      ? h('details', h('summary', t('allocation.submit')), allocateForm(budget, reload)) : null);
}

export async function budgetsPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  let page = 1;
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/contracts/budgets', { community: ctx.community, page, page_size: 10 });
    return [answer.items.length ? answer.items.map((b) => budgetBlock(ctx, b, load)) : h('p', { class: 'muted' }, t('admin.empty')),
      pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  const create = ctx.has('subdistrict_officer') ? form({
    fields: [
      field({ name: 'fiscal_year', label: t('admin.budget.year'), type: 'number', value: new Date().getFullYear(), required: true }),
      field({ name: 'mode', label: t('admin.budget.mode'), type: 'select', value: MODES[0],
        options: MODES.map((m) => ({ value: m, label: t(`budget.mode.${m}`) })) }),
      field({ name: 'services', label: t('admin.budget.services_yuan'), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'autonomy_fund', label: t('admin.budget.autonomy_yuan'), required: true, value: '0', attrs: { inputmode: 'decimal' } }),
    ],
    submitLabel: t('admin.budget.create'),
    locate: (key) => ({ services_fen: 'services', autonomy_fund_fen: 'autonomy_fund' }[key] || key),
    onSubmit: async (chosen, element) => {
      const created = await post('/contracts/budgets', { community: ctx.community, fiscal_year: Number(chosen.fiscal_year),
        mode: chosen.mode, services_fen: yuanOrProblem(chosen, 'services'), autonomy_fund_fen: yuanOrProblem(chosen, 'autonomy_fund') });
      element.reset();
      replace(status, flash(t('admin.saved', { name: String(created.fiscal_year) })));
      load();
    },
  }) : null;
  return h('div', pageHeader(t('admin.budgets'), downloadButtons('/contracts/budgets', () => ({ community: ctx.community }))),
    status, section(t('admin.list'), results),
    create ? h('details', { class: 'card', open: true }, h('summary', t('admin.budget.new')), create) : null);
}
