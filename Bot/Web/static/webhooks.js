// Webhooks (/admin/webhooks, modify_configuration): the subscriptions with their delivery counts, an editor to make or
// change one (the secret is write-only: shown once when the engine makes it, left empty to keep it), and each one's
// delivery log with the dead-lettered deliveries replayable.
import { $, t, element, api, startPage, navigation, formatDateTime, errorText } from './supervisor.common.js';

let webhooks = [];
let eventTypes = [];
let editing = null; // the subscription being edited, or {} for a new one
let deliveriesCursor = null;

const eventName = type => t(`event.${type.replace(/[._]/g, '-')}`);

function say(text, refused = false, detail = '') {
  $('form-message').textContent = text;
  $('form-message').className = refused ? 'error' : 'muted';
  $('form-message').title = detail;
}

async function load() {
  webhooks = await api('/webhooks');
  $('count').textContent = t('count', { count: webhooks.length });
  $('webhook-rows').replaceChildren(...(webhooks.length ? webhooks.map(h => element('tr', {
    dataset: { id: h.id }, className: `usr-row${h.enabled ? '' : ' muted'}${editing?.id === h.id ? ' active' : ''}`, onclick: () => edit(h),
  },
  element('td', { className: 'wh-url' }, element('a', { href: `#${h.id}`, textContent: h.url, onclick: e => { e.preventDefault(); edit(h); } }),
    h.description ? element('div', { className: 'muted', textContent: h.description }) : null),
  element('td', { className: 'routing', textContent: h.events.map(eventName).join(', ') }),
  element('td', { textContent: h.enabled ? t('on') : t('off') }),
  element('td', { className: 'num', textContent: h.pending }),
  element('td', { className: 'num', textContent: h.delivered }),
  element('td', { className: `num${h.dead ? ' dead' : ''}`, textContent: h.dead }))) : [element('tr', {}, element('td', { colSpan: 6, className: 'muted', textContent: t('empty') }))]));
}

function edit(hook) {
  editing = hook ?? {};
  const isNew = !hook;
  $('editor').hidden = false;
  $('editor').scrollIntoView({ block: 'nearest' });
  $('editor-title').textContent = isNew ? t('new') : t('edit');
  say('');
  $('secret-box').hidden = true;
  $('f-url').value = hook?.url ?? '';
  $('f-description').value = hook?.description ?? '';
  $('f-enabled').checked = hook?.enabled ?? true;
  $('f-secret').value = '';
  $('f-secret').placeholder = isNew ? t('secret-generated') : hook.secretSet ? t('secret-kept') : t('secret-none');
  const chosen = new Set(hook?.events ?? ['dialog.created', 'dialog.closed']);
  for (const box of document.querySelectorAll('#f-events input')) box.checked = chosen.has(box.value);
  $('delete').hidden = isNew;
  for (const row of document.querySelectorAll('#webhook-rows tr')) row.classList.toggle('active', row.dataset.id === hook?.id);
  if (isNew) { $('deliveries-panel').hidden = true; $('f-url').focus(); } else loadDeliveries();
}

async function save(event) {
  event.preventDefault();
  say('');
  const body = {
    url: $('f-url').value.trim(),
    description: $('f-description').value.trim(),
    enabled: $('f-enabled').checked,
    events: [...document.querySelectorAll('#f-events input:checked')].map(b => b.value),
  };
  // Write-only: an empty field keeps the stored secret (or lets the engine make one for a new webhook).
  if ($('f-secret').value) body.secret = $('f-secret').value;
  try {
    if (!editing.id) {
      const created = await api('/webhooks', { method: 'POST', body: JSON.stringify(body) });
      await load();
      edit(webhooks.find(h => h.id === created.id) ?? created);
      say(t('created'));
      $('secret-value').textContent = created.secret;
      $('secret-box').hidden = false;
    } else {
      const saved = await api(`/webhooks/${encodeURIComponent(editing.id)}`, { method: 'PUT', body: JSON.stringify(body) });
      await load();
      edit(webhooks.find(h => h.id === saved.id) ?? saved);
      say(t('saved'));
    }
  } catch (error) { say(errorText(error), true, error.message); }
}

