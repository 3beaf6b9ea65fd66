// One grid case: details, history, notes and only the lifecycle steps the role may take now.
import { get, listAll, post } from '../lib/api.js';
import { DEPARTMENTS, GRID_ACTIONS, SEVERITIES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { mapView } from '../lib/map.js';
import { photoList } from '../lib/upload.js';
import { asyncBlock, badge, facts, flash, pageHeader, section, timeline } from '../lib/ui.js';

/** The steps `ctx` may take on `item` now (the service still decides). */
export function allowedGridActions(ctx, item) {
  return Object.entries(GRID_ACTIONS).filter(([, rule]) => rule.from.includes(item.status) &&
    (rule.reporter ? item.mine : ctx.has(...rule.roles))).map(([action]) => action);
}

function actionFields(action, ctx, cells) {
  const note = (required) => field({ name: 'note', label: t(required ? 'grid.note.reason' : 'common.note'), type: 'textarea', required });
  switch (action) {
    case 'accept': return [
      field({ name: 'severity', label: t('grid.severity'), type: 'select', placeholder: t('grid.keep_severity'),
        options: SEVERITIES.map((s) => ({ value: s, label: label(`severity.${s}`, s) })) }),
      ctx.has('center_staff') ? field({ name: 'cell_code', label: t('grid.cell'), type: 'select', placeholder: t('grid.keep_cell'),
        options: cells.map((c) => ({ value: c.code, label: `${c.code} ${c.name || ''}` })) }) : null,
    ].filter(Boolean);
    case 'resolve': return [field({ name: 'note', label: t('grid.note.resolution'), type: 'textarea', required: true })];
    case 'reject': case 'escalate': return [note(true)];
    case 'refer': return [field({ name: 'department', label: t('case.department'), type: 'select', required: true,
      placeholder: t('common.choose'), options: DEPARTMENTS.map((d) => ({ value: d, label: label(`department.${d}`, d) })) }), note(true)];
    case 'mark_duplicate': return [field({ name: 'duplicate_of', label: t('grid.duplicate_of'), required: true,
      attrs: { placeholder: 'GC-2026-000001' } })];
    default: return [note(false)];
  }
}

export async function gridCasePage(ctx, params) {
  const page = h('div');
  const cells = await listAll('/grid/cells', { community: ctx.community }).catch(() => []);
  const load = () => replace(page, asyncBlock(async () => {
    const item = await get(`/grid/cases/${encodeURIComponent(params.ref)}`);
    const history = await get(`/grid/cases/${encodeURIComponent(item.number)}/history`).catch(() => null);
    const slot = h('div', { class: 'action-form' });
    const actions = item.public ? [] : allowedGridActions(ctx, item);
    const open = (action) => replace(slot, h('h3', t(`grid.action.${action}`)), form({
      fields: actionFields(action, ctx, cells), submitLabel: t(`grid.action.${action}`),
      onSubmit: async (chosen) => {
        const body = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== ''));
        await post(`/grid/cases/${encodeURIComponent(item.number)}/${action}`, body);
        flash(t('grid.done', { number: item.number, action: t(`grid.action.${action}`) }));
        load();
      },
    }));
    const noteForm = item.public ? null : h('details', h('summary', t('grid.add_note')), form({
      fields: [field({ name: 'note', label: t('common.note'), type: 'textarea', required: true })],
      submitLabel: t('grid.add_note'),
      onSubmit: async (chosen) => {
        await post(`/grid/cases/${encodeURIComponent(item.number)}/notes`, { note: chosen.note });
        load();
      },
    }));
    const cell = cells.filter((c) => c.code === item.cell_code);
    return [
      pageHeader(`${item.number}`, badge('grid.status', item.status), ' ', badge('severity', item.severity),
        item.overdue ? h('span', { class: 'badge badge-danger' }, t('common.overdue')) : null),
      h('div', { class: 'grid-layout' },
        section(t('common.details'), facts([
          [t('grid.category'), label(`grid.category.${item.category}`, item.category_name)],
          [t('grid.description'), item.description],
          [t('grid.photos'), item.photos && item.photos.length ? photoList(item.photos) : null],
          [t('grid.address'), item.address],
          [t('grid.cell'), item.cell_code],
          [t('grid.source'), label(`grid.source.${item.source}`, item.source)],
          [t('grid.reported_at'), dateTime(item.reported_at)],
          [t('case.due_at'), dateTime(item.due_at)],
          [t('case.department'), item.department_name || (item.department ? label(`department.${item.department}`, item.department) : null)],
          [t('grid.escalation_level'), item.escalation_level !== 'community' ? label(`grid.level.${item.escalation_level}`, item.escalation_level) : null],
          [t('grid.duplicate_of'), item.duplicate_of],
          [t('grid.closed_kind'), item.closed_kind ? label(`grid.closed.${item.closed_kind}`, item.closed_kind) : null],
        ])),
        cell.length && item.lon !== null ? section(t('grid.location'), mapView({ cells: cell, title: item.number, compact: true,
          markers: [{ lon: item.lon, lat: item.lat, tone: item.severity, overdue: item.overdue, title: item.number }] })) : null),
      actions.length ? section(t('common.actions'), h('div', { class: 'actions' }, actions.map((action) =>
        h('button', { type: 'button', class: 'btn btn-secondary', dataset: { action }, onclick: () => open(action) },
          t(`grid.action.${action}`)))), slot) : null,
      section(t('common.history'), history ? timeline(history.map((step) => ({ at: step.at,
        action: label(`grid.step.${step.action}`, step.action), from: step.from_status, to: step.to_status,
        who: step.actor_role ? label(`role.${step.actor_role}`, step.actor_role) : null, note: step.note })), 'grid.status') : h('p', { class: 'muted' }, t('grid.history_hidden')),
      noteForm),
    ];
  }));
  load();
  return page;
}
