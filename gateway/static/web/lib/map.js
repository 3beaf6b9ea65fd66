// Maps on Leaflet (vendored in vendor/, loaded on first use): grid cells from their GeoJSON,
// clustered case markers, the phone's position, a point to pick, and cell drawing with
// Leaflet-Geoman. The base layer is the district's tile service from /map/config (e.g.
// Tianditu in CGCS2000, which is within a metre or so of WGS 84); without one the cells are
// drawn on a plain background and no request leaves for another host.
import { h } from './el.js';
import { t } from './i18n.js';

const VENDOR = '/static/web/vendor';
const loading = new Map();
let config = null;

function script(src) {
  if (!loading.has(src)) {
    loading.set(src, new Promise((resolve, reject) => {
      const element = h('script', { src });
      element.addEventListener('load', resolve);
      element.addEventListener('error', () => reject(new Error(`cannot load ${src}`)));
      document.head.append(element);
    }));
  }
  return loading.get(src);
}

function style(href) {
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** Leaflet with the clustering plugin (and Geoman when `draw`), loaded once. */
export async function loadLeaflet({ draw = false } = {}) {
  style(`${VENDOR}/leaflet/leaflet.css`);
  style('/static/web/lib/map.css');
  style(`${VENDOR}/leaflet.markercluster/MarkerCluster.css`);
  style(`${VENDOR}/leaflet.markercluster/MarkerCluster.Default.css`);
  await script(`${VENDOR}/leaflet/leaflet.js`);
  await script(`${VENDOR}/leaflet.markercluster/leaflet.markercluster.js`);
  if (draw) {
    style(`${VENDOR}/leaflet-geoman/leaflet-geoman.css`);
    await script(`${VENDOR}/leaflet-geoman/leaflet-geoman.min.js`);
  }
  return window.L;
}

/** The base layer the gateway announces ({tiles: null} offline or when none is set). */
export async function mapConfig() {
  if (!config) {
    config = fetch('/map/config').then((r) => (r.ok ? r.json() : { tiles: null })).catch(() => ({ tiles: null }));
  }
  return config;
}

function whenConnected(node) {
  return new Promise((resolve) => {
    const check = () => (node.isConnected ? resolve() : requestAnimationFrame(check));
    check();
  });
}

function markerIcon(L, marker) {
  // A marker without a link is an image with a name (aria-label alone is not allowed on a span).
  const dot = h(marker.href ? 'a' : 'span', { href: marker.href || null, role: marker.href ? null : 'img',
    'aria-label': marker.title || '', title: marker.title || '', class: ['marker', `severity-${marker.tone}`, marker.overdue && 'overdue'] });
  return L.divIcon({ className: 'case-marker-icon', html: dot, iconSize: [22, 22] });
}

function cellFeatures(cells) {
  return cells.filter((cell) => cell.boundary).map((cell) => ({ type: 'Feature', geometry: cell.boundary,
    properties: { code: cell.code, name: cell.name || '' } }));
}

function showPosition(L, map, fit) {
  let mark = null;
  map.on('locationfound', (event) => {
    if (mark) mark.remove();
    mark = L.layerGroup([L.circle(event.latlng, { radius: event.accuracy, className: 'my-accuracy' }),
      L.circleMarker(event.latlng, { radius: 8, className: 'my-position' })]).addTo(map);
    if (fit) map.setView(event.latlng, Math.max(map.getZoom(), 17));
  });
  const button = h('button', { type: 'button', class: 'btn btn-small map-locate', onclick: (event) => {
    event.stopPropagation();
    map.locate({ enableHighAccuracy: true, timeout: 15000 });
  } }, t('map.my_position'));
  const control = L.control({ position: 'topright' });
  control.onAdd = () => { const box = h('div', { class: 'leaflet-bar map-control' }, button); L.DomEvent.disableClickPropagation(box); return box; };
  control.addTo(map);
  if (fit) map.locate({ enableHighAccuracy: true, timeout: 15000 });
}

function build(L, box, tiles, options) {
  const map = L.map(box, { attributionControl: Boolean(tiles.tiles), zoomSnap: 0.5, maxZoom: tiles.max_zoom || 19, minZoom: 3 });
  box.leafletMap = map;
  if (tiles.tiles) {
    L.tileLayer(tiles.tiles, { subdomains: tiles.subdomains || 'abc', attribution: tiles.attribution || '',
      maxZoom: tiles.max_zoom || 18 }).addTo(map);
  }
  const cells = L.geoJSON(cellFeatures(options.cells || []), {
    style: () => ({ className: 'cell-shape', color: '#0a6b66', weight: 2, fillOpacity: 0.08 }),
    onEachFeature: (feature, layer) => {
      layer.feature = feature;
      layer.bindTooltip(feature.properties.code, { permanent: true, direction: 'center', className: 'cell-label' });
    },
  }).addTo(map);
  const cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  for (const marker of options.markers || []) {
    if (marker.lon === null || marker.lon === undefined || marker.lat === null || marker.lat === undefined) continue;
    L.marker([marker.lat, marker.lon], { icon: markerIcon(L, marker), keyboard: false }).addTo(cluster);
  }
  cluster.addTo(map);
  const bounds = cells.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
  else map.setView([22.49, 113.91], 15);
  let picked = options.picked ? L.circleMarker([options.picked.lat, options.picked.lon], { className: 'picked', radius: 9 }).addTo(map) : null;
  if (options.onPick) {
    box.classList.add('pickable');
    map.on('click', (event) => {
      const lon = Number(event.latlng.lng.toFixed(6));
      const lat = Number(event.latlng.lat.toFixed(6));
      if (picked) picked.remove();
      picked = L.circleMarker([lat, lon], { className: 'picked', radius: 9 }).addTo(map);
      options.onPick(lon, lat);
    });
  }
  if (options.position) showPosition(L, map, options.position === 'follow');
  if (options.draw) options.draw(L, map, cells);
  return map;
}

/**
 * A map: {cells, markers [{lon, lat, tone, overdue, title, href}], title, caption, picked,
 * onPick(lon, lat), position (true: a "my position" button; 'follow': and centre on it),
 * draw(L, map, cellsLayer) to add drawing (Geoman is loaded first), onReady(map)}.
 */
export function mapView(options) {
  const box = h('div', { class: ['leaflet-box', options.compact && 'compact'], role: 'region', 'aria-label': options.title || t('map.title') });
  const wrap = h('figure', { class: 'map-wrap leaflet-wrap' }, box,
    options.caption ? h('figcaption', { class: 'muted' }, options.caption) : null);
  whenConnected(box).then(async () => {
    const L = await loadLeaflet({ draw: Boolean(options.draw) });
    const map = build(L, box, await mapConfig(), options);
    box.dataset.ready = 'true';
    if (options.onReady) options.onReady(map);
  }).catch((error) => { box.replaceChildren(h('p', { class: 'field-error' }, String(error.message || error))); });
  return wrap;
}
