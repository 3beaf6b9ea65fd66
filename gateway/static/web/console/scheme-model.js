// The scheme editor's model: from and to the API's definition, and the live rule checks.
import { PARTIES } from '../lib/domain.js';
import { basisPoints } from '../lib/format.js';

const text = (value) => (value === null || value === undefined ? '' : String(value));

/** An editable model of a scheme (weights kept as typed strings). */
export function toModel(scheme) {
  const given = new Map((scheme?.parties || []).map((p) => [p.party, text(p.weight)]));
  return {
    title: scheme?.title || '',
    year: text(scheme?.year || new Date().getFullYear()),
    contract_id: scheme?.contract_id || '',
    parties: PARTIES.map((party) => ({ party, on: given.has(party) || !scheme, weight: given.get(party) ?? '' })),
    dimensions: (scheme?.dimensions || []).map((d) => ({
      code: d.code, name: d.name, weight: text(d.weight),
      children: (d.children || []).map((c) => ({ code: c.code, name: c.name, weight: text(c.weight),
        source: c.source || 'party', metric: c.metric || '', formula: c.formula || '',
        target: text(c.target), floor: text(c.floor), worst: text(c.worst) })),
    })),
    grade_bands: { excellent: text(scheme?.grade_bands?.excellent ?? 90), good: text(scheme?.grade_bands?.good ?? 80),
      pass: text(scheme?.grade_bands?.pass ?? 60) },
    survey: { mode: scheme?.survey?.mode || 'ratings', min_responses: text(scheme?.survey?.min_responses ?? 30) },
  };
}

/** Whether the tree fits this editor (two levels, explicit weights, no AHP). */
export function editable(scheme) {
  if (!scheme) return true;
  if (scheme.ahp) return false;
  return (scheme.dimensions || []).every((d) => !d.ahp && (d.children || []).every((c) => !c.children || c.children.length === 0));
}

const number = (value) => (value === '' ? undefined : Number(value));

/** The definition the API takes (numbers as strings are accepted, kept exact). */
export function toDefinition(model) {
  const parties = model.parties.filter((p) => p.on).map((p) => ({ party: p.party, weight: p.weight }));
  const dimensions = model.dimensions.map((d) => ({
    code: d.code, name: d.name, weight: d.weight,
    children: d.children.map((c) => {
      const node = { code: c.code, name: c.name, weight: c.weight, source: c.source };
      if (c.source === 'metric') {
        Object.assign(node, { metric: c.metric, formula: c.formula });
        for (const key of ['target', 'floor', 'worst']) if (c[key] !== '') node[key] = number(c[key]);
      }
      return node;
    }),
  }));
  return { title: model.title, parties, dimensions,
    grade_bands: { excellent: number(model.grade_bands.excellent), good: number(model.grade_bands.good),
      pass: number(model.grade_bands.pass) },
    survey: { mode: model.survey.mode, min_responses: number(model.survey.min_responses) } };
}

function sumBp(items) {
  let total = 0;
  for (const item of items) {
    const bp = basisPoints(item.weight);
    if (Number.isNaN(bp) || bp <= 0 || bp > 10000) return NaN;
    total += bp;
  }
  return total;
}

/** The rules the service enforces, checked as the user types: [{rule, ok, params}]. */
export function checks(model) {
  const taking = model.parties.filter((p) => p.on);
  const committee = taking.find((p) => p.party === 'committee');
  const committeeBp = committee ? basisPoints(committee.weight) : NaN;
  const partySum = sumBp(taking);
  const results = [
    { rule: 'committee-party-required', ok: Boolean(committee) },
    { rule: 'committee-weight-at-least-half', ok: committeeBp >= 5000,
      params: { weight: committee && !Number.isNaN(committeeBp) ? (committeeBp / 100).toFixed(2) : '—' } },
    { rule: 'party-weights-sum-to-one', ok: partySum === 10000,
      params: { sum: Number.isNaN(partySum) ? '—' : (partySum / 10000).toFixed(4) } },
  ];
  const dimensionSum = sumBp(model.dimensions);
  results.push({ rule: 'dimension-weights-sum-to-one', ok: model.dimensions.length > 0 && dimensionSum === 10000,
    params: { sum: Number.isNaN(dimensionSum) ? '—' : (dimensionSum / 10000).toFixed(4) } });
  for (const dimension of model.dimensions) {
    const sum = sumBp(dimension.children);
    results.push({ rule: 'indicator-weights-sum-to-one', ok: dimension.children.length > 0 && sum === 10000,
      params: { code: dimension.code || '?', sum: Number.isNaN(sum) ? '—' : (sum / 10000).toFixed(4) } });
  }
  return results;
}

/** Party weights in percent for the live chart (invalid weights count as 0). */
export function partyShares(model) {
  return model.parties.filter((p) => p.on).map((p) => {
    const bp = basisPoints(p.weight);
    return { party: p.party, percent: Number.isNaN(bp) ? 0 : bp / 100 };
  });
}
