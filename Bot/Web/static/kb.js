// The knowledge base editor: a table of articles (search as you type, filters, sort, server-side pages), the article
// form (saved through the KB API, whose validation errors are shown at the fields they name) and "Test the bot",
// which runs a message through the engine's own matcher and dialog runner, with the unsaved form if asked.
import { renderMarkdown } from './markdown.js';
import { ApiError, wireSignIn, signOut } from './session.js';
import { $, api, onSignedOut, t, element, debounce, showErrors as showErrorsIn, clearErrors as clearErrorsIn, splitList, joinList } from './kb-common.js';
import { showTab, startEntities, createSlotInDialog } from './kb-entities.js';

onSignedOut(showSignIn);
const language = document.documentElement.lang;
const pageSize = 25;
const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });

let me = null;
let canEdit = false;

function showSignIn() {
  me = null;
  $('editor').hidden = true; $('signout').hidden = true; $('entities').hidden = true; $('tabs').hidden = true;
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
  $('a-policy').value = article.messagePolicy ?? 'all';
  articleSlots = [...(article.slots ?? [])];
  renderArticleSlots();
  const access = article.access ?? {};
  $('a-call-centres').value = joinList(access.callCentres);
  $('a-languages').value = joinList(access.languages);
  $('a-lines').value = joinList(access.lines);
  $('a-skills').value = joinList(access.skills);
  $('delete').hidden = fresh || !canEdit;
  $('form-notice').textContent = '';
  clearErrors();
  renderAnswers();
  checkPhrasings();
  showArticleHints();
  for (const row of document.querySelectorAll('#rows tr')) row.classList.toggle('active', !fresh && row.dataset.id === article.id);
  $('history').hidden = fresh;
  $('history-list').replaceChildren(); $('history-diff').replaceChildren();
  loadHistory();
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
    topics: splitList($('a-topics').value),
    messagePolicy: $('a-policy').value,
    slots: [...articleSlots],
    access: {
      callCentres: splitList($('a-call-centres').value),
      languages: splitList($('a-languages').value),
      lines: splitList($('a-lines').value),
      skills: splitList($('a-skills').value),
    },
    answers: answers.map(a => ({ ...a,
      buttons: a.buttons.map(b => (b.url !== undefined && b.url !== null
        ? { label: b.label, url: b.url } : { label: b.label, article: b.article ?? '' })),
      attachments: a.attachments ?? [],
      conditions: (a.conditions ?? []).map(c => (c.operator === 'filled' || c.operator === 'empty'
        ? { slot: c.slot, operator: c.operator } : { slot: c.slot, operator: c.operator, value: c.value ?? '' })) })),
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
  return element('div', { className: 'answer', dataset: { path } },
    element('div', { className: 'answer-head' },
      element('strong', { textContent: t('answer', { n: i + 1 }) }),
      element('button', { type: 'button', className: 'secondary edit-only', textContent: t('remove'),
        onclick: () => { answers.splice(i, 1); renderAnswers(); } })),
    toolbar,
    element('div', { className: 'md-editor' }, area, element('div', { className: 'md-preview-box' }, element('small', { textContent: t('preview') }), preview)),
    buttonsEditor(answer, path),
    attachmentsEditor(answer, path),
    conditionsEditor(answer, path));
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

// ---- scenario slots, attachments and conditions --------------------------------------------------------------------

let slotDefs = []; // every slot of the KB (the choices for the scenario and for conditions)
let articleSlots = [];

const slotLabel = id => { const def = slotDefs.find(s => s.id === id); return def && def.name && def.name !== id ? `${def.name} (${id})` : id; };

function renderArticleSlots() {
  $('a-slots').replaceChildren(...articleSlots.map((id, i) => element('li', { dataset: { path: `slots[${i}]`, slot: id } },
    element('span', { className: 'slot-name', textContent: slotLabel(id) }),
    i > 0 ? element('button', { type: 'button', className: 'secondary tool edit-only', textContent: '↑', title: t('move_up'), ariaLabel: t('move_up'),
      onclick: () => { [articleSlots[i - 1], articleSlots[i]] = [articleSlots[i], articleSlots[i - 1]]; renderArticleSlots(); } }) : null,
    element('button', { type: 'button', className: 'secondary tool edit-only', textContent: '×', title: t('remove'), ariaLabel: t('remove'),
      onclick: () => { articleSlots.splice(i, 1); renderArticleSlots(); } }))));
  const pick = $('a-slot-pick');
  pick.replaceChildren(pick.options[0], ...slotDefs.filter(s => !articleSlots.includes(s.id)).map(s => new Option(slotLabel(s.id), s.id)));
  pick.value = '';
  applyReadOnly();
}

$('a-slot-pick').addEventListener('change', () => {
  const id = $('a-slot-pick').value;
  if (id && !articleSlots.includes(id)) articleSlots.push(id);
  renderArticleSlots();
  renderAnswers();
});

$('a-slot-create').addEventListener('click', () => createSlotInDialog(async slot => {
  await loadSlots();
  if (!articleSlots.includes(slot.id)) articleSlots.push(slot.id);
  renderArticleSlots();
  renderAnswers();
}));

async function loadSlots() { slotDefs = await api('/kb/slots'); }

// Files for an answer are uploaded to the file store here and referred to by id; pictures are shown as thumbnails.
function attachmentsEditor(answer, path) {
  answer.attachments ??= [];
  const box = element('div', { className: 'answer-attachments', dataset: { path: `${path}.attachments` } }, element('small', { textContent: t('attachments') }));
  answer.attachments.forEach((attachment, j) => {
    const href = attachment.fileId ? `/files/${attachment.fileId}/${encodeURIComponent(attachment.name)}` : attachment.url;
    const picture = (attachment.contentType ?? '').startsWith('image/');
    box.append(element('div', { className: 'attachment-row', dataset: { path: `${path}.attachments[${j}]` } },
      picture ? element('img', { src: href, alt: attachment.name, className: 'thumb' }) : null,
      element('a', { href, target: '_blank', rel: 'noopener', textContent: attachment.name }),
      element('small', { textContent: attachment.contentType }),
      element('button', { type: 'button', className: 'secondary tool edit-only', textContent: '×', title: t('remove'), ariaLabel: t('remove'),
        onclick: () => { answer.attachments.splice(j, 1); renderAnswers(); } })));
  });
  // The browser's own file button speaks the browser's language: a label in the page's words opens it instead.
  const input = element('input', { type: 'file', className: 'visually-hidden', ariaLabel: t('upload') });
  const status = element('span', { className: 'upload-status' });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    status.textContent = t('uploading');
    try {
      const stored = await uploadFile(file);
      answer.attachments.push({ name: stored.name, contentType: stored.contentType, fileId: stored.id });
      renderAnswers();
    } catch (error) { status.textContent = t('upload_failed', { detail: error.message }); input.value = ''; }
  });
  box.append(element('label', { className: 'upload secondary-button edit-only', tabIndex: 0,
    onkeydown: event => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); input.click(); } } }, t('upload'), input), status);
  return box;
}

