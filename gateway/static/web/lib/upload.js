// Uploading a photo to the grid service (POST /api/grid/photos, multipart): the answer's `url`
// is what findings, cases and Open311 reports (media_url) refer to.
import { ApiError, session } from './api.js';
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
