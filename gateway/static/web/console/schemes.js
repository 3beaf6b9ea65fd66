// Evaluation: the schemes of the community and their rounds.
import { list } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { number, percent } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { downloadButtons } from '../lib/download.js';
import { asyncBlock, badge, pageHeader, pager, section, table } from '../lib/ui.js';

export async function evaluationPage(ctx) {
  const community = ctx.community;
  let schemePage = 1;
  let roundPage = 1;
  const schemes = h('div');
  const rounds = h('div');
  const loadSchemes = () => replace(schemes, asyncBlock(async () => {
    const answer = await list('/evaluation/schemes', { community, page: schemePage, page_size: 20 });
    return [table([
      { label: t('scheme.title_field'), cell: (s) => h('a', { href: ctx.href(`/evaluation/schemes/${s.id}`) }, s.title) },
      { label: t('scheme.year'), cell: (s) => String(s.year) },
      { label: t('scheme.version'), cell: (s) => `v${s.version}` },
      { label: t('scheme.committee_weight'), cell: (s) => percent((s.parties || []).find((p) => p.party === 'committee')?.weight) },
      { label: t('common.status'), cell: (s) => badge('scheme.status', s.status) },
    ], answer.items, { emptyText: t('evaluation.no_schemes') }), pager(answer.pagination, (p) => { schemePage = p; loadSchemes(); })];
  }));
  const loadRounds = () => replace(rounds, asyncBlock(async () => {
    const answer = await list('/evaluation/rounds', { community, page: roundPage, page_size: 20 });
    return [table([
      { label: t('scheme.title_field'), cell: (r) => h('a', { href: ctx.href(`/evaluation/rounds/${r.id}`) }, r.title) },
      { label: t('scheme.year'), cell: (r) => String(r.year) },
      { label: t('common.status'), cell: (r) => badge('round.status', r.status) },
      { label: t('result.score'), cell: (r) => (r.score === null || r.score === undefined ? '—' : number(r.score, 2)), class: 'num' },
      { label: t('result.grade'), cell: (r) => (r.grade ? badge('grade', r.grade) : '—') },
    ], answer.items, { emptyText: t('evaluation.no_rounds') }), pager(answer.pagination, (p) => { roundPage = p; loadRounds(); })];
  }));
  loadSchemes();
  loadRounds();
  return h('div',
    pageHeader(t('evaluation.title'), ctx.has('committee_member', 'subdistrict_officer')
      ? h('a', { class: 'btn btn-secondary', href: ctx.href('/evaluation/schemes/new') }, t('scheme.new')) : null),
    h('p', { class: 'muted' }, t('evaluation.intro')),
    section(t('evaluation.rounds'), downloadButtons('/evaluation/rounds', () => ({ community })), rounds),
    section(t('evaluation.schemes'), schemes));
}
