// The residents' community portal (/): tickets, my matters, hazard reports, transparency.
import { startApp } from '../lib/shell.js';
import { contractPage } from '../console/contract.js';
import { noticesPage } from '../shared/notices.js';
import { homePage } from './home.js';
import { minePage } from './mine.js';
import { reportCasePage, reportPage } from './report.js';
import { myCasePage, ticketPage, takeTicketPage } from './tickets.js';
import { resultPage, transparencyPage } from './transparency.js';

startApp({
  base: '',
  brand: 'portal.brand',
  signInFor: 'residents',
  elderMode: true,
  nav: [
    { path: '/', key: 'portal.nav.home' },
    { path: '/ticket', key: 'portal.nav.ticket' },
    { path: '/mine', key: 'portal.nav.mine' },
    { path: '/report', key: 'portal.nav.report' },
    { path: '/transparency', key: 'portal.nav.transparency' },
    { path: '/notices', key: 'notices.nav' },
  ],
  routes: [
    { path: '/', view: homePage, title: 'portal.home' },
    { path: '/ticket', view: takeTicketPage, title: 'portal.ticket.title' },
    { path: '/tickets/:id', view: ticketPage, title: 'portal.my_ticket' },
    { path: '/cases/:id', view: myCasePage, title: 'portal.my_case' },
    { path: '/mine', view: minePage, title: 'portal.mine.title' },
    { path: '/report', view: reportPage, title: 'portal.report.title' },
    { path: '/reports/:ref', view: reportCasePage, title: 'portal.report.case' },
    { path: '/transparency', view: transparencyPage, title: 'portal.transparency.title', public: true },
    { path: '/notices', view: noticesPage, title: 'notices.title' },
    { path: '/transparency/contracts/:id', view: contractPage, title: 'contract.title' },
    { path: '/transparency/results/:id', view: resultPage, title: 'result.title' },
  ],
});