async function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch('/api/v1/files', { method: 'POST', body: form });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || String(response.status));
  return body;
}

const operators = ['equals', 'not_equals', 'filled', 'empty', 'matches', 'greater_than', 'less_than'];
const operatorValue = name => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// "Send this answer when": every condition names a slot, an operator and (except filled/empty) a value;
// a dictionary slot's options are offered for the value.
function conditionsEditor(answer, path) {
  answer.conditions ??= [];
  const box = element('div', { className: 'answer-conditions', dataset: { path: `${path}.conditions` } }, element('small', { textContent: t('conditions') }));
  answer.conditions.forEach((condition, j) => {
    const at = `${path}.conditions[${j}]`;
    const choices = [...new Set([...articleSlots, ...slotDefs.map(s => s.id), ...(condition.slot ? [condition.slot] : [])])];
    const slot = element('select', { ariaLabel: t('condition_slot'), dataset: { path: `${at}.slot` } },
      new Option('—', ''), ...choices.map(id => new Option(slotLabel(id), id)));
    slot.value = condition.slot ?? '';
    const op = element('select', { ariaLabel: t('conditions') }, ...operators.map(name => new Option(t(`op.${name}`), operatorValue(name))));
    op.value = condition.operator ?? 'equals';
    const listId = `cond-items-${path.replace(/\W/g, '_')}-${j}`;
    const items = element('datalist', { id: listId });
    const value = element('input', { value: condition.value ?? '', placeholder: t('condition_value'), ariaLabel: t('condition_value'), autocomplete: 'off', dataset: { path: `${at}.value` } });
    value.setAttribute('list', listId);
    const refresh = () => {
      value.hidden = op.value === 'filled' || op.value === 'empty';
      const def = slotDefs.find(s => s.id === slot.value);
      items.replaceChildren(...(def?.type === 'dictionary' ? def.items.map(item => new Option(item.value, item.id)) : []));
    };
    slot.addEventListener('change', () => { condition.slot = slot.value; refresh(); });
    op.addEventListener('change', () => { condition.operator = op.value; refresh(); });
    value.addEventListener('input', () => { condition.value = value.value; });
    refresh();
    box.append(element('div', { className: 'condition-row', dataset: { path: at } }, slot, op, value, items,
      element('button', { type: 'button', className: 'secondary tool edit-only', textContent: '×', title: t('remove'), ariaLabel: t('remove'),
        onclick: () => { answer.conditions.splice(j, 1); renderAnswers(); } })));
  });
  box.append(element('button', { type: 'button', className: 'secondary edit-only', textContent: t('add_condition'),
    onclick: () => { answer.conditions.push({ slot: articleSlots[0] ?? '', operator: 'equals', value: '' }); renderAnswers(); } }));
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

// ---- phrasing quality hints (cross-validation confusions, too few phrasings, duplicates) --------------------------

let qualityHints = [];

function hintText(hint) {
  const values = { title: hint.title || hint.articleId, other: hint.otherTitle || hint.otherId, count: hint.count, of: hint.of };
  if (hint.kind === 'confused') return t('quality.confused', values);
  if (hint.kind === 'few_phrasings') return t('quality.few_phrasings', values);
  return hint.count > 0 ? t('quality.duplicate', values) : t('quality.same_title', values);
}

function hintItem(hint, withArticle) {
  const target = withArticle ? hint.articleId : hint.otherId;
  const text = hintText(hint);
  const item = element('li', { className: `qhint ${hint.kind}`, dataset: { article: hint.articleId, kind: hint.kind } },
    target ? element('a', { href: '#', textContent: text, onclick: event => { event.preventDefault(); openArticle(target); } }) : text);
  const [open, close] = language === 'en' ? ['“', '”'] : ['«', '»'];
  if (hint.examples?.length) item.append(element('span', { className: 'examples', textContent: ` (${hint.examples.map(e => `${open}${e}${close}`).join(', ')})` }));
  return item;
}

// The hints of the open article, under its phrasings.
function showArticleHints() {
  const mine = current && !isNew ? qualityHints.filter(h => h.articleId === current.id) : [];
  $('quality-hints').replaceChildren(...mine.map(h => hintItem(h, false)));
}

// The whole KB's hints under the table; the cross-validation runs in the background, so ask again while it does.
let qualityTimer = null;
async function loadQuality() {
  clearTimeout(qualityTimer);
  let report;
  try { report = await api('/kb/quality'); } catch { return; }
  qualityHints = report.hints;
  $('quality-count').textContent = report.hints.length ? `(${report.hints.length})` : '';
  $('quality-state').textContent = report.confusions === 'computing' ? t('quality.computing')
    : report.confusions === 'failed' ? t('quality.failed') : report.hints.length ? '' : t('quality.none');
  $('quality-list').replaceChildren(...report.hints.map(h => hintItem(h, true)));
  showArticleHints();
  if (report.confusions === 'computing') qualityTimer = setTimeout(loadQuality, 3000);
}

function clearErrors() { clearErrorsIn($('article'), $('form-error')); }

function showErrors(errors, fallback) { showErrorsIn($('article'), $('form-error'), errors, fallback); }

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
    loadQuality(); // a new revision: its hints are computed afresh
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
    loadQuality();
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

// ---- history: versions of the article, the difference between two, restoring one -----------------------------------

async function loadHistory() {
  if (!current || isNew || !$('history').open) return;
  const id = current.id;
  let versions = [];
  try { versions = await api(`/kb/articles/${encodeURIComponent(id)}/history`); } catch { versions = []; }
  if (!current || current.id !== id) return;
  $('history-diff').replaceChildren();
  $('history-list').replaceChildren(...versions.map((version, i) => {
    const pick = element('input', { type: 'checkbox', value: String(version.revision), ariaLabel: t('version', { revision: version.revision }), onchange: showDiff });
    return element('li', { dataset: { revision: version.revision } },
      element('label', {}, pick, ` ${t('version', { revision: version.revision })}`),
      element('span', { className: 'who', textContent: `${version.author ?? t('version_engine')}, ${dateFormat.format(new Date(version.changedAt))}` }),
      version.deleted ? element('em', { textContent: t('version_deleted') }) : null,
      i === 0 && !version.deleted ? element('em', { textContent: t('version_current') }) : null,
      i > 0 && !version.deleted && canEdit ? element('button', { type: 'button', className: 'secondary tool', textContent: t('restore'),
        onclick: () => restoreVersion(id, version.revision) }) : null);
  }));
}
$('history').addEventListener('toggle', loadHistory);

async function readVersion(id, revision) { return api(`/kb/articles/${encodeURIComponent(id)}/history/${revision}`); }

// The two ticked versions, older first, as their JSON line by line: removed lines red, added ones green.
async function showDiff() {
  const ticked = [...$('history-list').querySelectorAll('input:checked')].map(box => Number(box.value)).sort((a, b) => a - b);
  if (ticked.length !== 2) { $('history-diff').replaceChildren(); return; }
  const id = current.id;
  const [older, newer] = await Promise.all(ticked.map(revision => readVersion(id, revision)));
  const lines = diffLines(JSON.stringify(older, null, 2).split('\n'), JSON.stringify(newer, null, 2).split('\n'));
  const changed = lines.filter(line => line.kind !== 'same');
  $('history-diff').replaceChildren(changed.length === 0
    ? element('div', { className: 'same', textContent: t('no_diff') })
    : element('pre', {}, ...lines.filter((line, i) => line.kind !== 'same' || near(lines, i)).map(line =>
      element('div', { className: line.kind, textContent: `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '} ${line.text}` }))));
}

// Unchanged lines are kept only next to a change, for context.
function near(lines, i) { return [i - 1, i + 1].some(j => lines[j] && lines[j].kind !== 'same'); }

// A longest-common-subsequence line diff: small articles, so the quadratic table is fine.
function diffLines(a, b) {
  const table = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const out = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push({ kind: 'same', text: a[i] }); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) out.push({ kind: 'removed', text: a[i++] });
    else out.push({ kind: 'added', text: b[j++] });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++] });
  while (j < b.length) out.push({ kind: 'added', text: b[j++] });
  return out;
}

