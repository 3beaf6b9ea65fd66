// Uploading a photo to the grid service (POST /api/grid/photos, multipart): the answer's `url`
// is what findings, cases and Open311 reports (media_url) refer to.
import { ApiError, session } from './api.js';
import { h } from './el.js';
import { t } from './i18n.js';

/** Upload one image file; resolves the stored photo ({id, url, thumbnail_url, ...}). */
export async function uploadPhoto(file) {
  const body = new FormData();
  body.append('file', file, file.name || 'photo');
  const headers = { Accept: 'application/json', 'Idempotency-Key': crypto.randomUUID() };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch('/api/grid/photos', { method: 'POST', headers, body });
  } catch {
    throw new ApiError(0, { title: t('error.network'), detail: t('error.network.detail') });
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data || { status: response.status, title: t('error.unexpected') });
  return data;
}

async function asDataUrl(path) {
  const token = session.token();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(String(response.status));
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** A case's photos: our uploads as thumbnails (fetched with the token; a tap shows the photo),
 * other links as links (never fetched: nothing is loaded from another host). */
export function photoList(urls) {
  return h('ul', { class: 'photo-list' }, urls.map((url, index) => {
    const alt = t('grid.photo', { n: index + 1 });
    if (!url.startsWith('/api/grid/photos/')) return h('li', h('a', { href: url, rel: 'noopener noreferrer' }, alt));
    const image = h('img', { alt, class: 'photo-thumb', width: 96, height: 96 });
    asDataUrl(`${url}/thumbnail`).then((src) => { image.src = src; }).catch(() => { image.alt = `${alt} ✕`; });
    return h('li', h('button', { type: 'button', class: 'btn btn-ghost photo-open', 'aria-label': alt, onclick: async (event) => {
      const button = event.currentTarget;
      button.replaceWith(h('img', { alt, class: 'photo-full', src: await asDataUrl(url) }));
    } }, image));
  }));
}