async function remove() {
  if (!editing?.id || !confirm(t('confirm-delete', { url: editing.url }))) return;
  try {
    await api(`/webhooks/${encodeURIComponent(editing.id)}`, { method: 'DELETE' });
    editing = null;
    $('editor').hidden = true; $('deliveries-panel').hidden = true;
    await load();
    $('count').textContent += ` · ${t('deleted')}`;
  } catch (error) { say(errorText(error), true, error.message); }
}

// The selected subscription's delivery log, newest first, a page at a time; dead ones can be sent again.
async function loadDeliveries(more = false) {
  const hook = editing;
  if (!hook?.id) return;
  $('deliveries-panel').hidden = false;
  $('deliveries-title').textContent = t('deliveries-of', { url: hook.url });
  const state = $('delivery-state').value;
  const page = await api(`/webhooks/${encodeURIComponent(hook.id)}/deliveries?${new URLSearchParams({ limit: '20', ...(state ? { state } : {}), ...(more && deliveriesCursor ? { cursor: deliveriesCursor } : {}) })}`);
  deliveriesCursor = page.nextCursor;
  $('deliveries-more').hidden = !deliveriesCursor;
  const rows = page.deliveries.map(d => element('tr', { dataset: { id: d.id, state: d.state } },
    element('td', { className: 'when', textContent: formatDateTime(d.createdAt) }),
    element('td', { textContent: eventName(d.eventType), title: d.eventId }),
    element('td', {}, element('span', { className: `status-pill wh-${d.state}`, textContent: t(`state-${d.state}`) })),
    element('td', { className: 'num', textContent: d.attempts }),
    element('td', { className: 'audit-detail', textContent: [d.lastStatus, d.lastError].filter(x => x !== null && x !== undefined && x !== '').join(' · ') || '—', title: d.lastError ?? '' }),
    element('td', { className: 'when', textContent: formatDateTime(d.deliveredAt) }),
    element('td', {}, d.state === 'dead' ? element('button', {
      className: 'secondary replay', type: 'button', textContent: t('replay'),
      onclick: async () => {
        $('replay-message').textContent = '';
        try {
          await api(`/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(d.id)}/replay`, { method: 'POST' });
          $('replay-message').textContent = t('replayed');
          $('replay-message').className = 'muted';
        } catch (error) { $('replay-message').textContent = errorText(error); $('replay-message').className = 'error'; }
        await Promise.all([load(), loadDeliveries()]);
      },
    }) : null)));
  if (more) $('delivery-rows').append(...rows);
  else $('delivery-rows').replaceChildren(...(rows.length ? rows : [element('tr', {}, element('td', { colSpan: 7, className: 'muted', textContent: t('empty') }))]));
}

navigation();
$('new-webhook').addEventListener('click', () => edit(null));
$('cancel').addEventListener('click', () => { editing = null; $('editor').hidden = true; $('deliveries-panel').hidden = true; load(); });
$('webhook-form').addEventListener('submit', save);
$('delete').addEventListener('click', remove);
$('delivery-state').addEventListener('change', () => loadDeliveries());
$('deliveries-more').addEventListener('click', () => loadDeliveries(true));
await startPage(['modify_configuration'], async () => {
  eventTypes = await api('/webhooks/event-types');
  $('f-events').replaceChildren(...eventTypes.map(type => element('label', { className: 'usr-permission', title: type },
    element('input', { type: 'checkbox', value: type }), ' ', eventName(type))));
  await load();
  const linked = location.hash.slice(1);
  if (linked && webhooks.some(h => h.id === linked)) edit(webhooks.find(h => h.id === linked));
});
