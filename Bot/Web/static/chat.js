// A small Direct Line 3.0 client for the built-in page: token from /webchat/token, then polling with a watermark.
import { renderMarkdown } from './markdown.js';
import { renderAttachments } from './attachments.js';

const root = document.getElementById('chat');
const log = document.getElementById('log');
const status = document.getElementById('status');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const fileInput = document.getElementById('file');
const base = '/v3/directline';
const storageKey = 'botengine.webchat';

let session = null;
let watermark = '';
const seen = new Set();

async function startSession() {
  const saved = JSON.parse(sessionStorage.getItem(storageKey) || 'null');
  if (saved) {
    const refreshed = await fetch(`${base}/tokens/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${saved.token}` } });
    if (refreshed.ok) {
      const body = await refreshed.json();
      return { ...saved, token: body.token };
    }
  }
  const response = await fetch('/webchat/token', { method: 'POST' });
  if (!response.ok) throw new Error(`token: ${response.status}`);
  const body = await response.json();
  const started = await fetch(`${base}/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${body.token}` } });
  if (!started.ok) throw new Error(`conversation: ${started.status}`);
  return { conversationId: body.conversationId, token: body.token, userId: body.userId };
}

function save() { sessionStorage.setItem(storageKey, JSON.stringify(session)); }

function render(activity) {
  if (activity.type !== 'message' || seen.has(activity.id)) return;
  seen.add(activity.id);
  // The web widget's frame listens, e.g. to offer a rating when the dialog is closed.
  document.dispatchEvent(new CustomEvent('botengine:activity', { detail: activity }));
  const fromUser = activity.from && activity.from.role === 'user';
  const author = activity.channelData && activity.channelData.author;
  // The engine's echo of a message this page sent replaces its pending bubble.
  const clientId = activity.channelData && activity.channelData.clientActivityID;
  if (fromUser && clientId) {
    const pending = log.querySelector(`[data-client-activity-id="${CSS.escape(clientId)}"]`);
    if (pending) { pending.classList.remove('pending'); pending.removeAttribute('title'); return; }
  }
  const bubble = document.createElement('div');
  bubble.className = `msg ${fromUser ? 'user' : author === 'system' ? 'system' : 'bot'}`;
  if (!fromUser && author === 'operator' && activity.from.name) {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = activity.from.name;
    bubble.appendChild(who);
  }
  const body = document.createElement('div');
  body.innerHTML = renderMarkdown(activity.text || '');
  bubble.appendChild(body);
  const files = renderAttachments(activity.attachments);
  if (files) bubble.appendChild(files);
  log.appendChild(bubble);
  const actions = activity.suggestedActions && activity.suggestedActions.actions;
  if (actions && actions.length) {
    const row = document.createElement('div');
    row.className = 'actions';
    for (const action of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = action.title;
      button.addEventListener('click', () => {
        if (action.type === 'openUrl') window.open(action.value, '_blank', 'noopener');
        else send(action.displayText || action.title, action.type === 'imBack' ? undefined : action.value);
      });
      row.appendChild(button);
    }
    log.appendChild(row);
  }
  log.scrollTop = log.scrollHeight;
}

function newActivity(text) {
  return { type: 'message', text, from: { id: session.userId, role: 'user' }, locale: document.documentElement.lang,
    channelData: { clientActivityID: crypto.randomUUID() } };
}

// Files go as Direct Line's upload does it: the activity as a part named "activity", then one part per file.
async function upload(files, text) {
  const form = new FormData();
  form.append('activity', new Blob([JSON.stringify(newActivity(text))], { type: 'application/vnd.microsoft.activity' }));
  for (const file of files) form.append('file', file, file.name);
  const response = await fetch(`${base}/conversations/${session.conversationId}/upload?userId=${encodeURIComponent(session.userId)}`, {
    method: 'POST', headers: { Authorization: `Bearer ${session.token}` }, body: form });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    status.textContent = `${root.dataset.uploadFailed}: ${(problem.error && problem.error.message) || response.status}`;
  }
  poll();
}

// Messages not yet acknowledged by the engine: kept (in this tab's storage, so a reload keeps them too), shown as
// pending, and posted again with the same clientActivityID until the engine takes one; the engine ignores a repeat.
const outboxKey = 'botengine.webchat.outbox';
let outbox = JSON.parse(sessionStorage.getItem(outboxKey) || '[]');
const saveOutbox = () => sessionStorage.setItem(outboxKey, JSON.stringify(outbox));

function showPending(activity) {
  const bubble = document.createElement('div');
  bubble.className = 'msg user pending';
  bubble.dataset.clientActivityId = activity.channelData.clientActivityID;
  bubble.title = root.dataset.pending;
  bubble.textContent = activity.text;
  log.appendChild(bubble);
  log.scrollTop = log.scrollHeight;
}

function send(text, value) {
  const activity = newActivity(text);
  if (value !== undefined) activity.value = value;
  outbox.push(activity);
  saveOutbox();
  showPending(activity);
  flush();
}

let flushing = false;
async function flush() {
  if (flushing || !session) return;
  flushing = true;
  try {
    while (outbox.length) {
      const activity = outbox[0];
      let response;
      try {
        response = await fetch(`${base}/conversations/${session.conversationId}/activities`, {
          method: 'POST', headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
      } catch { response = null; }
      // A refusal that will never change (a 4xx other than an expired token or a rate limit) drops the message instead of retrying forever.
      if (response && !response.ok && response.status >= 400 && response.status < 500 && ![401, 403, 408, 429].includes(response.status)) {
        outbox.shift(); saveOutbox();
        const bubble = log.querySelector(`[data-client-activity-id="${CSS.escape(activity.channelData.clientActivityID)}"]`);
        if (bubble) { bubble.classList.replace('pending', 'failed'); bubble.title = root.dataset.failed; }
        continue;
      }
      if (!response || !response.ok) { status.textContent = root.dataset.offline; return; }
      outbox.shift(); saveOutbox();
      status.textContent = '';
    }
  } finally {
    flushing = false;
  }
  poll();
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    const response = await fetch(`${base}/conversations/${session.conversationId}/activities?watermark=${watermark}`, {
      headers: { Authorization: `Bearer ${session.token}` } });
    if (response.status === 403) { session = await startSession(); save(); return; }
    if (!response.ok) { status.textContent = root.dataset.offline; return; }
    const set = await response.json();
    set.activities.forEach(render);
    watermark = set.watermark;
    status.textContent = '';
  } catch {
    status.textContent = root.dataset.offline;
  } finally {
    polling = false;
  }
}

// What is typed before the session is up, or while the engine is unreachable, is kept and sent when it can be.
form.addEventListener('submit', event => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send(text);
});

document.getElementById('attach').addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', async () => {
  const files = [...fileInput.files];
  fileInput.value = '';
  if (!files.length || !session) return;
  const text = input.value.trim();
  input.value = '';
  await upload(files, text);
});

status.textContent = root.dataset.connecting;
outbox.forEach(showPending);
// The engine may be unreachable when the page opens: keep trying, the typed messages wait in the outbox.
while (!session) {
  try { session = await startSession(); } catch { status.textContent = root.dataset.offline; await new Promise(r => setTimeout(r, 2000)); }
}
save();
status.textContent = '';
await flush();
await poll();
setInterval(poll, 1000);
setInterval(flush, 2000);
setInterval(async () => {
  const r = await fetch(`${base}/tokens/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } });
  if (r.ok) { session.token = (await r.json()).token; save(); }
}, 15 * 60 * 1000);
