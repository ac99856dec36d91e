// The labelling page (/kb/labelling): the inbox of messages the bot did not understand or handed off, grouped by text
// and ranked by frequency times the classifier's uncertainty; each group is labelled whole (an article from the
// classifier's top 3 or a search, or "not an intent"), skipped, or its dialogs marked CHECKED. Below it the model
// registry: every training with its quality against the live model, per-intent changes, promote and roll back.
import { apiClient, wireSignIn, signOut } from './session.js';

const $ = id => document.getElementById(id);
const api = apiClient(showSignIn);
const language = document.documentElement.lang;
const pageSize = 20;
const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });
const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });

// The page's strings come with the markup (data attributes of #t), in the page's language.
function t(key, values = {}) {
  const name = key.replace(/[._-]([a-z])/g, (_, c) => c.toUpperCase());
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

function showSignIn() {
  $('main').hidden = true; $('signout').hidden = true;
  $('login').hidden = false;
}

function notice(text, isError = false) {
  $('notice').textContent = text;
  $('notice').className = isError ? 'error lab-notice' : 'notice lab-notice';
}

// Calls the API; a refusal is shown in the notice line (its detail names the problem) and answers null.
async function attempt(action) {
  try { return await action(); } catch (error) { notice(error.message, true); return null; }
}

// ---- the inbox ----------------------------------------------------------------------------------------------------

const inbox = { offset: 0, total: 0 };

function isoOf(local) { return local ? new Date(local).toISOString() : ''; }

function inboxQuery() {
  const query = new URLSearchParams({ offset: String(inbox.offset), limit: String(pageSize) });
  const put = (name, value) => { if (value) query.set(name, value); };
  put('from', isoOf($('from').value));
  put('to', isoOf($('to').value));
  put('language', $('f-language').value);
  put('line', $('f-line').value.trim());
  return query;
}

async function loadInbox() {
  $('filter-error').textContent = '';
  let page;
  try { page = await api(`/labelling/inbox?${inboxQuery()}`); } catch (error) { $('filter-error').textContent = error.message; return; }
  inbox.total = page.total;
  if (page.groups.length === 0 && inbox.offset > 0 && page.total > 0) { inbox.offset = Math.max(0, inbox.offset - pageSize); await loadInbox(); return; }
  $('count').textContent = t('count', { groups: page.total, messages: page.scanned });
  // A search typed into a group while the list reloads (after the previous label) carries over to the group's new row.
  const typed = new Map([...$('groups').querySelectorAll('.lab-group')]
    .map(item => [item.dataset.text, item.querySelector('.search').value]).filter(([, value]) => value.trim()));
  $('groups').replaceChildren(...(page.groups.length ? page.groups.map(renderGroup) : [element('li', { className: 'empty', textContent: t('empty') })]));
  for (const item of $('groups').querySelectorAll('.lab-group')) {
    if (!typed.has(item.dataset.text)) continue;
    const search = item.querySelector('.search');
    search.value = typed.get(item.dataset.text);
    search.dispatchEvent(new Event('input'));
  }
  $('groups').start = inbox.offset + 1;
  $('shown').textContent = page.total ? t('page', { from: inbox.offset + 1, to: inbox.offset + page.groups.length, total: page.total }) : '';
  $('prev').disabled = inbox.offset === 0;
  $('next').disabled = inbox.offset + page.groups.length >= page.total;
}

function kindText(kind) { return t(`kind-${kind.replace(/_/g, '-')}`); }

function renderGroup(group) {
  const item = element('li', { className: 'lab-group', dataset: { text: group.text } });
  const label = async body => {
    const done = await attempt(() => api('/nlu/labels', { method: 'POST', body: JSON.stringify({ messageIds: group.messageIds, ...body }) }));
    if (!done) return;
    // The list first, then the notice: whoever waits for the notice finds the list as it is now.
    await loadInbox();
    notice(body.outOfScope ? t('labelled-oos', { text: group.text, count: done.labelled })
      : t('labelled', { text: group.text, article: body.title, count: done.labelled }));
  };
  const pick = (articleId, title) => label({ articleId, title });

  const meta = element('div', { className: 'meta' },
    element('span', { className: 'times', textContent: `×${group.count}` }),
    element('span', { textContent: group.kinds.map(kindText).join(', ') }),
    element('span', { textContent: group.language }),
    element('span', { textContent: group.lines.map(l => l || t('no-line')).join(', ') }),
    element('span', { textContent: `${t('last')} ${dateFormat.format(new Date(group.lastAt))}` }),
    element('span', { className: 'uncertainty', textContent: t('uncertainty', { value: percent.format(group.uncertainty) }) }));

  const top = element('div', { className: 'top' }, element('span', { className: 'caption', textContent: t('top') }),
    ...(group.top.length ? group.top.map(c => element('button', {
      type: 'button', className: 'secondary candidate', title: c.articleId, dataset: { article: c.articleId },
      onclick: () => pick(c.articleId, c.title),
    }, element('span', { className: 'name', textContent: c.title }), element('span', { className: 'confidence', textContent: percent.format(c.confidence) })))
      : [element('span', { className: 'caption', textContent: t('no-top') })]));

  const results = element('div', { className: 'results' });
  const search = element('input', { type: 'search', className: 'search', placeholder: t('search'), ariaLabel: t('search') });
  search.addEventListener('input', debounce(async () => {
    const q = search.value.trim();
    if (!q) { results.replaceChildren(); return; }
    const hits = await attempt(() => api(`/kb/search?${new URLSearchParams({ q, limit: '6' })}`));
    if (!hits || search.value.trim() !== q) return;
    results.replaceChildren(...hits.map(hit => element('button', {
      type: 'button', className: 'secondary hit', title: hit.articleId, dataset: { article: hit.articleId }, onclick: () => pick(hit.articleId, hit.title),
    }, element('span', { className: 'name', textContent: hit.title }), element('span', { className: 'id', textContent: hit.articleId }))));
  }, 250));

  const actions = element('div', { className: 'actions-row' },
    element('button', { type: 'button', className: 'secondary not-intent', textContent: t('not-intent'), onclick: () => label({ outOfScope: true }) }),
    element('button', {
      type: 'button', className: 'secondary skip', textContent: t('skip'),
      onclick: async () => {
        const done = await attempt(() => api('/labelling/skip', { method: 'POST', body: JSON.stringify({ messageIds: group.messageIds }) }));
        if (done) { await loadInbox(); notice(t('skipped', { count: done.skipped })); }
      },
    }),
    element('span', { className: 'dialogs' }, element('span', { className: 'caption', textContent: t('dialogs') }),
      ...group.dialogIds.slice(0, 3).map(id => element('button', {
        type: 'button', className: 'secondary check', title: t('checked'), dataset: { dialog: id }, textContent: `✓ ${id.slice(-8)}`,
        onclick: async () => {
          // 204 No Content: the call answers null on success, so success is "did not throw".
          const done = await attempt(async () => { await api(`/labelling/dialogs/${encodeURIComponent(id)}/checked`, { method: 'POST' }); return true; });
          if (done) { await loadInbox(); notice(t('checked-done', { id: id.slice(-8) })); }
        },
      }))));

  item.append(element('div', { className: 'text', textContent: group.text }), meta, top,
    element('div', { className: 'find' }, search, results), actions);
  return item;
}

// ---- the model registry -------------------------------------------------------------------------------------------

function share(value) { return value === null || value === undefined ? '—' : percent.format(value); }

function quality(metrics) {
  const c = metrics.candidate; const l = metrics.live;
  if (!c) return element('span', { textContent: '—' });
  const line = (key, a, b) => element('div', { textContent: `${t(key)}: ${share(a)} (${share(b)})` });
  return element('div', { className: 'quality' },
    line('accuracy', c.inScopeAccuracy, l?.inScopeAccuracy),
    line('kb-accuracy', c.kbAccuracy, l?.kbAccuracy),
    c.oosRecall === null || c.oosRecall === undefined ? null : line('oos-recall', c.oosRecall, l?.oosRecall),
    // The frozen evaluation set: labels held back from every training, both models scored on them.
    metrics.evaluation ? element('div', { className: 'eval', textContent:
      `${t('eval-set', { count: metrics.evaluation.size })}: ${share(metrics.evaluation.candidate.inScopeAccuracy)} (${share(metrics.evaluation.live.inScopeAccuracy)})` }) : null);
}

function changes(metrics) {
  const intents = (metrics.intents || []).filter(d => Math.abs(d.delta) >= 0.005);
  if (!intents.length) return element('span', { className: 'unchanged', textContent: t('unchanged') });
  const name = id => (id === 'oos' ? t('not-an-intent') : id);
  const list = (items, cls, caption) => items.length ? element('div', { className: cls },
    element('span', { className: 'caption', textContent: `${caption}: ` }),
    items.map(d => `${name(d.intent)} ${d.delta > 0 ? '+' : '−'}${Math.abs(d.delta).toFixed(2)}`).join(', ')) : null;
  const worse = intents.filter(d => d.delta < 0).slice(0, 4);
  const better = intents.filter(d => d.delta > 0).reverse().slice(0, 4);
  return element('div', { className: 'changes' }, list(worse, 'worse', t('worse')), list(better, 'better', t('better')));
}

async function loadModels() {
  const models = await attempt(() => api('/nlu/models?limit=20'));
  if (!models) return;
  const currentAt = models.find(m => m.status === 'promoted')?.createdAt;
  $('model-rows').replaceChildren(...(models.length ? models.map(model => element('tr', { dataset: { id: model.id, status: model.status }, title: model.reason },
    element('td', { className: 'date', textContent: dateFormat.format(new Date(model.createdAt)) }),
    element('td', { textContent: t(`trigger-${model.trigger}`) }),
    element('td', {}, element('span', { className: `status ${model.status}`, textContent: t(`status-${model.status}`) })),
    element('td', { className: 'num', textContent: `${model.kbExamples} + ${model.labelledExamples}` }),
    element('td', {}, quality(model.metrics)),
    element('td', {}, changes(model.metrics)),
    element('td', { className: 'model-actions' }, element('a', {
      className: 'report', href: `/api/v1/nlu/models/${encodeURIComponent(model.id)}/report?lang=${language}`, target: '_blank', rel: 'noopener',
      textContent: t('report'),
    }), model.status === 'promoted' ? null : element('button', {
      type: 'button', className: 'secondary promote',
      textContent: currentAt && model.createdAt < currentAt ? t('rollback') : t('promote'),
      onclick: async () => {
        const done = await attempt(() => api(`/nlu/models/${encodeURIComponent(model.id)}/promote`, { method: 'POST' }));
        if (done) { notice(t('promoted', { time: dateFormat.format(new Date(model.createdAt)) })); await Promise.all([loadModels(), loadInbox()]); }
      },
    }))))
    : [element('tr', {}, element('td', { colSpan: 7, className: 'empty', textContent: t('no-models') }))]));
  return models;
}

$('train').addEventListener('click', async () => {
  const before = (await attempt(() => api('/nlu/models?limit=1')))?.[0]?.id;
  const started = await attempt(() => api('/nlu/training-runs', { method: 'POST' }));
  if (!started) return;
  notice(t('training'));
  $('train').disabled = true;
  // The run takes seconds to minutes; the registry shows its row when it is done.
  for (let i = 0; i < 600; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const newest = (await attempt(() => api('/nlu/models?limit=1')))?.[0];
    if (newest && newest.id !== before) {
      notice(t('trained', { status: t(`status-${newest.status}`) }));
      break;
    }
  }
  $('train').disabled = false;
  await Promise.all([loadModels(), loadInbox()]);
});

// ---- start --------------------------------------------------------------------------------------------------------

$('filters').addEventListener('submit', async event => { event.preventDefault(); inbox.offset = 0; await loadInbox(); });
$('prev').addEventListener('click', async () => { inbox.offset = Math.max(0, inbox.offset - pageSize); await loadInbox(); });
$('next').addEventListener('click', async () => { inbox.offset += pageSize; await loadInbox(); });

$('ui-language').value = language;
$('ui-language').addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('lang', $('ui-language').value);
  location.assign(url);
});

wireSignIn(start);
$('signout').addEventListener('click', async () => { await signOut(); showSignIn(); });

async function start() {
  let me;
  try { me = await api('/operators/me'); } catch { return; }
  if (!me.permissions.includes('modify_knowledgebase')) { showSignIn(); $('login-error').textContent = $('login-error').dataset.noAccess; return; }
  $('login').hidden = true; $('main').hidden = false; $('signout').hidden = false;
  $('me').textContent = me.displayName;
  await Promise.all([loadInbox(), loadModels()]);
}

// A session cookie from before (a reload) signs the page in; without one /operators/me is 401 and the form stays.
await start();
