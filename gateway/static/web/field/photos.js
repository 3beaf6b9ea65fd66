// Photos taken on the phone: kept as they are when small (the grid service re-encodes them and
// drops EXIF), scaled down on the device when over the upload limit; previews as data URLs.
import { h } from '../lib/el.js';
import { t } from '../lib/i18n.js';
import { newKey } from './outbox.js';

const LIMIT = 950_000; // the service accepts at most 1 000 000 bytes
const LONG_SIDE = 1600;

async function shrink(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => { canvas.toBlob(resolve, 'image/jpeg', 0.8); });
}

function preview(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(blob);
  });
}

/** A photo record for the outbox: {key, type, blob, preview}. */
export async function takePhoto(file) {
  const blob = file.size > LIMIT ? await shrink(file) : file;
  const type = blob === file ? file.type : 'image/jpeg';
  const small = blob.size < 200_000 ? await preview(blob) : await preview(await shrink(blob));
  return { key: newKey(), type, blob, preview: small };
}

/** The photo picker of a finding: camera or gallery, previews, remove. */
export function photoPicker(photos, onChange) {
  const list = h('ul', { class: 'photo-list' });
  const render = () => {
    list.replaceChildren(...photos.map((photo, index) => h('li',
      photo.preview ? h('img', { src: photo.preview, alt: t('field.photo.alt', { n: index + 1 }) }) : null,
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => {
        photos.splice(index, 1);
        render();
        onChange();
      } }, t('field.photo.remove')))));
  };
  const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', capture: 'environment',
    multiple: true, class: 'photo-input', onchange: async () => {
      for (const file of input.files) photos.push(await takePhoto(file));
      input.value = '';
      render();
      onChange();
    } });
  render();
  return h('div', { class: 'field photo-field' },
    h('label', { class: 'btn btn-block photo-button' }, t('field.photo.add'), input), list);
}
