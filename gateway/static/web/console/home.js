// The console's start page: what waits for the signed-in person, and where to go.
import { list } from '../lib/api.js';
import { h } from '../lib/el.js';
import { t } from '../lib/i18n.js';
import { asyncBlock, pageHeader, section } from '../lib/ui.js';
import { contractScope } from './tenders.js';

async function count(path, query) {
  try {
    const answer = await list(path, { ...query, page_size: 1 });
    return answer.pagination ? answer.pagination.total : answer.items.length;
  } catch {
    return null;
  }
}

/** [label key, href, promise of a count] for the roles held. */
function todo(ctx) {
  const community = ctx.community;
  const items = [];
  if (ctx.has('center_staff')) {
    items.push(['home.todo.waiting', '/desk', count('/intake/tickets', { community, status: 'waiting' })]);
    items.push(['home.todo.cases_overdue', '/cases?overdue=true', count('/intake/cases', { community, overdue: 'true' })]);
  }
  if (ctx.has('center_staff', 'grid_worker')) {
    items.push(['home.todo.grid_reported', '/grid?status=reported', count('/grid/cases', { community, status: 'reported' })]);
    items.push(['home.todo.grid_overdue', '/grid?overdue=true', count('/grid/cases', { community, overdue: 'true' })]);
  }
  if (ctx.has('committee_member')) {
    items.push(['home.todo.tender_approvals', '/contracts', count('/contracts/tenders', { community, status: 'pending_approval' })]);
    items.push(['home.todo.award_approvals', '/contracts', count('/contracts/tenders', { community, status: 'award_proposed' })]);
  }
  if (ctx.has('committee_member', 'subdistrict_officer', 'provider_signatory')) {
    items.push(['home.todo.signing', '/contracts', count('/contracts/contracts', { ...contractScope(ctx), status: 'signing' })]);
  }
  if (ctx.has('committee_member', 'subdistrict_officer', 'evaluator')) {
    items.push(['home.todo.rounds', '/evaluation', count('/evaluation/rounds', { community, status: 'scoring' })]);
  }
  return items;
}

export async function homePage(ctx) {
  const items = todo(ctx);
  return h('div',
    pageHeader(t('console.home'), h('p', { class: 'muted' }, t('home.intro'))),
    section(t('home.todo'), asyncBlock(async () => {
      const counts = await Promise.all(items.map((item) => item[2]));
      if (items.length === 0) return h('p', t('home.nothing'));
      return h('ul', { class: 'tiles' }, items.map(([key, path], i) => h('li',
        h('a', { href: ctx.href(path) }, h('strong', { class: 'tile-number' }, counts[i] ?? '—'), h('span', t(key))))));
    })));
}
