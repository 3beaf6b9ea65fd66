// Downloads of a list (CSV with a BOM, or XLSX) with the list's current filters: the services
// stream every filtered row (`?format=csv|xlsx`), masked as in the list. The file is fetched
// with the bearer token and saved from a blob (a plain link could not carry the token); so is a
// stored file such as a monthly report (`fileButton`).
import { session, ApiError } from './api.js';
import { h } from './el.js';
import { t } from './i18n.js';
import { problemBox } from './ui.js';

async function fetchFile(path, query, format) {
  const url = new URL(`/api${path}`, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  if (format) url.searchParams.set('format', format);
  const headers = {};
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ title: response.statusText }));
    throw new ApiError(response.status, problem);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
  return { blob: await response.blob(), name: name ? name[1] : `export.${format || 'xlsx'}` };
}

/** Save a fetched file the way a download link would. */
function save(file) {
  const link = h('a', { href: URL.createObjectURL(file.blob), download: file.name, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

/** A button downloading one stored file (`/api${path}`, e.g. a monthly report); errors beside it. */
export function fileButton(path, text, attrs = {}) {
  const slot = h('span', { class: 'download-error', role: 'status' });
  return h('span', h('button', { type: 'button', class: 'btn btn-small btn-secondary', ...attrs,
    onclick: async (event) => {
      const target = event.currentTarget;
      target.disabled = true;
      slot.replaceChildren();
      try {
        save(await fetchFile(path, {}, null));
      } catch (error) {
        slot.replaceChildren(problemBox(error));
      } finally {
        target.disabled = false;
      }
    } }, text), slot);
}

/** Two buttons, CSV and Excel, downloading `path` with the query `currentQuery()` returns. */
export function downloadButtons(path, currentQuery) {
  const slot = h('div', { class: 'download-error', role: 'status' });
  const button = (format) => h('button', {
    type: 'button',
    class: 'btn btn-secondary',
    'data-download': format,
    onclick: async (event) => {
      const target = event.currentTarget;
      target.disabled = true;
      slot.replaceChildren();
      try {
        save(await fetchFile(path, currentQuery(), format));
      } catch (error) {
        slot.replaceChildren(problemBox(error));
      } finally {
        target.disabled = false;
      }
    },
  }, t(`download.${format}`));
  return h('div', { class: 'downloads', role: 'group', 'aria-label': t('download.label') },
    button('csv'), button('xlsx'), slot);
}
