// Information collection (一标三实): a household with its persons, a building, a place. Each form
// goes to the outbox; ID numbers are checked on the device with the server's rule (GB 11643)
// and shown masked once entered.
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { label, t } from '../lib/i18n.js';
import { idNumberProblem, maskIdNumber } from '../lib/idnumber.js';
import { asyncBlock, empty } from '../lib/ui.js';
import { enqueue, newKey } from './outbox.js';
import { personsSection } from './persons.js';
import { buildingsOf, myCells } from './today.js';

const TENURES = ['owned', 'rented', 'collective', 'other'];
const RESIDENCIES = ['registered', 'floating'];
const USES = ['residential', 'commercial', 'mixed', 'industrial', 'public', 'other'];
const KINDS = ['shop', 'restaurant', 'market', 'workshop', 'warehouse', 'office', 'hotel', 'school', 'clinic',
  'entertainment', 'other'];
const SPECIAL_CARE = ['elderly_alone', 'disability', 'low_income', 'left_behind_child', 'entitled_group'];

const options = (group, values) => values.map((value) => ({ value, label: label(`${group}.${value}`, value) }));

function personForm(persons, redraw) {
  const idHint = h('p', { class: 'muted id-masked', 'aria-live': 'polite' });
  const element = form({
    className: 'person-form',
    submitLabel: t('field.person.add'),
    fields: [
      field({ name: 'name', label: t('field.person.name'), required: true, attrs: { autocomplete: 'off' } }),
      field({ name: 'id_number', label: t('field.person.id_number'), required: true,
        attrs: { autocomplete: 'off', inputmode: 'text', maxlength: '18' } }),
      field({ name: 'phone', label: t('field.person.phone'), type: 'tel' }),
      field({ name: 'residency', label: t('field.person.residency'), type: 'select', required: true,
        options: options('field.residency', RESIDENCIES), value: 'registered' }),
      field({ name: 'special_care', label: t('field.person.special_care'), type: 'checkboxes',
        options: options('field.special_care', SPECIAL_CARE) }),
    ],
    extra: idHint,
    onSubmit: async (values, element) => {
      const problem = idNumberProblem(values.id_number);
      const errors = {};
      if (problem) errors.id_number = [t(problem)];
      if (!values.name.trim()) errors.name = [t('field.required')];
      if (Object.keys(errors).length) throw localProblem(errors);
      const person = { key: newKey(), name: values.name.trim(), id_number: values.id_number.trim().toUpperCase(),
        residency: values.residency, special_care: values.special_care };
      if (values.phone.trim()) person.phone = values.phone.trim();
      persons.push(person);
      element.reset();
      replace(idHint);
      redraw();
    },
  });
  const input = element.querySelector('[name="id_number"]');
  input.addEventListener('input', () => {
    const value = input.value.trim();
    replace(idHint, value.length === 18 && !idNumberProblem(value)
      ? t('field.person.id_ok', { masked: maskIdNumber(value) }) : '');
  });
  return element;
}

function householdSection(ctx, cells, buildings) {
  const persons = [];
  const list = h('ul', { class: 'person-list' });
  const redraw = () => replace(list, persons.length ? persons.map((person, index) => h('li', { class: 'person-card' },
    h('strong', person.name), ' ', h('span', { class: 'id-masked' }, maskIdNumber(person.id_number)), ' ',
    h('span', { class: 'muted' }, label(`field.residency.${person.residency}`, person.residency)),
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { persons.splice(index, 1); redraw(); } },
      t('field.person.remove')))) : h('li', { class: 'muted' }, t('field.household.no_persons')));
  redraw();
  const household = form({
    className: 'household-form',
    submitLabel: t('field.household.save'),
    fields: [
      field({ name: 'building_id', label: t('field.household.building'), type: 'select', required: true,
        placeholder: t('field.choose'), options: buildings.map((b) => ({ value: b.id, label: `${b.address} (${b.cell_code})` })) }),
      field({ name: 'unit', label: t('field.household.unit'), required: true }),
      field({ name: 'tenure', label: t('field.household.tenure'), type: 'select', required: true,
        options: options('field.tenure', TENURES), value: 'owned' }),
    ],
    onSubmit: async (values, element) => {
      const errors = {};
      if (!values.building_id) errors.building_id = [t('field.required')];
      if (!values.unit.trim()) errors.unit = [t('field.required')];
      if (Object.keys(errors).length) throw localProblem(errors);
      await enqueue({ kind: 'household', title: t('field.household.item_title', { unit: values.unit.trim(), count: persons.length }),
        building_id: values.building_id, unit: values.unit.trim(), tenure: values.tenure, persons: persons.splice(0),
        key: newKey() });
      element.reset();
      redraw();
      ctx.navigate('/outbox');
    },
  });
  return h('section', { class: 'collect-block', 'aria-labelledby': 'collect-household' },
    h('h2', { id: 'collect-household' }, t('field.household.title')),
    buildings.length ? null : empty(t('field.household.no_buildings')),
    h('h3', t('field.household.persons')), list, personForm(persons, redraw), household);
}

function simpleSection(ctx, id, title, path, fields, shape) {
  return h('details', { class: 'collect-block' }, h('summary', { id }, title), form({
    fields,
    submitLabel: t('field.collect.save'),
    onSubmit: async (values, element) => {
      const body = shape(values);
      await enqueue({ kind: 'create', title, path, body, key: newKey() });
      element.reset();
      ctx.navigate('/outbox');
    },
  }));
}

export async function collectPage(ctx) {
  return h('section', { class: 'field-page' }, h('h1', t('field.collect.title')), asyncBlock(async () => {
    const { cells } = await myCells(ctx);
    const buildings = (await Promise.all(cells.map((cell) => buildingsOf(cell.code).catch(() => [])))).flat();
    const cellField = () => field({ name: 'cell_code', label: t('field.collect.cell'), type: 'select', required: true,
      options: cells.map((cell) => ({ value: cell.code, label: `${cell.name} (${cell.code})` })) });
    return [
      householdSection(ctx, cells, buildings),
      simpleSection(ctx, 'collect-building', t('field.building.title'), '/grid/buildings', [
        cellField(),
        field({ name: 'address', label: t('field.building.address'), required: true }),
        field({ name: 'floors', label: t('field.building.floors'), type: 'number', required: true, attrs: { min: 1, max: 200 } }),
        field({ name: 'use', label: t('field.building.use'), type: 'select', options: options('field.use', USES) }),
      ], (v) => ({ cell_code: v.cell_code, address: v.address.trim(), floors: Number(v.floors), use: v.use })),
      simpleSection(ctx, 'collect-place', t('field.place.title'), '/grid/places', [
        cellField(),
        field({ name: 'name', label: t('field.place.name'), required: true }),
        field({ name: 'kind', label: t('field.place.kind'), type: 'select', options: options('field.kind', KINDS) }),
      ], (v) => ({ cell_code: v.cell_code, name: v.name.trim(), kind: v.kind })),
      await personsSection(ctx, cells),
    ];
  }));
}
