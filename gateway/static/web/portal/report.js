// Reporting a hazard with its location through the Open311 endpoint, and following the report.
import { get, listAll, request } from '../lib/api.js';
import { GRID_CATEGORIES } from '../lib/domain.js';
import { h, replace } from '../lib/el.js';
import { field, form, localProblem } from '../lib/form.js';
import { dateTime } from '../lib/format.js';
import { uploadPhoto } from '../lib/upload.js';
import { cellMap } from '../lib/geo.js';
import { label, t } from '../lib/i18n.js';
import { actionButton, asyncBlock, badge, facts, notice, pageHeader, section, timeline } from '../lib/ui.js';
import { allowedGridActions } from '../console/grid-case.js';

function locationField(cells, point) {
  const mapSlot = h('div');
  const lon = field({ name: 'long', label: t('geo.lon'), type: 'number', attrs: { step: 'any', inputmode: 'decimal' } });
  const lat = field({ name: 'lat', label: t('geo.lat'), type: 'number', attrs: { step: 'any', inputmode: 'decimal' } });
  const lonInput = lon.querySelector('input');
  const latInput = lat.querySelector('input');
  const draw = () => replace(mapSlot, cellMap({ cells, picked: point.lon !== undefined ? point : null, title: t('portal.report.map'),
    onPick: (x, y) => { point.lon = x; point.lat = y; lonInput.value = x; latInput.value = y; draw(); } }) || '');
  for (const input of [lonInput, latInput]) {
    input.addEventListener('change', () => {
      if (lonInput.value && latInput.value) { point.lon = Number(lonInput.value); point.lat = Number(latInput.value); draw(); }
    });
  }
  const locate = navigator.geolocation ? actionButton(t('portal.report.my_location'), () => new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition((position) => {
      point.lon = Number(position.coords.longitude.toFixed(6));
      point.lat = Number(position.coords.latitude.toFixed(6));
      lonInput.value = point.lon;
      latInput.value = point.lat;
      draw();
      resolve();
    }, () => resolve(), { timeout: 10000 });
  }), { tone: 'secondary' }) : null;
  draw();
  return h('div', { class: 'field field-wide', dataset: { field: 'location' } },
    h('p', { class: 'help' }, t('portal.report.map_help')), mapSlot,
    h('div', { class: 'fields' }, lon, lat), locate, h('p', { class: 'field-error', hidden: true }));
}

export async function reportPage(ctx) {
  const community = ctx.community;
  const cells = await listAll('/grid/cells', { community });
  const point = {};
  const done = h('div', { 'aria-live': 'polite' });
  const element = form({
    fields: [
      field({ name: 'service_code', label: t('grid.category'), type: 'select', required: true, placeholder: t('common.choose'),
        options: GRID_CATEGORIES.map((c) => ({ value: c, label: label(`grid.category.${c}`, c) })) }),
      field({ name: 'urgency', label: t('portal.report.urgency'), type: 'select', value: 'normal',
        options: ['normal', 'urgent', 'immediate_danger'].map((u) => ({ value: u, label: t(`urgency.${u}`) })) }),
      field({ name: 'description', label: t('grid.description'), type: 'textarea', required: true, help: t('portal.report.description_help') }),
      field({ name: 'address_string', label: t('grid.address'), wide: true }),
      locationField(cells, point),
      field({ name: 'photo', label: t('portal.report.photo'), type: 'file', help: t('portal.report.photo_help'),
        attrs: { accept: 'image/jpeg,image/png,image/webp', capture: 'environment' } }),
    ],
    submitLabel: t('portal.report.submit'),
    onSubmit: async (chosen) => {
      const missing = {};
      if (!chosen.service_code) missing.service_code = [t('form.required')];
      if (!chosen.description.trim()) missing.description = [t('form.required')];
      if (!chosen.long || !chosen.lat) missing.location = [t('portal.report.location_required')];
      if (Object.keys(missing).length) throw localProblem(missing);
      const data = new URLSearchParams({ jurisdiction_id: community, service_code: chosen.service_code,
        description: chosen.description.trim(), lat: chosen.lat, long: chosen.long, 'attribute[urgency]': chosen.urgency });
      if (chosen.address_string.trim()) data.set('address_string', chosen.address_string.trim());
      const photo = element.querySelector('input[name="photo"]').files[0];
      if (photo) {
        try {
          data.set('media_url', (await uploadPhoto(photo)).url);  // checked and stripped of EXIF by the service
        } catch (error) {
          throw localProblem({ photo: [error.problem?.detail || error.message] }, error.problem?.title);
        }
      }
      let answer;
      try {
        answer = (await request('POST', '/grid/open311/v2/requests.json', { form: data })).data;
      } catch (error) {
        const detail = error.problem?.detail || '';
        if (error.status === 400 && /location|lat|long/i.test(detail)) throw localProblem({ location: [detail] }, error.problem.title);
        throw error;
      }
      const created = answer[0];
      replace(done, notice([t('portal.report.done', { number: created.service_request_id }), ' ', created.service_notice || '', ' ',
        h('a', { href: ctx.href(`/reports/${encodeURIComponent(created.service_request_id)}`) }, t('portal.report.follow'))], 'success'));
      element.reset();
      done.scrollIntoView({ block: 'center' });
    },
  });
  return h('div', pageHeader(t('portal.report.title')), h('p', { class: 'muted' }, t('portal.report.intro')), done,
    section(t('portal.report.form'), element));
}

export async function reportCasePage(ctx, params) {
  const page = h('div');
  const load = () => replace(page, asyncBlock(async () => {
    const item = await get(`/grid/cases/${encodeURIComponent(params.ref)}`);
    const history = await get(`/grid/cases/${encodeURIComponent(item.number)}/history`).catch(() => []);
    const errors = h('div');
    const reopen = allowedGridActions(ctx, item).includes('reopen')
      ? actionButton(t('grid.action.reopen'), async () => {
        await request('POST', `/grid/cases/${encodeURIComponent(item.number)}/reopen`, { body: {} });
        load();
      }, { tone: 'secondary', errorSlot: errors }) : null;
    return [
      pageHeader(`${t('portal.report.case')} ${item.number}`, badge('grid.status', item.status)),
      item.status === 'referred' && item.department_name ? notice(t('portal.report.referred_to', { department: item.department_name }), 'info') : null,
      section(t('common.details'), facts([
        [t('grid.category'), label(`grid.category.${item.category}`, item.category_name)],
        [t('grid.description'), item.description],
        [t('grid.reported_at'), dateTime(item.reported_at)],
        [t('portal.report.expected_by'), dateTime(item.due_at)],
        [t('case.resolved_at'), item.resolved_at ? dateTime(item.resolved_at) : null],
      ]), errors, reopen ? h('p', t('portal.report.reopen_help')) : null, reopen),
      section(t('common.history'), timeline(history.map((step) => ({ at: step.at,
        action: label(`grid.step.${step.action}`, step.action), note: step.note })))),
    ];
  }));
  load();
  return page;
}
