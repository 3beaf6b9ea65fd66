// The hall display (/display/<community>): tickets called to each window, large, live, bilingual.
// Told of changes by the change stream (lib/live.js); polls only while that is not connected.
import { getFresh } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { dictionary, tIn } from '../lib/i18n.js';
import { follow } from '../lib/live.js';

const POLL_MS = 3000;
const FRESH_MS = 60000;
const TICK_MS = 10000;  // the clock and the "just called" glow, redrawn without asking the server
const community = location.pathname.split('/').filter(Boolean)[1];
const state = { rows: [], failures: 0, announced: new Map(), speak: false, mode: 'poll', signals: 0 };
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
    h('footer', { class: 'display-foot' }, both('display.footer'),
      h('span', { class: 'live-mode' }, both(`display.live.${state.mode}`))));
}

function announceNewCalls() {
  for (const row of state.rows) {
    const key = `${row.window_number}`;
    const seen = `${row.ticket_number}@${row.called_at}`;
    if (row.ticket_number && row.ticket_status === 'called' && state.announced.get(key) !== seen) {
      if (state.announced.has(key) || state.announcedOnce) announce(row);
      state.announced.set(key, seen);
    }
  }
  state.announcedOnce = true;
}

/** Refetch the windows (a 304 when nothing changed); a failure is rethrown for the fallback's back-off. */
async function refresh() {
  try {
    const { data, changed } = await getFresh('/intake/display', { community });
    state.failures = 0;
    if (changed) {
      state.rows = data;
      announceNewCalls();
    }
  } catch (error) {
    state.failures += 1;
    render();
    throw error;
  }
  render();
}

/** What the page follows, on the root element for operators (and tests): push or poll, signals seen. */
function mark() {
  document.documentElement.dataset.live = state.mode;
  document.documentElement.dataset.signals = String(state.signals);
}

async function start() {
  [zh, en] = await Promise.all([dictionary('zh-CN'), dictionary('en')]);
  document.documentElement.lang = 'zh-CN';
  document.title = `${tIn(zh, 'display.page_title', { community: tIn(zh, `community.${community}`) })} · Hall display`;
  render();
  await refresh().catch(() => {});
  follow({
    community,
    refresh,
    pollMs: POLL_MS,
    onMode: (mode) => { state.mode = mode; mark(); render(); },
    onSignal: () => { state.signals += 1; mark(); },
  });
  setInterval(render, TICK_MS);
}

start();
