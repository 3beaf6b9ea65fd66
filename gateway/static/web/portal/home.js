// The portal's start page: greeting, the hall right now, my tickets in progress, shortcuts.
import { get, list } from '../lib/api.js';
import { h } from '../lib/el.js';
import { label, t } from '../lib/i18n.js';
import { asyncBlock, badge, empty, section } from '../lib/ui.js';

export async function homePage(ctx) {
  const community = ctx.community;
  const claims = ctx.claims;
  const shortcuts = [['/ticket', 'portal.nav.ticket', 'portal.home.ticket'], ['/mine', 'portal.nav.mine', 'portal.home.mine'],
    ['/report', 'portal.nav.report', 'portal.home.report'], ['/transparency', 'portal.nav.transparency', 'portal.home.transparency']];
  return h('div',
    h('div', { class: 'portal-hero' }, h('h1', t('portal.home.hello', { name: claims.name || '' })),
      h('p', t('portal.home.intro', { community: label(`community.${community}`, community) }))),
    h('ul', { class: 'tiles' }, shortcuts.map(([path, title, text]) => h('li', h('a', { href: ctx.href(path) },
      h('strong', t(title)), h('span', { class: 'muted' }, ` ${t(text)}`))))),
    section(t('portal.home.active'), asyncBlock(async () => {
      const { items } = await list('/intake/tickets', { mine: 'true', page_size: 20 });
      const active = items.filter((ticket) => ['waiting', 'called', 'serving', 'held'].includes(ticket.status));
      if (!active.length) return empty(t('portal.home.no_active'));
      return h('ul', { class: 'links' }, active.map((ticket) => h('li',
        h('a', { href: ctx.href(`/tickets/${ticket.id}`) }, ticket.number), ' ', badge('ticket.status', ticket.status))));
    })),
    section(t('portal.home.hall'), asyncBlock(async () => {
      const rows = await get('/intake/display', { community });
      const called = rows.filter((row) => row.ticket_number);
      if (!called.length) return empty(t('portal.home.hall_quiet'));
      return h('ul', { class: 'chips' }, called.map((row) => h('li', h('span', row.window_label || row.window_number),
        h('strong', row.ticket_number))));
    }), h('p', h('a', { href: `/display/${community}` }, t('portal.home.display')))));
}
