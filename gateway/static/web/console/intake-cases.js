// Intake cases (办件): filtered list, and a case's detail with its history and allowed steps.
import { get, list, listAll, post } from '../lib/api.js';
import { DEPARTMENTS, GRID_CATEGORIES, INTAKE_CASE_ACTIONS, INTAKE_CASE_STATUSES, SEVERITIES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { downloadButtons } from '../lib/download.js';
import { field, form, values } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { label, localName, t } from '../lib/i18n.js';
import { asyncBlock, badge, facts, flash, pageHeader, pager, section, table, timeline } from '../lib/ui.js';

function filterForm(query, onChange, types) {
  const element = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    field({ name: 'status', label: t('common.status'), type: 'select', value: query.status, placeholder: t('common.all'),
      options: INTAKE_CASE_STATUSES.map((s) => ({ value: s, label: label(`case.status.${s}`, s) })) }),
    field({ name: 'business_type', label: t('ticket.business_type'), type: 'select', value: query.business_type,
      placeholder: t('common.all'), options: types.map((ty) => ({ value: ty.code, label: localName(ty) })) }),
    field({ name: 'referral_target', label: t('case.referral_target'), type: 'select', value: query.referral_target,
      placeholder: t('common.all'), options: ['grid', ...DEPARTMENTS].map((d) => ({ value: d, label: label(`department.${d}`, d) })) }),
    field({ name: 'overdue', label: t('case.overdue_only'), type: 'checkbox', value: query.overdue === 'true' }));
  element.addEventListener('change', () => {
    const chosen = values(element);
    onChange({ status: chosen.status, business_type: chosen.business_type, referral_target: chosen.referral_target,
      overdue: chosen.overdue ? 'true' : '' });
  });
  return element;
}

export async function intakeCasesPage(ctx, params, query) {
  const community = ctx.community;
  const types = await listAll('/intake/business-types', { community });
  const typeName = new Map(types.map((ty) => [ty.code, localName(ty)]));
  const filters = { status: query.status || '', business_type: query.business_type || '',
    referral_target: query.referral_target || '', overdue: query.overdue || '' };
  let page = 1;
  const results = h('div');
  const load = () => replace(results, asyncBlock(async () => {
    const answer = await list('/intake/cases', { community, ...filters, page, page_size: 25 });
    return [table([
      { label: t('case.number'), cell: (r) => h('a', { href: ctx.href(`/cases/${r.id}`) }, r.number) },
      { label: t('ticket.business_type'), cell: (r) => typeName.get(r.business_type) || r.business_type || '—' },
      { label: t('common.status'), cell: (r) => badge('case.status', r.status) },
      { label: t('case.opened_at'), cell: (r) => dateTime(r.opened_at) },
      { label: t('case.due_at'), cell: (r) => [dateTime(r.due_at), r.overdue ? h('span', { class: 'badge badge-danger' }, t('common.overdue')) : null] },
      { label: t('case.referral_target'), cell: (r) => (r.referral_target ? label(`department.${r.referral_target}`, r.referral_target) : '') },
    ], answer.items, { rowClass: (r) => (r.overdue ? 'overdue' : null), emptyText: t('cases.empty') }),
    pager(answer.pagination, (p) => { page = p; load(); })];
  }));
  load();
  return h('div', pageHeader(t('cases.title'), downloadButtons('/intake/cases', () => ({ community, ...filters }))),
    filterForm(filters, (chosen) => { Object.assign(filters, chosen); page = 1; load(); }, types), results);
}

