// What the knowledge base editor's parts share: the API client, the page's strings, building elements, and showing
// the API's validation errors at the fields they name, in the page's language.
import { apiClient } from './session.js';

export const $ = id => document.getElementById(id);

let signedOut = () => {};
export const api = apiClient(() => signedOut());
export function onSignedOut(action) { signedOut = action; }

// The page's strings come with the markup (data attributes of #t), in the page's language.
export function t(key, values = {}) {
  const name = key.replace(/[._]([a-z])/g, (_, c) => c.toUpperCase());
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
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
}

export function debounce(action, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => action(...args), ms); };
}

// An API error in the page's language: its code picks the text (#error-texts), the value it quotes fills {value};
// a code the page does not know keeps the API's English message.
export function errorText(error) {
  const template = document.querySelector(`#error-texts [data-code="${CSS.escape(error.code ?? '')}"]`);
  return template ? template.textContent.replace('{value}', error.value ?? '') : error.message;
}

// The field a path names inside root, or the nearest enclosing one ("answers[0].buttons[1]" -> the button's row).
export function fieldFor(root, path) {
  for (let at = path; ;) {
    const found = root.querySelector(`[data-path="${CSS.escape(at)}"]`);
    if (found) return found;
    const shorter = at.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === at || !shorter) return null;
    at = shorter;
  }
}

export function clearErrors(root, summary) {
  for (const node of root.querySelectorAll('.field-error')) node.remove();
  for (const node of root.querySelectorAll('.invalid')) node.classList.remove('invalid');
  summary.textContent = '';
}

// Each error under the field it names; the rest (and a "fix the marked fields" line) in the summary.
export function showErrors(root, summary, errors, fallback) {
  clearErrors(root, summary);
  let placed = 0;
  const loose = [];
  for (const error of errors) {
    const target = fieldFor(root, error.path);
    if (!target) { loose.push(error.path && error.path !== '$' ? `${error.path}: ${errorText(error)}` : errorText(error)); continue; }
    target.classList.add('invalid');
    // Inside a row of small fields (a button, a condition) the message goes under the row, not between its fields.
    const anchor = target.closest('label, .button-row, .condition-row, .attachment-row') ?? target;
    anchor.after(element('div', { className: 'field-error', textContent: errorText(error) }));
    placed++;
  }
  const lines = [...(placed ? [t('fix_errors')] : []), ...loose];
  summary.textContent = lines.length ? lines.join('; ') : fallback ?? '';
  root.querySelector('.invalid')?.scrollIntoView({ block: 'center' });
}

// A comma-separated list as the API's array (blanks dropped), and back.
export const splitList = text => text.split(',').map(s => s.trim()).filter(Boolean);
export const joinList = items => (items ?? []).join(', ');
