// Administration of the hall's catalogue (intake): business types (事项) with their forms
// (Open311-style attributes) and the materials to bring (办事指南), windows and their skills,
// the working-day calendar.
// Lists, create, edit, retire (a business type is deactivated, never deleted: tickets point to it).
import { getWithEtag, list, listAll, patch, post, put, request } from '../lib/api.js';
import { DEPARTMENTS } from '../lib/domain.js';
import { downloadButtons } from '../lib/download.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { date } from '../lib/format.js';
import { label, localName, t } from '../lib/i18n.js';
import { actionButton, asyncBlock, flash, pageHeader, pager, section, table } from '../lib/ui.js';

const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
const departmentOptions = DEPARTMENTS.map((d) => ({ value: d, label: label(`department.${d}`, d) }));

function attributeRow(index) {
  const name = (part) => `attributes.${index}.${part}`;
  return h('fieldset', { class: 'attribute-row card', dataset: { field: `attributes.${index}` } },
    h('legend', t('admin.attribute', { n: index + 1 })),
    field({ name: name('code'), label: t('admin.attribute.code'), required: true, help: t('admin.code.help') }),
    field({ name: name('description'), label: t('admin.attribute.description'), required: true }),
    field({ name: name('datatype'), label: t('admin.attribute.datatype'), type: 'select', value: 'string',
      options: DATATYPES.map((d) => ({ value: d, label: label(`admin.datatype.${d}`, d) })) }),
    field({ name: name('values'), label: t('admin.attribute.values'), help: t('admin.attribute.values.help') }),
    field({ name: name('required'), label: t('admin.attribute.required'), type: 'checkbox' }),
    field({ name: name('personal'), label: t('admin.attribute.personal'), type: 'checkbox' }));
}

/** The attributes typed in the rows, in the API's shape (values "key:name; key:name"). */
function attributesOf(chosen, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const get = (part) => chosen[`attributes.${i}.${part}`];
    const values = String(get('values') || '').split(/[;；]/).map((pair) => pair.trim()).filter(Boolean)
      .map((pair) => { const [key, ...rest] = pair.split(/[:：]/); return { key: key.trim(), name: (rest.join(':') || key).trim() }; });
    out.push({ code: get('code'), description: get('description'), datatype: get('datatype'), required: Boolean(get('required')),
      personal: Boolean(get('personal')), order: i + 1, values });
  }
  return out;
}

function businessTypeForm(ctx, onCreated) {
  const rows = h('div', { class: 'attribute-rows' });
  let count = 0;
  const addRow = () => { rows.append(attributeRow(count)); count += 1; };
  const extra = h('div', { class: 'attributes' }, h('h3', t('admin.attributes')), rows,
    h('button', { type: 'button', class: 'btn btn-secondary', onclick: addRow }, t('admin.attribute.add')));
  return form({
    fields: [
      field({ name: 'code', label: t('admin.code'), required: true, help: t('admin.code.help') }),
      field({ name: 'name_zh', label: t('admin.name_zh'), required: true }),
      field({ name: 'name_en', label: t('admin.name_en'), required: true }),
      field({ name: 'department', label: t('case.department'), type: 'select', required: true, placeholder: t('common.choose'), options: departmentOptions }),
      field({ name: 'typical_minutes', label: t('admin.typical_minutes'), type: 'number', value: 10, required: true }),
      field({ name: 'sla_days', label: t('admin.sla_days'), type: 'number', value: 5, required: true }),
      field({ name: 'ticket_prefix', label: t('admin.ticket_prefix'), value: 'A', required: true }),
      field({ name: 'needs_follow_up', label: t('admin.needs_follow_up'), type: 'checkbox' }),
      field({ name: 'required_documents', label: t('admin.required_documents'), type: 'textarea', wide: true,
        help: t('admin.required_documents.help') }),
    ],
    extra,
    submitLabel: t('admin.business_type.create'),
    onSubmit: async (chosen, element) => {
      const created = await post('/intake/business-types', {
        community: ctx.community, code: chosen.code, name_zh: chosen.name_zh, name_en: chosen.name_en,
        department: chosen.department, typical_minutes: Number(chosen.typical_minutes), sla_days: Number(chosen.sla_days),
        ticket_prefix: chosen.ticket_prefix, needs_follow_up: Boolean(chosen.needs_follow_up), attributes: attributesOf(chosen, count),
        required_documents: String(chosen.required_documents || '').split('\n').map((line) => line.trim()).filter(Boolean),
      });
      element.reset();
      replace(rows);
      count = 0;
      onCreated(created);
    },
  });
}

async function setActive(row, active, reload) {
  const current = await getWithEtag(`/intake/business-types/${row.id}`);
  await patch(`/intake/business-types/${row.id}`, { active }, current.etag);
  reload();
}

export async function businessTypesPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  let page = 1;
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/intake/business-types', { community: ctx.community, page, page_size: 25 });
    return [table([
      { label: t('admin.code'), cell: (r) => r.code },
      { label: t('admin.name'), cell: (r) => localName(r) },
      { label: t('case.department'), cell: (r) => label(`department.${r.department}`, r.department) },
      { label: t('admin.attributes'), cell: (r) => (r.attributes || []).map((a) => a.description).join('、') || '—' },
      { label: t('admin.required_documents'), cell: (r) => (r.required_documents || []).join('、') || '—' },
      { label: t('common.status'), cell: (r) => (r.active ? t('admin.active') : t('admin.retired')) },
      { label: t('common.actions'), cell: (r) => actionButton(r.active ? t('admin.retire') : t('admin.reactivate'),
        () => setActive(r, !r.active, load), { tone: 'secondary', errorSlot: status }) },
    ], answer.items, { emptyText: t('admin.empty') }), pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  return h('div', pageHeader(t('admin.business_types'), downloadButtons('/intake/business-types', () => ({ community: ctx.community }))),
    status, section(t('admin.list'), results),
    h('details', { class: 'card', open: true }, h('summary', t('admin.business_type.new')),
      businessTypeForm(ctx, (created) => { replace(status, flash(t('admin.saved', { name: created.code }))); load(); })));
}

