// History search (/history, view_dialogs_search): filters (the last 30 days by default), results grouped by day and
// continued page by page, and a dialog's panel with its timings, routing events and transcript, with downloads of
// the dialog and of everything found as text or JSON, and the test-client mark that statistics honour.
import { renderMarkdown } from './markdown.js';
import { $, t, element, api, language, startPage, navigation, formatDateTime, formatTime, formatDay, formatDuration, showError } from './supervisor.common.js';

let cursor = null;
let shownDay = null;
let current = null;

function dateInput(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function filters() {
  const q = new URLSearchParams();
  const from = $('from').value ? new Date(`${$('from').value}T00:00:00`) : null;
  const to = $('to').value ? new Date(`${$('to').value}T00:00:00`) : null;
  if (from) q.set('from', (asked.get('from') && !edited ? new Date(asked.get('from')) : from).toISOString());
  if (to) q.set('to', (asked.get('to') && !edited ? new Date(asked.get('to')) : new Date(to.getTime() + 86_400_000)).toISOString());
  const put = (name, id) => { const value = $(id).value.trim(); if (value) q.set(name, value); };
  put('q', 'q'); put('client', 'f-client'); put('operatorId', 'f-operator'); put('channel', 'f-channel'); put('line', 'f-line');
  put('topic', 'f-topic'); put('state', 'f-state'); put('closedBy', 'f-closed-by');
  return q;
}

async function search(more = false) {
  $('search-error').textContent = '';
  const q = filters();
  if (more && cursor) q.set('cursor', cursor);
  let page;
  $('results').setAttribute('aria-busy', 'true');
  try { page = await api(`/history?${q}`); } catch (error) { showError($('search-error'), error); return; }
  finally { $('results').setAttribute('aria-busy', 'false'); }
  if (!more) { $('results').replaceChildren(); shownDay = null; }
  for (const d of page.items) {
    const day = new Date(d.openedAt).toDateString();
    if (day !== shownDay) { $('results').append(element('div', { className: 'day', textContent: formatDay(d.openedAt) })); shownDay = day; }
    $('results').append(element('div', { className: 'hit', dataset: { id: d.id }, onclick: () => open(d.id) },
      element('span', { className: 'when', textContent: formatTime(d.openedAt) }),
      element('span', { className: 'who' }, d.clientName || d.clientId, d.testClient ? element('span', { className: 'test', textContent: ` · ${t('test-client')}` }) : null),
      element('span', { className: 'tags', textContent: [d.channel, d.operatorName, t(`state-${d.state}`), d.topic].filter(Boolean).join(' · ') }),
      d.snippet ? element('span', { className: 'snippet', textContent: d.snippet }) : null));
  }
  cursor = page.nextCursor;
  $('more').hidden = !cursor;
  const count = $('results').querySelectorAll('.hit').length;
  $('found').textContent = count ? t('found', { count: cursor ? `${count}+` : count }) : t('nothing');
  const exported = new URLSearchParams(filters()); exported.set('lang', language);
  exported.set('format', 'text'); $('export-text').href = `/api/v1/history/export?${exported}`;
  exported.set('format', 'json'); $('export-json').href = `/api/v1/history/export?${exported}`;
}

// An external agent's words are the bot's messages that name the agent.
const author = m => (m.author === 'bot' && m.activity?.channelData?.agent?.name ? `${t('author-agent')}: ${m.activity.channelData.agent.name}`
  : t(`author-${['client', 'bot', 'operator'].includes(m.author) ? m.author : 'system'}`));
const since = (from, to) => (from && to ? ` (+${formatDuration((new Date(to) - new Date(from)) / 1000)})` : '');

async function open(id) {
  const detail = await api(`/history/${encodeURIComponent(id)}`);
  current = detail;
  for (const hit of document.querySelectorAll('.hit')) hit.classList.toggle('active', hit.dataset.id === id);
  const d = detail.dialog, tm = detail.timings;
  $('panel').hidden = false;
  $('panel').dataset.id = id;
  $('panel-title').textContent = `${d.clientName || d.clientId} · ${formatDateTime(d.openedAt)}`;
  $('p-client').textContent = d.clientName ? `${d.clientName} (${d.clientId})` : d.clientId;
  $('p-channel').textContent = [d.channel, d.line].filter(Boolean).join(' · ');
  $('p-operator').textContent = d.operatorName || d.operatorId || '—';
  $('p-opened').textContent = formatDateTime(tm.openedAt);
  $('p-queued').textContent = tm.queuedAt ? formatTime(tm.queuedAt) + since(tm.openedAt, tm.queuedAt) : '—';
  $('p-assigned').textContent = tm.assignedAt ? formatTime(tm.assignedAt) + since(tm.queuedAt, tm.assignedAt) : '—';
  $('p-first-response').textContent = tm.firstResponseAt ? `${formatTime(tm.firstResponseAt)} (${formatDuration(tm.firstResponseSeconds)})` : '—';
  $('p-closed').textContent = tm.closedAt ? `${formatTime(tm.closedAt)} (${formatDuration(tm.durationSeconds)})` : '—';
  $('p-topic').textContent = d.topic || '—';
  $('download-text').href = `/api/v1/history/${encodeURIComponent(id)}/export?format=text&lang=${language}`;
  $('download-json').href = `/api/v1/history/${encodeURIComponent(id)}/export?format=json&lang=${language}`;
  $('mark-test').textContent = d.testClient ? t('unmark-test') : t('mark-test');
  $('events').replaceChildren(...detail.events.map(e => element('li', {},
    element('span', { className: 'muted', textContent: formatTime(e.at) }),
    element('span', { textContent: [t(`event-${e.kind}`), e.operatorId].filter(Boolean).join(' · ') }))));
  $('transcript').replaceChildren(...detail.messages.map(m => element('div', {
    className: `msg ${m.author === 'client' ? 'user' : m.author === 'system' ? 'system' : 'bot'}`,
  }, element('span', { className: 'who', textContent: `${author(m)} · ${formatTime(m.createdAt)}` }),
  // The bot's answers are Markdown (escaped before formatting); what clients and operators typed is shown as typed.
  m.author === 'bot' ? element('span', { innerHTML: renderMarkdown(m.text ?? '') }) : (m.text ?? ''))));
}

$('mark-test').addEventListener('click', async () => {
  if (!current) return;
  const d = current.dialog;
  await api(`/history/test-clients/${encodeURIComponent(d.clientId)}`, { method: d.testClient ? 'DELETE' : 'PUT' });
  await open(d.id);
});

let edited = false;
for (const id of ['from', 'to']) $(id).addEventListener('change', () => { edited = true; });
$('filters').addEventListener('submit', event => { event.preventDefault(); search(); });
$('more').addEventListener('click', () => search(true));

// Filters may come with the address (a link from the statistics page): period, operator, channel, topic, text.
const asked = new URLSearchParams(location.search);
const initialTo = asked.get('to') ? new Date(asked.get('to')) : new Date();
const initialFrom = asked.get('from') ? new Date(asked.get('from')) : new Date(initialTo.getTime() - 30 * 86_400_000);
$('from').value = dateInput(initialFrom);
$('to').value = dateInput(initialTo);
for (const [name, id] of [['q', 'q'], ['channel', 'f-channel'], ['topic', 'f-topic'], ['line', 'f-line'], ['client', 'f-client'], ['state', 'f-state'], ['closedBy', 'f-closed-by']]) {
  if (asked.get(name)) $(id).value = asked.get(name);
}
navigation();
await startPage(['view_dialogs_search'], async () => {
  // The operator list needs view_users; without it the filter takes what the address gave.
  try {
    const operators = await api('/operators');
    for (const o of operators) $('f-operator').append(new Option(o.displayName, o.id));
  } catch { /* no view_users */ }
  if (asked.get('operatorId')) {
    if (![...$('f-operator').options].some(o => o.value === asked.get('operatorId'))) $('f-operator').append(new Option(asked.get('operatorId'), asked.get('operatorId')));
    $('f-operator').value = asked.get('operatorId');
  }
  await search();
  // A dialog named in the address (a link from the monitoring page) opens at once.
  if (location.hash.length > 1) await open(decodeURIComponent(location.hash.slice(1))).catch(() => null);
});
