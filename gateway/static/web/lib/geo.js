// Grid cells drawn from their GeoJSON polygons as SVG (no map tiles), with case markers.
import { h, s } from './el.js';

const WIDTH = 640;
const PAD = 16;

function rings(cell) {
  const boundary = cell.boundary || {};
  return boundary.type === 'Polygon' ? boundary.coordinates : [];
}

/** A projection fitting every cell: equirectangular, x scaled by cos(latitude). */
export function projection(cells) {
  let minLon = Infinity; let maxLon = -Infinity; let minLat = Infinity; let maxLat = -Infinity;
  for (const cell of cells) {
    for (const ring of rings(cell)) {
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      }
    }
  }
  if (!Number.isFinite(minLon)) return null;
  const kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (WIDTH - 2 * PAD) / spanX;
  const height = Math.min(Math.max(spanY * scale + 2 * PAD, 160), 900);
  const scaleUsed = Math.min(scale, (height - 2 * PAD) / spanY);
  return {
    width: WIDTH, height,
    point: (lon, lat) => [PAD + (lon - minLon) * kx * scaleUsed, height - PAD - (lat - minLat) * scaleUsed],
    invert: (x, y) => [minLon + (x - PAD) / (kx * scaleUsed), minLat + (height - PAD - y) / scaleUsed],
  };
}

function centroid(ring) {
  const points = ring.slice(0, -1);
  const sum = points.reduce((acc, [lon, lat]) => [acc[0] + lon, acc[1] + lat], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}

/**
 * The map: cells (polygons with their code), markers [{lon, lat, tone, overdue, title, href}],
 * and, with onPick(lon, lat), a click places the chosen point (`picked`).
 */
export function cellMap({ cells, markers = [], onPick, picked, title, compact = false }) {
  const proj = projection(cells);
  if (!proj) return null;
  const nodes = [];
  for (const cell of cells) {
    for (const ring of rings(cell).slice(0, 1)) {
      const d = ring.map(([lon, lat], i) => `${i ? 'L' : 'M'} ${proj.point(lon, lat).map((v) => v.toFixed(1)).join(' ')}`).join(' ');
      const [cx, cy] = proj.point(...centroid(ring));
      nodes.push(s('path', { class: 'cell', d: `${d} Z` }, s('title', `${cell.code} ${cell.name || ''}`)),
        s('text', { class: 'cell-label', x: cx, y: cy, 'text-anchor': 'middle' }, cell.code));
    }
  }
  for (const marker of markers) {
    if (marker.lon === null || marker.lon === undefined || marker.lat === null || marker.lat === undefined) continue;
    const [x, y] = proj.point(marker.lon, marker.lat);
    const dot = s('g', { class: ['marker', `severity-${marker.tone}`, marker.overdue && 'overdue'] },
      marker.overdue ? s('circle', { class: 'overdue-ring', cx: x, cy: y, r: 14 }) : null,
      s('circle', { cx: x, cy: y, r: 8 }), s('title', marker.title || ''));
    nodes.push(marker.href ? s('a', { href: marker.href, 'aria-label': marker.title || '' }, dot) : dot);
  }
  if (picked) {
    const [x, y] = proj.point(picked.lon, picked.lat);
    nodes.push(s('g', { class: 'picked' }, s('circle', { cx: x, cy: y, r: 9 }),
      s('path', { d: `M ${x - 14} ${y} H ${x + 14} M ${x} ${y - 14} V ${y + 14}` })));
  }
  const svg = s('svg', { class: ['cell-map', onPick && 'pickable', compact && 'compact'], viewBox: `0 0 ${proj.width} ${proj.height.toFixed(0)}`,
    // a map with links to cases is a group of links (an image may not hold controls)
    role: markers.some((m) => m.href) ? 'group' : 'img', 'aria-label': title || '' }, nodes);
  if (onPick) {
    svg.addEventListener('click', (event) => {
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const [lon, lat] = proj.invert(point.x, point.y);
      onPick(Number(lon.toFixed(6)), Number(lat.toFixed(6)));
    });
  }
  return h('div', { class: 'map-wrap' }, svg);
}
