// One purchase: its terms, every step (who, when, why), bids, and the steps the role may take.
import { get, getWithEtag, request } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { dateTime, money, parseYuan } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, badge, facts, flash, pageHeader, section, table, timeline } from '../lib/ui.js';
import { contractForm } from './contract-form.js';

const BUYER_ROLE = { subdistrict: 'subdistrict_officer', committee: 'committee_member' };

function reasonField(required = true) {
  return field({ name: 'reason', label: t('common.reason'), type: 'textarea', required });
}

/** The steps of a purchase: endpoint, body builder, fields and who may take them. */
function steps(tender, ctx, bids) {
  const buyer = BUYER_ROLE[tender.buyer];
  const decision = (step, verdict) => ({ path: 'decisions', fields: [reasonField()], roles: ['committee_member'], own: true,
    body: (v) => ({ step, decision: verdict, reason: v.reason }) });
  return {
    submit: { path: 'submission', fields: [reasonField(false)], roles: [buyer], body: (v) => ({ reason: v.reason }) },
    approve_tender: decision('tender', 'approve'),
    return_tender: decision('tender', 'return'),
    publish: { path: 'publication', fields: [reasonField(false)], roles: [buyer], body: (v) => ({ reason: v.reason }) },
    close_bidding: { path: 'closing', fields: [reasonField(false)], roles: [buyer], body: (v) => ({ reason: v.reason }) },
    propose_award: { path: 'award', roles: [buyer], fields: [
      field({ name: 'bid_id', label: t('tender.bid'), type: 'select', required: true, placeholder: t('common.choose'),
        options: bids.map((b) => ({ value: b.id, label: `${b.provider_name || b.provider_id} · ${money(b.amount_fen)}` })) }),
      reasonField()], body: (v) => ({ bid_id: v.bid_id, reason: v.reason }) },
    approve_award: decision('award', 'approve'),
    return_award: decision('award', 'return'),
    bid: { path: 'bids', roles: ['provider_signatory'], own: true, fields: [
      field({ name: 'amount', label: t('tender.bid_amount'), required: true, attrs: { inputmode: 'decimal' } }),
      field({ name: 'proposal', label: t('tender.proposal'), type: 'textarea' })],
    body: (v) => {
      const fen = parseYuan(v.amount);
      if (Number.isNaN(fen)) throw localProblem({ amount: [t('money.invalid')] });
      return { provider_id: ctx.claims.provider_id, amount_fen: fen, proposal: v.proposal };
    } },
    cancel: { path: 'cancellation', fields: [reasonField()], roles: [buyer, 'committee_member'], body: (v) => ({ reason: v.reason }) },
  };
}

export async function tenderPage(ctx, params) {
  const page = h('div');
  const load = () => replace(page, asyncBlock(async () => {
    const { data: tender, etag } = await getWithEtag(`/contracts/tenders/${params.id}`);
    const bids = await get(`/contracts/tenders/${params.id}/bids`).catch(() => []);
    const slot = h('div', { class: 'action-form' });
    const known = steps(tender, ctx, bids);
    const mayTake = (action) => {
      const step = known[action];
      if (!step) return false;
      if (action === 'bid') return ctx.hasOwn('provider_signatory') && Boolean(ctx.claims.provider_id);
      return step.own ? ctx.hasOwn(...step.roles) : ctx.has(...step.roles);
    };
    const actions = (tender.allowed_actions || []).filter(mayTake);
    const open = (action) => replace(slot, h('h3', t(`tender.action.${action}`)), form({
      fields: known[action].fields, submitLabel: t(`tender.action.${action}`),
      onSubmit: async (chosen) => {
        // A committee decision names the revision read (If-Match); the other steps ignore it.
        await request('POST', `/contracts/tenders/${tender.id}/${known[action].path}`, { body: known[action].body(chosen), etag });
        flash(t('tender.done', { number: tender.number, action: t(`tender.action.${action}`) }));
        load();
      },
      locate: (key) => (key === 'amount_fen' ? 'amount' : key),
    }));
    const buttons = actions.map((action) => h('button', { type: 'button', dataset: { action },
      class: `btn ${action.startsWith('approve') ? 'btn-primary' : 'btn-secondary'}`, onclick: () => open(action) },
    t(`tender.action.${action}`)));
    const drafting = tender.status === 'awarded' && ctx.has(BUYER_ROLE[tender.buyer])
      ? section(t('contract.draft'), contractForm(tender, (contract) => ctx.navigate(`/contracts/${contract.id}`))) : null;
    return [
      pageHeader(`${tender.number} · ${tender.title}`, badge('tender.status', tender.status)),
      section(t('common.details'), facts([
        [t('tender.description'), tender.description],
        [t('tender.buyer'), t(`party.${tender.buyer}`)],
        [t('tender.method'), label(`tender.method.${tender.method}`, tender.method)],
        [t('tender.funding_line'), t(`funding.${tender.funding_line}`)],
        [t('tender.estimate'), money(tender.estimated_value_fen)],
        [t('tender.packages'), (tender.package_codes || []).join('、')],
        [t('tender.single_source_reason'), tender.single_source_reason],
        [t('tender.bid_deadline'), tender.bid_deadline ? dateTime(tender.bid_deadline) : null],
        [t('tender.award_value'), tender.award_value_fen ? money(tender.award_value_fen) : null],
        [t('tender.award_reason'), tender.award_reason],
      ])),
      actions.length ? section(t('common.actions'), h('div', { class: 'actions' }, buttons), slot) : null,
      drafting,
      section(t('tender.bids'), table([
        { label: t('contract.provider'), cell: (b) => b.provider_name || b.provider_id },
        { label: t('tender.bid_amount'), cell: (b) => money(b.amount_fen), class: 'num' },
        { label: t('tender.proposal'), cell: (b) => b.proposal || '' },
        { label: t('tender.submitted_at'), cell: (b) => dateTime(b.submitted_at) },
      ], bids, { emptyText: t('tender.no_bids') })),
      section(t('common.history'), timeline((tender.steps || []).map((step) => ({ at: step.at,
        action: label(`tender.step.${step.action}`, step.action), from: step.from_state, to: step.to_state,
        who: [step.actor_name, step.actor_role ? label(`role.${step.actor_role}`, step.actor_role) : null].filter(Boolean).join(' · '),
        note: step.reason })), 'tender.status')),
    ];
  }));
  load();
  return page;
}
