// Elder-friendly mode (适老化) of the portal: larger type, higher contrast, larger targets.
// A switch in the header, remembered on this device; it only sets a class on <html> (app.css).
import { h } from './el.js';
import { t } from './i18n.js';

const STORE = 'community.elder';

function apply(on) {
  document.documentElement.classList.toggle('elder', on);
}

export function elderOn() {
  return localStorage.getItem(STORE) === 'on';
}

apply(elderOn());

/** The header's switch: a toggle button (aria-pressed) that turns the mode on and off. */
export function elderToggle() {
  const button = h('button', { type: 'button', class: 'btn btn-ghost elder-toggle', 'aria-pressed': String(elderOn()),
    onclick: () => {
      const on = !elderOn();
      localStorage.setItem(STORE, on ? 'on' : 'off');
      apply(on);
      button.setAttribute('aria-pressed', String(on));
    } }, t('shell.elder'));
  return button;
}
