// The committee's money: balances, the budget lines, payments and the ledger.
import { list, listAll, post } from '../lib/api.js';
import { barChart } from '../lib/chart.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { dateTime, money, number, parseYuan } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { downloadButtons } from '../lib/download.js';
import { asyncBlock, flash, pageHeader, pager, section, table } from '../lib/ui.js';

export function balances(accounts) {
  return h('ul', { class: 'tiles' }, accounts.map((account) => h('li', { class: 'tile', dataset: { account: account.kind } },
    h('strong', { class: 'tile-number' }, money(account.balance_fen)), h('span', label(`account.${account.kind}`, account.kind)))));
}

function budgetBlock(ctx, budget, reload) {
  const lines = budget.lines || [];
  const chart = barChart({
    title: t('finance.budget_chart', { year: budget.fiscal_year }),
    categories: lines.map((line) => t(`funding.${line.line}`)),
    series: ['planned', 'allocated', 'committed', 'paid'].map((kind, i) => ({
      name: t(`budget.${kind}`), tone: i, values: lines.map((line) => line[`${kind}_fen`] / 100) })),
    format: (v) => `¥${number(v)}`,
  });
  const allocation = ctx.hasOwn('subdistrict_officer') ? h('details', h('summary', t('finance.allocate')), form({
    fields: [
      field({ name: 'funding_line', label: t('tender.funding_line'), type: 'select',
        options: lines.map((line) => ({ value: line.line, label: t(`funding.${line.line}`) })) }),
      field({ name: 'amount', label: t('allocation.amount_yuan'), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'memo', label: t('payment.memo') }),
    ],
    submitLabel: t('allocation.submit'),
    locate: (key) => (key === 'amount_fen' ? 'amount' : key),
    onSubmit: async (chosen) => {
      const fen = parseYuan(chosen.amount);
      if (Number.isNaN(fen)) throw localProblem({ amount: [t('money.invalid')] });
      await post(`/contracts/budgets/${budget.id}/allocations`, { funding_line: chosen.funding_line, amount_fen: fen, memo: chosen.memo });
      flash(t('allocation.done', { amount: money(fen) }));
      reload();
    },
  })) : null;
  return h('div', { class: 'budget' },
    h('h3', t('finance.budget_title', { year: budget.fiscal_year, mode: t(`budget.mode.${budget.mode}`) })),
    table([
      { label: t('finance.line'), cell: (l) => t(`funding.${l.line}`) },
      ...['planned', 'allocated', 'committed', 'paid'].map((kind) => ({ label: t(`budget.${kind}`), class: 'num',
        cell: (l) => money(l[`${kind}_fen`]) })),
    ], lines), chart, allocation);
}

export function paymentsTable(rows, showPayer = true) {
  return table([
    { label: t('payment.number'), cell: (p) => p.number },
    { label: t('payment.paid_at'), cell: (p) => dateTime(p.paid_at) },
    { label: t('payment.amount'), cell: (p) => money(p.amount_fen), class: 'num' },
    { label: t('payment.memo'), cell: (p) => p.memo || '' },
    showPayer ? { label: t('payment.paid_by'), cell: (p) => p.paid_by_name || '' } : null,
  ].filter(Boolean), rows, { emptyText: t('finance.no_payments') });
}

export async function financePage(ctx) {
  const community = ctx.community;
  let paymentPage = 1;
  const payments = h('div');
  const loadPayments = () => replace(payments, asyncBlock(async () => {
    const answer = await list('/contracts/payments', { community, page: paymentPage, page_size: 20 });
    return [paymentsTable(answer.items), pager(answer.pagination, (p) => { paymentPage = p; loadPayments(); })];
  }));
  loadPayments();
  const accountsBlock = asyncBlock(async () => {
    const accounts = await listAll('/contracts/accounts', { community });
    const committee = accounts.find((a) => a.kind === 'committee');
    const entries = committee ? (await list(`/contracts/accounts/${committee.id}/entries`, { page_size: 20 })).items : [];
    return [balances(accounts), h('h3', t('finance.ledger')), table([
      { label: t('common.date'), cell: (e) => dateTime(e.created_at) },
      { label: t('finance.entry_kind'), cell: (e) => label(`entry.${e.kind}`, e.kind) },
      { label: t('payment.amount'), cell: (e) => `${e.debit_account_id === committee.id ? '+' : '−'}${money(e.amount_fen)}`, class: 'num' },
      { label: t('payment.memo'), cell: (e) => e.memo || '' },
    ], entries, { emptyText: t('finance.no_entries') })];
  });
  const budgets = asyncBlock(async () => {
    const rows = await listAll('/contracts/budgets', { community });
    return rows.length ? rows.map((budget) => budgetBlock(ctx, budget, () => budgets.reload())) : h('p', t('finance.no_budget'));
  });
  return h('div', pageHeader(t('finance.title'), h('p', { class: 'muted' }, t('finance.intro'))),
    section(t('finance.accounts'), accountsBlock),
    section(t('finance.budgets'), budgets),
    section(t('finance.payments'), downloadButtons('/contracts/payments', () => ({ community })), payments));
}
