// The knowledge base's other collections, one tab each: record types, topics, slots, external agents (the secret is
// write-only: left empty it is kept), calendars (business hours and holidays per call centre) and the bot's settings.
// Each form's fields name their JSON paths (name="outOfHours.text.ru"); the API's errors come back at those paths.
import { ApiError } from './session.js';
import { $, api, t, element, debounce, showErrors, clearErrors, errorText } from './kb-common.js';

const state = { tab: null, items: [], current: null, isNew: false, canEdit: false, dialog: null };
const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const formOf = tab => document.querySelector(`.kb-ent-form[data-entity="${CSS.escape(tab)}"]`);
const pane = () => document.querySelector('.kb-ent-pane');
// Errors are shown where the form is: in the tab, or in the dialog over the article form.
const errorRoot = () => (state.dialog ? $('slot-dialog') : pane());

function getPath(object, path) {
  return path.split('.').reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), object);
}

function setPath(object, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let at = object;
  for (const key of keys) { if (at[key] === null || typeof at[key] !== 'object') at[key] = {}; at = at[key]; }
  if (value === undefined) delete at[last]; else at[last] = value;
}

// Dictionary options as lines "id | text | synonym, synonym", and back.
const itemsToText = items => (items ?? []).map(i => [i.id, i.value, (i.synonyms ?? []).join(', ')].filter((part, n) => n < 2 || part).join(' | ')).join('\n');
const textToItems = text => text.split('\n').map(line => line.trim()).filter(Boolean).map(line => {
  const [id = '', value = '', synonyms = ''] = line.split('|').map(part => part.trim());
  return { id, value, synonyms: synonyms.split(',').map(s => s.trim()).filter(Boolean) };
});

function keyOf(item) { const key = formOf(state.tab).dataset.key; return item[key]; }

export function startEntities(canEdit) {
  state.canEdit = canEdit;
  for (const form of document.querySelectorAll('.kb-ent-form')) {
    for (const field of form.querySelectorAll('[name]')) field.dataset.path ??= field.name;
    form.addEventListener('submit', event => { event.preventDefault(); save(); });
  }
  const words = $('week-words').dataset;
  for (const row of $('week').querySelectorAll('tr')) {
    if (row.cells.length > 1) continue;
    const day = row.dataset.day;
    const label = row.cells[0].textContent;
    row.cells[0].replaceChildren(element('label', {}, element('input', { type: 'checkbox', className: 'open', ariaLabel: label }), ` ${label}`));
    row.append(element('td', {}, `${words.from} `, element('input', { className: 'from', value: '09:00', size: 5, ariaLabel: `${label}: ${words.from}`, dataset: { day } })),
      element('td', {}, `${words.to} `, element('input', { className: 'to', value: '18:00', size: 5, ariaLabel: `${label}: ${words.to}` })));
  }
  formOf('slots').elements.type.addEventListener('change', showSlotOptions);
  for (const input of document.querySelectorAll('.kb-ent-form [list="ent-article-list"]')) input.addEventListener('input', () => suggestArticles(input.value));
  $('ent-new').addEventListener('click', () => fill(fresh(state.tab), true));
  $('ent-save').addEventListener('click', save);
  $('ent-delete').addEventListener('click', remove);
  $('ent-cancel').addEventListener('click', () => $('slot-dialog').close());
  $('slot-dialog').addEventListener('close', leaveDialog);
  startImport(canEdit);
  $('ent-read-only').hidden = canEdit;
  $('ent-new').hidden = !canEdit;
  $('ent-save').hidden = !canEdit;
  for (const node of document.querySelectorAll('.kb-ent-form input, .kb-ent-form select, .kb-ent-form textarea')) node.disabled = !canEdit;
}

const suggestArticles = debounce(async text => {
  if (!text.trim()) return;
  const found = await api(`/kb/suggest?q=${encodeURIComponent(text)}`).catch(() => []);
  $('ent-article-list').replaceChildren(...found.filter(s => s.articleId).map(s => new Option(s.text, s.articleId)));
}, 200);

function fresh(tab) {
  switch (tab) {
    case 'slots': return { id: '', name: '', type: 'text', kind: 'normal', question: { text: '', attachments: [] }, items: [] };
    case 'agents': return { id: '', name: '', url: '', secret: '', timeoutSeconds: 10, retries: 2, answerTimeoutSeconds: 300, fallback: 'operator',
      operatorPhrases: ['оператор', 'operator'], cancelPhrases: ['отмена', 'cancel'] };
    case 'calendars': return { callCentre: '', timeZone: 'Europe/Moscow',
      week: days.slice(0, 5).map(day => ({ day, from: '09:00', to: '18:00' })), holidays: [], outOfHours: { mode: 'queue', text: {}, noticeOnGreeting: false } };
    default: return { id: '', name: '' };
  }
}

