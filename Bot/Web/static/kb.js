// The knowledge base editor: a table of articles (search as you type, filters, sort, server-side pages), the article
// form (saved through the KB API, whose validation errors are shown at the fields they name) and "Test the bot",
// which runs a message through the engine's own matcher and dialog runner, with the unsaved form if asked.
import { renderMarkdown } from './markdown.js';
import { apiClient, ApiError, wireSignIn, signOut } from './session.js';

const $ = id => document.getElementById(id);
const api = apiClient(showSignIn);
const language = document.documentElement.lang;
const pageSize = 25;
const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });

// The page's strings come with the markup (data attributes of #t), in the page's language.
function t(key, values = {}) {
  const name = key.replace(/[._]([a-z])/g, (_, c) => c.toUpperCase());
  const text = $('t').dataset[name] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, field) => (field in values ? String(values[field]) : whole));
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node[name] = value;
  }
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
}

function debounce(action, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => action(...args), ms); };
}

let me = null;
let canEdit = false;

function showSignIn() {
  me = null;
  $('editor').hidden = true; $('signout').hidden = true;
  $('login').hidden = false;
}

// ---- the articles table -------------------------------------------------------------------------------------------

const list = { sort: null, cursors: [null], offsets: [0], page: 0, next: null };

function effectiveSort() { return list.sort ?? ($('q').value.trim() ? 'relevance' : 'id'); }

function listQuery() {
  const query = new URLSearchParams({ limit: String(pageSize), sort: effectiveSort() });
  const put = (name, value) => { if (value) query.set(name, value); };
  put('q', $('q').value.trim());
  put('recordType', $('f-type').value);
  put('language', $('f-language').value);
  put('topic', $('f-topic').value);
  put('line', $('f-line').value.trim());
  put('hasSlots', $('f-slots').value);
  put('redirectsToAgent', $('f-agent').value);
  put('cursor', list.cursors[list.page]);
  return query;
}

let listRequest = 0;
async function loadList() {
  const mine = ++listRequest;
  $('rows').setAttribute('aria-busy', 'true');
  const page = await api(`/kb/articles?${listQuery()}`);
  if (mine !== listRequest) return; // a newer keystroke's answer is on its way
  $('rows').setAttribute('aria-busy', 'false');
  list.next = page.nextCursor;
  const rows = $('rows');
  rows.replaceChildren(...page.items.map(row => element('tr', {
    dataset: { id: row.id }, className: current && current.id === row.id && !isNew ? 'active' : '',
    onclick: () => openArticle(row.id),
  },
  element('td', { className: 'article' }, element('span', { className: 'title', textContent: row.title }), element('span', { className: 'id', textContent: row.id })),
  element('td', { className: 'type', textContent: row.recordType ?? '' }),
  element('td', { className: 'num', textContent: row.phrasings }),
  element('td', { className: 'date', textContent: row.updatedAt ? dateFormat.format(new Date(row.updatedAt)) : '' }))));
  if (page.items.length === 0) rows.append(element('tr', {}, element('td', { colSpan: 4, className: 'empty', textContent: t('nothing_found') })));
  const from = list.offsets[list.page];
  $('shown').textContent = page.total === 0 ? '' : t('shown', { from: from + 1, to: from + page.items.length, total: page.total });
  $('prev').disabled = list.page === 0;
  $('next').disabled = !page.nextCursor;
  const sort = effectiveSort();
  for (const key of document.querySelectorAll('th [data-sort]')) {
    key.dataset.order = sort === key.dataset.sort ? 'ascending' : sort === `-${key.dataset.sort}` ? 'descending' : 'none';
  }
  for (const th of document.querySelectorAll('th')) {
    const active = th.querySelector('[data-order="ascending"], [data-order="descending"]');
    if (active) th.setAttribute('aria-sort', active.dataset.order); else th.removeAttribute('aria-sort');
  }
  list.shownCount = page.items.length;
}

function restartList() {
  list.cursors = [null]; list.offsets = [0]; list.page = 0;
  return loadList().catch(showListError);
}

function showListError(error) { $('rows').setAttribute('aria-busy', 'false'); $('shown').textContent = error.message; }

