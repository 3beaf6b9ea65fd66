// The evaluation scheme editor: party weights with a live check of the committee ≥ 50 % rule,
// dimensions and indicators; saving (new, draft, or a new version of a frozen scheme).
import { getWithEtag, post, request } from '../lib/api.js';
import { stackedBar } from '../lib/chart.js';
import { FORMULAS, METRICS } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, showErrors } from '../lib/form.js';
import { label, t } from '../lib/i18n.js';
import { badge, flash, notice, pageHeader, section } from '../lib/ui.js';
import { checks, editable, partyShares, toDefinition, toModel } from './scheme-model.js';
import { schemeTree } from './scheme-view.js';

function bound(spec, obj, key, onChange) {
  const wrapper = field({ ...spec, value: obj[key] });
  const control = wrapper.querySelector('input, select, textarea');
  const update = () => {
    obj[key] = control.type === 'checkbox' ? control.checked : control.value;
    onChange();
  };
  control.addEventListener('input', update);
  control.addEventListener('change', update);
  return wrapper;
}

function liveCheck(model, slot) {
  const results = checks(model);
  replace(slot,
    stackedBar({ title: t('scheme.party_weights'), max: 100, format: (v) => `${v}%`, width: 320,
      parts: partyShares(model).map((p, i) => ({ name: t(`party.${p.party}`), value: p.percent, tone: i })),
      marks: [{ at: 50, label: t('scheme.committee_minimum') }] }),
    h('ul', { class: 'checks' }, results.map((r) => h('li', { class: r.ok ? 'ok' : 'bad', dataset: { rule: r.rule } },
      h('span', { 'aria-hidden': 'true' }, r.ok ? '✔ ' : '✘ '),
      h('span', { class: 'visually-hidden' }, r.ok ? t('scheme.check.ok') : t('scheme.check.broken')),
      t(`scheme.rule.${r.rule}`, r.params)))));
}

function indicatorRow(model, d, i, j, rerender, changed) {
  const item = model.dimensions[i].children[j];
  const metricFields = item.source === 'metric' ? [
    bound({ name: `d.${i}.c.${j}.metric`, label: t('scheme.metric'), type: 'select', placeholder: t('common.choose'),
      options: METRICS.map((m) => ({ value: m, label: label(`metric.${m}`, m) })) }, item, 'metric', changed),
    bound({ name: `d.${i}.c.${j}.formula`, label: t('scheme.formula'), type: 'select', placeholder: t('common.choose'),
      options: FORMULAS.map((f) => ({ value: f, label: t(`formula.${f}`) })) }, item, 'formula', changed),
    bound({ name: `d.${i}.c.${j}.target`, label: t('scheme.target'), attrs: { inputmode: 'decimal' } }, item, 'target', changed),
    bound({ name: `d.${i}.c.${j}.floor`, label: t('scheme.floor'), attrs: { inputmode: 'decimal' } }, item, 'floor', changed),
    bound({ name: `d.${i}.c.${j}.worst`, label: t('scheme.worst'), attrs: { inputmode: 'decimal' } }, item, 'worst', changed),
  ] : [];
  const source = bound({ name: `d.${i}.c.${j}.source`, label: t('scheme.source'), type: 'select',
    options: ['party', 'metric'].map((s) => ({ value: s, label: t(`scheme.source.${s}`) })) }, item, 'source', rerender);
  return h('fieldset', { class: 'row-fields', dataset: { field: `d.${i}.c.${j}` } },
    h('legend', t('scheme.indicator_n', { n: j + 1 })),
    bound({ name: `d.${i}.c.${j}.code`, label: t('scheme.code'), required: true }, item, 'code', changed),
    bound({ name: `d.${i}.c.${j}.name`, label: t('scheme.name'), required: true }, item, 'name', changed),
    bound({ name: `d.${i}.c.${j}.weight`, label: t('scheme.weight'), attrs: { inputmode: 'decimal' } }, item, 'weight', changed),
    source, metricFields,
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { d.children.splice(j, 1); rerender(); } },
      t('scheme.remove_indicator')),
    h('p', { class: 'field-error', hidden: true }));
}

function editorBody(model, rerender, changed) {
  const parties = h('fieldset', { class: 'parties', dataset: { field: 'parties' } }, h('legend', t('scheme.parties')),
    model.parties.map((p) => h('div', { class: 'party-row', dataset: { field: `p.${p.party}` } },
      bound({ name: `p.${p.party}.on`, label: t(`party.${p.party}`), type: 'checkbox' }, p, 'on', changed),
      bound({ name: `p.${p.party}.weight`, label: t('scheme.weight_of', { party: t(`party.${p.party}`) }),
        attrs: { inputmode: 'decimal' } }, p, 'weight', changed),
      h('p', { class: 'field-error', hidden: true }))),
    h('p', { class: 'field-error', hidden: true }));
  const dimensions = h('div', { class: 'dimensions', dataset: { field: 'dimensions' } },
    model.dimensions.map((d, i) => h('fieldset', { class: 'dimension', dataset: { field: `d.${i}` } },
      h('legend', t('scheme.dimension_n', { n: i + 1 })),
      h('div', { class: 'fields' },
        bound({ name: `d.${i}.code`, label: t('scheme.code'), required: true }, d, 'code', changed),
        bound({ name: `d.${i}.name`, label: t('scheme.name'), required: true }, d, 'name', changed),
        bound({ name: `d.${i}.weight`, label: t('scheme.weight'), attrs: { inputmode: 'decimal' } }, d, 'weight', changed)),
      h('p', { class: 'field-error', hidden: true }),
      d.children.map((c, j) => indicatorRow(model, d, i, j, rerender, changed)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
          d.children.push({ code: '', name: '', weight: '', source: 'party', metric: '', formula: '', target: '', floor: '', worst: '' });
          rerender();
        } }, t('scheme.add_indicator')),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { model.dimensions.splice(i, 1); rerender(); } },
          t('scheme.remove_dimension'))))),
    h('p', { class: 'field-error', hidden: true }),
    h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
      model.dimensions.push({ code: '', name: '', weight: '', children: [] });
      rerender();
    } }, t('scheme.add_dimension')));
  const bands = h('fieldset', { dataset: { field: 'grade_bands' } }, h('legend', t('scheme.grade_bands')),
    h('div', { class: 'fields' }, ['excellent', 'good', 'pass'].map((g) =>
      bound({ name: `grade_bands.${g}`, label: t(`grade.${g}`), attrs: { inputmode: 'decimal' } }, model.grade_bands, g, changed))),
    h('p', { class: 'field-error', hidden: true }));
  const survey = h('fieldset', { dataset: { field: 'survey' } }, h('legend', t('scheme.survey')), h('div', { class: 'fields' },
    bound({ name: 'survey.mode', label: t('scheme.survey_mode'), type: 'select',
      options: ['ratings', 'entered'].map((m) => ({ value: m, label: t(`scheme.survey.${m}`) })) }, model.survey, 'mode', changed),
    bound({ name: 'survey.min_responses', label: t('scheme.min_responses'), type: 'number' }, model.survey, 'min_responses', changed)));
  return [parties, dimensions, bands, survey];
}

