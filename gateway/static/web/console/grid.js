// Grid cases: the cells drawn from their GeoJSON with open cases as markers, and the list.
import { ApiError, list, listAll } from '../lib/api.js';
import { GRID_CASE_STATUSES, GRID_CATEGORIES, GRID_OPEN, SEVERITIES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, values } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { mapView } from '../lib/map.js';
import { asyncBlock, badge, empty, pageHeader, pager, section, table } from '../lib/ui.js';

/** Cases in full where the role may see them, else the public view (403 on /cases). */
export async function gridCases(query) {
  try {
    return { ...(await list('/grid/cases', query)), view: 'full' };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { ...(await list('/grid/cases/public', query)), view: 'public' };
    throw error;
  }
}

function severityLegend() {
  return h('ul', { class: 'legend' }, [...SEVERITIES.map((s) => h('li',
    h('span', { class: `swatch severity-${s}`, 'aria-hidden': 'true' }), label(`severity.${s}`, s))),
  h('li', h('span', { class: 'swatch swatch-overdue', 'aria-hidden': 'true' }), t('common.overdue'))]);
}

function filterForm(filters, cells, onChange) {
  const element = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    field({ name: 'status', label: t('common.status'), type: 'select', value: filters.status, placeholder: t('common.all'),
      options: GRID_CASE_STATUSES.map((s) => ({ value: s, label: label(`grid.status.${s}`, s) })) }),
    field({ name: 'category', label: t('grid.category'), type: 'select', value: filters.category, placeholder: t('common.all'),
      options: GRID_CATEGORIES.map((c) => ({ value: c, label: label(`grid.category.${c}`, c) })) }),
    field({ name: 'severity', label: t('grid.severity'), type: 'select', value: filters.severity, placeholder: t('common.all'),
      options: SEVERITIES.map((s) => ({ value: s, label: label(`severity.${s}`, s) })) }),
    field({ name: 'cell_code', label: t('grid.cell'), type: 'select', value: filters.cell_code, placeholder: t('common.all'),
      options: cells.map((c) => ({ value: c.code, label: `${c.code} ${c.name || ''}` })) }),
    field({ name: 'overdue', label: t('case.overdue_only'), type: 'checkbox', value: filters.overdue === 'true' }));
  element.addEventListener('change', () => {
    const chosen = values(element);
    onChange({ ...chosen, overdue: chosen.overdue ? 'true' : '' });
  });
  return element;
}

export async function gridPage(ctx, params, query) {
  const community = ctx.community;
  const cells = await listAll('/grid/cells', { community });
  const filters = { status: query.status || '', category: query.category || '', severity: query.severity || '',
    cell_code: query.cell_code || '', overdue: query.overdue || '' };
  let page = 1;
  const mapSlot = h('div');
  const listSlot = h('div');
  const caseHref = (c) => ctx.href(`/grid/cases/${encodeURIComponent(c.number)}`);
  const loadMap = () => replace(mapSlot, asyncBlock(async () => {
    const open = [];
    for (const status of GRID_OPEN) {
      if (filters.status && filters.status !== status) continue;
      const answer = await gridCases({ community, status, category: filters.category, severity: filters.severity,
        cell_code: filters.cell_code, overdue: filters.overdue, page_size: 100 });
      open.push(...answer.items);
    }
    const shown = filters.cell_code ? cells.filter((c) => c.code === filters.cell_code) : cells;
    const map = !cells.length ? null : mapView({ cells: shown.length ? shown : cells, title: t('grid.map.title', { n: open.length }),
      position: ctx.hasOwn('grid_worker'),
      markers: open.map((c) => ({ lon: c.lon, lat: c.lat, tone: c.severity, overdue: c.overdue, href: caseHref(c),
        title: `${c.number} · ${label(`grid.category.${c.category}`, c.category_name)} · ${label(`severity.${c.severity}`, c.severity)}${c.overdue ? ` · ${t('common.overdue')}` : ''}` })) });
    return map ? [map, severityLegend(), h('p', { class: 'muted' }, t('grid.map.count', { n: open.length }))] : empty(t('grid.no_cells'));
  }));
  const loadList = () => replace(listSlot, asyncBlock(async () => {
    const answer = await gridCases({ community, ...filters, page, page_size: 25 });
    return [answer.view === 'public' ? h('p', { class: 'muted' }, t('grid.public_view')) : null,
      table([
        { label: t('case.number'), cell: (r) => h('a', { href: caseHref(r) }, r.number) },
        { label: t('grid.category'), cell: (r) => label(`grid.category.${r.category}`, r.category_name) },
        { label: t('grid.severity'), cell: (r) => badge('severity', r.severity) },
        { label: t('common.status'), cell: (r) => badge('grid.status', r.status) },
        { label: t('grid.cell'), cell: (r) => r.cell_code || '—' },
        { label: t('grid.reported_at'), cell: (r) => dateTime(r.reported_at) },
        { label: t('case.due_at'), cell: (r) => [dateTime(r.due_at), r.overdue ? h('span', { class: 'badge badge-danger' }, t('common.overdue')) : null] },
      ], answer.items, { rowClass: (r) => (r.overdue ? 'overdue' : null), emptyText: t('grid.empty') }),
      pager(answer.pagination, (p) => { page = p; loadList(); })];
  }));
  loadMap();
  loadList();
  return h('div', pageHeader(t('grid.title')),
    filterForm(filters, cells, (chosen) => { Object.assign(filters, chosen); page = 1; loadMap(); loadList(); }),
    h('div', { class: 'grid-page' }, section(t('grid.map'), mapSlot), section(t('grid.list'), listSlot)));
}