// The table says it is busy from the keystroke on, so nobody (a person or a test) picks a row that is about to be replaced.
// Answers still on their way are for what was typed before: they are dropped.
function typing(load) {
  return () => { listRequest++; $('rows').setAttribute('aria-busy', 'true'); load(); };
}
$('q').addEventListener('input', typing(debounce(restartList, 250)));
for (const id of ['f-type', 'f-language', 'f-topic', 'f-slots', 'f-agent']) $(id).addEventListener('change', restartList);
$('f-line').addEventListener('input', typing(debounce(restartList, 300)));
for (const header of document.querySelectorAll('th [data-sort]')) {
  header.addEventListener('click', () => {
    const key = header.dataset.sort;
    list.sort = effectiveSort() === key ? `-${key}` : key;
    restartList();
  });
}
$('next').addEventListener('click', () => {
  if (!list.next) return;
  list.cursors[list.page + 1] = list.next;
  list.offsets[list.page + 1] = list.offsets[list.page] + list.shownCount;
  list.page++;
  loadList().catch(showListError);
});
$('prev').addEventListener('click', () => {
  if (list.page === 0) return;
  list.page--;
  loadList().catch(showListError);
});

// ---- the article form ---------------------------------------------------------------------------------------------

let current = null; // the article as loaded (fields the form does not edit are saved back unchanged)
let isNew = false;
let answers = [];

async function openArticle(id) {
  try {
    const article = await api(`/kb/articles/${encodeURIComponent(id)}`);
    fillForm(article, false);
  } catch (error) { $('form-error').textContent = error.message; }
}

$('new').addEventListener('click', () => fillForm({ id: '', title: '', recordType: null, questions: [], topics: [], answers: [{ text: '', buttons: [], attachments: [], conditions: [] }] }, true));

function fillForm(article, fresh) {
  current = article; isNew = fresh;
  answers = structuredClone(article.answers || []);
  $('form-empty').hidden = true; $('article').hidden = false;
  $('a-id').value = article.id; $('a-id').readOnly = !fresh;
  $('a-title').value = article.title;
  const type = $('a-type');
  if (article.recordType && ![...type.options].some(o => o.value === article.recordType)) type.append(new Option(article.recordType, article.recordType));
  type.value = article.recordType ?? '';
  $('a-questions').value = (article.questions || []).join('\n');
  $('a-topics').value = (article.topics || []).join(', ');
  $('delete').hidden = fresh || !canEdit;
  $('form-notice').textContent = '';
  clearErrors();
  renderAnswers();
  checkPhrasings();
  for (const row of document.querySelectorAll('#rows tr')) row.classList.toggle('active', !fresh && row.dataset.id === article.id);
  applyReadOnly();
}

function collect() {
  const lines = text => text.split('\n').map(s => s.trim()).filter(Boolean);
  return {
    ...current,
    id: $('a-id').value.trim(),
    title: $('a-title').value.trim(),
    recordType: $('a-type').value || null,
    questions: lines($('a-questions').value),
    topics: $('a-topics').value.split(',').map(s => s.trim()).filter(Boolean),
    answers: answers.map(a => ({ ...a, buttons: a.buttons.map(b => (b.url !== undefined && b.url !== null
      ? { label: b.label, url: b.url } : { label: b.label, article: b.article ?? '' })) })),
  };
}

// Markdown helpers of the editor's toolbar: wrap the selection, or start the selected lines with a marker.
function wrapSelection(area, before, after = before) {
  const { selectionStart: s, selectionEnd: e, value } = area;
  area.value = value.slice(0, s) + before + value.slice(s, e) + after + value.slice(e);
  area.setSelectionRange(s + before.length, e + before.length);
  area.dispatchEvent(new Event('input'));
  area.focus();
}

function prefixLines(area, marker) {
  const { selectionStart: s, selectionEnd: e, value } = area;
  const start = value.lastIndexOf('\n', s - 1) + 1;
  const block = value.slice(start, e).split('\n').map(line => marker + line).join('\n');
  area.value = value.slice(0, start) + block + value.slice(e);
  area.dispatchEvent(new Event('input'));
  area.focus();
}

function renderAnswers() {
  $('answers').replaceChildren(...answers.map((answer, i) => answerEditor(answer, i)));
  applyReadOnly();
}

