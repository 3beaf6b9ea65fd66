// Analytics: waits by business type and hour, window utilisation, satisfaction, and the pooling
// report (dedicated vs generalist windows, predicted and measured).
import { get, listAll } from '../lib/api.js';
import { barChart, hBars } from '../lib/chart.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { duration, localDay, number, percent } from '../lib/format.js';
import { label, localName, t } from '../lib/i18n.js';
import { asyncBlock, empty, pageHeader, section, table } from '../lib/ui.js';

const minutes = (seconds) => (seconds === null || seconds === undefined ? null : seconds / 60);
const fmtMin = (v) => t('unit.min_short', { n: number(v, v < 1 ? 2 : v < 10 ? 1 : 0) });

function tiles(summary) {
  const items = [
    [summary.arrivals, t('analytics.arrivals')],
    [summary.completed, t('analytics.completed')],
    [percent(summary.no_show_rate, 1), t('analytics.no_show_rate')],
    [duration(summary.wait_seconds?.mean), t('analytics.mean_wait')],
    [duration(summary.wait_seconds?.p90), t('analytics.p90_wait')],
    [summary.satisfaction?.count ? number(summary.satisfaction.mean_score, 2) : '—',
      t('analytics.satisfaction', { n: summary.satisfaction?.count || 0 })],
  ];
  return h('ul', { class: 'tiles' }, items.map(([value, text]) => h('li', { class: 'tile' },
    h('strong', { class: 'tile-number' }, String(value)), h('span', text))));
}

function summaryBlock(summary, typeName) {
  if (!summary.arrivals) return [tiles(summary), empty(t('analytics.no_data'))];
  const byType = [...summary.by_business_type].sort((a, b) => (b.wait_seconds?.mean || 0) - (a.wait_seconds?.mean || 0));
  const hours = [...summary.by_hour].sort((a, b) => a.hour - b.hour);
  return [
    tiles(summary),
    hBars({ title: t('analytics.wait_by_type'), format: fmtMin,
      rows: byType.map((row) => ({ label: typeName(row.business_type), value: minutes(row.wait_seconds?.mean) || 0,
        text: `${fmtMin(minutes(row.wait_seconds?.mean) || 0)} · p90 ${fmtMin(minutes(row.wait_seconds?.p90) || 0)} · ${t('analytics.n', { n: row.arrivals })}` })) }),
    h('div', { class: 'two-charts' },
      barChart({ title: t('analytics.arrivals_by_hour'), categories: hours.map((r) => `${r.hour}:00`),
        series: [{ name: t('analytics.arrivals'), values: hours.map((r) => r.arrivals), tone: 0 }], format: (v) => number(v), integer: true }),
      barChart({ title: t('analytics.wait_by_hour'), categories: hours.map((r) => `${r.hour}:00`),
        series: [{ name: t('analytics.mean_wait'), values: hours.map((r) => minutes(r.wait_seconds?.mean)), tone: 1 }], format: fmtMin })),
    hBars({ title: t('analytics.utilisation'), max: 1, format: (v) => percent(v),
      rows: summary.by_window.map((w) => ({ label: t('analytics.window_n', { n: w.window_number }), value: w.utilisation || 0,
        text: `${percent(w.utilisation || 0)} · ${t('analytics.served', { n: w.served })}` })) }),
    summary.satisfaction?.count ? barChart({ title: t('analytics.satisfaction_distribution'), categories: ['1', '2', '3', '4', '5'],
      series: [{ name: t('analytics.ratings'), values: ['1', '2', '3', '4', '5'].map((k) => summary.satisfaction.distribution?.[k] || 0), tone: 2 }],
      format: (v) => number(v), integer: true, height: 200 }) : null,
  ];
}

function waitText(queue) {
  return queue.predicted_mean_wait_seconds === null || queue.stable === false ? t('pooling.unstable') : duration(queue.predicted_mean_wait_seconds);
}

function poolingBlock(report, typeName) {
  if (!report.arrivals) return empty(t('analytics.no_data'));
  const measured = report.measured?.wait_seconds?.mean;
  const rows = [
    { label: t('pooling.dedicated', { n: report.dedicated.windows }), value: minutes(report.dedicated.predicted_mean_wait_seconds) || 0,
      tone: 3, text: waitText(report.dedicated) },
    { label: t('pooling.pooled', { n: report.pooled.windows }), value: minutes(report.pooled.predicted_mean_wait_seconds) || 0,
      tone: 0, text: waitText(report.pooled) },
    { label: t('pooling.measured'), value: minutes(measured) || 0, tone: 2, text: duration(measured) },
  ];
  return [
    h('p', { class: 'muted' }, t('pooling.intro', { days: report.open_days, hours: report.service_hours_per_day, staff: report.staff,
      layout: label(`pooling.layout.${report.dedicated.layout}`, report.dedicated.layout) })),
    hBars({ title: t('pooling.chart'), rows, format: fmtMin }),
    h('p', t('pooling.pooled_detail', { utilisation: percent(report.pooled.utilisation, 1),
      waiting: percent(report.pooled.probability_of_waiting, 1) })),
    table([
      { label: t('pooling.queue'), cell: (q) => q.label.split('+').map((part) => label(`department.${part}`, typeName(part))).join(' + ') },
      { label: t('pooling.types'), cell: (q) => q.business_types.map(typeName).join('、') },
      { label: t('pooling.windows'), cell: (q) => String(q.windows), class: 'num' },
      { label: t('pooling.arrivals_per_hour'), cell: (q) => number(q.arrivals_per_hour, 2), class: 'num' },
      { label: t('pooling.mean_service'), cell: (q) => duration(q.mean_service_seconds), class: 'num' },
      { label: t('pooling.load'), cell: (q) => number(q.offered_load, 2), class: 'num' },
      { label: t('pooling.predicted_wait'), cell: (q) => waitText(q), class: 'num' },
    ], report.dedicated.queues, { caption: t('pooling.queues'), rowClass: (q) => (q.predicted_mean_wait_seconds === null ? 'overdue' : null) }),
  ];
}

export async function analyticsPage(ctx, params, query) {
  const community = ctx.community;
  const types = await listAll('/intake/business-types', { community }).catch(() => []);
  const names = new Map(types.map((ty) => [ty.code, localName(ty)]));
  const typeName = (code) => names.get(code) || code;
  const range = { from: query.from || localDay(-29), to: query.to || localDay(0) };
  const results = h('div');
  const load = () => replace(results,
    section(t('analytics.summary'), asyncBlock(async () => summaryBlock(await get('/intake/analytics/summary', { community, ...range }), typeName))),
    section(t('pooling.title'), asyncBlock(async () => poolingBlock(await get('/intake/analytics/pooling', { community, ...range }), typeName))));
  const picker = form({
    className: 'filters',
    fields: [field({ name: 'from', label: t('analytics.from'), type: 'date', value: range.from, required: true }),
      field({ name: 'to', label: t('analytics.to'), type: 'date', value: range.to, required: true })],
    submitLabel: t('analytics.show'),
    onSubmit: async (chosen) => {
      Object.assign(range, chosen);
      history.replaceState(null, '', `${location.pathname}?from=${range.from}&to=${range.to}`);
      load();
    },
  });
  load();
  return h('div', pageHeader(t('analytics.title')), picker, results);
}
