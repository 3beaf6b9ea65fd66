// An evaluation result: score and grade, each party's contribution as a chart, dimensions,
// indicators and the sensitivity to the committee's weight (console and portal).
import { barChart, stackedBar } from '../lib/chart.js';
import { h } from '../lib/el.js';
import { number, percent } from '../lib/format.js';
import { label, t } from '../lib/i18n.js';
import { badge, facts, section, table } from '../lib/ui.js';

const two = (v) => number(v, 2);

export function resultView(result) {
  const bands = result.grade_bands || {};
  const parties = result.parties || [];
  const contribution = stackedBar({
    title: t('result.contribution_chart'), max: 100, total: result.score, format: two,
    parts: parties.map((p, i) => ({ name: `${t(`party.${p.party}`)} (${percent(p.weight)})`, value: p.contribution, tone: i })),
    marks: ['pass', 'good', 'excellent'].filter((g) => bands[g] !== undefined)
      .map((g) => ({ at: bands[g], label: `${t(`grade.${g}`)} ${bands[g]}` })),
  });
  const partyChart = barChart({
    title: t('result.party_scores'), format: (v) => number(v, 0), height: 220,
    categories: parties.map((p) => t(`party.${p.party}`)),
    series: [{ name: t('result.party_total'), values: parties.map((p) => p.score), tone: 0 },
      { name: t('result.party_contribution'), values: parties.map((p) => p.contribution), tone: 1 }],
  });
  return h('div', { class: 'result', dataset: { grade: result.grade } },
    h('div', { class: 'score-line' }, h('span', { class: 'score' }, two(result.score)), badge('grade', result.grade),
      h('span', { class: 'muted' }, t('result.committee_weight', { weight: percent(result.committee_weight) }))),
    section(t('result.contributions'), contribution, partyChart, table([
      { label: t('result.party'), cell: (p) => t(`party.${p.party}`) },
      { label: t('scheme.weight'), cell: (p) => percent(p.weight), class: 'num' },
      { label: t('result.party_total'), cell: (p) => two(p.score), class: 'num' },
      { label: t('result.party_contribution'), cell: (p) => two(p.contribution), class: 'num' },
      { label: t('result.sheets'), cell: (p) => (p.computed ? t('result.computed') : String(p.sheets)), class: 'num' },
    ], parties)),
    section(t('result.dimensions'), table([
      { label: t('scheme.name'), cell: (d) => `${d.code} ${d.name}` },
      { label: t('scheme.weight'), cell: (d) => percent(d.weight, 1), class: 'num' },
      { label: t('result.score'), cell: (d) => two(d.score), class: 'num' },
      { label: t('result.party_contribution'), cell: (d) => two(d.contribution), class: 'num' },
    ], result.dimensions || [])),
    section(t('result.indicators'), table([
      { label: t('scheme.name'), cell: (i) => `${i.code} ${i.name}` },
      { label: t('scheme.source'), cell: (i) => t(`scheme.source.${i.source}`) },
      { label: t('result.global_weight'), cell: (i) => percent(i.weight, 1), class: 'num' },
      { label: t('result.score'), cell: (i) => two(i.score), class: 'num' },
      { label: t('result.by_party'), cell: (i) => Object.entries(i.party_scores || {}).map(([p, v]) => `${t(`party.${p}`)} ${two(v)}`).join('；') },
      { label: t('result.measured'), cell: (i) => (i.metric ? `${label(`metric.${i.metric.name || ''}`, i.metric.name || '')} ${i.metric.value ?? t('result.no_data')}` : '') },
    ], result.indicators || [])),
    (result.sensitivity || []).length ? section(t('result.sensitivity'), h('p', { class: 'muted' }, t('result.sensitivity.help')),
      facts(result.sensitivity.map((s) => [t('result.at_weight', { weight: percent(s.committee_weight) }),
        s.score === null ? '—' : [two(s.score), ' ', badge('grade', s.grade)]]))) : null);
}
