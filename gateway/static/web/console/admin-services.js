// Administration of what is delivered and inspected: service packages (服务项目) with their
// deliverables, and the grid's inspection checklist. Packages are never deleted (contracts
// point to them); a checklist item is retired by marking it inactive.
import { list, post, put, request } from '../lib/api.js';
import { GRID_CATEGORIES, SEVERITIES } from '../lib/domain.js';
import { downloadButtons } from '../lib/download.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { label, t } from '../lib/i18n.js';
import { actionButton, asyncBlock, flash, pageHeader, pager, section, table } from '../lib/ui.js';

const PERIODS = ['month', 'quarter', 'year'];

function deliverableRow(index) {
  const name = (part) => `deliverables.${index}.${part}`;
  return h('fieldset', { class: 'deliverable-row card', dataset: { field: `deliverables.${index}` } },
    h('legend', t('admin.deliverable', { n: index + 1 })),
    field({ name: name('code'), label: t('admin.code'), required: true, help: t('admin.code.help') }),
    field({ name: name('description'), label: t('admin.deliverable.description'), required: true }),
    field({ name: name('quantity'), label: t('admin.deliverable.quantity'), type: 'number', required: true, value: 1 }),
    field({ name: name('unit'), label: t('admin.deliverable.unit'), required: true }),
    field({ name: name('period'), label: t('admin.deliverable.period'), type: 'select', value: 'month',
      options: PERIODS.map((p) => ({ value: p, label: label(`period.${p}`, p) })) }));
}

export async function packagesPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  let page = 1;
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/contracts/packages', { community: ctx.community, page, page_size: 25 });
    return [table([
      { label: t('admin.code'), cell: (r) => r.code },
      { label: t('admin.name'), cell: (r) => r.name },
      { label: t('admin.deliverables'), cell: (r) => (r.deliverables || [])
        .map((d) => `${d.description} ${d.quantity}${d.unit}/${label(`period.${d.period}`, d.period)}`).join('；') },
      { label: t('common.status'), cell: (r) => (r.active ? t('admin.active') : t('admin.retired')) },
    ], answer.items, { emptyText: t('admin.empty') }), pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  const rows = h('div');
  let count = 0;
  const addRow = () => { rows.append(deliverableRow(count)); count += 1; };
  addRow();
  const create = ctx.has('subdistrict_officer', 'committee_member') ? form({
    fields: [
      field({ name: 'code', label: t('admin.code'), required: true, help: t('admin.code.help') }),
      field({ name: 'name', label: t('admin.name'), required: true }),
      field({ name: 'description', label: t('admin.package.description'), type: 'textarea' }),
    ],
    extra: h('div', h('h3', t('admin.deliverables')), rows,
      h('button', { type: 'button', class: 'btn btn-secondary', onclick: addRow }, t('admin.deliverable.add'))),
    submitLabel: t('admin.package.create'),
    onSubmit: async (chosen, element) => {
      const deliverables = Array.from({ length: count }, (_, i) => ({
        code: chosen[`deliverables.${i}.code`], description: chosen[`deliverables.${i}.description`],
        quantity: Number(chosen[`deliverables.${i}.quantity`]), unit: chosen[`deliverables.${i}.unit`],
        period: chosen[`deliverables.${i}.period`] }));
      const created = await post('/contracts/packages', { community: ctx.community, code: chosen.code, name: chosen.name,
        ...(chosen.description ? { description: chosen.description } : {}), deliverables });
      element.reset();
      replace(status, flash(t('admin.saved', { name: created.name })));
      load();
    },
  }) : null;
  return h('div', pageHeader(t('admin.packages'), downloadButtons('/contracts/packages', () => ({ community: ctx.community }))),
    status, section(t('admin.list'), results),
    create ? h('details', { class: 'card' }, h('summary', t('admin.package.new')), create) : null);
}

export async function checklistPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  const editor = ctx.has('subdistrict_officer');
  const save = async (code, body) => put(`/grid/checklist/${encodeURIComponent(code || 'missing')}`, body);
  const load = () => replace(results, asyncBlock(async () => {
    const items = (await request('GET', '/grid/checklist')).data || [];
    return table([
      { label: t('admin.code'), cell: (r) => r.code },
      { label: t('admin.checklist.area'), cell: (r) => r.area },
      { label: t('admin.checklist.title'), cell: (r) => r.title },
      { label: t('grid.category'), cell: (r) => label(`grid.category.${r.case_category}`, r.case_category) },
      { label: t('grid.severity'), cell: (r) => label(`severity.${r.default_severity}`, r.default_severity) },
      ...(editor ? [{ label: t('common.actions'), cell: (r) => actionButton(t('admin.retire'), async () => {
        await save(r.code, { area: r.area, title: r.title, case_category: r.case_category, default_severity: r.default_severity, active: false });
        load();
      }, { tone: 'secondary', errorSlot: status }) }] : []),
    ], items, { emptyText: t('admin.empty') });
  }));
  load();
  const create = editor ? form({
    fields: [
      field({ name: 'code', label: t('admin.code'), required: true, help: t('admin.code.help') }),
      field({ name: 'area', label: t('admin.checklist.area'), required: true }),
      field({ name: 'title', label: t('admin.checklist.title'), required: true }),
      field({ name: 'case_category', label: t('grid.category'), type: 'select', required: true, placeholder: t('common.choose'),
        options: GRID_CATEGORIES.map((c) => ({ value: c, label: label(`grid.category.${c}`, c) })) }),
      field({ name: 'default_severity', label: t('grid.severity'), type: 'select', value: 'medium',
        options: SEVERITIES.map((s) => ({ value: s, label: label(`severity.${s}`, s) })) }),
    ],
    submitLabel: t('admin.checklist.save'),
    onSubmit: async (chosen, element) => {
      const { code, ...body } = chosen;
      const saved = await save(code, { ...body, active: true });
      element.reset();
      replace(status, flash(t('admin.saved', { name: saved.title })));
      load();
    },
  }) : null;
  return h('div', pageHeader(t('admin.checklist')), status, section(t('admin.list'), results),
    create ? h('details', { class: 'card' }, h('summary', t('admin.checklist.new')), create) : null);
}
