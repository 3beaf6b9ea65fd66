// The field app's service worker: the app shell from the cache (so the app opens with no
// network), refreshed in the background; API calls always go to the network (the app keeps
// its own data and outbox in IndexedDB).
const VERSION = 'field-shell-3';
const SHELL = [
  '/field/', '/field/manifest.json', '/static/web/app.css', '/static/web/icon.svg',
  '/static/web/field/field.css', '/static/web/field/main.js', '/static/web/field/store.js',
  '/static/web/field/outbox.js', '/static/web/field/today.js', '/static/web/field/round.js',
  '/static/web/field/photos.js', '/static/web/field/collect.js', '/static/web/field/persons.js', '/static/web/field/pending.js',
  '/static/web/lib/api.js', '/static/web/lib/auth.js', '/static/web/lib/el.js', '/static/web/lib/form.js',
  '/static/web/lib/format.js', '/static/web/lib/i18n.js', '/static/web/lib/router.js',
  '/static/web/lib/shell.js', '/static/web/lib/signin.js', '/static/web/lib/ui.js', '/static/web/lib/idnumber.js',
  '/static/web/i18n/zh-CN.json', '/static/web/i18n/en.json', '/static/web/lib/map.js', '/static/web/lib/map.css',
  '/static/web/vendor/leaflet/leaflet.js', '/static/web/vendor/leaflet/leaflet.css',
  '/static/web/vendor/leaflet.markercluster/leaflet.markercluster.js',
  '/static/web/vendor/leaflet.markercluster/MarkerCluster.css',
  '/static/web/vendor/leaflet.markercluster/MarkerCluster.Default.css',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  const isPage = event.request.mode === 'navigate';
  const key = isPage ? '/field/' : event.request;
  event.respondWith(caches.open(VERSION).then(async (cache) => {
    const kept = await cache.match(key, { ignoreSearch: isPage });
    const fresh = fetch(event.request).then((response) => {
      if (response.ok) cache.put(key, response.clone());
      return response;
    });
    if (kept) {
      event.waitUntil(fresh.catch(() => null));
      return kept;
    }
    return fresh;
  }));
});
