// One contract: terms, the three parties' signatures, milestones and payments, its history.
import { get, getWithEtag, post, request } from '../lib/api.js';
import { SIGNING_PARTIES, SIGNING_ROLE } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { date, dateTime, money, parseYuan, yuanInput } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { actionButton, asyncBlock, badge, facts, flash, pageHeader, section, table, timeline } from '../lib/ui.js';

function maySign(ctx, contract, party) {
  const allowed = contract.allowed_actions || [];
  if (!allowed.includes('sign') && !allowed.includes('sign_amendment')) return false;
  if ((contract.parties_signed || []).includes(party)) return false;
  if (!ctx.hasOwn(SIGNING_ROLE[party])) return false;
  return party !== 'provider' || String(ctx.claims.provider_id || '') === String(contract.provider_id);
}

function signatures(ctx, contract, etag, errors, reload) {
  // While an amendment is being signed, the signatures that count are those of the next revision.
  const revision = contract.status === 'amending' ? contract.revision + 1 : contract.revision;
  return h('ul', { class: 'signatures' }, SIGNING_PARTIES.map((party) => {
    const signature = (contract.signatures || []).filter((s) => s.party === party && s.revision === revision).pop();
    return h('li', { class: ['signature', signature && 'signed'], dataset: { party } },
      h('h3', t(`party.${party}`)),
      signature ? [h('p', { class: 'signed-mark' }, '✔ ', t('contract.signed')), h('p', signature.signer_name || ''),
        h('small', dateTime(signature.signed_at))]
        : [h('p', { class: 'muted' }, t('contract.not_signed')),
          maySign(ctx, contract, party) ? actionButton(t('contract.sign_as', { party: t(`party.${party}`) }), async () => {
            await request('POST', `/contracts/contracts/${contract.id}/signatures`, { body: { party }, etag });
            flash(t('contract.signed_flash', { party: t(`party.${party}`) }));
            reload();
          }, { errorSlot: errors, dataset: { sign: party } }) : null]);
  }));
}

function payForm(contract, milestone, reload) {
  const remaining = milestone.payable_fen - milestone.paid_fen;
  return form({
    className: 'inline-form',
    fields: [
      field({ name: 'amount', label: t('payment.amount_yuan'), value: yuanInput(remaining), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'memo', label: t('payment.memo') }),
    ],
    submitLabel: t('payment.pay'),
    locate: (key) => (key === 'amount_fen' ? 'amount' : key),
    onSubmit: async (chosen) => {
      const fen = parseYuan(chosen.amount);
      if (Number.isNaN(fen)) throw localProblem({ amount: [t('money.invalid')] });
      const payment = await post(`/contracts/contracts/${contract.id}/milestones/${milestone.id}/payments`,
        { amount_fen: fen, memo: chosen.memo });
      flash(t('payment.done', { number: payment.number || '', amount: money(fen) }));
      reload();
    },
  });
}

function milestones(ctx, contract, reload) {
  const payer = ctx.hasOwn('committee_member') && (contract.allowed_actions || []).includes('pay');
  const slot = h('div', { class: 'action-form' });
  return [table([
    { label: '#', cell: (m) => m.seq },
    { label: t('contract.milestone.name'), cell: (m) => m.name },
    { label: t('contract.milestone.kind'), cell: (m) => t(`milestone.kind.${m.kind}`) },
    { label: t('contract.milestone.due_date'), cell: (m) => (m.due_date ? date(m.due_date) : '—') },
    { label: t('contract.milestone.amount'), cell: (m) => money(m.amount_fen), class: 'num' },
    { label: t('contract.milestone.payable'), cell: (m) => money(m.payable_fen), class: 'num' },
    { label: t('contract.milestone.paid'), cell: (m) => money(m.paid_fen), class: 'num' },
    { label: t('contract.milestone.withheld'), cell: (m) => money(m.withheld_fen), class: 'num' },
    { label: t('common.status'), cell: (m) => [badge('milestone.status', m.status), m.grade ? badge('grade', m.grade) : null] },
    { label: t('common.actions'), cell: (m) => (payer && m.payable_fen > m.paid_fen ? h('button', { type: 'button',
      class: 'btn btn-small', onclick: () => replace(slot, h('h3', t('payment.for', { name: m.name })), payForm(contract, m, reload)) },
    t('payment.pay')) : '') },
  ], contract.milestones), slot];
}