/** Error paths of the service (parties.N, dimensions.<code>.<code>) -> the editor's fields. */
function locator(model, sentParties) {
  return (key) => {
    const party = /^parties\.(\d+)(.*)$/.exec(key);
    if (party) return `p.${sentParties[Number(party[1])]}${party[2]}`;
    const dim = /^dimensions\.([^.]+)(?:\.([^.]+))?(.*)$/.exec(key);
    if (!dim) return key;
    const i = model.dimensions.findIndex((d) => d.code === dim[1]);
    if (i < 0) return 'dimensions';
    const j = dim[2] ? model.dimensions[i].children.findIndex((c) => c.code === dim[2]) : -1;
    if (j >= 0) return `d.${i}.c.${j}${dim[3]}`;
    return `d.${i}${dim[2] ? `.${dim[2]}` : ''}${dim[3]}`;
  };
}

export async function schemePage(ctx, params) {
  const isNew = !params.id;
  const loaded = isNew ? { data: null, etag: null } : await getWithEtag(`/evaluation/schemes/${params.id}`);
  const scheme = loaded.data;
  const mayEdit = ctx.has('committee_member', 'subdistrict_officer');
  if (!isNew && (!editable(scheme) || !mayEdit)) {
    return h('div', pageHeader(scheme.title, badge('scheme.status', scheme.status)),
      mayEdit ? notice(t('scheme.not_editable'), 'info') : null, section(t('scheme.definition'), schemeTree(scheme)));
  }
  const model = toModel(scheme);
  const check = h('div', { class: 'live-check', role: 'status', 'aria-live': 'polite' });
  const body = h('div');
  const changed = () => liveCheck(model, check);
  const rerender = () => { replace(body, editorBody(model, rerender, changed)); changed(); };
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' },
    t(isNew ? 'scheme.create' : scheme.status === 'draft' ? 'scheme.save' : 'scheme.save_version'));
  const head = [bound({ name: 'title', label: t('scheme.title_field'), required: true, wide: true }, model, 'title', changed)];
  if (isNew) {
    head.push(bound({ name: 'year', label: t('scheme.year'), type: 'number', required: true }, model, 'year', changed),
      bound({ name: 'contract_id', label: t('scheme.contract_id'), help: t('scheme.contract_id.help') }, model, 'contract_id', changed));
  }
  const element = h('form', { class: 'form scheme-editor', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }), h('div', { class: 'fields' }, head), body,
    h('div', { class: 'form-actions' }, submit));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const definition = toDefinition(model);
    const sent = definition.parties.map((p) => p.party);
    submit.disabled = true;
    try {
      let saved;
      if (isNew) {
        const extra = { community: ctx.community, year: Number(model.year) };
        if (model.contract_id) extra.contract_id = model.contract_id;
        saved = await post('/evaluation/schemes', { ...definition, ...extra });
      } else if (scheme.status === 'draft') {
        saved = (await request('PUT', `/evaluation/schemes/${scheme.id}`, { body: definition, etag: loaded.etag })).data;
      } else {
        saved = await post(`/evaluation/schemes/${scheme.id}/versions`, definition);
      }
      flash(t('scheme.saved', { version: saved.version }));
      ctx.navigate(`/evaluation/schemes/${saved.id}`, { replace: isNew });
    } catch (error) {
      showErrors(element, error, locator(model, sent));
    } finally {
      submit.disabled = false;
    }
  });
  rerender();
  const openRound = !isNew && scheme.status === 'draft' ? h('button', { type: 'button', class: 'btn btn-secondary' }, t('round.open')) : null;
  openRound?.addEventListener('click', async () => {
    openRound.disabled = true;
    try {
      const round = await post('/evaluation/rounds', { scheme_id: scheme.id });
      ctx.navigate(`/evaluation/rounds/${round.id}`);
    } catch (error) {
      showErrors(element, error);
      openRound.disabled = false;
    }
  });
  return h('div',
    pageHeader(isNew ? t('scheme.new') : `${scheme.title} · v${scheme.version}`, isNew ? null : badge('scheme.status', scheme.status), openRound),
    h('div', { class: 'editor-layout' }, section(t('scheme.definition'), element),
      h('aside', { class: 'card sticky' }, h('h2', t('scheme.live_check')), check)));
}
