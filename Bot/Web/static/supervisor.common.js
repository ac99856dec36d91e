// What the supervisor's pages (/supervisor, /history, /statistics) share: the page's strings, building elements,
// the API client, sign-in with a permission check, the language switch, and number and time formats.
import { apiClient, wireSignIn, signOut } from './session.js';

export const $ = id => document.getElementById(id);
export const language = document.documentElement.lang;

// The page's strings come with the markup (data attributes of #t), in the page's language.
export function t(key, values = {}) {
  const name = key.replace(/[._-]([a-z])/g, (_, c) => c.toUpperCase());
  const text = $('t').dataset[name] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, field) => (field in values ? String(values[field]) : whole));
}

export function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node[name] = value;
  }
  node.append(...children.filter(c => c !== null && c !== undefined).map(c => (typeof c === 'object' ? c : String(c))));
  return node;
}

const numberFormat = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
const dateTimeFormat = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(language, { timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(language, { dateStyle: 'full' });

export const formatNumber = value => (value === null || value === undefined ? '—' : numberFormat.format(value));
export const formatDateTime = iso => (iso ? dateTimeFormat.format(new Date(iso)) : '—');
export const formatTime = iso => (iso ? timeFormat.format(new Date(iso)) : '—');
export const formatDay = iso => dayFormat.format(new Date(iso));

// A duration in seconds as people read it: "45 с", "2 мин 5 с", "1 ч 3 мин".
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${numberFormat.format(seconds)} ${t('u.s')}`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
  return h > 0 ? `${h} ${t('u.h')} ${m} ${t('u.min')}` : `${m} ${t('u.min')} ${s} ${t('u.s')}`;
}

// For <input type="datetime-local">: the local wall time of an instant, and back.
export function toLocalInput(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
export const fromLocalInput = value => new Date(value);

// A refused API call in the page's language: the page's own text for its code (data-err-<code> on #t), else one for
// its HTTP status from the shared sign-in partial; the API's English detail stays in the element's tooltip.
export function errorText(error) {
  const name = `err.${error?.code ?? ''}`.replace(/[._-]([a-z])/g, (_, c) => c.toUpperCase());
  if (error?.code && $('t').dataset[name] !== undefined) return $('t').dataset[name];
  const texts = $('status-texts').dataset;
  return texts[`s${error?.status}`] ?? texts.other;
}

// Shows a refused call in a message line: the translated text, the server's own words in the tooltip.
export function showError(box, error) {
  box.textContent = errorText(error);
  box.title = error?.message ?? '';
}

export let me = null;
export const api = apiClient(showSignIn);

function showSignIn() {
  me = null;
  $('main').hidden = true; $('signout').hidden = true;
  $('login').hidden = false;
}

// Signs the page in (a session cookie from before counts) when the operator has one of the permissions, then starts it.
export async function startPage(permissions, onStart) {
  $('ui-language').value = language;
  $('ui-language').addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', $('ui-language').value);
    location.assign(url);
  });
  $('signout').addEventListener('click', async () => { await signOut(); showSignIn(); });
  const start = async () => {
    try { me = await api('/operators/me'); } catch { return; }
    if (!permissions.some(p => me.permissions.includes(p))) {
      showSignIn();
      $('login-error').textContent = $('login-error').dataset.noAccess;
      return;
    }
    $('login').hidden = true; $('main').hidden = false; $('signout').hidden = false;
    $('me').textContent = me.displayName;
    await onStart(me);
  };
  wireSignIn(start);
  await start();
}

// The links between the supervisor's pages, kept in the page's language.
export function navigation() {
  for (const link of document.querySelectorAll('nav.pages a')) link.href = `${link.getAttribute('href').split('?')[0]}?lang=${language}`;
}
