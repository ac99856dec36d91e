// The operator workplace: sign in, set one's status, work the grouped dialog list (offered, transferred, mine, on hold,
// and the queue one may take from), read and answer in the conversation pane, and use the knowledge panel
// (suggestions, KB search, templates, the client). Live updates come as server-sent events; each only tells the page
// to re-read what it shows.
import { renderMarkdown } from './markdown.js';
import { renderAttachments } from './attachments.js';
import { apiClient, refusal, wireSignIn, signOut } from './session.js';
import { createTemplates } from './operator-templates.js';
import { createStartDialog } from './operator-start.js';

const $ = id => document.getElementById(id);
const strings = Object.fromEntries([...$('strings').children].map(i => [i.dataset.k, i.textContent]));
const t = key => strings[key] ?? key;

// The session is the HttpOnly cookie sign-in sets: scripts never hold the token, the browser sends it with each call.
let me = null;
let selected = null;      // the dialog open in the pane
let readOnly = false;     // a previous dialog opened from the client card
let list = { mine: [], queue: [], amberBeforeSeconds: 20 };
let events = null;
let sendKey = 'enter';     // the operator's stored preference: 'enter' or 'ctrl_enter'
let topicFor = null;      // the dialog whose topic the header shows
const api = apiClient(showSignIn);
const baseTitle = document.title;

// ---- errors: every message shown is the page's own, in its language; the server's detail stays in the tooltip.
function errorText(error) {
  if (error && error.code && strings[`err.${error.code}`]) return strings[`err.${error.code}`];
  const status = error && error.status;
  return strings[`status.${status}`] || t('status.other');
}
function showError(box, error) {
  box.textContent = errorText(error);
  box.title = (error && error.message) || '';
}

function showSignIn() {
  me = null;
  if (events) { events.close(); events = null; }
  for (const id of ['workplace', 'status-box', 'signout', 'change-password', 'password-form', 'help', 'notify', 'sound-box', 'ctrl-enter-box', 'start-overlay']) $(id).hidden = true;
  $('login').hidden = false;
  document.title = baseTitle;
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

// ---- status: the select shows what the server holds; a refused change goes back, with the reason.
$('status').addEventListener('change', async () => {
  const wanted = $('status').value;
  try {
    await api('/operators/me/status', { method: 'POST', body: JSON.stringify({ status: wanted }) });
    $('status-error').textContent = '';
  } catch (error) {
    showError($('status-error'), error);
  }
  await readMe();
});

async function readMe() {
  try { me = await api('/operators/me'); } catch { return; }
  $('status').value = me.status;
  $('status-box').dataset.status = me.status;
}

const can = permission => me.permissions.includes(permission);

// ---- unread counts: the client's messages this page has not shown the operator, kept per dialog in this browser.
const seenKey = () => `botengine.seen.${me.id}`;
const seen = () => JSON.parse(localStorage.getItem(seenKey()) || '{}');
function markSeen(dialog) {
  const all = seen();
  all[dialog.id] = dialog.clientMessages;
  localStorage.setItem(seenKey(), JSON.stringify(all));
}
const unreadOf = dialog => Math.max(0, dialog.clientMessages - (seen()[dialog.id] ?? 0));

function clientName(dialog) {
  return dialog.clientName || `${t('client_fallback')} ${dialog.clientId.replace(/^dl_/, '').slice(0, 6)}`;
}

// Channel marks from the page's own font (emoji are not on every operator's machine).
const channelIcons = { directline: '✉', telegram: '✈' };
function channelLabel(channel) {
  const type = Object.keys(channelIcons).find(k => channel.toLowerCase().includes(k));
  return `${type ? channelIcons[type] : '●'} ${channel}`;
}

function groupOf(dialog) {
  if (dialog.state === 'assigned') return dialog.note ? 'transferred' : 'offered';
  // E-mail is answered within hours, not minutes: listed apart from the live chats, with its own deadline.
  if (dialog.channelType === 'email') return 'email';
  return dialog.hold ? 'held' : 'active';
}

function formatSpan(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600), m = Math.floor(total % 3600 / 60), s = total % 60;
  const two = n => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

function dialogItem(dialog, queued) {
  const item = document.createElement('div');
  item.className = 'dialog-item' + (selected === dialog.id ? ' active' : '') + (queued ? ' queued' : '');
  item.dataset.dialogId = dialog.id;
  item.tabIndex = 0;
  const top = document.createElement('div');
  top.className = 'row-top';
  const name = document.createElement('strong');
  name.className = 'client-name';
  name.textContent = clientName(dialog);
  top.appendChild(name);
  const unread = queued ? 0 : unreadOf(dialog);
  if (unread > 0 && dialog.id !== selected) {
    const badge = document.createElement('span');
    badge.className = 'unread';
    badge.textContent = unread;
    badge.title = t('unread');
    top.appendChild(badge);
  }
  const meta = document.createElement('small');
  meta.className = 'row-meta';
  meta.textContent = `${channelLabel(dialog.channel)} · ${dialog.language.toUpperCase()}${dialog.line ? ' · ' + dialog.line : ''}`;
  const preview = document.createElement('small');
  preview.className = 'preview';
  preview.textContent = dialog.lastText || '';
  item.append(top, meta, preview);
  if (queued) {
    const waiting = document.createElement('small');
    waiting.className = 'waited';
    waiting.dataset.since = dialog.queuedAt || dialog.openedAt;
    item.appendChild(waiting);
  } else if (dialog.responseDueAt) {
    const deadline = document.createElement('span');
    deadline.className = 'deadline';
    deadline.dataset.due = dialog.responseDueAt;
    top.appendChild(deadline);
  }
  item.addEventListener('click', () => open(dialog.id));
  item.addEventListener('keydown', event => { if (event.key === 'Enter') open(dialog.id); });
  return item;
}

// Countdowns and waits tick every second without re-reading anything.
function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll('.deadline')) {
    const left = new Date(el.dataset.due).getTime() - now;
    el.textContent = left >= 0 ? formatSpan(left) : `−${formatSpan(left)}`;
    el.classList.toggle('amber', left >= 0 && left <= list.amberBeforeSeconds * 1000);
    el.classList.toggle('red', left < 0);
    el.title = left < 0 ? t('overdue') : '';
  }
  for (const el of document.querySelectorAll('.waited')) el.textContent = `${t('waiting')} ${formatSpan(now - new Date(el.dataset.since).getTime())}`;
  const open = currentDialog();
  if (open) {
    $('conv-meta').textContent = `${channelLabel(open.channel)} · ${open.language.toUpperCase()} · ${t('duration')} ${formatSpan(now - new Date(open.openedAt).getTime())}`;
    if (open.hold && open.holdStartedAt) {
      $('hold-timer').hidden = false;
      $('hold-timer').textContent = `${t('hold_running')} ${formatSpan(now - new Date(open.holdStartedAt).getTime())}`;
    } else $('hold-timer').hidden = true;
  }
}
setInterval(tick, 1000);

