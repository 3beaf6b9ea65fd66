// The frame of the console and the portal: header, navigation, sign-in gate, routing.
import { session } from './api.js';
import { completeOidc, currentClaims, signOut } from './auth.js';
import { h, replace } from './el.js';
import { elderToggle } from './elder.js';
import { initI18n, label, language, setLanguage, t } from './i18n.js';
import { Router } from './router.js';
import { signInPage } from './signin.js';
import { loading, notice, problemBox } from './ui.js';

const COMMUNITY = 'community.current';

function has(claims, roles) {
  if (!roles || roles.length === 0) return true;
  const mine = claims ? claims.roles || [] : [];
  return mine.includes('admin') || roles.some((role) => mine.includes(role));
}

/**
 * Start an app. options: {base, brand (string key), nav [{path, key, roles}], routes
 * [{path, view(ctx, params, query), title (key), roles, public (shown without signing in)}],
 * signInFor ('staff' | 'residents')}.
 */
export async function startApp(options) {
  await initI18n();
  const root = document.getElementById('app');
  const state = { notice: null, cleanups: [], seq: 0, rendered: false };
  try {
    const next = await completeOidc();
    if (next) history.replaceState(null, '', next);
  } catch (error) {
    state.notice = notice(t('signin.oidc.failed', { reason: label(error.message, error.message) }), 'error');
  }

  const ctx = {
    base: options.base,
    get claims() { return currentClaims(); },
    get community() {
      const claims = currentClaims();
      const mine = claims ? claims.communities || [] : [];
      const chosen = sessionStorage.getItem(COMMUNITY);
      return mine.includes(chosen) ? chosen : mine[0] || null;
    },
    has: (...roles) => has(currentClaims(), roles),
    hasOwn: (...roles) => roles.some((role) => (currentClaims()?.roles || []).includes(role)),
    href: (path) => `${options.base}${path}`,
    navigate: (path, opts) => router.navigate(path, opts),
    refresh: () => router.render(),
    onLeave: (fn) => state.cleanups.push(fn),
  };

  function header(claims, publicPage = false) {
    const other = language() === 'en' ? 'zh-CN' : 'en';
    const items = [h('a', { class: 'brand', href: `${options.base}/` }, t(options.brand))];
    if (claims) {
      const communities = claims.communities || [];
      if (communities.length > 1) {
        items.push(h('label', { class: 'community-pick' }, h('span', { class: 'visually-hidden' }, t('shell.community')),
          h('select', { 'aria-label': t('shell.community'), onchange: (e) => {
            sessionStorage.setItem(COMMUNITY, e.target.value);
            router.render();
          } }, communities.map((code) => h('option', { value: code, selected: code === ctx.community }, label(`community.${code}`, code))))));
      } else if (communities.length === 1) {
        items.push(h('span', { class: 'community-name' }, label(`community.${communities[0]}`, communities[0])));
      }
    }
    items.push(h('span', { class: 'spacer' }));
    if (options.elderMode) items.push(elderToggle());
    items.push(h('button', { type: 'button', class: 'btn btn-ghost', lang: other, onclick: () => setLanguage(other) },
      t(`shell.switch_to.${other}`)));
    if (!claims && publicPage) {  // a page open to everyone: the way to sign in
      items.push(h('a', { class: 'btn btn-ghost', href: `${options.base}/` }, t('signin.title')));
    }
    if (claims) {
      items.push(h('span', { class: 'who' }, h('strong', claims.name || claims.sub),
        h('small', (claims.roles || []).map((r) => label(`role.${r}`, r)).join(' · '))));
      items.push(h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => {
        if (!signOut(options.base)) router.navigate('/');
      } }, t('shell.sign_out')));
    }
    return h('header', { class: 'topbar' }, items);
  }

  function navigation(claims, current) {
    const links = options.nav.filter((item) => has(claims, item.roles));
    return h('nav', { class: 'mainnav', 'aria-label': t('shell.navigation') }, h('ul', links.map((item) => {
      const active = item.path === '/' ? current === '/' : current === item.path || current.startsWith(`${item.path}/`);
      return h('li', h('a', { href: `${options.base}${item.path}`, 'aria-current': active ? 'page' : null }, t(item.key)));
    })));
  }

  async function show(route, params, query) {
    for (const cleanup of state.cleanups.splice(0)) cleanup();
    state.seq += 1;
    const seq = state.seq;
    const claims = currentClaims();
    const main = h('main', { id: 'main', tabindex: '-1' });
    const flash = h('div', { id: 'flash', 'aria-live': 'polite' });
    const frame = [h('a', { class: 'skip', href: '#main' }, t('shell.skip'))];
    if (!claims && route && route.public) {  // open to everyone: rendered without signing in
      document.title = `${t(route.title)} · ${t(options.brand)}`;
      replace(root, ...frame, header(null, true), h('div', { class: 'layout layout-single' }, main));
      replace(main, loading());
      try {
        const content = await route.view(ctx, params, query);
        if (seq === state.seq) replace(main, content);
      } catch (error) {
        replace(main, h('h1', t(route.title)), problemBox(error));
      }
      return;
    }
    if (!claims) {
      document.title = `${t('signin.title')} · ${t(options.brand)}`;
      replace(root, ...frame, header(null), h('div', { class: 'layout layout-single' }, main));
      replace(main, state.notice || '', signInPage(options, () => router.render()));
      state.notice = null;
      return;
    }
    replace(root, ...frame, header(claims), h('div', { class: 'layout' }, navigation(claims, router.current()),
      h('div', { class: 'content' }, flash, main)));
    if (!route) {
      document.title = `${t('shell.not_found')} · ${t(options.brand)}`;
      replace(main, h('h1', t('shell.not_found')), h('p', h('a', { href: `${options.base}/` }, t('shell.home'))));
      return;
    }
    document.title = `${t(route.title)} · ${t(options.brand)}`;
    if (!has(claims, route.roles)) {
      replace(main, h('h1', t(route.title)), notice(t('shell.no_access'), 'warn'));
      return;
    }
    replace(main, loading());
    try {
      const content = await route.view(ctx, params, query);
      if (seq !== state.seq) return;
      replace(main, content);
    } catch (error) {
      replace(main, h('h1', t(route.title)), problemBox(error));
    }
    if (state.rendered) main.focus({ preventScroll: true });
    state.rendered = true;
  }

  const router = new Router(options.base, options.routes, show);
  window.addEventListener('langchange', () => router.render());
  window.addEventListener('community:unauthorized', () => {
    session.clear();
    state.notice = notice(t('signin.expired'), 'warn');
    router.render();
  });
  router.render();
  return ctx;
}