function actionFields(action) {
  const note = field({ name: 'note', label: t('common.note'), type: 'textarea' });
  switch (action) {
    case 'await-department':
      return [field({ name: 'department', label: t('case.department'), type: 'select', required: true, placeholder: t('common.choose'),
        options: DEPARTMENTS.map((d) => ({ value: d, label: label(`department.${d}`, d) })) })];
    case 'refer':
      return [
        field({ name: 'target', label: t('case.referral_target'), type: 'select', required: true, placeholder: t('common.choose'),
          options: ['grid', ...DEPARTMENTS].map((d) => ({ value: d, label: label(`department.${d}`, d) })) }),
        field({ name: 'category', label: t('grid.category'), type: 'select', placeholder: t('common.none'),
          options: GRID_CATEGORIES.map((c) => ({ value: c, label: label(`grid.category.${c}`, c) })) }),
        field({ name: 'severity', label: t('grid.severity'), type: 'select', placeholder: t('common.none'),
          options: SEVERITIES.map((s) => ({ value: s, label: label(`severity.${s}`, s) })) }),
        field({ name: 'lon', label: t('geo.lon'), type: 'number', attrs: { step: 'any' } }),
        field({ name: 'lat', label: t('geo.lat'), type: 'number', attrs: { step: 'any' } }),
      ];
    case 'resolve':
      return [
        field({ name: 'resolution', label: t('case.resolution'), type: 'textarea', required: true }),
        field({ name: 'resolved_by', label: t('case.resolved_by'), type: 'select', value: 'desk',
          options: ['desk', 'department'].map((v) => ({ value: v, label: t(`case.resolved_by.${v}`) })) }),
      ];
    default:
      return [note];
  }
}

function actionBody(action, chosen) {
  const body = {};
  for (const [key, value] of Object.entries(chosen)) {
    if (value === '' || value === null) continue;
    body[key] = ['lon', 'lat'].includes(key) ? Number(value) : value;
  }
  return body;
}

export async function intakeCasePage(ctx, params) {
  const detail = h('div');
  const types = await listAll('/intake/business-types', { community: ctx.community }).catch(() => []);
  const typeName = (code) => localName(types.find((ty) => ty.code === code)) || code;
  const load = () => replace(detail, asyncBlock(async () => {
    const item = await get(`/intake/cases/${params.id}`);
    const slot = h('div', { class: 'action-form' });
    const allowed = ctx.has('center_staff') ? INTAKE_CASE_ACTIONS[item.status] || [] : [];
    const buttons = allowed.map((action) => h('button', { type: 'button', class: 'btn btn-secondary', dataset: { action },
      onclick: () => replace(slot, h('h3', t(`case.action.${action}`)), form({
        fields: actionFields(action), submitLabel: t(`case.action.${action}`),
        onSubmit: async (chosen) => {
          await post(`/intake/cases/${item.id}/${action}`, actionBody(action, chosen));
          flash(t('case.done', { number: item.number }));
          load();
        },
      })) }, t(`case.action.${action}`)));
    return [
      pageHeader(`${t('cases.detail')} ${item.number}`, badge('case.status', item.status),
        item.overdue ? h('span', { class: 'badge badge-danger' }, t('common.overdue')) : null),
      section(t('common.details'), facts([
        [t('case.summary'), item.summary],
        [t('ticket.business_type'), item.business_type ? typeName(item.business_type) : null],
        [t('case.opened_at'), dateTime(item.opened_at)],
        [t('case.due_at'), dateTime(item.due_at)],
        [t('case.referral_target'), item.referral_target ? label(`department.${item.referral_target}`, item.referral_target) : null],
        [t('case.grid_case'), item.grid_case_number],
        [t('case.resolution'), item.resolution],
        [t('case.resolved_at'), item.resolved_at ? dateTime(item.resolved_at) : null],
        [t('case.on_time'), item.on_time === null || item.on_time === undefined ? null : t(item.on_time ? 'common.yes' : 'common.no')],
        [t('ticket.contact_phone'), item.contact_phone],
      ])),
      allowed.length ? section(t('common.actions'), h('div', { class: 'actions' }, buttons), slot) : null,
      section(t('common.history'), timeline((item.steps || []).map((step) => ({
        at: step.at, action: label(`case.step.${step.action}`, step.action), from: step.from_status, to: step.to_status,
        who: step.actor || step.staff_sub, note: step.note })), 'case.status')),
    ];
  }));
  load();
  return detail;
}