const currentDialog = () => list.mine.find(d => d.id === selected) || list.queue.find(d => d.id === selected) || null;

// ---- notifications: a new dialog offered, a new client message in a dialog not on screen.
let known = null; // dialog id -> clientMessages, as last seen in the list
function notify(title, body) {
  if ($('sound').checked) beep();
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try { new Notification(title, { body, tag: 'botengine-operator' }); } catch { /* some browsers only notify from a service worker */ }
}
function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start(); tone.stop(audio.currentTime + 0.15);
  } catch { /* no audio: the notification is enough */ }
}
$('notify').addEventListener('click', async () => {
  if ('Notification' in window) await Notification.requestPermission();
  $('notify').hidden = !('Notification' in window) || Notification.permission !== 'default';
});
$('sound').addEventListener('change', () => localStorage.setItem('botengine.sound', $('sound').checked ? '1' : '0'));

function announce(mine) {
  const before = known;
  known = Object.fromEntries(mine.map(d => [d.id, d.clientMessages]));
  if (!before) return;
  for (const dialog of mine) {
    if (!(dialog.id in before)) notify(t('new_dialog'), `${clientName(dialog)}: ${dialog.lastText || ''}`);
    else if (dialog.clientMessages > before[dialog.id] && (dialog.id !== selected || document.hidden)) notify(t('new_message'), `${clientName(dialog)}: ${dialog.lastText || ''}`);
  }
}

// ---- the list
async function refreshList() {
  list = await api('/workplace/dialogs');
  announce(list.mine);
  const groups = { offered: [], transferred: [], active: [], held: [], email: [] };
  for (const dialog of list.mine) groups[groupOf(dialog)].push(dialog);
  for (const [group, dialogs] of Object.entries(groups)) {
    $(`group-${group}`).replaceChildren(...dialogs.map(d => dialogItem(d, false)));
    document.querySelector(`[data-group="${group}"]`).hidden = dialogs.length === 0;
  }
  $('mine-empty').hidden = list.mine.length > 0;
  const queue = $('queue');
  queue.replaceChildren(...list.queue.map(d => dialogItem(d, true)));
  if (list.queue.length === 0) queue.textContent = queue.dataset.empty;
  const open = list.mine.find(d => d.id === selected);
  if (open && !document.hidden) markSeen(open);
  const unread = list.mine.reduce((sum, d) => sum + (d.id === selected && !document.hidden ? 0 : unreadOf(d)), 0);
  document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle;
  tick();
}

// ---- the conversation pane
function setPane() {
  const dialog = currentDialog();
  const mine = dialog && list.mine.includes(dialog);
  const queued = dialog && !mine;
  const hasDialog = !!selected;
  $('conv-header').hidden = !hasDialog;
  $('toolbar').hidden = !hasDialog || readOnly || !dialog;
  // Writing is for a dialog one holds; an offered one is accepted by the first reply.
  $('reply').hidden = !mine || readOnly;
  $('readonly').hidden = !readOnly;
  $('accept').hidden = !mine || dialog.state !== 'assigned';
  $('take').hidden = !queued;
  $('hold-controls').hidden = !mine || dialog.state !== 'active';
  $('cancel-hold').hidden = !mine || !dialog.hold;
  $('transfer-open').hidden = !mine || !can('view_reroute_btn');
  $('close').hidden = !mine;
  if (!mine) { $('transfer-form').hidden = true; $('close-form').hidden = true; }
  showNote(mine && dialog.note);
  if (dialog) $('conv-client').textContent = clientName(dialog);
}

