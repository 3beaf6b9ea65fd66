// The grid worker's field app (/field/): the day's rounds, a round as a checklist, findings
// with photos and position, information collection; works offline (outbox in IndexedDB).
import { h, replace } from '../lib/el.js';
import { t } from '../lib/i18n.js';
import { startApp } from '../lib/shell.js';
import { collectPage } from './collect.js';
import { flush, pending } from './outbox.js';
import { pendingPage } from './pending.js';
import { roundPage } from './round.js';
import { todayPage } from './today.js';

const WORKERS = ['grid_worker', 'center_staff'];

async function showNetwork() {
  const bar = document.getElementById('netbar');
  const items = await pending().catch(() => []);
  const waiting = items.filter((item) => item.state === 'waiting').length;
  const attention = items.length - waiting;
  bar.className = `netbar ${navigator.onLine ? 'online' : 'offline'}`;
  replace(bar,
    h('span', { class: 'net-state', dataset: { online: String(navigator.onLine) } },
      navigator.onLine ? t('field.online') : t('field.offline')),
    h('span', { class: 'net-outbox', dataset: { waiting: String(waiting), attention: String(attention) } },
      waiting ? t('field.outbox.waiting', { count: waiting }) : t('field.outbox.empty'),
      attention ? ` · ${t('field.outbox.attention', { count: attention })}` : ''),
    waiting && navigator.onLine ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => flush() },
      t('field.outbox.send_now')) : null);
}

window.addEventListener('online', () => { showNetwork(); flush(); });
window.addEventListener('offline', showNetwork);
window.addEventListener('outbox:changed', showNetwork);
window.addEventListener('langchange', showNetwork);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' }).catch(() => null);
}

startApp({
  base: '/field',
  brand: 'field.brand',
  signInFor: 'staff',
  nav: [
    { path: '/', key: 'field.nav.today', roles: WORKERS },
    { path: '/collect', key: 'field.nav.collect', roles: WORKERS },
    { path: '/outbox', key: 'field.nav.outbox', roles: WORKERS },
  ],
  routes: [
    { path: '/', view: todayPage, title: 'field.today.title', roles: WORKERS },
    { path: '/rounds/:cell', view: roundPage, title: 'field.round.title', roles: WORKERS },
    { path: '/collect', view: collectPage, title: 'field.collect.title', roles: WORKERS },
    { path: '/outbox', view: pendingPage, title: 'field.outbox.title', roles: WORKERS },
  ],
}).then(() => { showNetwork(); flush(); });
