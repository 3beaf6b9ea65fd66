// Correcting a person's record in the field (phone, residency): the edit is sent with the
// ETag of the version the worker read, so a record changed meanwhile comes back as a conflict
// (412) shown on the outbox page with both versions.
import { getWithEtag, listAll } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { label, t } from '../lib/i18n.js';
import { empty, problemBox } from '../lib/ui.js';
import { enqueue, newKey } from './outbox.js';
import * as store from './store.js';

const RESIDENCIES = ['registered', 'floating'];

async function readWithEtag(person) {
  const key = `person:${person.id}`;
  try {
    const { data, etag } = await getWithEtag(`/grid/persons/${person.id}`);
    await store.put('cache', { key, value: { data, etag }, at: new Date().toISOString() });
    return { data, etag };
  } catch (error) {
    const kept = await store.read('cache', key);
    if (kept) return kept.value;
    throw error;
  }
}

function editForm(ctx, person, slot, read) {
  return form({
    className: 'person-edit',
    submitLabel: t('field.person.save_change'),
    fields: [
      field({ name: 'phone', label: t('field.person.phone'), type: 'tel', help: t('field.person.phone_help') }),
      field({ name: 'residency', label: t('field.person.residency'), type: 'select', value: person.residency,
        options: RESIDENCIES.map((value) => ({ value, label: label(`field.residency.${value}`, value) })) }),
    ],
    onSubmit: async (values) => {
      const { data, etag } = read;  // the version the worker corrects, not whatever is newest now
      const body = { residency: values.residency };
      if (values.phone.trim()) body.phone = values.phone.trim();
      await enqueue({ kind: 'update', title: t('field.person.item_title', { name: data.name }),
        path: `/grid/persons/${person.id}`, body, etag, original: data, key: newKey() });
      replace(slot, h('p', { class: 'muted' }, t('field.person.queued')));
    },
  });
}

function personRow(ctx, person) {
  const slot = h('div');
  return h('li', { class: 'person-card', dataset: { person: person.id } },
    h('strong', person.name), ' ', h('span', { class: 'id-masked' }, person.id_number), ' ',
    h('span', { class: 'muted' }, label(`field.residency.${person.residency}`, person.residency)),
    h('button', { type: 'button', class: 'btn btn-small', onclick: async () => {
      try {
        const read = await readWithEtag(person);  // the version I correct (kept for offline)
        replace(slot, editForm(ctx, person, slot, read));
      } catch (error) {
        replace(slot, problemBox(error));
      }
    } }, t('field.person.edit')), slot);
}

/** The persons of the worker's cells, each correctable. */
export async function personsSection(ctx, cells) {
  const persons = [];
  for (const cell of cells) {
    const kept = await store.cached(`persons:${cell.code}`, () => listAll('/grid/persons', { cell_code: cell.code }))
      .catch(() => ({ value: [] }));
    persons.push(...kept.value);
  }
  return h('details', { class: 'collect-block persons-block' }, h('summary', t('field.person.list', { n: persons.length })),
    persons.length ? h('ul', { class: 'person-list' }, persons.map((person) => personRow(ctx, person))) : empty());
}
