// An evaluation round: progress, the scoring sheet of the signed-in party, closing, the result.
import { get, getWithEtag, post, request } from '../lib/api.js';
import { SCORING_PARTY } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { date, dateTime } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { actionButton, asyncBlock, badge, facts, flash, notice, pageHeader, section } from '../lib/ui.js';
import { resultView } from '../shared/result.js';

/** The party indicators of a scheme in order, with their path of names. */
export function partyIndicators(scheme) {
  const out = [];
  const walk = (nodes, path) => {
    for (const node of nodes || []) {
      if (node.children && node.children.length) walk(node.children, [...path, node.name]);
      else if (node.source === 'party') out.push({ code: node.code, name: node.name, path });
    }
  };
  walk(scheme.dimensions, []);
  return out;
}

/** The parties the signed-in person may score as in this round. */
function myParties(ctx, scheme) {
  const inRound = new Set((scheme.parties || []).map((p) => p.party));
  const parties = Object.entries(SCORING_PARTY).filter(([role]) => ctx.hasOwn(role)).map(([, party]) => party);
  if (ctx.hasOwn('evaluator') && scheme.survey?.mode === 'entered') parties.push('resident_survey');
  return parties.filter((party) => inRound.has(party));
}

function progress(round) {
  return h('ul', { class: 'progress-list' }, (round.progress || []).map((p) => h('li',
    h('span', t(`party.${p.party}`)),
    h('progress', { max: p.indicators_total || 1, value: p.indicators_scored,
      'aria-label': t('round.progress_of', { party: t(`party.${p.party}`) }) }),
    h('span', { class: 'muted' }, p.computed ? t('round.computed')
      : t('round.progress', { scored: p.indicators_scored, total: p.indicators_total, members: p.members })))));
}

function scoreSheet(round, party, indicators, mine, reload) {
  const previous = new Map(mine.filter((s) => s.party === party).map((s) => [s.indicator, s.score]));
  let sent = [];
  return form({
    className: 'score-sheet',
    fields: indicators.map((indicator, k) => field({ name: `scores.${k}.score`,
      label: `${indicator.code} ${indicator.name}`, help: indicator.path.join(' › '), type: 'number',
      value: previous.has(indicator.code) ? String(previous.get(indicator.code)) : '',
      attrs: { min: 0, max: 100, step: '0.01', inputmode: 'decimal' } })),
    submitLabel: t('round.submit_scores', { party: t(`party.${party}`) }),
    locate: (key) => key.replace(/^scores\.(\d+)/, (m, n) => `scores.${sent[Number(n)] ?? n}`),
    onSubmit: async (chosen) => {
      sent = [];
      const scores = [];
      indicators.forEach((indicator, k) => {
        const value = chosen[`scores.${k}.score`];
        if (value === '') return;
        sent.push(k);
        scores.push({ indicator: indicator.code, score: value });
      });
      await post(`/evaluation/rounds/${round.id}/scores`, { party, scores });
      flash(t('round.scores_saved', { n: scores.length }));
      reload();
    },
  });
}

export async function roundPage(ctx, params) {
  const page = h('div');
  const load = () => replace(page, asyncBlock(async () => {
    const { data: round, etag } = await getWithEtag(`/evaluation/rounds/${params.id}`);
    const errors = h('div', { 'aria-live': 'assertive' });
    const header = pageHeader(round.title, badge('round.status', round.status));
    const about = section(t('common.details'), facts([
      [t('scheme.year'), String(round.year)],
      [t('round.period'), `${date(round.period_start)} – ${date(round.period_end)}`],
      [t('round.opened_at'), dateTime(round.opened_at)],
      [t('round.closed_at'), round.closed_at ? dateTime(round.closed_at) : null],
      [t('scheme.version'), `v${round.scheme_version}`],
    ]));
    if (round.status === 'closed') {
      const result = await get(`/evaluation/rounds/${round.id}/result`);
      return [header, about, section(t('result.title'), resultView(result))];
    }
    if (round.status === 'cancelled') return [header, about];
    const scheme = await get(`/evaluation/schemes/${round.scheme_id}`);
    const indicators = partyIndicators(scheme);
    const parties = myParties(ctx, scheme);
    const mine = parties.length ? await get(`/evaluation/rounds/${round.id}/scores/mine`).catch(() => []) : [];
    const sheets = parties.map((party) => section(t('round.sheet', { party: t(`party.${party}`) }),
      h('p', { class: 'muted' }, t('round.sheet.help')), scoreSheet(round, party, indicators, mine, load)));
    const manage = ctx.has('committee_member', 'subdistrict_officer') ? section(t('common.actions'), errors,
      h('div', { class: 'actions' },
        actionButton(t('round.close'), async () => {
          // Close on the scores shown (If-Match): a sheet stored since makes it 412, read again.
          await request('POST', `/evaluation/rounds/${round.id}/close`, { etag });
          flash(t('round.closed_flash'));
          load();
        }, { errorSlot: errors, dataset: { action: 'close' } }),
        actionButton(t('round.cancel'), async () => {
          await post(`/evaluation/rounds/${round.id}/cancel`);
          load();
        }, { tone: 'ghost', errorSlot: errors }))) : null;
    return [header, about, section(t('round.progress_title'), progress(round)),
      parties.length ? sheets : notice(t('round.no_sheet'), 'info'), manage];
  }));
  load();
  return page;
}