export async function windowsPage(ctx) {
  const results = h('div');
  const status = h('div', { role: 'status' });
  const types = await listAll('/intake/business-types', { community: ctx.community });
  const skillOptions = types.filter((ty) => ty.active).map((ty) => ({ value: ty.code, label: localName(ty) }));
  const change = async (row, changes) => {
    const current = await getWithEtag(`/intake/windows/${row.id}`);
    await patch(`/intake/windows/${row.id}`, changes, current.etag);
    load();
  };
  const load = () => replace(results, asyncBlock(async () => {
    const windows = await listAll('/intake/windows', { community: ctx.community });
    return table([
      { label: t('admin.window.number'), cell: (r) => String(r.number) },
      { label: t('admin.window.label'), cell: (r) => r.label || '—' },
      { label: t('admin.window.mode'), cell: (r) => t(`admin.window.mode.${r.mode}`) },
      { label: t('admin.window.skills'), cell: (r) => (r.skills || []).join('、') || '—' },
      { label: t('common.status'), cell: (r) => t(`admin.window.status.${r.status}`) },
      { label: t('common.actions'), cell: (r) => (r.status === 'closed'
        ? actionButton(t('admin.window.open'), () => change(r, { status: 'open' }), { tone: 'secondary', errorSlot: status })
        : actionButton(t('admin.window.close'), () => change(r, { status: 'closed' }), { tone: 'secondary', errorSlot: status })) },
    ], windows, { emptyText: t('admin.empty') });
  }));
  load();
  const create = form({
    fields: [
      field({ name: 'number', label: t('admin.window.number'), type: 'number', required: true }),
      field({ name: 'label', label: t('admin.window.label') }),
      field({ name: 'mode', label: t('admin.window.mode'), type: 'select', value: 'generalist',
        options: ['generalist', 'dedicated'].map((m) => ({ value: m, label: t(`admin.window.mode.${m}`) })) }),
      field({ name: 'status', label: t('common.status'), type: 'select', value: 'open',
        options: ['open', 'paused', 'closed'].map((s) => ({ value: s, label: t(`admin.window.status.${s}`) })) }),
      field({ name: 'skills', label: t('admin.window.skills'), type: 'checkboxes', options: skillOptions }),
    ],
    submitLabel: t('admin.window.create'),
    onSubmit: async (chosen, element) => {
      const number = chosen.number === '' ? null : Number(chosen.number);
      const created = await post('/intake/windows', { community: ctx.community, number, mode: chosen.mode,
        status: chosen.status, skills: chosen.skills || [], ...(chosen.label ? { label: chosen.label } : {}) });
      element.reset();
      replace(status, flash(t('admin.saved', { name: String(created.number) })));
      load();
    },
  });
  return h('div', pageHeader(t('admin.windows')), status, section(t('admin.list'), results),
    h('details', { class: 'card', open: true }, h('summary', t('admin.window.new')), create));
}

export async function calendarPage(ctx, params, query) {
  const year = Number(query.year) || new Date().getFullYear();
  const results = h('div');
  const status = h('div', { role: 'status' });
  const editor = ctx.has('subdistrict_officer');
  const load = () => replace(results, asyncBlock(async () => {
    const days = await request('GET', '/intake/calendar', { query: { year } });
    return table([
      { label: t('admin.calendar.day'), cell: (r) => date(r.day) },
      { label: t('admin.calendar.kind'), cell: (r) => t(`admin.calendar.kind.${r.kind}`) },
      { label: t('admin.name'), cell: (r) => r.name },
      { label: t('admin.calendar.source'), cell: (r) => r.source || '—' },
      ...(editor ? [{ label: t('common.actions'), cell: (r) => actionButton(t('admin.calendar.remove'),
        async () => { await request('DELETE', `/intake/calendar/${r.day}`); load(); }, { tone: 'secondary', errorSlot: status }) }] : []),
    ], days.data || [], { emptyText: t('admin.empty') });
  }));
  load();
  const mark = editor ? form({
    fields: [
      field({ name: 'day', label: t('admin.calendar.day'), type: 'date', required: true }),
      field({ name: 'kind', label: t('admin.calendar.kind'), type: 'select', value: 'holiday',
        options: ['holiday', 'workday'].map((k) => ({ value: k, label: t(`admin.calendar.kind.${k}`) })) }),
      field({ name: 'name', label: t('admin.name'), required: true }),
    ],
    submitLabel: t('admin.calendar.mark'),
    onSubmit: async (chosen, element) => {
      await put(`/intake/calendar/${chosen.day || 'missing'}`, { kind: chosen.kind, name: chosen.name });
      element.reset();
      replace(status, flash(t('admin.saved', { name: chosen.name })));
      load();
    },
  }) : null;
  return h('div', pageHeader(t('admin.calendar'), h('p', { class: 'muted' }, t('admin.calendar.intro', { year }))),
    status, section(t('admin.list'), results),
    mark ? h('details', { class: 'card', open: true }, h('summary', t('admin.calendar.new')), mark) : null);
}
