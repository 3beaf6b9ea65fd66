// The field app's IndexedDB: drafts (a round or a form being filled in), the outbox of
// submissions waiting for the network (in order), what was sent, and data cached for offline.
const NAME = 'community-field';
const STORES = { drafts: 'id', outbox: 'seq', sent: 'seq', cache: 'key' };
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => {
        for (const [store, keyPath] of Object.entries(STORES)) {
          if (!request.result.objectStoreNames.contains(store)) {
            request.result.createObjectStore(store, { keyPath, autoIncrement: keyPath === 'seq' });
          }
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

async function run(store, mode, act) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = act(tx.objectStore(store));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Put a record (returns its key). */
export const put = (store, value) => run(store, 'readwrite', (s) => s.put(value));
/** One record by key, or undefined. */
export const read = (store, key) => run(store, 'readonly', (s) => s.get(key));
/** Every record, in key order. */
export const all = (store) => run(store, 'readonly', (s) => s.getAll());
/** Remove a record. */
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));

const KEEP_SENT = 50;

/** Move an outbox item to `sent` in one transaction (it never is in both or in neither);
 * only the last KEEP_SENT sent items are kept (with their photos). */
export async function markSent(item) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(['outbox', 'sent'], 'readwrite');
    tx.objectStore('outbox').delete(item.seq);
    const sent = tx.objectStore('sent');
    sent.put({ ...item, sent_at: new Date().toISOString() });
    sent.getAllKeys().onsuccess = (event) => {
      for (const key of event.target.result.slice(0, -KEEP_SENT)) sent.delete(key);
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** A GET answered from the network and kept, or the kept answer when offline. */
export async function cached(key, load) {
  try {
    const value = await load();
    await put('cache', { key, value, at: new Date().toISOString() });
    return { value, offline: false };
  } catch (error) {
    const kept = await read('cache', key);
    if (kept && (error.status === 0 || !navigator.onLine)) return { value: kept.value, offline: true, at: kept.at };
    throw error;
  }
}
