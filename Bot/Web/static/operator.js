// The operator page: sign in, go online, take the dialogs the queue assigns, read, reply, transfer, close.
// Live updates come as server-sent events; each event only tells the page to re-read what it shows.
import { renderMarkdown } from './markdown.js';
import { renderAttachments } from './attachments.js';
import { apiClient, refusal, wireSignIn, signOut } from './session.js';

const $ = id => document.getElementById(id);
// The session is the HttpOnly cookie sign-in sets: scripts never hold the token, the browser sends it with each call.
let me = null;
let selected = null;
let events = null;
const api = apiClient(showSignIn);

function showSignIn() {
  me = null;
  if (events) { events.close(); events = null; }
  for (const id of ['workplace', 'status', 'signout', 'change-password', 'password-form']) $(id).hidden = true;
  $('login').hidden = false;
}

wireSignIn(start);

$('signout').addEventListener('click', async () => {
  await signOut();
  showSignIn();
});

$('change-password').addEventListener('click', () => {
  $('password-form').hidden = false; $('workplace').hidden = true;
  $('password-error').textContent = ''; $('password-done').hidden = true;
});
$('password-cancel').addEventListener('click', () => { $('password-form').hidden = true; $('workplace').hidden = false; });
$('password-form').addEventListener('submit', async event => {
  event.preventDefault();
  const box = $('password-error');
  const response = await fetch('/api/v1/operators/me/password', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ currentPassword: $('current-password').value, newPassword: $('new-password').value }) });
  if (response.status === 401) { showSignIn(); return; }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const wrongCurrent = response.status === 400 && (problem.detail || '').startsWith('currentPassword');
    box.textContent = response.status === 400 ? (wrongCurrent ? box.dataset.wrong : box.dataset.rules) : refusal(response, box, 'wrong');
    return;
  }
  // The server set a new session cookie; this page goes on, other sessions have ended.
  box.textContent = ''; $('current-password').value = ''; $('new-password').value = '';
  $('password-done').hidden = false;
});

$('status').addEventListener('change', async () => {
  await api('/operators/me/status', { method: 'POST', body: JSON.stringify({ status: $('status').value }) });
});

const seesQueue = () => ['view_monitoring', 'view_dialogs_search'].some(p => me.permissions.includes(p));

function dialogItem(dialog, container) {
  const item = document.createElement('div');
  item.className = 'dialog-item' + (selected === dialog.id ? ' active' : '');
  item.dataset.dialogId = dialog.id;
  const since = new Date(dialog.queuedAt || dialog.openedAt);
  item.innerHTML = `<strong>${dialog.channel}</strong> · ${dialog.language}<small>${since.toLocaleTimeString()}</small>`;
  item.addEventListener('click', () => { selected = dialog.id; refresh(); });
  container.appendChild(item);
}

async function refresh() {
  // The queue's contents are for supervisors; an operator is offered dialogs, not shown them.
  const [mine, queue] = await Promise.all([
    api(`/dialogs?state=assigned,active&operatorId=${me.id}`), seesQueue() ? api('/dialogs?state=queued') : []]);
  for (const [container, list] of [[$('mine'), mine], [$('queue'), queue]]) {
    container.replaceChildren();
    if (list.length === 0) container.textContent = container.dataset.empty;
    list.forEach(d => dialogItem(d, container));
  }
  const open = mine.find(d => d.id === selected);
  $('toolbar').hidden = !open; $('reply').hidden = !open;
  $('accept').hidden = !open || open.state !== 'assigned';
  showNote(open && open.note);
  // The targets are read when a dialog is opened and when the list is about to be used, not on every live update.
  if (open && canTransfer() && targetsFor !== open.id) { targetsFor = open.id; await loadTransferTargets(); }
  const history = $('history');
  if (!selected) { history.textContent = history.dataset.empty; return; }
  const messages = await api(`/dialogs/${selected}/messages`);
  history.replaceChildren();
  for (const m of messages) {
    if (m.activity.type !== 'message') continue;
    const bubble = document.createElement('div');
    bubble.className = `msg ${m.author === 'client' ? 'bot' : m.author === 'system' ? 'system' : 'user'}`;
    bubble.innerHTML = `<span class="who">${history.dataset[m.author] || m.author}</span>${renderMarkdown(m.text || '')}`;
    const files = renderAttachments(m.activity.attachments, m.author === 'client' ? history.dataset.externalImage : null);
    if (files) bubble.appendChild(files);
    history.appendChild(bubble);
  }
  history.scrollTop = history.scrollHeight;
}

