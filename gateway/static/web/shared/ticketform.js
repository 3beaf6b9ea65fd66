// Taking a ticket: the business type, its Open311-style form (attributes), priority, phone.
import { post } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { localName, localText, t } from '../lib/i18n.js';

export function sorted(types) {
  return [...types].filter((type) => type.active !== false)
    .sort((a, b) => (a.ticket_prefix + a.code).localeCompare(b.ticket_prefix + b.code));
}

/** The fields of a business type's attributes, named attributes.<code>. */
export function attributeFields(type) {
  if (!type) return [];
  return [...(type.attributes || [])].sort((a, b) => a.order - b.order).map((attribute) => {
    const spec = { name: `attributes.${attribute.code}`, label: localText(attribute, 'description') || attribute.code,
      required: attribute.required };
    const options = (attribute.values || []).map((v) => ({ value: v.key, label: v.name }));
    switch (attribute.datatype) {
      case 'number': return field({ ...spec, type: 'number', attrs: { step: 'any', inputmode: 'decimal' } });
      case 'datetime': return field({ ...spec, type: 'datetime-local' });
      case 'text': return field({ ...spec, type: 'textarea' });
      case 'singlevaluelist': return field({ ...spec, type: 'select', options, placeholder: t('common.choose') });
      case 'multivaluelist': return field({ ...spec, type: 'checkboxes', options });
      default: return field({ ...spec, attrs: attribute.personal ? { autocomplete: 'off' } : {} });
    }
  });
}

/** The attribute values of a form as the API wants them (numbers, datetimes with +08:00, lists). */
export function attributeValues(type, values) {
  const out = {};
  for (const attribute of type ? type.attributes || [] : []) {
    const raw = values[`attributes.${attribute.code}`];
    if (raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
    if (attribute.datatype === 'number' && /^-?\d+(\.\d+)?$/.test(raw)) out[attribute.code] = Number(raw);
    else if (attribute.datatype === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw)) out[attribute.code] = `${raw}:00+08:00`;
    else out[attribute.code] = raw;
  }
  return out;
}

/** A select of business types (labelled). */
export function typeField(types, { name = 'business_type', value, exclude } = {}) {
  return field({ name, label: t('ticket.business_type'), type: 'select', required: true, value,
    placeholder: t('common.choose'),
    options: sorted(types).filter((type) => type.code !== exclude)
      .map((type) => ({ value: type.code, label: `${type.ticket_prefix} · ${localName(type)}` })) });
}

/**
 * The form to take a ticket. channels: the channels offered (portal for residents; walk_in and
 * phone at the desk). onDone(ticket) after the 201. chosen: a business type already picked (its
 * form shown at once).
 */
export function ticketForm({ community, types, channels, onDone, chosen }) {
  const byCode = new Map(types.map((type) => [type.code, type]));
  const preset = byCode.has(chosen) ? chosen : undefined;
  const attributes = h('div', { class: 'fields attributes' }, attributeFields(byCode.get(preset)));
  const typeSelect = typeField(types, { value: preset });
  typeSelect.querySelector('select').addEventListener('change', (event) => {
    replace(attributes, attributeFields(byCode.get(event.target.value)));
  });
  const fields = [typeSelect, attributes];
  if (channels.length > 1) {
    fields.push(field({ name: 'channel', label: t('ticket.channel'), type: 'select', value: channels[0],
      options: channels.map((c) => ({ value: c, label: t(`ticket.channel.${c}`) })) }));
  }
  if (!channels.includes('portal')) {  // priority is given at the desk, where staff see the reason
    fields.push(
      field({ name: 'priority', label: t('ticket.priority'), type: 'checkbox', help: t('ticket.priority.help') }),
      field({ name: 'priority_reason', label: t('ticket.priority_reason'), type: 'select', placeholder: t('common.none'),
        options: ['elderly', 'disabled', 'pregnant'].map((r) => ({ value: r, label: t(`ticket.priority.${r}`) })) }),
    );
  }
  fields.push(
    field({ name: 'contact_phone', label: t('ticket.contact_phone'), type: 'tel', help: t('ticket.contact_phone.help'),
      attrs: { autocomplete: 'tel', inputmode: 'tel' } }),
  );
  return form({
    fields,
    submitLabel: t('ticket.take'),
    onSubmit: async (values, element) => {
      const type = byCode.get(values.business_type);
      const body = { community, business_type: values.business_type, channel: values.channel || channels[0],
        attributes: attributeValues(type, values) };
      if (values.priority) body.priority = true;
      if (values.priority_reason) body.priority_reason = values.priority_reason;
      if (values.contact_phone.trim()) body.contact_phone = values.contact_phone.trim();
      const ticket = await post('/intake/tickets', body);
      element.reset();
      replace(attributes);
      onDone(ticket);
    },
  });
}

/** The types a resident may take in one tap: nothing to fill in (no required field). */
export function oneTapTypes(types) {
  return sorted(types).filter((type) => !(type.attributes || []).some((attribute) => attribute.required));
}

/** Take a ticket of `type` at once, from the portal (no form). */
export function takeAtOnce(community, type) {
  return post('/intake/tickets', { community, business_type: type.code, channel: 'portal', attributes: {} });
}
