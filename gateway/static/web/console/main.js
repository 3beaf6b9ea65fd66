// The staff console (/console/): routes and navigation by role.
import { startApp } from '../lib/shell.js';
import { ADMIN_PAGES, ADMIN_ROLES, adminPage } from './admin.js';
import { analyticsPage } from './analytics.js';
import { cellsPage } from './cells.js';
import { contractPage } from './contract.js';
import { deskPage } from './desk.js';
import { DOWNLOAD_ROLES, downloadsPage } from './downloads.js';
import { financePage } from './finance.js';
import { gridCasePage } from './grid-case.js';
import { gridPage } from './grid.js';
import { noticesPage } from '../shared/notices.js';
import { homePage } from './home.js';
import { intakeCasePage, intakeCasesPage } from './intake-cases.js';
import { roundPage } from './round.js';
import { schemePage } from './scheme-editor.js';
import { evaluationPage } from './schemes.js';
import { deliveriesPage, subscriptionsPage } from './subscriptions.js';
import { tenderPage } from './tender.js';
import { contractsPage } from './tenders.js';

const DESK = ['center_staff'];
const CASE_READERS = ['center_staff', 'committee_member', 'subdistrict_officer', 'evaluator'];
const GRID = ['center_staff', 'grid_worker', 'committee_member', 'subdistrict_officer', 'department', 'evaluator'];
const CONTRACTS = ['subdistrict_officer', 'committee_member', 'provider_signatory', 'center_staff', 'evaluator'];
const MONEY = ['subdistrict_officer', 'committee_member', 'center_staff', 'evaluator'];
const EVALUATION = ['committee_member', 'subdistrict_officer', 'evaluator', 'center_staff', 'provider_signatory'];
const CELL_EDITORS = ['center_staff', 'committee_member', 'subdistrict_officer'];
const ANALYTICS = ['committee_member', 'subdistrict_officer', 'evaluator', 'center_staff'];
const SUBSCRIBERS = ['department', 'admin'];

startApp({
  base: '/console',
  brand: 'console.brand',
  signInFor: 'staff',
  nav: [
    { path: '/desk', key: 'nav.desk', roles: DESK },
    { path: '/cases', key: 'nav.intake_cases', roles: CASE_READERS },
    { path: '/grid', key: 'nav.grid', roles: GRID },
    { path: '/grid/cells', key: 'nav.grid_cells', roles: CELL_EDITORS },
    { path: '/contracts', key: 'nav.contracts', roles: CONTRACTS },
    { path: '/finance', key: 'nav.finance', roles: MONEY },
    { path: '/evaluation', key: 'nav.evaluation', roles: EVALUATION },
    { path: '/analytics', key: 'nav.analytics', roles: ANALYTICS },
    { path: '/admin', key: 'nav.admin', roles: ADMIN_ROLES },
    { path: '/downloads', key: 'nav.downloads', roles: DOWNLOAD_ROLES },
    { path: '/subscriptions', key: 'nav.subscriptions', roles: SUBSCRIBERS },
    { path: '/notices', key: 'notices.nav' },
  ],
  routes: [
    { path: '/', view: homePage, title: 'console.home' },
    { path: '/notices', view: noticesPage, title: 'notices.title' },
    { path: '/desk', view: deskPage, title: 'desk.title', roles: DESK },
    { path: '/cases', view: intakeCasesPage, title: 'cases.title', roles: CASE_READERS },
    { path: '/cases/:id', view: intakeCasePage, title: 'cases.detail', roles: CASE_READERS },
    { path: '/grid', view: gridPage, title: 'grid.title', roles: GRID },
    { path: '/grid/cases/:ref', view: gridCasePage, title: 'grid.case', roles: GRID },
    { path: '/grid/cells', view: cellsPage, title: 'cells.title', roles: CELL_EDITORS },
    { path: '/contracts', view: contractsPage, title: 'contracts.title', roles: CONTRACTS },
    { path: '/contracts/tenders/:id', view: tenderPage, title: 'tender.title', roles: CONTRACTS },
    { path: '/contracts/:id', view: contractPage, title: 'contract.title', roles: CONTRACTS },
    { path: '/finance', view: financePage, title: 'finance.title', roles: MONEY },
    { path: '/evaluation', view: evaluationPage, title: 'evaluation.title', roles: EVALUATION },
    { path: '/evaluation/schemes/new', view: schemePage, title: 'scheme.new', roles: ['committee_member', 'subdistrict_officer'] },
    { path: '/evaluation/schemes/:id', view: schemePage, title: 'scheme.title', roles: EVALUATION },
    { path: '/evaluation/rounds/:id', view: roundPage, title: 'round.title', roles: EVALUATION },
    { path: '/analytics', view: analyticsPage, title: 'analytics.title', roles: ANALYTICS },
    { path: '/admin', view: adminPage, title: 'admin.title', roles: ADMIN_ROLES },
    { path: '/downloads', view: downloadsPage, title: 'downloads.title', roles: DOWNLOAD_ROLES },
    ...ADMIN_PAGES.map((p) => ({ path: p.path, view: p.view, title: p.key, roles: p.roles })),
    { path: '/subscriptions', view: subscriptionsPage, title: 'subs.title', roles: SUBSCRIBERS },
    { path: '/subscriptions/:id', view: deliveriesPage, title: 'subs.log', roles: SUBSCRIBERS },
  ],
});