export async function showTab(tab) {
  if (state.dialog) $('slot-dialog').close();
  state.tab = tab;
  for (const form of document.querySelectorAll('.kb-ent-form')) form.hidden = true;
  clearErrors(pane(), $('ent-error'));
  $('ent-notice').textContent = '';
  const settings = tab === 'settings';
  $('ent-list').hidden = settings;
  $('import-box').hidden = !settings;
  $('entities').classList.toggle('single', settings);
  try {
    if (settings) {
      fill(await api('/kb/settings'), false);
      return;
    }
    state.current = null;
    $('ent-empty').hidden = false;
    $('ent-actions').hidden = true;
    await loadItems();
  } catch (error) { $('ent-error').textContent = error.message; }
}

async function loadItems(selected = null) {
  state.items = await api(`/kb/${state.tab}`);
  const key = formOf(state.tab).dataset.key;
  const items = state.items.map(item => element('li', { dataset: { key: item[key] }, className: item[key] === selected ? 'active' : '',
    onclick: () => fill(item, false) },
  element('span', { className: 'key', textContent: item[key] }),
  element('span', { className: 'name', textContent: state.tab === 'calendars' ? item.timeZone : item.name ?? '' })));
  $('ent-items').replaceChildren(...(items.length ? items : [element('li', { className: 'empty', textContent: t('ent_none') })]));
}

function fill(item, isNew) {
  const form = formOf(state.tab);
  state.current = structuredClone(item);
  state.isNew = isNew;
  for (const other of document.querySelectorAll('.kb-ent-form')) other.hidden = other !== form;
  $('ent-empty').hidden = true;
  $('ent-actions').hidden = false;
  $('ent-delete').hidden = isNew || !state.canEdit || state.tab === 'settings' || state.dialog !== null;
  $('ent-notice').textContent = '';
  clearErrors(errorRoot(), $('ent-error'));
  for (const field of form.querySelectorAll('[name]')) {
    const value = getPath(item, field.name);
    switch (field.dataset.kind) {
      case 'bool': field.checked = Boolean(value); break;
      case 'items': field.value = itemsToText(value); break;
      case 'lines': field.value = (value ?? []).join('\n'); break;
      case 'secret': field.value = ''; field.placeholder = isNew ? t('secret_new') : t('secret_kept'); break;
      default: field.value = value ?? '';
    }
  }
  const key = form.querySelector('.key');
  if (key) key.readOnly = !isNew;
  if (state.tab === 'calendars') fillWeek(item.week ?? []);
  if (state.tab === 'slots') showSlotOptions();
  for (const row of $('ent-items').children) row.classList.toggle('active', !isNew && row.dataset.key === keyOf(item));
  (isNew ? key : null)?.focus();
}

function fillWeek(week) {
  for (const row of $('week').querySelectorAll('tr')) {
    const hours = week.find(h => h.day === row.dataset.day);
    row.querySelector('.open').checked = Boolean(hours);
    row.querySelector('.from').value = hours?.from ?? '09:00';
    row.querySelector('.to').value = hours?.to ?? '18:00';
  }
}

// Only the options of the chosen type are shown: a dictionary's items, a phone mask, a pattern, integer bounds.
function showSlotOptions() {
  const form = formOf('slots');
  const type = form.elements.type.value;
  for (const label of form.querySelectorAll('[data-for-type]')) label.hidden = !label.dataset.forType.split(' ').includes(type);
}

function collect() {
  const form = formOf(state.tab);
  const item = structuredClone(state.current);
  for (const field of form.querySelectorAll('[name]')) {
    if (field.closest('[hidden]') && field.closest('[data-for-type]')) { setPath(item, field.name, field.dataset.kind === 'items' ? [] : null); continue; }
    const text = field.value;
    switch (field.dataset.kind) {
      case 'bool': setPath(item, field.name, field.checked); break;
      case 'items': setPath(item, field.name, textToItems(text)); break;
      case 'lines': setPath(item, field.name, text.split('\n').map(s => s.trim()).filter(Boolean)); break;
      case 'number': setPath(item, field.name, text.trim() === '' ? null : Number(text)); break;
      case 'optional': setPath(item, field.name, text.trim() === '' ? null : text.trim()); break;
      case 'text-entry': setPath(item, field.name, text.trim() === '' ? undefined : text.trim()); break;
      case 'question': {
        const root = field.name.split('.')[0];
        item[root] = text.trim() === '' ? null : { ...(item[root] ?? { attachments: [] }), text: text.trim() };
        break;
      }
      default: setPath(item, field.name, field.classList.contains('key') ? text.trim() : text);
    }
  }
  if (state.tab === 'calendars') {
    item.week = [...$('week').querySelectorAll('tr')].filter(row => row.querySelector('.open').checked)
      .map(row => ({ day: row.dataset.day, from: row.querySelector('.from').value.trim(), to: row.querySelector('.to').value.trim() }));
  }
  return item;
}

