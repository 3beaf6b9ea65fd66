// Drawing and redrawing a community's grid cells on the map (Leaflet-Geoman). The grid
// service decides: a boundary that is not closed, not valid or overlaps another cell comes
// back as its problem, shown beside the map.
import { getWithEtag, listAll, post, put } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { field, form } from '../lib/form.js';
import { language, t } from '../lib/i18n.js';
import { mapView } from '../lib/map.js';
import { asyncBlock, notice, pageHeader, problemBox } from '../lib/ui.js';

const TOOLS = { position: 'topleft', drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false,
  drawText: false, drawRectangle: true, drawPolygon: true, editMode: false, dragMode: false, cutPolygon: false,
  removalMode: false, rotateMode: false };

function newCellForm(ctx, shape, panel, done) {
  return form({
    className: 'cell-form',
    submitLabel: t('cells.save'),
    fields: [
      field({ name: 'code', label: t('cells.code'), required: true, help: t('cells.code_help'), attrs: { autocomplete: 'off' } }),
      field({ name: 'name', label: t('cells.name'), required: true }),
    ],
    onSubmit: async (values) => {
      const status = panel.querySelector('.map-problem');
      replace(status);
      try {
        const cell = await post('/grid/cells', { community: ctx.community, code: values.code.trim().toUpperCase(),
          name: values.name.trim(), boundary: shape.toGeoJSON().geometry, workers: [] });
        done(cell);
      } catch (error) {
        replace(status, problemBox(error));
      }
    },
  });
}

function redrawPanel(layer, panel, done) {
  const { code } = layer.feature.properties;
  const status = h('div', { class: 'map-problem', 'aria-live': 'assertive' });
  const save = h('button', { type: 'button', class: 'btn btn-primary', onclick: async () => {
    replace(status);
    try {
      const { etag } = await getWithEtag(`/grid/cells/${encodeURIComponent(code)}`);
      const cell = await put(`/grid/cells/${encodeURIComponent(code)}`, { boundary: layer.toGeoJSON().geometry }, etag);
      layer.pm.disable();
      done(cell);
    } catch (error) {
      replace(status, problemBox(error));
    }
  } }, t('cells.save_boundary'));
  layer.pm.enable({ allowSelfIntersection: true });
  return [h('h2', t('cells.redraw', { code })), h('p', { class: 'muted' }, t('cells.redraw_hint')), status,
    h('div', { class: 'form-actions' }, save)];
}

export async function cellsPage(ctx) {
  const panel = h('aside', { class: 'map-side card', 'aria-live': 'polite' });
  const idle = () => replace(panel, h('h2', t('cells.how')), h('p', t('cells.hint')));
  idle();
  return h('div', { class: 'cells-page' },
    pageHeader(t('cells.title')),
    asyncBlock(async () => {
      const cells = await listAll('/grid/cells', { community: ctx.community });
      const draw = (L, map, layer) => {
        map.pm.setLang(language() === 'en' ? 'en' : 'zh');
        map.pm.addControls(TOOLS);
        for (const button of map.getContainer().querySelectorAll('.leaflet-buttons-control-button')) {
          button.setAttribute('aria-label', button.closest('[title]')?.title || '');  // Geoman titles the wrapper only
        }
        map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: true });
        map.on('pm:create', ({ layer: shape }) => {
          const finish = (cell) => {
            shape.remove();
            layer.addData({ type: 'Feature', geometry: cell.boundary, properties: { code: cell.code, name: cell.name } });
            replace(panel, notice(t('cells.created', { code: cell.code }), 'success'));
          };
          replace(panel, h('h2', t('cells.new')), h('div', { class: 'map-problem', 'aria-live': 'assertive' }),
            newCellForm(ctx, shape, panel, finish),
            h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { shape.remove(); idle(); } }, t('cells.discard')));
        });
        layer.on('click', ({ layer: cell }) => {  // on the group: cells added later are clickable too
          if (map.pm.globalDrawModeEnabled() || !cell.feature) return;
          replace(panel, redrawPanel(cell, panel, (saved) => replace(panel, notice(t('cells.saved', { code: saved.code }), 'success'))));
        });
      };
      return h('div', { class: 'map-with-side' },
        mapView({ cells, draw, title: t('cells.map', { n: cells.length }), caption: t('cells.caption') }), panel);
    }));
}