function answerEditor(answer, i) {
  const path = `answers[${i}]`;
  const area = element('textarea', { rows: 5, value: answer.text, dataset: { path: `${path}.text` }, ariaLabel: t('answer', { n: i + 1 }) });
  const preview = element('div', { className: 'md-preview', innerHTML: renderMarkdown(answer.text) });
  area.addEventListener('input', () => { answer.text = area.value; preview.innerHTML = renderMarkdown(area.value); });
  const tool = (label, title, action) => element('button', { type: 'button', className: 'secondary tool edit-only', textContent: label, title, ariaLabel: title, onclick: action });
  const toolbar = element('div', { className: 'md-toolbar' },
    tool('B', t('bold'), () => wrapSelection(area, '**')),
    tool('I', t('italic'), () => wrapSelection(area, '*')),
    tool('[a]', t('link'), () => wrapSelection(area, '[', '](https://)')),
    tool('•', t('list'), () => prefixLines(area, '- ')));
  const kept = (answer.attachments?.length || answer.conditions?.length)
    ? element('div', { className: 'kept', textContent: t('kept', { attachments: answer.attachments?.length ?? 0, conditions: answer.conditions?.length ?? 0 }) })
    : null;
  return element('div', { className: 'answer', dataset: { path } },
    element('div', { className: 'answer-head' },
      element('strong', { textContent: t('answer', { n: i + 1 }) }),
      element('button', { type: 'button', className: 'secondary edit-only', textContent: t('remove'),
        onclick: () => { answers.splice(i, 1); renderAnswers(); } })),
    toolbar,
    element('div', { className: 'md-editor' }, area, element('div', { className: 'md-preview-box' }, element('small', { textContent: t('preview') }), preview)),
    kept,
    buttonsEditor(answer, path));
}

function buttonsEditor(answer, path) {
  answer.buttons ??= [];
  const box = element('div', { className: 'answer-buttons', dataset: { path: `${path}.buttons` } }, element('small', { textContent: t('buttons') }));
  answer.buttons.forEach((button, j) => {
    const at = `${path}.buttons[${j}]`;
    const toUrl = button.url !== undefined && button.url !== null;
    const label = element('input', { value: button.label ?? '', placeholder: t('button_label'), ariaLabel: t('button_label'), dataset: { path: `${at}.label` } });
    label.addEventListener('input', () => { button.label = label.value; });
    const kind = element('select', { ariaLabel: t('buttons') },
      new Option(t('to_article'), 'article', !toUrl, !toUrl), new Option(t('to_url'), 'url', toUrl, toUrl));
    const target = element('input', { value: (toUrl ? button.url : button.article) ?? '', autocomplete: 'off' });
    const setKind = () => {
      const url = kind.value === 'url';
      target.placeholder = url ? t('button_target_url') : t('button_target_article');
      target.setAttribute('aria-label', target.placeholder);
      target.dataset.path = `${at}.${url ? 'url' : 'article'}`;
      if (url) target.removeAttribute('list'); else target.setAttribute('list', 'article-list');
    };
    kind.addEventListener('change', () => {
      if (kind.value === 'url') { button.url = target.value; delete button.article; } else { button.article = target.value; delete button.url; }
      setKind();
    });
    target.addEventListener('input', () => {
      if (kind.value === 'url') button.url = target.value; else { button.article = target.value; suggestArticles(target.value); }
    });
    setKind();
    box.append(element('div', { className: 'button-row', dataset: { path: at } }, label, kind, target,
      element('button', { type: 'button', className: 'secondary edit-only', textContent: '×', title: t('remove'), ariaLabel: t('remove'),
        onclick: () => { answer.buttons.splice(j, 1); renderAnswers(); } })));
  });
  box.append(element('button', { type: 'button', className: 'secondary edit-only', textContent: t('add_button'),
    onclick: () => { answer.buttons.push({ label: '', article: '' }); renderAnswers(); } }));
  return box;
}

// Button targets are picked by search: the datalist offers the articles the KB's suggestions name.
const suggestArticles = debounce(async text => {
  if (!text.trim()) return;
  const found = await api(`/kb/suggest?q=${encodeURIComponent(text)}`).catch(() => []);
  $('article-list').replaceChildren(...found.filter(s => s.articleId).map(s => new Option(s.text, s.articleId)));
}, 200);

$('add-answer').addEventListener('click', () => {
  answers.push({ text: '', buttons: [], attachments: [], conditions: [] });
  renderAnswers();
});

