// A tiny element builder: h('p', {class: 'note'}, 'text', child, [more]) and s() for SVG.
const SVG_NS = 'http://www.w3.org/2000/svg';
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'indeterminate']);

function isChild(value) {
  return value instanceof Node || Array.isArray(value) || typeof value !== 'object' || value === null;
}

function flatten(children, out = []) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) flatten(child, out);
    else out.push(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return out;
}

function build(node, attrs, children, isSvg) {
  if (attrs !== undefined && isChild(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      if (names) node.setAttribute('class', names);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (!isSvg && PROPERTIES.has(key)) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  node.append(...flatten(children));
  return node;
}

/** An HTML element. */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children, false);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children, true);
}

/** Replace every child of `node`. */
export function replace(node, ...children) {
  node.replaceChildren(...flatten(children));
  return node;
}

let counter = 0;
/** A document-unique id for label/field pairs. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}
