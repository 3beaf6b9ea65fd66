// The hall display (/display/<community>): tickets called to each window, large, live, bilingual.
import { h, replace } from '../lib/el.js';
import { dictionary, tIn } from '../lib/i18n.js';

const POLL_MS = 3000;
const FRESH_MS = 60000;
const community = location.pathname.split('/').filter(Boolean)[1];
const state = { rows: [], failures: 0, announced: new Map(), speak: false };
let zh = {};
let en = {};

function both(key, params, enParams = params) {
  return [h('span', { lang: 'zh-CN' }, tIn(zh, key, params)), h('span', { class: 'en', lang: 'en' }, tIn(en, key, enParams))];
}

function announce(row) {
  if (!state.speak || !('speechSynthesis' in window)) return;
  const text = tIn(zh, 'display.announce', { number: row.ticket_number.split('').join(' '), window: row.window_label || row.window_number });
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  window.speechSynthesis.speak(utterance);
}

function card(row) {
  const fresh = row.called_at && Date.now() - Date.parse(row.called_at) < FRESH_MS && row.ticket_status === 'called';
  return h('li', { class: ['window-card', fresh && 'fresh', row.status !== 'open' && 'closed'], dataset: { window: row.window_number } },
    h('p', { class: 'window-name' }, row.window_label || tIn(zh, 'display.window', { n: row.window_number })),
    h('p', { class: ['called-number', !row.ticket_number && 'none'] }, row.ticket_number || '—'),
    h('p', { class: 'called-state' }, row.ticket_number ? both(`display.state.${row.ticket_status}`)
      : both(row.status === 'open' ? 'display.free' : 'display.closed')));
}

function render() {
  const root = document.getElementById('app');
  const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date());
  const offline = state.failures > 1;
  replace(root,
    h('header', { class: 'display-head' },
      h('h1', both('display.title', { community: tIn(zh, `community.${community}`) }, { community: tIn(en, `community.${community}`) })),
      h('p', { class: 'clock' }, clock),
      !state.speak && 'speechSynthesis' in window ? h('button', { type: 'button', class: 'btn btn-ghost',
        onclick: () => { state.speak = true; render(); } }, both('display.enable_voice')) : null),
    offline ? h('p', { class: 'display-offline', role: 'status' }, both('display.offline')) : null,
    h('main', h('ul', { class: 'windows', 'aria-live': 'polite' }, state.rows.length ? state.rows.map(card)
      : h('li', { class: 'window-card' }, both('display.no_windows')))),
    h('footer', { class: 'display-foot' }, both('display.footer')));
}

async function poll() {
  try {
    const response = await fetch(`/api/intake/display?community=${encodeURIComponent(community)}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    state.rows = await response.json();
    state.failures = 0;
    for (const row of state.rows) {
      const key = `${row.window_number}`;
      const seen = `${row.ticket_number}@${row.called_at}`;
      if (row.ticket_number && row.ticket_status === 'called' && state.announced.get(key) !== seen) {
        if (state.announced.has(key) || state.announcedOnce) announce(row);
        state.announced.set(key, seen);
      }
    }
    state.announcedOnce = true;
  } catch {
    state.failures += 1;
  }
  render();
  setTimeout(poll, state.failures ? Math.min(POLL_MS * (state.failures + 1), 30000) : POLL_MS);
}

async function start() {
  [zh, en] = await Promise.all([dictionary('zh-CN'), dictionary('en')]);
  document.documentElement.lang = 'zh-CN';
  document.title = `${tIn(zh, 'display.page_title', { community: tIn(zh, `community.${community}`) })} · Hall display`;
  render();
  poll();
}

start();
