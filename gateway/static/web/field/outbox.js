// The outbox: submissions made on the phone, kept in IndexedDB and sent in order when the
// network is there. Every request of an item has its own Idempotency-Key, chosen when the
// item is queued and kept with it, and a body that never changes once built (photos go as a
// multipart body with a boundary derived from their key), so sending an item again — after a
// lost answer, a crash, or on purpose — is answered from the service's record and never
// creates anything twice. A 412/409 on an edit keeps both versions for the worker to decide.
import { session } from '../lib/api.js';
import * as store from './store.js';

let flushing = null;

export function newKey() {
  return crypto.randomUUID();
}

function changed() {
  window.dispatchEvent(new CustomEvent('outbox:changed'));
}

/** Queue a submission ({kind, title, ...}); it is sent at once when online. */
export async function enqueue(item) {
  await store.put('outbox', { ...item, state: 'waiting', queued_at: new Date().toISOString(), progress: {} });
  changed();
  flush();
}

/** Items still to send (waiting, refused or in conflict), in order. */
export const pending = () => store.all('outbox');

class Stop extends Error {}

async function send(method, path, { body, blob, key, etag, contentType = 'application/json' }) {
  const headers = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (key) headers['Idempotency-Key'] = key;
  if (etag) headers['If-Match'] = etag;
  if (body !== undefined) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(`/api${path}`, { method, headers, body: blob || body });
  } catch {
    throw new Stop('offline');
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401 || response.status >= 500) throw new Stop(String(response.status));
  return { status: response.status, ok: response.ok, data, etag: response.headers.get('ETag'),
    replayed: response.headers.get('Idempotent-Replayed') === 'true' };
}

function multipart(photo) {
  const boundary = `----field-${photo.key}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo"\r\n`
    + `Content-Type: ${photo.type || 'application/octet-stream'}\r\n\r\n`;
  return { blob: new Blob([head, photo.blob, `\r\n--${boundary}--\r\n`]),
    contentType: `multipart/form-data; boundary=${boundary}` };
}

async function uploadPhotos(item, record) {
  const urls = {};
  for (const [code, photos] of Object.entries(item.photos || {})) {
    urls[code] = [];
    for (const photo of photos) {
      const { blob, contentType } = multipart(photo);
      const answer = await send('POST', '/grid/photos', { body: '', blob, contentType, key: photo.key });
      if (!answer.ok) return record(answer);
      urls[code].push(answer.data.url);
    }
  }
  return urls;
}

const SENDERS = {
  async inspection(item, record) {
    if (!item.progress.body) {
      const urls = await uploadPhotos(item, record);
      if (urls === null) return null;
      const items = item.items.map((answer) => (urls[answer.code] ? { ...answer, photos: urls[answer.code] } : answer));
      item.progress.body = JSON.stringify({ cell_code: item.cell_code, started_at: item.started_at, items });
      if (!item.replay) await store.put('outbox', item);
    }
    return record(await send('POST', '/grid/inspections', { body: item.progress.body, key: item.key }));
  },
  async household(item, record) {
    const household = await send('POST', '/grid/households', { key: item.key,
      body: JSON.stringify({ building_id: item.building_id, unit: item.unit, tenure: item.tenure }) });
    if (!household.ok) return record(household);
    for (const person of item.persons) {
      const { key, ...fields } = person;
      const answer = await send('POST', '/grid/persons', { key,
        body: JSON.stringify({ ...fields, household_id: household.data.id }) });
      if (!answer.ok) return record(answer);
    }
    return record(household);
  },
  async create(item, record) {
    return record(await send('POST', item.path, { body: JSON.stringify(item.body), key: item.key }));
  },
  async update(item, record) {
    const answer = await send('PATCH', item.path, { body: JSON.stringify(item.body), key: item.key, etag: item.etag });
    if (answer.status === 412 || answer.status === 409) {
      const theirs = await send('GET', item.path, {});
      item.conflict = { status: answer.status, problem: answer.data, mine: item.body, original: item.original,
        theirs: theirs.data, etag: theirs.etag };
      return 'conflict';
    }
    return record(answer);
  },
};

/** Send one item; 'sent', 'refused' (a 4xx kept with its problem) or 'conflict'. */
async function sendItem(item) {
  let outcome = 'sent';
  const record = (answer) => {
    if (!answer.ok) {
      item.problem = answer.data || { status: answer.status };
      outcome = 'refused';
    }
    return null;
  };
  const result = await SENDERS[item.kind](item, record);
  return result === 'conflict' ? 'conflict' : outcome;
}

/** Send every waiting item in order; stops at the first one the network does not take. */
export function flush() {
  if (!flushing) {
    flushing = (async () => {
      try {
        for (const item of await pending()) {
          if (item.state !== 'waiting') continue;
          const outcome = await sendItem(item);
          if (outcome === 'sent') await store.markSent(item);
          else await store.put('outbox', { ...item, state: outcome });
          changed();
        }
      } catch (error) {
        if (!(error instanceof Stop)) throw error;
      } finally {
        flushing = null;
        changed();
      }
    })();
  }
  return flushing;
}

/** Keep mine after a conflict: send my change again on top of the server's version. */
export async function keepMine(item) {
  const { conflict, ...rest } = item;
  await store.put('outbox', { ...rest, etag: conflict.etag, key: newKey(), state: 'waiting', problem: null });
  changed();
  return flush();
}

/** Drop an item (a refused one, or mine after a conflict). */
export async function discard(item) {
  await store.remove('outbox', item.seq);
  changed();
}

/** Send what was already sent once more, with the same keys and bodies: the services answer
 * from their idempotency records (nothing is created twice). Returns the answers' statuses. */
export async function replaySent() {
  const statuses = [];
  for (const item of await store.all('sent')) {
    const copy = { ...item, replay: true, progress: {} };
    await SENDERS[copy.kind](copy, (answer) => { statuses.push(answer.status); return null; });
  }
  return statuses;
}
