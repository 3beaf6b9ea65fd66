// A round as a checklist: each item answered OK or "found a problem" (category from the item,
// severity, note, photos, the phone's position). The draft is kept in IndexedDB as it is
// filled in; submitting puts the round in the outbox (sent now, or when the network returns).
import { h, uid } from '../lib/el.js';
import { label, t } from '../lib/i18n.js';
import { mapView } from '../lib/map.js';
import { asyncBlock, empty } from '../lib/ui.js';
import { enqueue, newKey } from './outbox.js';
import { photoPicker } from './photos.js';
import * as store from './store.js';
import { checklist, myCells } from './today.js';

const SEVERITIES = ['low', 'medium', 'high', 'critical'];

function labelled(text, control) {
  const id = uid('r');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, text), control);
}

function position(answer, save) {
  const shown = h('span', { class: 'muted position-text' },
    answer.lon !== undefined ? t('field.position.at', { lon: answer.lon.toFixed(5), lat: answer.lat.toFixed(5) }) : '');
  const button = h('button', { type: 'button', class: 'btn btn-block', onclick: () => {
    if (!navigator.geolocation) { shown.textContent = t('field.position.unavailable'); return; }
    shown.textContent = t('field.position.locating');
    navigator.geolocation.getCurrentPosition((found) => {
      answer.lon = Number(found.coords.longitude.toFixed(6));
      answer.lat = Number(found.coords.latitude.toFixed(6));
      shown.textContent = t('field.position.at', { lon: answer.lon.toFixed(5), lat: answer.lat.toFixed(5) });
      save();
    }, () => { shown.textContent = t('field.position.unavailable'); }, { enableHighAccuracy: true, timeout: 15000 });
  } }, t('field.position.use'));
  return h('div', { class: 'position' }, button, shown);
}

function findingForm(item, answer, save) {
  const severity = h('select', { onchange: () => { answer.severity = severity.value; save(); } },
    SEVERITIES.map((value) => h('option', { value, selected: value === answer.severity }, label(`severity.${value}`, value))));
  const note = h('textarea', { rows: 3, value: answer.note || '', oninput: () => { answer.note = note.value; save(); } });
  const error = h('p', { class: 'field-error', hidden: true });
  const noteField = labelled(t('field.finding.note'), note);
  noteField.dataset.field = 'note';
  noteField.append(error);
  answer.photos = answer.photos || [];
  return h('div', { class: 'finding' },
    h('p', { class: 'muted' }, t('field.finding.category', { category: label(`grid.category.${item.case_category}`, item.case_category) })),
    labelled(t('field.finding.severity'), severity), noteField,
    photoPicker(answer.photos, save), position(answer, save));
}

function itemRow(item, draft, save, rerender) {
  const answer = draft.answers[item.code] || {};
  const choose = (result) => {
    draft.answers[item.code] = { ...answer, result, severity: answer.severity || item.default_severity };
    save();
    rerender();
  };
  return h('li', { class: ['check-item', answer.result && `is-${answer.result}`], dataset: { item: item.code } },
    h('p', { class: 'check-title' }, h('strong', item.title), h('small', { class: 'muted' }, label(`field.area.${item.area}`, item.area))),
    h('div', { class: 'check-choices', role: 'group', 'aria-label': item.title },
      h('button', { type: 'button', class: 'btn btn-choice', 'aria-pressed': String(answer.result === 'ok'),
        onclick: () => choose('ok') }, t('field.check.ok')),
      h('button', { type: 'button', class: 'btn btn-choice btn-finding', 'aria-pressed': String(answer.result === 'finding'),
        onclick: () => choose('finding') }, t('field.check.finding'))),
    answer.result === 'finding' ? findingForm(item, draft.answers[item.code], save) : null);
}

async function submitRound(ctx, cell, items, draft, list) {
  const missing = items.filter((item) => !draft.answers[item.code]);
  const noNote = items.filter((item) => draft.answers[item.code]?.result === 'finding'
    && (draft.answers[item.code].note || '').trim().length < 2);
  for (const row of list.querySelectorAll('.check-item')) {
    row.classList.toggle('is-missing', missing.some((item) => item.code === row.dataset.item));
    const error = row.querySelector('[data-field="note"] .field-error');
    if (error) {
      const bad = noNote.some((item) => item.code === row.dataset.item);
      error.hidden = !bad;
      error.textContent = bad ? t('field.finding.note_required') : '';
    }
  }
  if (missing.length || noNote.length) return t('field.round.incomplete', { count: missing.length + noNote.length });
  const answers = items.map((item) => {
    const { result, note, severity, lon, lat } = draft.answers[item.code];
    if (result === 'ok') return { code: item.code, result };
    const out = { code: item.code, result, note: note.trim(), severity };
    if (lon !== undefined) Object.assign(out, { lon, lat });
    return out;
  });
  const photos = {};
  for (const item of items) {
    const taken = draft.answers[item.code].photos || [];
    if (draft.answers[item.code].result === 'finding' && taken.length) photos[item.code] = taken;
  }
  await enqueue({ kind: 'inspection', title: t('field.round.item_title', { cell: cell.name }), cell_code: cell.code,
    started_at: draft.started_at, items: answers, photos, key: newKey() });
  await store.remove('drafts', draft.id);
  ctx.navigate('/outbox');
  return null;
}

export async function roundPage(ctx, params) {
  return h('section', { class: 'field-page' }, asyncBlock(async () => {
    const { cells } = await myCells(ctx);
    const cell = cells.find((c) => c.code === params.cell);
    if (!cell) return [h('h1', t('field.round.title')), empty(t('field.round.not_mine'))];
    const items = await checklist();
    const id = `round:${cell.code}`;
    const draft = (await store.read('drafts', id)) || { id, answers: {}, started_at: new Date().toISOString() };
    const save = () => store.put('drafts', draft);
    await save();
    const list = h('ol', { class: 'checklist' });
    const status = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const rerender = () => list.replaceChildren(...items.map((item) => itemRow(item, draft, save, rerender)));
    rerender();
    const submit = h('button', { type: 'button', class: 'btn btn-primary btn-block btn-large', onclick: async () => {
      status.textContent = (await submitRound(ctx, cell, items, draft, list)) || '';
      status.hidden = !status.textContent;
    } }, t('field.round.submit'));
    return [h('h1', t('field.round.heading', { cell: cell.name })),
      h('p', { class: 'muted' }, t('field.round.hint', { count: items.length })),
      mapView({ cells: [cell], compact: true, position: 'follow', title: t('field.round.map', { cell: cell.name }) }),
      list, status, submit];
  }));
}
