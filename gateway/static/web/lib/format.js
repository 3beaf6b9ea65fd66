// Numbers, money (integer fen), dates (Asia/Shanghai) and durations as people read them.
import { language, t } from './i18n.js';

const ZONE = 'Asia/Shanghai';

function locale() {
  return language() === 'en' ? 'en-GB' : 'zh-CN';
}

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fen (integer) as yuan with two decimals, e.g. 123456 -> "¥1,234.56". No floating point. */
export function money(fen) {
  if (fen === null || fen === undefined) return '—';
  const negative = fen < 0;
  const absolute = Math.abs(Math.trunc(fen));
  const yuan = Math.trunc(absolute / 100);
  const cents = String(absolute % 100).padStart(2, '0');
  return `${negative ? '−' : ''}¥${group(String(yuan))}.${cents}`;
}

/** "1234.5" (yuan as typed) -> 123450 fen; NaN when it is not an amount with at most two decimals. */
export function parseYuan(text) {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''));
  if (!match) return NaN;
  return Number(match[1]) * 100 + Number((match[2] || '').padEnd(2, '0'));
}

/** A fen amount as a plain yuan string for a form field ("1234.50"). */
export function yuanInput(fen) {
  return `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;
}

export function dateTime(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date(iso));
}

export function time(iso) {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date(iso));
}

/** A local day "2026-03-01" or an ISO timestamp as a date. */
export function date(value) {
  if (!value) return '—';
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : new Date(value);
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(instant);
}

/** Today's (or `offsetDays` from today's) local date in Shanghai as YYYY-MM-DD. */
export function localDay(offsetDays = 0) {
  const instant = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(instant);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const total = Math.round(seconds);
  if (total < 60) return t('unit.seconds', { n: total });
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return t('unit.minutes', { n: minutes, s: total % 60 });
  return t('unit.hours', { n: Math.floor(minutes / 60), m: minutes % 60 });
}

export function number(value, digits = 0) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
}

export function percent(ratio, digits = 0) {
  if (ratio === null || ratio === undefined) return '—';
  return new Intl.NumberFormat(locale(), {
    style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(ratio);
}

/** Basis points from a decimal weight string ("0.5" -> 5000); NaN if more than 4 places. */
export function basisPoints(text) {
  const match = /^\s*(\d+)(?:\.(\d{1,4}))?\s*$/.exec(String(text ?? ''));
  if (!match) return NaN;
  return Number(match[1]) * 10000 + Number((match[2] || '').padEnd(4, '0'));
}