async function open(dialogId, options = {}) {
  if (selected && selected !== dialogId) saveDraft();
  selected = dialogId;
  readOnly = !!options.readOnly;
  $('pane-error').textContent = '';
  $('transfer-form').hidden = true;
  $('close-form').hidden = true;
  for (const item of document.querySelectorAll('.dialog-item')) item.classList.toggle('active', item.dataset.dialogId === dialogId);
  if (readOnly) $('conv-client').textContent = options.title || '';
  setPane();
  restoreDraft();
  await Promise.all([loadTranscript(), loadClient(), loadSuggestions()]);
  const dialog = list.mine.find(d => d.id === dialogId);
  if (dialog) { markSeen(dialog); await refreshList(); }
  if (!readOnly && !$('reply').hidden) $('reply-text').focus();
}

let transcriptFor = null;
// Whether the operator is at the newest message. The pane keeps them there when it shrinks (the composer appears
// after the transcript was drawn), not only when the transcript is redrawn.
let pinnedToBottom = true;
$('history').addEventListener('scroll', () => {
  const history = $('history');
  pinnedToBottom = history.scrollHeight - history.scrollTop - history.clientHeight < 40;
});
new ResizeObserver(() => { if (pinnedToBottom) $('history').scrollTop = $('history').scrollHeight; }).observe($('history'));