async function restoreVersion(id, revision) {
  if (!confirm(t('confirm_restore', { revision }))) return;
  try {
    const restored = await api(`/kb/articles/${encodeURIComponent(id)}/history/${revision}/restore`, { method: 'POST' });
    fillForm(restored, false);
    $('form-notice').textContent = t('restored', { revision });
    await loadList();
  } catch (error) {
    if (error instanceof ApiError) showErrors(error.errors, error.message); else $('form-error').textContent = error.message;
  }
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

// The record types, topics and slots the table's filters and the form offer; again after another tab changed them.
async function loadChoices() {
  const [types, topics] = await Promise.all([api('/kb/record-types'), api('/kb/topics'), loadSlots()]);
  for (const select of [$('f-type'), $('a-type')]) {
    const keep = select.value;
    select.replaceChildren(select.options[0], ...types.map(type => new Option(type.name && type.name !== type.id ? `${type.id} — ${type.name}` : type.id, type.id)));
    select.value = keep;
  }
  const topic = $('f-topic').value;
  $('f-topic').replaceChildren($('f-topic').options[0], ...topics.map(item => new Option(item.name || item.id, item.id)));
  $('f-topic').value = topic;
  $('topic-list').replaceChildren(...topics.map(item => new Option(item.name || item.id, item.id)));
  if (current) renderArticleSlots();
}

// The tabs are addresses (#slots): a reload or a link opens the same one.
function openTab() {
  const tab = location.hash.slice(1) || 'articles';
  for (const link of $('tabs').querySelectorAll('a')) link.classList.toggle('active', link.dataset.tab === tab);
  const articles = tab === 'articles' || !document.querySelector(`.kb-ent-form[data-entity="${CSS.escape(tab)}"]`);
  $('editor').hidden = !articles;
  $('entities').hidden = articles;
  if (articles) loadChoices().catch(() => null); else showTab(tab);
}
window.addEventListener('hashchange', () => { if (me) openTab(); });

async function start() {
  try { me = await api('/operators/me'); } catch { return; }
  if (!me.permissions.includes('view_kb')) { showSignIn(); $('login-error').textContent = $('login-error').dataset.noAccess; return; }
  canEdit = me.permissions.includes('modify_knowledgebase');
  $('login').hidden = true; $('signout').hidden = false; $('tabs').hidden = false;
  $('me').textContent = me.displayName;
  applyReadOnly();
  startEntities(canEdit);
  openTab();
  await loadChoices();
  await restartList();
  loadQuality();
}

// A session cookie from before (a reload) signs the page in; without one /operators/me is 401 and the form stays.
await start();