// Phrasings the bot could not tell apart: repeated in this article or already another article's.
const checkPhrasings = debounce(async () => {
  if (!current) return;
  const questions = $('a-questions').value.split('\n');
  let issues = [];
  try {
    issues = await api('/kb/phrasing-check', { method: 'POST', body: JSON.stringify({ articleId: isNew ? '' : current.id, questions }) });
  } catch (error) { issues = []; $('form-error').textContent = error.message; }
  $('phrasing-issues').replaceChildren(...issues.map(issue => {
    const values = { line: issue.index + 1, text: issue.phrasing.trim() };
    if (issue.articleId) {
      return element('li', { className: 'other-article', dataset: { article: issue.articleId } },
        element('a', { href: '#', textContent: t('other_article', { ...values, title: issue.articleTitle, id: issue.articleId }),
          onclick: event => { event.preventDefault(); openArticle(issue.articleId); } }));
    }
    return element('li', { className: 'duplicate', textContent: t('dup_line', { ...values, other: issue.duplicateOf + 1 }) });
  }));
}, 300);
$('a-questions').addEventListener('input', checkPhrasings);

function clearErrors() {
  for (const node of document.querySelectorAll('#article .field-error')) node.remove();
  for (const node of document.querySelectorAll('#article .invalid')) node.classList.remove('invalid');
  $('form-error').textContent = '';
}

// An error goes to the field its path names, or to the nearest enclosing one ("answers[0].buttons[1]" -> the button's row).
function fieldFor(path) {
  for (let at = path; ;) {
    const found = document.querySelector(`#article [data-path="${CSS.escape(at)}"]`);
    if (found) return found;
    const shorter = at.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === at || !shorter) return null;
    at = shorter;
  }
}

function showErrors(errors, fallback) {
  clearErrors();
  let placed = 0;
  const loose = [];
  for (const { path, message } of errors) {
    const target = fieldFor(path);
    if (!target) { loose.push(`${path}: ${message}`); continue; }
    target.classList.add('invalid');
    (target.closest('label') ?? target).after(element('div', { className: 'field-error', textContent: message }));
    placed++;
  }
  const summary = [...(placed ? [t('fix_errors')] : []), ...loose];
  $('form-error').textContent = summary.length ? summary.join('; ') : fallback ?? '';
  document.querySelector('#article .invalid')?.scrollIntoView({ block: 'center' });
}

$('article').addEventListener('submit', async event => {
  event.preventDefault();
  if (!canEdit) return;
  const article = collect();
  try {
    const saved = isNew
      ? await api('/kb/articles', { method: 'POST', body: JSON.stringify(article) })
      : await api(`/kb/articles/${encodeURIComponent(current.id)}`, { method: 'PUT', body: JSON.stringify(article) });
    fillForm(saved, false);
    $('form-notice').textContent = t('saved');
    await loadList();
  } catch (error) {
    if (error instanceof ApiError) showErrors(error.errors, error.message); else $('form-error').textContent = error.message;
  }
});

$('delete').addEventListener('click', async () => {
  if (!current || isNew || !confirm(t('confirm_delete', { title: current.title || current.id }))) return;
  try {
    await api(`/kb/articles/${encodeURIComponent(current.id)}`, { method: 'DELETE' });
    current = null;
    $('article').hidden = true; $('form-empty').hidden = false;
    $('form-empty').textContent = t('deleted');
    await loadList();
  } catch (error) {
    if (error instanceof ApiError) showErrors([], error.message); else $('form-error').textContent = error.message;
  }
});

// Someone with view_kb but not modify_knowledgebase reads the form; nothing in it can be changed or saved.
function applyReadOnly() {
  $('read-only').hidden = canEdit;
  $('new').hidden = !canEdit;
  for (const node of $('article').querySelectorAll('input, textarea, select')) node.disabled = !canEdit;
  for (const node of $('article').querySelectorAll('.edit-only, #add-answer, #save')) node.hidden = !canEdit;
  if (!canEdit) $('delete').hidden = true;
  $('test-draft-option').hidden = !canEdit;
  if (!canEdit) $('test-draft').checked = false;
}

// ---- test the bot -------------------------------------------------------------------------------------------------

let trialState = null;

$('test-reset').addEventListener('click', () => { trialState = null; $('test-log').replaceChildren(); });

