// Today: the worker's cells with this month's planned and completed rounds, rounds being
// walked (drafts), and a start button per cell. Kept in IndexedDB for the offline day.
import { get, listAll } from '../lib/api.js';
import { h } from '../lib/el.js';
import { dateTime, localDay } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { asyncBlock, empty, notice } from '../lib/ui.js';
import * as store from './store.js';

/** The cells the signed-in worker walks (center staff: every cell of the community). */
export async function myCells(ctx) {
  const community = ctx.community;
  const answer = await store.cached(`cells:${community}`, () => listAll('/grid/cells', { community }));
  const mine = ctx.hasOwn('grid_worker')
    ? answer.value.filter((cell) => (cell.workers || []).includes(ctx.claims.sub)) : answer.value;
  return { cells: mine, offline: answer.offline, at: answer.at };
}

/** The checklist (kept for offline rounds). */
export async function checklist() {
  return (await store.cached('checklist', () => get('/grid/checklist'))).value;
}

/** Buildings of a cell (kept for offline collection). */
export async function buildingsOf(code) {
  return (await store.cached(`buildings:${code}`, () => listAll('/grid/buildings', { cell_code: code }))).value;
}

function cellCard(ctx, cell, rate, draft) {
  const planned = rate ? rate.planned : 0;
  const completed = rate ? rate.completed : 0;
  return h('li', { class: 'field-card', dataset: { cell: cell.code } },
    h('div', { class: 'field-card-head' }, h('strong', cell.name), h('span', { class: 'muted' }, cell.code)),
    h('p', { class: 'rounds-line' }, t('field.today.rounds', { completed, planned }),
      planned > completed ? h('span', { class: 'badge badge-warn' }, t('field.today.left', { count: planned - completed }))
        : h('span', { class: 'badge badge-success' }, t('field.today.done'))),
    h('a', { class: 'btn btn-primary btn-block', href: ctx.href(`/rounds/${encodeURIComponent(cell.code)}`) },
      draft ? t('field.today.continue') : t('field.today.start')));
}

export async function todayPage(ctx) {
  const period = localDay().slice(0, 7);
  return h('section', { class: 'field-page' },
    h('h1', t('field.today.title')),
    h('p', { class: 'muted' }, t('field.today.period', { period })),
    asyncBlock(async () => {
      const { cells, offline, at } = await myCells(ctx);
      const rates = await store.cached(`rounds:${ctx.community}:${period}`,
        () => get('/grid/rounds', { community: ctx.community, period })).catch(() => ({ value: [] }));
      const drafts = new Set((await store.all('drafts')).map((draft) => draft.id));
      await checklist().catch(() => null);
      await Promise.all(cells.map((cell) => buildingsOf(cell.code).catch(() => null)));
      const byCell = new Map((rates.value || []).map((rate) => [rate.cell_code, rate]));
      return [
        offline ? notice(t('field.cached', { at: dateTime(at) }), 'warn') : null,
        cells.length ? h('ul', { class: 'field-cards' },
          cells.map((cell) => cellCard(ctx, cell, byCell.get(cell.code), drafts.has(`round:${cell.code}`))))
          : empty(t('field.today.no_cells')),
      ];
    }));
}
