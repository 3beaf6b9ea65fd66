// Administration (管理): the reference data and settings of the platform, each on its own page;
// the hub lists only the pages the signed-in roles may use (the services still decide).
import { h } from '../lib/el.js';
import { t } from '../lib/i18n.js';
import { pageHeader } from '../lib/ui.js';
import { businessTypesPage, calendarPage, windowsPage } from './admin-catalogue.js';
import { budgetsPage } from './admin-money.js';
import { auditPage, open311Page, providersPage } from './admin-partners.js';
import { checklistPage, packagesPage } from './admin-services.js';

export const ADMIN_PAGES = [
  { path: '/admin/business-types', view: businessTypesPage, key: 'admin.business_types', roles: ['center_staff', 'subdistrict_officer'] },
  { path: '/admin/windows', view: windowsPage, key: 'admin.windows', roles: ['center_staff', 'subdistrict_officer'] },
  { path: '/admin/calendar', view: calendarPage, key: 'admin.calendar', roles: ['center_staff', 'subdistrict_officer', 'committee_member'] },
  { path: '/admin/providers', view: providersPage, key: 'admin.providers', roles: ['subdistrict_officer', 'committee_member', 'center_staff'] },
  { path: '/admin/packages', view: packagesPage, key: 'admin.packages', roles: ['subdistrict_officer', 'committee_member', 'center_staff'] },
  { path: '/admin/checklist', view: checklistPage, key: 'admin.checklist', roles: ['subdistrict_officer', 'grid_worker', 'committee_member'] },
  { path: '/admin/budgets', view: budgetsPage, key: 'admin.budgets', roles: ['subdistrict_officer', 'committee_member', 'center_staff', 'evaluator'] },
  { path: '/admin/open311', view: open311Page, key: 'admin.open311', roles: ['subdistrict_officer'] },
  { path: '/admin/audit', view: auditPage, key: 'admin.audit', roles: ['committee_member', 'subdistrict_officer'] },
];
export const ADMIN_ROLES = [...new Set(ADMIN_PAGES.flatMap((p) => p.roles))];

export async function adminPage(ctx) {
  const pages = ADMIN_PAGES.filter((p) => ctx.has(...p.roles));
  return h('div', pageHeader(t('admin.title'), h('p', { class: 'muted' }, t('admin.intro'))),
    h('ul', { class: 'admin-links' }, pages.map((p) => h('li', h('a', { href: ctx.href(p.path) }, t(p.key)),
      h('span', { class: 'muted' }, ' — ', t(`${p.key}.about`))))));
}
