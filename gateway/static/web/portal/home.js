// The portal's start page: greeting, the hall right now, my tickets in progress, shortcuts.
// In the elder-friendly mode (适老化) it also offers every business type as one big button: one
// tap takes the ticket when there is nothing to fill in, else opens the form with the type chosen.
import { get, list, listAll } from '../lib/api.js';
import { h, replace } from '../lib/el.js';
import { label, localName, t } from '../lib/i18n.js';
import { asyncBlock, badge, empty, flash, problemBox, section } from '../lib/ui.js';
import { oneTapTypes, sorted, takeAtOnce } from '../shared/ticketform.js';

/** Elder mode's quick take: shown by app.css only while html.elder is set. */
function quickTake(ctx) {
  const problem = h('div', { role: 'status' });
  return h('section', { class: 'elder-only quick-take', 'aria-labelledby': 'quick-take-title' },
    h('h2', { id: 'quick-take-title' }, t('portal.quick.title')), h('p', { class: 'muted' }, t('portal.quick.help')), problem,
    asyncBlock(async () => {
      const types = await listAll('/intake/business-types', { community: ctx.community });
      const atOnce = new Set(oneTapTypes(types).map((type) => type.code));
      return h('ul', { class: 'quick-types' }, sorted(types).map((type) => h('li', atOnce.has(type.code)
        ? h('button', { type: 'button', class: 'btn btn-primary', dataset: { take: type.code }, onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          try {
            const ticket = await takeAtOnce(ctx.community, type);
            flash(t('portal.ticket.taken', { number: ticket.number }));
            ctx.navigate(`/tickets/${ticket.id}`);
          } catch (error) {
            button.disabled = false;
            replace(problem, problemBox(error));
          }
        } }, t('portal.quick.take', { name: localName(type) }))
        : h('a', { class: 'btn btn-secondary', href: ctx.href(`/ticket?type=${encodeURIComponent(type.code)}`) },
          t('portal.quick.fill', { name: localName(type) })))));
    }));
}

export async function homePage(ctx) {
  const community = ctx.community;
  const claims = ctx.claims;
  const shortcuts = [['/ticket', 'portal.nav.ticket', 'portal.home.ticket'], ['/mine', 'portal.nav.mine', 'portal.home.mine'],
    ['/report', 'portal.nav.report', 'portal.home.report'], ['/transparency', 'portal.nav.transparency', 'portal.home.transparency']];
  return h('div',
    h('div', { class: 'portal-hero' }, h('h1', t('portal.home.hello', { name: claims.name || '' })),
      h('p', t('portal.home.intro', { community: label(`community.${community}`, community) }))),
    quickTake(ctx),
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
