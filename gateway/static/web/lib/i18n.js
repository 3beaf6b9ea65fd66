// Simplified Chinese by default, English on request; every UI string lives in i18n/<lang>.json.
export const LANGUAGES = ['zh-CN', 'en'];
const STORE = 'community.lang';
const cache = new Map();
let current = 'zh-CN';
let strings = {};

function normalize(value) {
  if (!value) return null;
  return value.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** The dictionary of one language (fetched once). */
export async function dictionary(language) {
  if (!cache.has(language)) {
    const response = await fetch(`/static/web/i18n/${language}.json`);
    if (!response.ok) throw new Error(`cannot load the ${language} strings (${response.status})`);
    cache.set(language, await response.json());
  }
  return cache.get(language);
}

/** Pick the language (?lang=, then the last choice, then Chinese) and load its strings. */
export async function initI18n() {
  const asked = normalize(new URLSearchParams(location.search).get('lang'));
  current = asked || normalize(localStorage.getItem(STORE)) || 'zh-CN';
  strings = await dictionary(current);
  document.documentElement.lang = current;
  return current;
}

/** Switch language; listeners of `langchange` re-render. */
export async function setLanguage(language) {
  strings = await dictionary(language);
  current = language;
  localStorage.setItem(STORE, language);
  document.documentElement.lang = language;
  window.dispatchEvent(new CustomEvent('langchange', { detail: language }));
}

export function language() {
  return current;
}

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** The string for `key` in the current language, with {name} placeholders filled. */
export function t(key, params) {
  const text = strings[key];
  if (text === undefined) {
    console.warn(`missing string: ${key}`);
    return key;
  }
  return fill(text, params);
}

/** Like t() for open-ended values (a status the UI does not know yet): `fallback` if missing. */
export function label(key, fallback) {
  const text = strings[key];
  return text === undefined ? (fallback ?? key.split('.').pop()) : text;
}

/** A string of another language's dictionary (the bilingual hall display). */
export function tIn(dict, key, params) {
  return fill(dict[key] ?? key, params);
}

/** The name of a record in the current language (`name_zh` / `name_en`, else `name`). */
export function localName(record, base = 'name') {
  if (!record) return '';
  const zh = record[`${base}_zh`];
  const en = record[`${base}_en`];
  if (current === 'en') return en || zh || record[base] || '';
  return zh || record[base] || en || '';
}

/** A record's text field in the current language (`description` / `description_en`). */
export function localText(record, base) {
  if (!record) return '';
  return current === 'en' && record[`${base}_en`] ? record[`${base}_en`] : record[base] || '';
}
