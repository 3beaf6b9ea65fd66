// History-API router: routes like '/cases/:id' under a base ('' for the portal, '/console').

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/\/:(\w+)/g, (match, name) => {
    names.push(name);
    return '/([^/]+)';
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

export class Router {
  /** routes: [{path, view, ...}]; onRoute(route, params, query) renders. */
  constructor(base, routes, onRoute) {
    this.base = base;
    this.routes = routes.map((route) => ({ ...route, ...compile(route.path) }));
    this.onRoute = onRoute;
    window.addEventListener('popstate', () => this.render());
    document.addEventListener('click', (event) => this.intercept(event));
  }

  /** The route path of the current location (without the base). */
  current() {
    const path = location.pathname.startsWith(this.base) ? location.pathname.slice(this.base.length) : '/';
    return path || '/';
  }

  match(path) {
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (found) {
        const params = {};
        route.names.forEach((name, index) => { params[name] = decodeURIComponent(found[index + 1]); });
        return { route, params };
      }
    }
    return null;
  }

  /** An href for a route path (with the base). */
  href(path) {
    return `${this.base}${path}`;
  }

  navigate(path, { replace = false } = {}) {
    const url = path.startsWith(this.base + '/') || path === this.base ? path : this.href(path);
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.render();
  }

  render() {
    const found = this.match(this.current());
    const query = Object.fromEntries(new URLSearchParams(location.search));
    this.onRoute(found ? found.route : null, found ? found.params : {}, query);
  }

  intercept(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) return;
    const anchor = event.target.closest('a[href]');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin) return;
    const inside = this.base ? url.pathname === this.base || url.pathname.startsWith(`${this.base}/`)
      : !/^\/(console|display|static|api|auth)(\/|$)/.test(url.pathname);
    if (!inside) return;
    event.preventDefault();
    history.pushState(null, '', url.pathname + url.search);
    this.render();
  }
}