async function loadTranscript() {
  const history = $('history');
  if (!selected) { history.replaceChildren(); history.textContent = history.dataset.empty; transcriptFor = null; return; }
  const dialogId = selected;
  const messages = await api(`/dialogs/${dialogId}/messages`);
  if (dialogId !== selected) return;
  // Stay at the bottom when the operator was there (or on a newly opened dialog); otherwise leave their scroll alone.
  const atBottom = transcriptFor !== dialogId || pinnedToBottom;
  const fragment = document.createDocumentFragment();
  for (const m of messages) {
    if (m.activity.type !== 'message') continue;
    const bubble = document.createElement('div');
    bubble.className = `msg from-${m.author}`;
    const who = document.createElement('span');
    who.className = 'who';
    const agent = m.author === 'bot' && m.activity.channelData && m.activity.channelData.agent;
    const name = agent && agent.name ? `${history.dataset.agent}: ${agent.name}`
      : m.author === 'operator' && m.activity.from && m.activity.from.name ? m.activity.from.name : history.dataset[m.author] || m.author;
    who.textContent = `${name} · ${new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
    const body = document.createElement('div');
    body.innerHTML = renderMarkdown(m.text || '');
    bubble.append(who, body);
    const actions = m.activity.suggestedActions && m.activity.suggestedActions.actions;
    if (actions && actions.length) {
      const row = document.createElement('div');
      row.className = 'sent-buttons';
      for (const action of actions) {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.textContent = action.title;
        row.appendChild(chip);
      }
      bubble.appendChild(row);
    }
    const files = renderAttachments(m.activity.attachments, m.author === 'client' ? history.dataset.externalImage : null);
    if (files) bubble.appendChild(files);
    for (const frame of pdfPreviews(m.activity.attachments)) bubble.appendChild(frame);
    fragment.appendChild(bubble);
  }
  history.replaceChildren(fragment);
  transcriptFor = dialogId;
  pinnedToBottom = atBottom;
  if (atBottom) history.scrollTop = history.scrollHeight;
}

// PDFs from the engine's own file store are previewed inline (the file endpoint serves a real PDF inline with
// ?preview, framed only by this origin and sandboxed); anyone else's PDF stays a link, and the download stays too.
function pdfPreviews(attachments) {
  const frames = [];
  for (const attachment of attachments || []) {
    if ((attachment.contentType || '') !== 'application/pdf' || !attachment.contentUrl) continue;
    let url;
    try { url = new URL(attachment.contentUrl, location.href); } catch { continue; }
    if (url.origin !== location.origin || !/^\/files\/[0-9a-f]{32}\//.test(url.pathname)) continue;
    url.search = '?preview=1';
    const frame = document.createElement('iframe');
    frame.className = 'pdf-preview';
    frame.src = url.href;
    frame.loading = 'lazy';
    frame.title = `${t('pdf_preview')}: ${attachment.name || ''}`;
    frames.push(frame);
  }
  return frames;
}

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

async function act(path, body) {
  try {
    await api(`/dialogs/${selected}/${path}`, { method: 'POST', body: body ? JSON.stringify(body) : null });
    $('pane-error').textContent = '';
    return true;
  } catch (error) { showError($('pane-error'), error); return false; }
}

$('accept').addEventListener('click', async () => { await act('accept'); await refreshAll(); });
$('take').addEventListener('click', async () => { if (await act('take')) await refreshAll(); });
$('readonly-back').addEventListener('click', () => { const back = returnTo; returnTo = null; if (back) open(back); });

// ---- hold: a pattern goes out as its own message, the draft stays as it is.
$('hold-pattern').addEventListener('change', async () => {
  const text = $('hold-pattern').value;
  $('hold-pattern').value = '';
  if (!text || !selected) return;
  await send(text, [], { keepDraft: true });
});
$('cancel-hold').addEventListener('click', async () => { await act('cancel-hold'); await refreshAll(); });

// ---- transfer
let targetsLoaded = false;
$('transfer-open').addEventListener('click', openTransfer);
async function openTransfer() {
  if ($('transfer-open').hidden) return;
  $('close-form').hidden = true;
  $('transfer-form').hidden = false;
  try { await loadTransferTargets(); } catch (error) { showError($('pane-error'), error); }
  $('transfer-target').focus();
}
$('transfer-cancel').addEventListener('click', () => { $('transfer-form').hidden = true; });

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
  const children = [];
  if (targets.operators.length) children.push(group(select.dataset.operators, targets.operators.map(o => [`operator:${o.id}`, o.displayName])));
  // The queue: a line (or the dialog's own), narrowed by the language and skills fields beside it.
  children.push(group(select.dataset.queue, [['queue:', select.dataset.sameLine], ...targets.lines.map(line => [`line:${line}`, line])]));
  children.push(new Option(select.dataset.bot, 'bot'));
  select.replaceChildren(...children);
  if ([...select.options].some(o => o.value === previous)) select.value = previous;
  const language = $('transfer-language');
  const pickedLanguage = language.value;
  language.replaceChildren(language.options[0], ...targets.languages.map(l => new Option(l, l)));
  language.value = targets.languages.includes(pickedLanguage) ? pickedLanguage : '';
  $('transfer-skill-list').replaceChildren(...targets.skills.map(skill => new Option(skill, skill)));
  showQueueFields();
  targetsLoaded = true;
}
$('transfer-target').addEventListener('focus', () => { if (!targetsLoaded) loadTransferTargets().catch(() => {}); });
// Language and skills narrow a transfer to the queue; an operator or the bot needs neither.
function showQueueFields() {
  const toQueue = /^(queue|line):/.test($('transfer-target').value);
  for (const label of document.querySelectorAll('#transfer-form .transfer-queue')) label.hidden = !toQueue;
}
$('transfer-target').addEventListener('change', showQueueFields);

$('transfer-form').addEventListener('submit', async event => {
  event.preventDefault();
  const target = $('transfer-target').value;
  if (!target) return;
  const note = $('transfer-note').value.trim() || null;
  const [kind, ...rest] = target.split(':');
  const value = rest.join(':');
  const skills = $('transfer-skills').value.split(',').map(x => x.trim()).filter(Boolean);
  const language = $('transfer-language').value || null;
  const queue = { line: value || null, language, skills: skills.length ? skills : null, note };
  if (kind === 'queue' && !language && !skills.length) { $('pane-error').textContent = t('err.transfer.target'); return; }
  const body = kind === 'operator' ? { operatorId: value, note } : kind === 'line' || kind === 'queue' ? queue : { toBot: true, note };
  if (await act('transfer', body)) {
    clearDraft(selected);
    selected = null; $('transfer-note').value = ''; $('transfer-skills').value = ''; $('transfer-form').hidden = true;
  }
  await refreshAll();
});

// ---- close: a confirmation with the required fields marked; nothing is sent until they are filled.
$('close').addEventListener('click', openClose);
function openClose() {
  if ($('close').hidden) return;
  $('transfer-form').hidden = true;
  $('close-form').hidden = false;
  $('close-error').textContent = '';
  $('close-topic').value = $('topic').value;
  for (const field of ['close-topic', 'dissatisfied']) $(field).classList.remove('invalid');
  ($('close-topic').value ? $('close-confirm') : $('close-topic')).focus();
}
$('close-cancel').addEventListener('click', () => { $('close-form').hidden = true; });
$('close-form').addEventListener('submit', async event => {
  event.preventDefault();
  const asksVerdict = can('modify_user_dissatisfaction');
  const topic = $('close-topic').value.trim();
  const verdict = $('dissatisfied').value;
  $('close-topic').classList.toggle('invalid', !topic);
  $('dissatisfied').classList.toggle('invalid', asksVerdict && !verdict);
  if (!topic) { $('close-error').textContent = t('err.close.topic_required'); $('close-topic').focus(); return; }
  if (asksVerdict && !verdict) { $('close-error').textContent = t('err.close.dissatisfaction_required'); $('dissatisfied').focus(); return; }
  try {
    await api(`/dialogs/${selected}/close`, { method: 'POST', body: JSON.stringify({
      topic, clientDissatisfied: asksVerdict ? verdict === 'yes' : null }) });
    clearDraft(selected);
    selected = null; $('topic').value = ''; $('dissatisfied').value = ''; $('close-form').hidden = true;
  } catch (error) { showError($('close-error'), error); }
  await refreshAll();
});

// The topic chosen during the dialog is stored on the server (another tab, a reload, the next operator see it) and
// offered when closing; until one is chosen the classifier's guess is shown, marked as a suggestion.
let topicTimer = null;
function showTopic(value, suggested) {
  $('topic').value = value || '';
  $('topic').classList.toggle('suggested', !!suggested && !!value);
  $('topic').title = suggested && value ? t('topic_suggested') : '';
}
async function saveTopic() {
  clearTimeout(topicTimer);
  const dialogId = topicFor;
  if (!dialogId || dialogId !== selected || !list.mine.some(d => d.id === dialogId)) return;
  try {
    await api(`/dialogs/${dialogId}/topic`, { method: 'POST', body: JSON.stringify({ topic: $('topic').value.trim() }) });
    $('pane-error').textContent = '';
  } catch (error) { showError($('pane-error'), error); }
}
$('topic').addEventListener('input', () => {
  showTopic($('topic').value, false);
  clearTimeout(topicTimer);
  topicTimer = setTimeout(saveTopic, 700);
});
$('topic').addEventListener('change', saveTopic);

// ---- the draft: multi-line, kept per dialog across reloads, Enter sends and Shift+Enter starts a new line.
const draftKey = id => `botengine.draft.${me.id}.${id}`;
function saveDraft() {
  if (!selected || readOnly) return;
  const text = $('reply-text').value;
  if (text) localStorage.setItem(draftKey(selected), text); else localStorage.removeItem(draftKey(selected));
}
function restoreDraft() {
  $('reply-text').value = selected && !readOnly ? localStorage.getItem(draftKey(selected)) || '' : '';
  if (topicFor !== selected) { clearTimeout(topicTimer); showTopic('', false); topicFor = null; }
  staged = [];
  renderStaged();
}
function clearDraft(id) { if (id) localStorage.removeItem(draftKey(id)); }
$('reply-text').addEventListener('input', () => { saveDraft(); templates.onDraftInput(); });

$('reply-text').addEventListener('keydown', event => {
  if (templates.onDraftKey(event)) return;
  if (event.key !== 'Enter' || event.isComposing) return;
  const sends = sendKey === 'ctrl_enter' ? (event.ctrlKey || event.metaKey) : !event.shiftKey && !event.ctrlKey && !event.metaKey;
  if (sends) {
    event.preventDefault();
    $('reply').requestSubmit();
  }
});

// The send key is the operator's setting, stored on the server so it follows them to any machine.
function applySendKey(value) {
  sendKey = value === 'ctrl_enter' ? 'ctrl_enter' : 'enter';
  $('ctrl-enter').checked = sendKey === 'ctrl_enter';
  const ctrl = sendKey === 'ctrl_enter';
  $('help-enter').hidden = ctrl; $('help-shift-enter').hidden = ctrl;
  $('help-ctrl-enter').hidden = !ctrl; $('help-plain-enter').hidden = !ctrl;
  $('reply-text').placeholder = ctrl ? $('reply-text').dataset.ctrlHint : $('reply-text').dataset.enterHint;
}
$('ctrl-enter').addEventListener('change', async () => {
  const wanted = $('ctrl-enter').checked ? 'ctrl_enter' : 'enter';
  try {
    applySendKey((await api('/operators/me/preferences', { method: 'PUT', body: JSON.stringify({ sendKey: wanted }) })).sendKey);
    $('status-error').textContent = '';
  } catch (error) { applySendKey(sendKey); showError($('status-error'), error); }
});

$('reply').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('reply-text').value.trim();
  if (!text && staged.length === 0) return;
  await send(text, staged.map(s => s.id));
});

async function send(text, attachments, options = {}) {
  const dialogId = selected;
  const button = $('send');
  button.disabled = true;
  try {
    const conversationId = $('reply-channel').hidden ? undefined : $('reply-channel').value;
    await api(`/dialogs/${dialogId}/messages`, { method: 'POST', body: JSON.stringify({ text, attachments, conversationId }) });
    if (!options.keepDraft) {
      $('reply-text').value = '';
      clearDraft(dialogId);
      staged = [];
      renderStaged();
    }
    $('pane-error').textContent = '';
  } catch (error) { showError($('pane-error'), error); }
  finally { button.disabled = false; }
  await refreshAll();
}

// ---- attachments: by button, drag and drop, or paste; each is stored at once and goes with the next message.
let staged = [];
function renderStaged() {
  const box = $('staged');
  box.replaceChildren(...staged.map((file, index) => {
    const chip = document.createElement('span');
    chip.className = 'chip staged-file';
    chip.textContent = file.name;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = '×';
    remove.title = t('remove');
    remove.addEventListener('click', () => { staged.splice(index, 1); renderStaged(); });
    chip.appendChild(remove);
    return chip;
  }));
  box.hidden = staged.length === 0;
}

async function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name || 'file');
  const response = await fetch('/api/v1/files', { method: 'POST', body: form });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const error = new Error(problem.detail || problem.title || response.statusText);
    error.status = response.status;
    error.code = problem.code;
    throw error;
  }
  return await response.json();
}

async function stage(files) {
  if (!files.length || !selected || $('reply').hidden) return;
  try {
    const stored = await Promise.all(files.map(uploadFile));
    staged.push(...stored.map(s => ({ id: s.id, name: s.name })));
    renderStaged();
    $('pane-error').textContent = '';
  } catch (error) { showError($('pane-error'), error); }
  $('reply-text').focus();
}

$('reply-attach').addEventListener('click', () => $('reply-file').click());
$('reply-file').addEventListener('change', async () => {
  const files = [...$('reply-file').files];
  $('reply-file').value = '';
  await stage(files);
});
$('reply-text').addEventListener('paste', event => {
  const files = [...(event.clipboardData ? event.clipboardData.files : [])];
  if (files.length === 0) return;
  event.preventDefault();
  // A pasted screenshot has no useful name of its own.
  stage(files.map((f, i) => f.name && f.name !== 'image.png' ? f : new File([f], `paste-${Date.now()}-${i}.${(f.type.split('/')[1] || 'bin')}`, { type: f.type })));
});
const pane = $('pane');
pane.addEventListener('dragover', event => {
  if ($('reply').hidden || !event.dataTransfer || ![...event.dataTransfer.types].includes('Files')) return;
  event.preventDefault();
  $('drop-hint').hidden = false;
});
pane.addEventListener('dragleave', event => { if (!pane.contains(event.relatedTarget)) $('drop-hint').hidden = true; });
pane.addEventListener('drop', event => {
  $('drop-hint').hidden = true;
  if ($('reply').hidden || !event.dataTransfer) return;
  event.preventDefault();
  stage([...event.dataTransfer.files]);
});

// ---- knowledge panel: tabs, suggestions, search, article preview and sending
function showTab(name) {
  for (const tab of document.querySelectorAll('.kb-panel .tab')) tab.classList.toggle('active', tab.dataset.tab === name);
  for (const body of document.querySelectorAll('.kb-panel .tab-body')) body.hidden = body.dataset.body !== name;
}
for (const tab of document.querySelectorAll('.kb-panel .tab')) tab.addEventListener('click', () => showTab(tab.dataset.tab));
function togglePanel() {
  const collapsed = $('workplace').classList.toggle('panel-collapsed');
  $('kb-toggle').setAttribute('aria-expanded', String(!collapsed));
  localStorage.setItem('botengine.panel', collapsed ? 'collapsed' : 'open');
}
$('kb-toggle').addEventListener('click', togglePanel);

let suggestionsFor = null;
async function loadSuggestions() {
  const box = $('suggestions');
  if (!selected || readOnly || !can('view_kb')) { box.replaceChildren(); $('suggest-for').textContent = ''; return; }
  const dialogId = selected;
  let result;
  try { result = await api(`/dialogs/${dialogId}/suggestions`); } catch { return; }
  if (dialogId !== selected) return;
  suggestionsFor = result.forText;
  $('suggest-for').textContent = result.forText ? `${t('suggest_for')}: «${result.forText}»` : '';
  if (result.items.length === 0) { box.textContent = box.dataset.none; return; }
  box.replaceChildren(...result.items.map(item => {
    const row = document.createElement('div');
    row.className = 'suggestion';
    row.dataset.articleId = item.articleId;
    const head = document.createElement('div');
    head.className = 'suggestion-head';
    const title = document.createElement('strong');
    title.textContent = item.title;
    const pct = document.createElement('span');
    pct.className = 'confidence';
    pct.textContent = `${Math.round(item.confidence * 100)}%`;
    pct.title = t('confidence');
    head.append(title, pct);
    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = `${Math.round(item.confidence * 100)}%`;
    bar.appendChild(fill);
    const preview = document.createElement('div');
    preview.className = 'suggestion-preview';
    preview.innerHTML = renderMarkdown(item.preview); // escapes first: the KB's Markdown shows as text formatting, never as markup
    const sendButton = document.createElement('button');
    sendButton.type = 'button';
    sendButton.className = 'suggestion-send';
    sendButton.textContent = t('send');
    sendButton.hidden = !list.mine.some(d => d.id === selected);
    sendButton.addEventListener('click', () => sendArticle(item.articleId));
    row.append(head, bar, preview, sendButton);
    return row;
  }));
}

async function sendArticle(articleId) {
  if (!(await act(`articles/${encodeURIComponent(articleId)}`))) return;
  await refreshAll();
}

let searchTimer = null;
$('kb-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, 200); });
async function search() {
  const q = $('kb-search').value.trim();
  const box = $('kb-results');
  $('kb-preview').hidden = true;
  if (!q) { box.replaceChildren(); return; }
  const dialog = currentDialog();
  const params = new URLSearchParams({ q, limit: '10' });
  if (dialog) {
    params.set('language', dialog.language);
    if (dialog.callCentre) params.set('callCentre', dialog.callCentre);
    if (dialog.line) params.set('line', dialog.line);
  }
  let hits;
  try { hits = await api(`/kb/search?${params}`); } catch (error) { showError(box, error); return; }
  if ($('kb-search').value.trim() !== q) return;
  if (hits.length === 0) { box.textContent = box.dataset.none; return; }
  box.replaceChildren(...hits.map(hit => {
    const row = document.createElement('button');
    row.type = 'button';
    row.className = 'kb-hit';
    row.dataset.articleId = hit.articleId;
    const title = document.createElement('strong');
    title.textContent = hit.title;
    const snippet = document.createElement('small');
    snippet.textContent = hit.snippet;
    row.append(title, snippet);
    row.addEventListener('click', () => preview(hit.articleId));
    return row;
  }));
}

let previewed = null;
async function preview(articleId) {
  let article;
  try { article = await api(`/kb/articles/${encodeURIComponent(articleId)}`); } catch (error) { showError($('kb-results'), error); return; }
  previewed = article.id;
  $('kb-preview-title').textContent = article.title;
  const body = $('kb-preview-body');
  body.replaceChildren();
  for (const answer of article.answers || []) {
    const block = document.createElement('div');
    block.className = 'kb-answer';
    const text = document.createElement('div');
    text.className = 'md';
    text.innerHTML = renderMarkdown(answer.text || '');
    block.appendChild(text);
    if ((answer.buttons || []).length) {
      const row = document.createElement('div');
      row.className = 'sent-buttons';
      row.title = t('buttons');
      for (const b of answer.buttons) {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.textContent = b.label;
        row.appendChild(chip);
      }
      block.appendChild(row);
    }
    if ((answer.attachments || []).length) {
      const files = document.createElement('small');
      files.textContent = `${t('files')}: ${answer.attachments.map(a => a.name).join(', ')}`;
      block.appendChild(files);
    }
    body.appendChild(block);
  }
  const held = list.mine.find(d => d.id === selected);
  $('kb-send').hidden = !held;
  // An article with questions (slots) can be run by the bot as a survey; the dialog comes back when it ends.
  $('kb-survey').hidden = !held || held.state !== 'active' || !(article.slots || []).length;
  $('kb-preview').hidden = false;
}
$('kb-send').addEventListener('click', () => { if (previewed) sendArticle(previewed); });
$('kb-survey').addEventListener('click', async () => {
  if (!previewed || !selected) return;
  const dialogId = selected;
  if (!(await act(`scenarios/${encodeURIComponent(previewed)}`))) return;
  clearDraft(dialogId);
  $('kb-preview').hidden = true;
  await refreshAll();
  $('pane-error').textContent = t('survey_started');
});

// ---- the client tab: what the engine knows of the client, and their other dialogs (opened read-only)
let returnTo = null;
// The client's profile section (issue 16's operator-client.js) joins the tab where the engine serves it.
const profiles = import('./operator-client.js').catch(() => null);
async function loadClient() {
  const box = $('client-card');
  if (!selected) { box.textContent = box.dataset.none; return; }
  const dialogId = selected;
  let card;
  try { card = await api(`/dialogs/${dialogId}/client`); } catch { return; }
  if (dialogId !== selected) return;
  $('topics').replaceChildren(...card.topics.map(topic => new Option(topic.name, topic.name)));
  if (topicFor !== dialogId) {
    topicFor = dialogId;
    showTopic(card.topic || card.suggestedTopic, !card.topic && !!card.suggestedTopic);
  }
  if (readOnly) {
    renderSlots(card);
    if (can('view_client')) {
      const write = document.createElement('button');
      write.type = 'button';
      write.id = 'start-this-client';
      write.className = 'secondary';
      write.textContent = t('start_this_client');
      write.addEventListener('click', () => starter.open({ clientId: card.clientId, name: card.name }));
      $('client-card').prepend(write);
    }
    return;
  }
  const fragment = document.createDocumentFragment();
  const name = document.createElement('h3');
  name.textContent = card.name || clientName({ clientId: card.clientId });
  fragment.appendChild(name);
  const channels = document.createElement('div');
  channels.className = 'card-section';
  channels.innerHTML = `<h4></h4><ul></ul>`;
  channels.querySelector('h4').textContent = t('channels');
  for (const channel of card.channels) {
    const li = document.createElement('li');
    li.textContent = `${channelLabel(channel.channel)}${channel.displayName ? ' · ' + channel.displayName : ''}`;
    channels.querySelector('ul').appendChild(li);
  }
  fragment.appendChild(channels);
  const profile = await profiles;
  if (profile && profile.profileSection) {
    try {
      const { section, accounts } = await profile.profileSection({ api, t, showError, clientId: card.clientId, me, lang: document.documentElement.lang, onChange: () => refreshAll() });
      if (dialogId !== selected) return;
      // A client with several channels: the operator picks where each reply goes (the last one written from first).
      const targets = profile.replyTargets(accounts, currentDialog() && currentDialog().conversationId, (channel, type) => channelLabel(type || channel));
      $('reply-channel').replaceChildren(...targets.map(target => new Option(target.label, target.value)));
      $('reply-channel').hidden = targets.length < 2;
      fragment.insertBefore(section, channels);
    } catch { /* the card without the profile is still the card */ }
  }
  fragment.appendChild(slotsSection(card));
  const previous = document.createElement('div');
  previous.className = 'card-section';
  previous.innerHTML = `<h4></h4>`;
  previous.querySelector('h4').textContent = t('previous');
  if (card.previousDialogs.length === 0) previous.append(t('no_previous'));
  for (const other of card.previousDialogs) {
    const link = document.createElement('button');
    link.type = 'button';
    link.className = 'previous-dialog';
    link.dataset.dialogId = other.id;
    const when = new Date(other.openedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
    link.textContent = `${when} · ${channelLabel(other.channel)} · ${other.topic || (other.state === 'closed' ? t('state.closed') : t('state.open'))}`;
    link.addEventListener('click', () => { returnTo = dialogId; open(other.id, { readOnly: true, title: `${name.textContent} · ${when}` }); });
    previous.appendChild(link);
  }
  fragment.appendChild(previous);
  box.replaceChildren(fragment);
  // Hold patterns of the dialog's call centre
  const holds = $('hold-pattern');
  const first = holds.options[0];
  holds.replaceChildren(first, ...card.holdPatterns.map(p => new Option(p, p)));
  $('hold-pattern').hidden = card.holdPatterns.length === 0;
}

function slotsSection(card) {
  const slots = document.createElement('div');
  slots.className = 'card-section slots-card';
  slots.id = 'slots-card';
  const entries = Object.entries(card.slots || {});
  slots.hidden = entries.length === 0;
  const title = document.createElement('h4');
  title.textContent = t('slots');
  const table = document.createElement('dl');
  for (const [key, value] of entries) {
    const dt = document.createElement('dt'); dt.textContent = key;
    const dd = document.createElement('dd'); dd.textContent = value;
    table.append(dt, dd);
  }
  slots.append(title, table);
  return slots;
}
function renderSlots(card) { $('client-card').replaceChildren(slotsSection(card)); }

// ---- templates (the list, the "/" menu and Alt+digit live in operator-templates.js)
const templates = createTemplates({ api, t, showError, draft: $('reply-text'), menu: $('template-menu'), onInsert: saveDraft,
  context: () => ({ client: currentDialog() ? clientName(currentDialog()) : '', operator: me ? me.displayName : '' }) });

// ---- starting a dialog with a client (operator-start.js); it opens in the pane once started
const starter = createStartDialog({ api, t, showError, $, onStarted: async dialogId => { await refreshAll(); await open(dialogId); } });
$('start-open').addEventListener('click', () => starter.open());

// ---- keyboard
function move(step) {
  const items = [...document.querySelectorAll('.sidebar .dialog-item')];
  if (items.length === 0) return;
  const index = items.findIndex(i => i.dataset.dialogId === selected);
  const next = items[(index + step + items.length) % items.length];
  open(next.dataset.dialogId);
}
function toggleHelp(show) { $('help-overlay').hidden = !(show ?? $('help-overlay').hidden); if (!$('help-overlay').hidden) $('help-close').focus(); }
$('help').addEventListener('click', () => toggleHelp(true));
$('help-close').addEventListener('click', () => toggleHelp(false));
document.addEventListener('keydown', event => {
  if (!me) return;
  if (event.key === 'F1') { event.preventDefault(); toggleHelp(); return; }
  if (event.key === 'Escape') {
    if (starter.isOpen()) starter.close();
    else if (!$('help-overlay').hidden) toggleHelp(false);
    else if (!$('template-menu').hidden) templates.closeMenu();
    else { $('transfer-form').hidden = true; $('close-form').hidden = true; }
    return;
  }
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  if (/^Digit[1-9]$/.test(event.code)) { event.preventDefault(); templates.insertByHotkey(Number(event.code.slice(5))); return; }
  const actions = {
    ArrowUp: () => move(-1), ArrowDown: () => move(1),
    KeyA: () => { if (!$('accept').hidden) $('accept').click(); },
    KeyT: () => openTransfer(), KeyC: () => openClose(), KeyK: () => togglePanel(),
    KeyS: () => { if ($('workplace').classList.contains('panel-collapsed')) togglePanel(); showTab('kb'); $('kb-search').focus(); },
    KeyH: () => toggleHelp(),
  };
  if (actions[event.code]) { event.preventDefault(); actions[event.code](); }
});

// ---- reading everything again on a nudge from the event stream
let refreshing = null;
let again = false;
async function refreshAll() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      again = false;
      await readMe();
      await refreshList();
      // A dialog that left the operator (transferred, closed, taken away) leaves the pane too.
      if (selected && !readOnly && !currentDialog()) { selected = null; }
      setPane();
      await loadTranscript();
      if (selected && !readOnly) {
        const dialog = currentDialog();
        if (dialog && dialog.lastText !== suggestionsFor && dialog.lastAuthor === 'client') await loadSuggestions();
      }
    } while (again);
  })().catch(() => {}).finally(() => { refreshing = null; });
  return refreshing;
}
document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshAll(); });

async function start() {
  try { me = await api('/operators/me'); } catch { return; }
  $('login').hidden = true; $('workplace').hidden = false; $('status-box').hidden = false; $('signout').hidden = false;
  $('help').hidden = false; $('sound-box').hidden = false; $('ctrl-enter-box').hidden = false;
  $('start-open').hidden = !can('view_client');
  $('notify').hidden = !('Notification' in window) || Notification.permission !== 'default';
  $('sound').checked = localStorage.getItem('botengine.sound') === '1';
  $('change-password').hidden = !can('change_password');
  $('me').textContent = me.displayName;
  // Only operators who record the client's dissatisfaction are asked for it when closing.
  $('dissatisfied-box').hidden = !can('modify_user_dissatisfaction');
  $('status').value = me.status;
  $('kb-panel').querySelector('[data-tab="suggest"]').hidden = !can('view_kb');
  $('kb-panel').querySelector('[data-tab="kb"]').hidden = !can('view_kb');
  showTab(can('view_kb') ? 'suggest' : 'templates');
  if (localStorage.getItem('botengine.panel') === 'collapsed') $('workplace').classList.add('panel-collapsed');
  $('template-shared-box').hidden = !can('view_monitoring');
  await templates.load();
  try { applySendKey((await api('/operators/me/preferences')).sendKey); } catch { applySendKey('enter'); }
  // The stream carries the operator's own dialogs, and a bare "queue" nudge when another dialog changed (the queue
  // they could take from); every event only says "read again". An open stream is also the page's presence.
  events = new EventSource('/api/v1/events');
  let pending = null;
  events.onmessage = () => { clearTimeout(pending); pending = setTimeout(refreshAll, 150); };
  // What changed before the stream was connected (a dialog assigned right after going online) is read on (re)connect.
  events.onopen = () => { clearTimeout(pending); pending = setTimeout(refreshAll, 150); };
  await refreshAll();
}

// A session cookie from before (a reload) signs the page in; without one /operators/me is 401 and the form stays.
await start();
