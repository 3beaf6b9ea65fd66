// Drafting the contract of an awarded purchase: period and payment milestones (shares in %).
import { post } from '../lib/api.js';
import { h } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { t } from '../lib/i18n.js';
import { flash } from '../lib/ui.js';

/** "30" or "12.5" percent -> basis points (3000, 1250); NaN otherwise. */
export function percentToBp(text) {
  const match = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''));
  return match ? Number(match[1]) * 100 + Number((match[2] || '').padEnd(2, '0')) : NaN;
}

function milestoneRow(index, preset) {
  return h('fieldset', { class: 'row-fields', dataset: { field: `milestones.${index}` } },
    h('legend', t('contract.milestone_n', { n: index + 1 })),
    field({ name: `m${index}.name`, label: t('contract.milestone.name'), value: preset.name }),
    field({ name: `m${index}.kind`, label: t('contract.milestone.kind'), type: 'select', value: preset.kind,
      options: ['signing', 'scheduled', 'evaluation'].map((k) => ({ value: k, label: t(`milestone.kind.${k}`) })) }),
    field({ name: `m${index}.share`, label: t('contract.milestone.share'), value: preset.share, attrs: { inputmode: 'decimal' } }),
    field({ name: `m${index}.due_date`, label: t('contract.milestone.due_date'), type: 'date', value: preset.due || '' }),
    h('p', { class: 'field-error', hidden: true }));
}

export function contractForm(tender, done) {
  const year = tender.fiscal_year;
  const presets = [
    { name: t('contract.preset.signing'), kind: 'signing', share: '30' },
    { name: t('contract.preset.midyear'), kind: 'scheduled', share: '30', due: `${year}-06-30` },
    { name: t('contract.preset.evaluation'), kind: 'evaluation', share: '40', due: `${year}-12-31` },
    { name: '', kind: 'scheduled', share: '' },
  ];
  let rowOf = [];
  return form({
    locate: (key) => key.replace(/^milestones\.(\d+)/, (match, n) => `milestones.${rowOf[n] ?? n}`),
    fields: [
      field({ name: 'title', label: t('tender.title_field'), value: tender.title, wide: true }),
      field({ name: 'period_start', label: t('contract.period_start'), type: 'date', value: `${year}-01-01`, required: true }),
      field({ name: 'period_end', label: t('contract.period_end'), type: 'date', value: `${year}-12-31`, required: true }),
      h('div', { class: 'field-wide', dataset: { field: 'milestones' } }, h('p', { class: 'help' }, t('contract.milestones.help')),
        presets.map((preset, i) => milestoneRow(i, preset)), h('p', { class: 'field-error', hidden: true })),
    ],
    submitLabel: t('contract.draft.submit'),
    onSubmit: async (chosen) => {
      const milestones = [];
      const errors = {};
      rowOf = [];
      presets.forEach((_, i) => {
        if (!chosen[`m${i}.name`].trim() && !chosen[`m${i}.share`].trim()) return;
        const share = percentToBp(chosen[`m${i}.share`]);
        if (Number.isNaN(share)) errors[`milestones.${milestones.length}`] = [t('contract.share.invalid')];
        const milestone = { name: chosen[`m${i}.name`], kind: chosen[`m${i}.kind`], share_bp: share };
        if (chosen[`m${i}.due_date`]) milestone.due_date = chosen[`m${i}.due_date`];
        milestones.push(milestone);
        rowOf.push(i);
      });
      if (Object.keys(errors).length) throw localProblem(errors);
      const contract = await post('/contracts/contracts', { tender_id: tender.id, title: chosen.title,
        period_start: chosen.period_start, period_end: chosen.period_end, milestones });
      flash(t('contract.drafted', { number: contract.number }));
      done(contract);
    },
  });
}