async function reply(text, attachments = []) {
  try {
    await api(`/dialogs/${selected}/messages`, { method: 'POST', body: JSON.stringify({ text, attachments }) });
    $('reply-text').value = '';
    $('pane-error').textContent = '';
  } catch (error) { $('pane-error').textContent = error.message; }
  await refresh();
}

$('reply').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('reply-text').value.trim();
  if (text) await reply(text);
});

// The file button stores each chosen file (POST /api/v1/files), then sends them with whatever text is typed.
async function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch('/api/v1/files', { method: 'POST', body: form });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || response.statusText);
  }
  return (await response.json()).id;
}

$('reply-attach').addEventListener('click', () => $('reply-file').click());
$('reply-file').addEventListener('change', async () => {
  const files = [...$('reply-file').files];
  $('reply-file').value = '';
  if (!files.length || !selected) return;
  let ids;
  try { ids = await Promise.all(files.map(uploadFile)); } catch (error) { $('pane-error').textContent = error.message; return; }
  await reply($('reply-text').value.trim(), ids);
});

// The note a transferring operator left is shown to the receiver first, until they accept.
function showNote(note) {
  const box = $('note');
  box.hidden = !note;
  if (!note) return;
  const title = document.createElement('strong');
  title.textContent = box.dataset.title;
  const text = document.createElement('span');
  text.textContent = note.text;
  box.replaceChildren(title, text);
}

function canTransfer() { return me.permissions.includes('view_reroute_btn'); }

let targetsFor = null;
$('transfer-target').addEventListener('focus', () => loadTransferTargets().catch(error => { $('pane-error').textContent = error.message; }));

async function loadTransferTargets() {
  const select = $('transfer-target');
  const targets = await api('/transfer-targets');
  const previous = select.value; // read after the wait: the operator may have picked meanwhile
  const group = (label, options) => {
    const element = document.createElement('optgroup');
    element.label = label;
    for (const [value, text] of options) element.appendChild(new Option(text, value));
    return element;
  };
  select.replaceChildren(
    group(select.dataset.operators, targets.operators.map(o => [`operator:${o.id}`, o.displayName])),
    group(select.dataset.lines, targets.lines.map(line => [`line:${line}`, line])),
    new Option(select.dataset.bot, 'bot'));
  if ([...select.options].some(o => o.value === previous)) select.value = previous;
}

async function act(path, body) {
  try {
    await api(`/dialogs/${selected}/${path}`, { method: 'POST', body: body ? JSON.stringify(body) : null });
    $('pane-error').textContent = '';
    return true;
  } catch (error) { $('pane-error').textContent = error.message; return false; }
}

$('accept').addEventListener('click', async () => { await act('accept'); await refresh(); });
$('cancel-hold').addEventListener('click', async () => { await act('cancel-hold'); await refresh(); });
$('transfer').addEventListener('click', async () => {
  const target = $('transfer-target').value;
  if (!target) return;
  const note = $('transfer-note').value.trim() || null;
  const [kind, ...rest] = target.split(':');
  const value = rest.join(':');
  const body = kind === 'operator' ? { operatorId: value, note } : kind === 'line' ? { line: value, note } : { toBot: true, note };
  if (await act('transfer', body)) { selected = null; $('transfer-note').value = ''; }
  await refresh();
});

$('close').addEventListener('click', async () => {
  try {
    const verdict = $('dissatisfied').value;
    await api(`/dialogs/${selected}/close`, { method: 'POST', body: JSON.stringify({
      topic: $('topic').value || null, clientDissatisfied: verdict === '' ? null : verdict === 'yes' }) });
    selected = null; $('topic').value = '';
  } catch (error) { $('pane-error').textContent = error.message; }
  await refresh();
});

async function start() {
  try { me = await api('/operators/me'); } catch { return; }
  $('login').hidden = true; $('workplace').hidden = false; $('status').hidden = false; $('signout').hidden = false;
  $('change-password').hidden = !me.permissions.includes('change_password');
  $('me').textContent = me.displayName;
  // Only operators who record the client's dissatisfaction are asked for it when closing.
  $('dissatisfied').hidden = !me.permissions.includes('modify_user_dissatisfaction');
  $('transfer-controls').hidden = !canTransfer();
  $('queue-heading').hidden = $('queue').hidden = !seesQueue();
  $('status').value = me.status;
  events = new EventSource('/api/v1/events');
  let pending = null;
  events.onmessage = () => { clearTimeout(pending); pending = setTimeout(refresh, 150); };
  // What changed before the stream was connected (a dialog assigned right after going online) is read on (re)connect.
  events.onopen = () => { clearTimeout(pending); pending = setTimeout(refresh, 150); };
  await refresh();
}

// A session cookie from before (a reload) signs the page in; without one /operators/me is 401 and the form stays.
await start();
