// A scheme's tree, read-only (any depth, AHP weights shown as derived).
import { h } from '../lib/el.js';
import { label, t } from '../lib/i18n.js';
import { facts } from '../lib/ui.js';

function node(item) {
  const weight = item.weight === null || item.weight === undefined ? '' : ` (${item.weight})`;
  const detail = item.source === 'metric'
    ? ` — ${label(`metric.${item.metric}`, item.metric)}, ${t(`formula.${item.formula}`)}` : '';
  return h('li', h('strong', item.code), ` ${item.name}${weight}`, h('span', { class: 'muted' }, detail),
    item.children && item.children.length ? h('ul', item.children.map(node)) : null);
}

export function schemeTree(scheme) {
  return h('div', facts([
    [t('scheme.parties'), (scheme.parties || []).map((p) => `${t(`party.${p.party}`)} ${p.weight}`).join('、')],
    [t('scheme.grade_bands'), ['excellent', 'good', 'pass'].map((g) => `${t(`grade.${g}`)} ≥ ${scheme.grade_bands?.[g]}`).join('、')],
    [t('scheme.survey'), scheme.survey ? t(`scheme.survey.${scheme.survey.mode}`) : null],
  ]), h('ul', { class: 'tree' }, (scheme.dimensions || []).map(node)));
}