function moneyActions(ctx, contract, etag, reload) {
  const allowed = contract.allowed_actions || [];
  const slot = h('div', { class: 'action-form' });
  const buttons = [];
  if (allowed.includes('allocate') && contract.buyer === 'subdistrict' && ctx.hasOwn('subdistrict_officer')) {
    buttons.push(h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => replace(slot, form({
      fields: [field({ name: 'amount', label: t('allocation.amount_yuan'), required: true,
        value: yuanInput(contract.value_fen - contract.withheld_fen - contract.allocated_fen) }),
      field({ name: 'memo', label: t('payment.memo') })],
      submitLabel: t('allocation.submit'),
      locate: (key) => (key === 'amount_fen' ? 'amount' : key),
      onSubmit: async (chosen) => {
        const fen = parseYuan(chosen.amount);
        if (Number.isNaN(fen)) throw localProblem({ amount: [t('money.invalid')] });
        await post(`/contracts/contracts/${contract.id}/allocations`, { amount_fen: fen, memo: chosen.memo });
        flash(t('allocation.done', { amount: money(fen) }));
        reload();
      } })) }, t('allocation.submit')));
  }
  if (allowed.includes('propose_amendment') && ctx.has('subdistrict_officer', 'committee_member')) {
    buttons.push(h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'amend', onclick: () => replace(slot, form({
      fields: [field({ name: 'reason', label: t('common.reason'), type: 'textarea', required: true }),
        field({ name: 'value', label: t('amendment.value_yuan'), help: t('amendment.unchanged'), attrs: { inputmode: 'decimal' } }),
        field({ name: 'period_end', label: t('amendment.period_end'), type: 'date', help: t('amendment.unchanged') })],
      submitLabel: t('amendment.propose'),
      locate: (key) => (key === 'value_fen' ? 'value' : key),
      onSubmit: async (chosen) => {
        const body = { reason: chosen.reason };
        if (chosen.value) {
          body.value_fen = parseYuan(chosen.value);
          if (Number.isNaN(body.value_fen)) throw localProblem({ value: [t('money.invalid')] });
        }
        if (chosen.period_end) body.period_end = chosen.period_end;
        await request('POST', `/contracts/contracts/${contract.id}/amendments`, { body, etag });
        flash(t('amendment.proposed'));
        reload();
      } })) }, t('amendment.propose')));
  }
  if (allowed.includes('terminate') && ctx.has('subdistrict_officer', 'committee_member')) {
    buttons.push(h('button', { type: 'button', class: 'btn btn-danger', onclick: () => replace(slot, form({
      fields: [field({ name: 'reason', label: t('common.reason'), type: 'textarea', required: true })],
      submitLabel: t('contract.terminate'),
      onSubmit: async (chosen) => {
        await request('POST', `/contracts/contracts/${contract.id}/termination`, { body: { reason: chosen.reason }, etag });
        reload();
      } })) }, t('contract.terminate')));
  }
  return buttons.length ? section(t('common.actions'), h('div', { class: 'actions' }, buttons), slot) : null;
}

export async function contractPage(ctx, params) {
  const page = h('div');
  const load = () => replace(page, asyncBlock(async () => {
    const { data: contract, etag } = await getWithEtag(`/contracts/contracts/${params.id}`);
    const history = await get(`/contracts/contracts/${params.id}/history`).catch(() => []);
    const errors = h('div', { 'aria-live': 'assertive' });
    return [
      pageHeader(`${contract.number} · ${contract.title}`, badge('contract.status', contract.status)),
      section(t('common.details'), facts([
        [t('contract.provider'), contract.provider_name],
        [t('contract.value'), money(contract.value_fen)],
        [t('contract.period'), `${date(contract.period_start)} – ${date(contract.period_end)}`],
        [t('tender.buyer'), t(`party.${contract.buyer}`)],
        [t('tender.funding_line'), t(`funding.${contract.funding_line}`)],
        [t('contract.allocated'), money(contract.allocated_fen)],
        [t('contract.paid'), money(contract.paid_fen)],
        [t('contract.withheld'), money(contract.withheld_fen)],
        [t('contract.revision'), String(contract.revision)],
        [t('contract.activated_at'), contract.activated_at ? dateTime(contract.activated_at) : null],
        [t('contract.deliverables'), (contract.deliverables || []).map((d) => `${d.description} ${d.quantity}${d.unit}/${label(`period.${d.period}`, d.period)}`).join('；')],
      ])),
      section(t('contract.signatures'), h('p', { class: 'muted' }, t('contract.signatures.help')), errors,
        signatures(ctx, contract, etag, errors, load)),
      section(t('contract.milestones'), milestones(ctx, contract, load)),
      moneyActions(ctx, contract, etag, load),
      (contract.amendments || []).length ? section(t('contract.amendments'), table([
        { label: t('contract.revision'), cell: (a) => String(a.revision) },
        { label: t('common.reason'), cell: (a) => a.reason },
        { label: t('common.status'), cell: (a) => a.status },
        { label: t('common.date'), cell: (a) => dateTime(a.proposed_at) },
      ], contract.amendments)) : null,
      section(t('common.history'), timeline(history.map((step) => ({ at: step.at,
        action: label(`contract.step.${step.action}`, step.action), from: step.from_state, to: step.to_state,
        who: [step.actor_name, step.actor_role ? label(`role.${step.actor_role}`, step.actor_role) : null].filter(Boolean).join(' · '),
        note: step.reason })), 'contract.status')),
    ];
  }));
  load();
  return page;
}
