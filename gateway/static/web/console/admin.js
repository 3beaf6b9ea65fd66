// Administration (管理): the reference data and settings of the platform, each on its own page;
// the hub lists only the pages the signed-in roles may use (the services still decide).
import { h } from '../lib/el.js';
import { t } from '../lib/i18n.js';
import { pageHeader } from '../lib/ui.js';

export const ADMIN_PAGES = [
  { path: '/admin/business-types', key: 'admin.business_types', roles: ['center_staff', 'subdistrict_officer'] },
  { path: '/admin/windows', key: 'admin.windows', roles: ['center_staff', 'subdistrict_officer'] },
  { path: '/admin/calendar', key: 'admin.calendar', roles: ['center_staff', 'subdistrict_officer', 'committee_member'] },
  { path: '/admin/providers', key: 'admin.providers', roles: ['subdistrict_officer', 'committee_member', 'center_staff'] },
  { path: '/admin/open311', key: 'admin.open311', roles: ['subdistrict_officer'] },
  { path: '/admin/audit', key: 'admin.audit', roles: ['committee_member', 'subdistrict_officer'] },
];
export const ADMIN_ROLES = [...new Set(ADMIN_PAGES.flatMap((p) => p.roles))];

export async function adminPage(ctx) {
  const pages = ADMIN_PAGES.filter((p) => ctx.has(...p.roles));
  return h('div', pageHeader(t('admin.title'), h('p', { class: 'muted' }, t('admin.intro'))),
    h('ul', { class: 'admin-links' }, pages.map((p) => h('li', h('a', { href: ctx.href(p.path) }, t(p.key)),
      h('span', { class: 'muted' }, ' — ', t(`${p.key}.about`))))));
}