async function save() {
  if (!state.canEdit || !state.current) return;
  const item = collect();
  const tab = state.tab;
  // A notice from an earlier save must not stand beside this save's errors.
  $('ent-notice').textContent = '';
  try {
    let saved;
    if (tab === 'settings') saved = await api('/kb/settings', { method: 'PUT', body: JSON.stringify(item) });
    else if (state.isNew) saved = await api(`/kb/${tab}`, { method: 'POST', body: JSON.stringify(item) });
    else saved = await api(`/kb/${tab}/${encodeURIComponent(keyOf(state.current))}`, { method: 'PUT', body: JSON.stringify(item) });
    if (state.dialog) {
      const { onSaved } = state.dialog;
      $('slot-dialog').close();
      await onSaved(saved);
      return;
    }
    fill(saved, false);
    $('ent-notice').textContent = t('saved');
    if (tab !== 'settings') await loadItems(keyOf(saved));
  } catch (error) {
    if (error instanceof ApiError) showErrors(errorRoot(), $('ent-error'), error.errors, error.message);
    else $('ent-error').textContent = error.message;
  }
}

async function remove() {
  if (!state.canEdit || !state.current || state.isNew) return;
  const key = keyOf(state.current);
  if (!confirm(t('ent_confirm_delete', { name: state.current.name || key }))) return;
  try {
    await api(`/kb/${state.tab}/${encodeURIComponent(key)}`, { method: 'DELETE' });
    state.current = null;
    formOf(state.tab).hidden = true;
    $('ent-actions').hidden = true;
    $('ent-empty').hidden = false;
    await loadItems();
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      showErrors(pane(), $('ent-error'), [], `${t('ent_in_use')}: ${error.errors.map(e => e.path).join(', ')}`);
    } else $('ent-error').textContent = error.message;
  }
}

// "New slot" from the article form: the slots tab's form in a dialog; once saved, the article gets the slot.
export function createSlotInDialog(onSaved) {
  const dialog = $('slot-dialog');
  state.dialog = { onSaved, tab: state.tab, current: state.current, isNew: state.isNew };
  state.tab = 'slots';
  dialog.append(formOf('slots'), $('ent-actions'), $('ent-error'));
  $('ent-cancel').hidden = false;
  fill(fresh('slots'), true);
  dialog.showModal();
}

function leaveDialog() {
  if (!state.dialog) return;
  const { tab, current, isNew } = state.dialog;
  state.dialog = null;
  formOf('slots').hidden = true;
  $('ent-article-list').before(formOf('slots'));
  pane().append($('ent-actions'), $('ent-error'));
  $('ent-cancel').hidden = true;
  Object.assign(state, { tab, current, isNew });
  clearErrors(pane(), $('ent-error'));
  if (tab && formOf(tab) && current) fill(current, isNew);
  else { $('ent-actions').hidden = true; $('ent-empty').hidden = false; }
}

// ---- import and export (on the settings tab) ----------------------------------------------------------------------

// The file is checked first (the API's dry run lists what would be added, changed or removed); importing stores it.
async function importFile(dryRun) {
  const file = $('import-file').files[0];
  $('import-error').textContent = ''; $('import-notice').textContent = '';
  $('import-changes').replaceChildren(); $('import-summary').textContent = '';
  if (!file) { $('import-error').textContent = $('import-name').dataset.chosen.replace('{name}', '—'); return; }
  const words = $('import-words').dataset;
  const query = new URLSearchParams({ replace: String($('import-replace').checked), dryRun: String(dryRun) });
  try {
    const result = await api(`/kb/import?${query}`, { method: 'POST', body: await file.text() });
    if (!dryRun) { $('import-notice').textContent = words.done.replace('{articles}', result.articles); return; }
    const count = kind => result.filter(c => c.change === kind).length;
    $('import-summary').textContent = result.length === 0 ? words.none
      : words.summary.replace('{added}', count('added')).replace('{changed}', count('changed')).replace('{removed}', count('removed'));
    $('import-changes').replaceChildren(...result.map(c => element('li', { className: c.change },
      element('span', { className: 'what', textContent: words[c.change] }), ` ${c.collection}: `, element('code', { textContent: c.id }))));
  } catch (error) {
    const lines = error instanceof ApiError && error.errors.length ? error.errors.map(e => `${e.path}: ${errorText(e)}`) : [error.message];
    $('import-error').replaceChildren(...lines.map(line => element('div', { textContent: line })));
  }
}

export function startImport(canEdit) {
  $('import-file').addEventListener('change', () => {
    const file = $('import-file').files[0];
    $('import-name').textContent = file ? $('import-name').dataset.chosen.replace('{name}', file.name) : '';
  });
  $('import-pick').addEventListener('keydown', event => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); $('import-file').click(); } });
  $('import-check').addEventListener('click', () => importFile(true));
  $('import-run').addEventListener('click', () => importFile(false));
  for (const node of $('import-box').querySelectorAll('.edit-only')) node.hidden = !canEdit;
}
