// A small SVG chart helper (our own): grouped bars, horizontal bars, a stacked bar with marks.
import { h, s } from './el.js';

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value);
  return step * power;
}

/** Axis ticks: a round step (whole numbers when `integer`) and the top of the axis. */
function axis(value, integer) {
  const raw = (value > 0 ? value : 1) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = (integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((f) => f * power).find((v) => v >= raw);
  if (integer) step = Math.max(1, Math.round(step));
  const top = step * Math.max(1, Math.ceil((value > 0 ? value : 1) / step));
  return { top, step };
}

/** The drawing width: narrower on a phone so that the text stays readable when scaled. */
function chartWidth() {
  return window.innerWidth < 640 ? 360 : 640;
}

/** About how wide a label is at 12px (CJK characters are wider). */
function textWidth(text) {
  return Array.from(String(text)).reduce((sum, c) => sum + (c.codePointAt(0) > 0x2e80 ? 12 : 7), 0);
}

function legend(series) {
  return h('ul', { class: 'legend' }, series.map((item, index) =>
    h('li', h('span', { class: `swatch series-${item.tone ?? index}`, 'aria-hidden': 'true' }), item.name)));
}

function figure(title, svg, extra) {
  return h('figure', { class: 'chart' }, svg, extra || null, title ? h('figcaption', title) : null);
}

/**
 * Grouped vertical bars. categories: labels; series: [{name, values, tone}]; format(v) for
 * labels; a null value draws no bar and writes `nullLabel`.
 */
export function barChart({ title, categories, series, format = String, height = 240, nullLabel = '—', integer = false }) {
  const width = chartWidth();
  const all = series.flatMap((item) => item.values).filter((v) => v !== null && v !== undefined);
  const { top: max, step } = axis(Math.max(0, ...all), integer);
  const longest = Math.max(...Array.from({ length: Math.round(max / step) + 1 }, (_, i) => String(format(i * step)).length));
  const pad = { top: 16, right: 12, bottom: categories.length > 8 ? 64 : 40, left: Math.max(40, longest * 7 + 14) };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(36, (groupW * 0.8) / Math.max(1, series.length)));
  const y = (v) => pad.top + plotH - (v / max) * plotH;
  const nodes = [];
  for (let i = 0; i * step <= max + 1e-9; i += 1) {
    const value = i * step;
    nodes.push(s('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }),
      s('text', { class: 'axis', x: pad.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, format(value)));
  }
  categories.forEach((category, ci) => {
    const x0 = pad.left + ci * groupW + (groupW - barW * series.length) / 2;
    series.forEach((item, si) => {
      const value = item.values[ci];
      const x = x0 + si * barW;
      if (value === null || value === undefined) {
        nodes.push(s('text', { class: 'bar-note', x: x + barW / 2, y: pad.top + plotH - 4, 'text-anchor': 'middle' }, nullLabel));
        return;
      }
      nodes.push(s('rect', { class: `bar series-${item.tone ?? si}`, x, width: barW - 1, y: y(value),
        height: Math.max(0, pad.top + plotH - y(value)) }, s('title', `${category} · ${item.name}: ${format(value)}`)));
    });
    const labelX = pad.left + ci * groupW + groupW / 2;
    const labelY = pad.top + plotH + 16;
    nodes.push(s('text', categories.length > 8
      ? { class: 'axis', x: labelX, y: labelY, 'text-anchor': 'end', transform: `rotate(-40 ${labelX} ${labelY})` }
      : { class: 'axis', x: labelX, y: labelY, 'text-anchor': 'middle' }, category));
  });
  nodes.push(s('line', { class: 'axis-line', x1: pad.left, x2: width - pad.right, y1: pad.top + plotH, y2: pad.top + plotH }));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title || '' }, nodes);
  return figure(title, svg, series.length > 1 ? legend(series) : null);
}

/** Horizontal bars, one per row: [{label, value, tone, text}] (text overrides the value label). */
export function hBars({ title, rows, format = String, max }) {
  const rowH = 28;
  const width = chartWidth();
  const labelW = width < 640 ? 130 : 200;
  const top = 4;
  const height = top + rows.length * rowH + 4;
  const scale = niceMax(max ?? Math.max(0, ...rows.map((r) => r.value ?? 0)));
  const longest = Math.max(0, ...rows.map((row) => textWidth(row.text ?? format(row.value))));
  const plotW = Math.max(60, width - labelW - longest - 16);
  const nodes = rows.flatMap((row, i) => {
    const y = top + i * rowH;
    const w = row.value ? (row.value / scale) * plotW : 0;
    return [
      s('text', { class: 'axis', x: labelW - 8, y: y + 18, 'text-anchor': 'end' }, row.label),
      s('rect', { class: `bar series-${row.tone ?? 0}`, x: labelW, y: y + 5, width: Math.max(0, w), height: rowH - 10 },
        s('title', `${row.label}: ${row.text ?? format(row.value)}`)),
      s('text', { class: 'bar-value', x: labelW + w + 6, y: y + 18 }, row.text ?? format(row.value)),
    ];
  });
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title || '' }, nodes);
  return figure(title, svg);
}

/**
 * One horizontal bar from 0 to `max` made of parts [{name, value, tone}] with vertical marks
 * [{at, label}] (e.g. grade bands) and a total marker.
 */
export function stackedBar({ title, parts, max = 100, marks = [], total, format = String, width = chartWidth() }) {
  const height = 124;
  const left = 10;
  const plotW = width - 20;
  const x = (v) => left + (v / max) * plotW;
  const nodes = [];
  let at = 0;
  parts.forEach((part, i) => {
    const w = (Math.max(0, part.value) / max) * plotW;
    nodes.push(s('rect', { class: `bar series-${part.tone ?? i}`, x: x(at), y: 34, width: w, height: 36 },
      s('title', `${part.name}: ${format(part.value)}`)));
    if (w > 34) {
      nodes.push(s('text', { class: 'bar-inside', x: x(at) + w / 2, y: 57, 'text-anchor': 'middle' }, format(part.value)));
    }
    at += Math.max(0, part.value);
  });
  marks.forEach((mark, i) => {  // labels alternate between two lines so neighbours do not collide
    nodes.push(s('line', { class: 'mark', x1: x(mark.at), x2: x(mark.at), y1: 26, y2: i % 2 ? 92 : 78 }),
      s('text', { class: 'axis', x: x(mark.at), y: i % 2 ? 104 : 90, 'text-anchor': 'middle' }, mark.label));
  });
  if (total !== undefined) {
    nodes.push(s('path', { class: 'total-marker', d: `M ${x(total) - 6} 14 L ${x(total) + 6} 14 L ${x(total)} 26 Z` }),
      s('text', { class: 'total-label', x: x(total), y: 10, 'text-anchor': 'middle' }, format(total)));
  }
  nodes.push(s('text', { class: 'axis', x: left, y: 118 }, '0'),
    s('text', { class: 'axis', x: left + plotW, y: 118, 'text-anchor': 'end' }, String(max)));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title || '' }, nodes);
  return figure(title, svg, legend(parts));
}