$('test-form').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('test-text').value.trim();
  if (!text) return;
  const log = $('test-log');
  log.append(element('div', { className: 'msg user', textContent: text }));
  const withDraft = canEdit && $('test-draft').checked && current !== null && !$('article').hidden;
  const body = { text, language: trialLanguage(), state: trialState, draft: withDraft ? collect() : null };
  try {
    const result = await api('/kb/trial', { method: 'POST', body: JSON.stringify(body) });
    trialState = result.state;
    $('test-text').value = '';
    for (const message of result.messages) log.append(botMessage(message));
    log.append(explanation(result));
  } catch (error) {
    log.append(element('div', { className: 'msg system error', textContent: error.message }));
    // A draft's errors name its fields: show them in the form too.
    if (error instanceof ApiError && error.errors.some(e => e.path.startsWith('draft'))) {
      showErrors(error.errors.map(e => ({ path: e.path.replace(/^draft\.?/, '') || '$', message: e.message })), error.message);
    }
  }
  log.scrollTop = log.scrollHeight;
});

// The article's own language when it is limited to one, else the page's.
function trialLanguage() {
  const languages = current?.access?.languages ?? [];
  return languages.length === 1 ? languages[0] : language;
}

function botMessage(message) {
  const bubble = element('div', { className: 'msg bot', innerHTML: renderMarkdown(message.text) });
  if (message.buttons.length) bubble.append(element('div', { className: 'actions' }, ...message.buttons.map(label => element('span', { className: 'chip', textContent: label }))));
  return bubble;
}

function explanation(result) {
  const chosen = result.chosenArticleId
    ? element('div', { className: 'chosen' }, `${t('test_chosen')}: `, element('strong', { textContent: result.chosenTitle || result.chosenArticleId }), ` (${result.chosenArticleId})`)
    : element('div', { className: 'chosen none', textContent: t('test_none') });
  const why = element('div', { className: 'why' }, `${t('test_why')}: `, t(`reason.${result.reason}`, { threshold: result.threshold }));
  const top = element('div', { className: 'top3' },
    element('small', { textContent: t('test_top') }),
    ...result.top.map(c => element('div', { className: `candidate verdict-${c.verdict}` },
      element('div', { className: 'name', textContent: c.title ? `${c.title} (${c.articleId})` : c.articleId, title: c.articleId }),
      element('div', { className: 'bar' }, element('span', { style: `width:${Math.round(c.confidence * 100)}%` })),
      element('div', { className: 'pct', textContent: `${(c.confidence * 100).toFixed(1)}%` }),
      element('div', { className: 'verdict', textContent: t(`verdict.${c.verdict}`) }))));
  const slots = Object.entries(result.slots);
  return element('div', { className: 'trial' },
    chosen, why, top,
    slots.length ? element('div', { className: 'slots', textContent: `${t('test_slots')}: ${slots.map(([k, v]) => `${k} = ${v}`).join(', ')}` }) : null,
    element('div', { className: 'outcome', textContent: `${t('test_outcome')}: ${t(`outcome.${result.outcome}`)}` }),
    result.classifierCurrent ? null : element('div', { className: 'stale', textContent: t('test_stale') }));
}

// ---- start --------------------------------------------------------------------------------------------------------

$('ui-language').value = language;
$('ui-language').addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('lang', $('ui-language').value);
  location.assign(url);
});

wireSignIn(start);
$('signout').addEventListener('click', async () => { await signOut(); showSignIn(); });

async function loadChoices() {
  const [types, topics] = await Promise.all([api('/kb/record-types'), api('/kb/topics')]);
  for (const select of [$('f-type'), $('a-type')]) {
    for (const type of types) select.append(new Option(type.name && type.name !== type.id ? `${type.id} — ${type.name}` : type.id, type.id));
  }
  for (const topic of topics) $('f-topic').append(new Option(topic.name || topic.id, topic.id));
  $('topic-list').replaceChildren(...topics.map(topic => new Option(topic.name || topic.id, topic.id)));
}

async function start() {
  try { me = await api('/operators/me'); } catch { return; }
  if (!me.permissions.includes('view_kb')) { showSignIn(); $('login-error').textContent = $('login-error').dataset.noAccess; return; }
  canEdit = me.permissions.includes('modify_knowledgebase');
  $('login').hidden = true; $('editor').hidden = false; $('signout').hidden = false;
  $('me').textContent = me.displayName;
  applyReadOnly();
  await loadChoices();
  await restartList();
}

// A session cookie from before (a reload) signs the page in; without one /operators/me is 401 and the form stays.
await start();
