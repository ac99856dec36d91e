// Users (/admin/users, view_users to read, modify_users to change): the operators with search, sort and paging, and
// an editor to create one, change name, capacity, permissions and routing settings (or fill them from a position's
// template), disable or enable the account and reset its password.
import { $, t, element, api, language, me, startPage, navigation, formatDateTime, errorText } from './supervisor.common.js';

const pageSize = 20;
const permissionNames = ['handle_dialogs', 'view_client', 'view_kb', 'view_reroute_btn', 'send_files', 'send_pics', 'change_password',
  'modify_knowledgebase', 'view_users', 'modify_users', 'view_monitoring', 'view_dialogs_search', 'modify_configuration',
  'modify_user_dissatisfaction', 'modify_clients', 'view_deeplinking', 'view_stat'];
let users = [];
let positions = [];
let sort = { key: 'displayName', order: 'ascending' };
let page = 0;
let editing = null; // the user being edited, or {} for a new one
let canModify = false;

// A line under the form: what happened (muted) or what was refused (an error).
function say(text, refused = false, detail = '') {
  $('form-message').textContent = text;
  $('form-message').className = refused ? 'error' : 'muted';
  $('form-message').title = detail;
}
// A refused change in the page's language (the API's own words in the tooltip).
const refused = error => say(errorText(error), true, error.message);

const list = value => value.split(',').map(x => x.trim()).filter(Boolean);
const routingText = r => [r.callCentres, r.languages, r.lines].map(l => (l?.length ? l.join(', ') : t('all'))).join(' · ');

async function load() {
  [users, positions] = await Promise.all([api('/operators'), api('/positions')]);
  if (me) loadAudit().catch(() => {});
  $('f-position').replaceChildren(element('option', { value: '' }), ...positions.map(p => element('option', { value: p.name, textContent: p.name })));
  draw();
}

function visible() {
  const q = $('search').value.trim().toLocaleLowerCase(language);
  const found = users.filter(u => !q || [u.login, u.displayName, u.position ?? ''].some(v => v.toLocaleLowerCase(language).includes(q)));
  const value = u => (sort.key === 'disabled' ? (u.disabled ? 1 : 0) : u[sort.key] ?? '');
  const direction = sort.order === 'ascending' ? 1 : -1;
  return found.sort((a, b) => {
    const x = value(a), y = value(b);
    return direction * (typeof x === 'number' ? x - y : String(x).localeCompare(String(y), language));
  });
}

function draw() {
  const rows = visible();
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  page = Math.min(page, pages - 1);
  $('count').textContent = t('count', { count: rows.length });
  $('page').textContent = t('page', { page: page + 1, pages });
  $('prev').disabled = page === 0;
  $('next').disabled = page >= pages - 1;
  for (const th of document.querySelectorAll('#users th[data-sort]')) {
    if (th.dataset.sort === sort.key) th.dataset.order = sort.order; else delete th.dataset.order;
  }
  const shown = rows.slice(page * pageSize, (page + 1) * pageSize);
  $('user-rows').replaceChildren(...(shown.length ? shown.map(u => element('tr', {
    dataset: { id: u.id, login: u.login }, className: `usr-row${u.disabled ? ' muted' : ''}${editing?.id === u.id ? ' active' : ''}`, onclick: () => edit(u),
  },
  element('td', {}, element('a', { href: `#${u.id}`, textContent: u.displayName, onclick: e => { e.preventDefault(); edit(u); } })),
  element('td', { textContent: u.login }),
  element('td', { textContent: u.position ?? '—' }),
  element('td', {}, element('span', { className: `status-pill ${u.status}`, textContent: t(`status-${u.status}`) })),
  element('td', { className: 'routing', textContent: routingText(u.routing) }),
  element('td', { className: 'num', textContent: u.maxDialogs }),
  element('td', { textContent: u.disabled ? t('disabled') : t('active') }))) : [element('tr', {}, element('td', { colSpan: 7, className: 'muted', textContent: t('empty') }))]));
}

function fill(values) {
  $('f-name').value = values.displayName ?? $('f-name').value;
  $('f-capacity').value = values.maxDialogs ?? $('f-capacity').value;
  $('f-callcentres').value = (values.callCentres ?? []).join(', ');
  $('f-languages').value = (values.languages ?? []).join(', ');
  $('f-lines').value = (values.lines ?? []).join(', ');
  $('f-skills').value = (values.skills ?? []).join(', ');
  const granted = new Set(values.permissions ?? []);
  for (const box of document.querySelectorAll('#f-permissions input')) box.checked = granted.has(box.value);
}

function edit(user) {
  editing = user ?? {};
  const isNew = !user;
  $('editor').hidden = false;
  $('editor').scrollIntoView({ block: 'nearest' });
  $('editor-title').textContent = isNew ? t('new') : t('edit', { name: user.displayName });
  say(canModify ? '' : t('read-only'));
  $('f-login').value = user?.login ?? '';
  $('f-login').disabled = !isNew;
  $('f-password-label').style.visibility = isNew ? '' : 'hidden';
  $('f-password').required = isNew;
  $('f-password').value = '';
  $('f-position').value = user?.position ?? '';
  $('f-name').value = user?.displayName ?? '';
  $('f-capacity').value = user?.maxDialogs ?? 3;
  fill(user ? { ...user.routing, maxDialogs: user.maxDialogs, displayName: user.displayName, permissions: user.permissions } : { permissions: ['handle_dialogs', 'view_client', 'view_kb', 'view_reroute_btn', 'send_files', 'send_pics', 'change_password'] });
  $('toggle-disabled').hidden = isNew;
  $('toggle-disabled').textContent = user?.disabled ? t('enable') : t('disable');
  $('reset-box').hidden = isNew;
  for (const control of $('user-form').querySelectorAll('input, select, button:not(#cancel)')) {
    if (!canModify) control.disabled = true;
    else if (control.id !== 'f-login') control.disabled = false;
  }
  draw();
}

function formBody() {
  return {
    displayName: $('f-name').value.trim(),
    maxDialogs: Number($('f-capacity').value),
    permissions: [...document.querySelectorAll('#f-permissions input:checked')].map(b => b.value),
    callCentres: list($('f-callcentres').value),
    languages: list($('f-languages').value),
    lines: list($('f-lines').value),
    skills: list($('f-skills').value),
  };
}

async function save(event) {
  event.preventDefault();
  say('');
  try {
    if (!editing.id) {
      const created = await api('/operators', {
        method: 'POST',
        body: JSON.stringify({ login: $('f-login').value.trim(), password: $('f-password').value, displayName: $('f-name').value.trim(),
          maxDialogs: Number($('f-capacity').value), position: $('f-position').value || undefined }),
      });
      // The account is made first (with its position), then given what the form says: its permissions and routing.
      const saved = await api(`/operators/${encodeURIComponent(created.id)}`, { method: 'PUT', body: JSON.stringify(formBody()) });
      await load();
      edit(users.find(u => u.id === saved.id) ?? saved);
      say(t('created', { login: saved.login }));
    } else {
      const saved = await api(`/operators/${encodeURIComponent(editing.id)}`, { method: 'PUT', body: JSON.stringify(formBody()) });
      await load();
      edit(users.find(u => u.id === saved.id) ?? saved);
      say(t('saved'));
    }
  } catch (error) { refused(error); }
}

function applyTemplate() {
  const template = positions.find(p => p.name === $('f-position').value);
  if (!template) return;
  fill(template);
  say(t('template-applied', { name: template.name }));
}

async function toggleDisabled() {
  say('');
  try {
    const changed = await api(`/operators/${encodeURIComponent(editing.id)}/${editing.disabled ? 'enable' : 'disable'}`, { method: 'POST' });
    await load();
    edit(users.find(u => u.id === changed.id) ?? changed);
  } catch (error) { refused(error); }
}

async function resetPassword() {
  say('');
  try {
    await api(`/operators/${encodeURIComponent(editing.id)}/password`, { method: 'PUT', body: JSON.stringify({ newPassword: $('f-new-password').value }) });
    $('f-new-password').value = '';
    say(t('password-reset'));
  } catch (error) { refused(error); }
}

// The audit log: every change to users, positions, call-centre settings, the KB and webhooks, newest first.
let auditCursor = null;
async function loadAudit(more = false) {
  const area = $('audit-area').value;
  const page = await api(`/audit?${new URLSearchParams({ limit: '20', ...(area ? { area } : {}), ...(more && auditCursor ? { cursor: auditCursor } : {}) })}`);
  auditCursor = page.nextCursor;
  $('audit-more').hidden = !auditCursor;
  const rows = page.entries.map(e => element('tr', { dataset: { area: e.area } },
    element('td', { className: 'num', textContent: formatDateTime(e.at) }),
    element('td', { textContent: e.actorLogin ?? e.actorId }),
    element('td', { textContent: t(`area.${e.area}`) }),
    element('td', { className: 'audit-action', textContent: e.action }),
    element('td', { className: 'audit-detail', textContent: e.detail ?? '', title: e.detail ?? '' })));
  if (more) $('audit-rows').append(...rows);
  else $('audit-rows').replaceChildren(...(rows.length ? rows : [element('tr', {}, element('td', { colSpan: 5, className: 'muted', textContent: t('empty') }))]));
}

// API keys for other systems (modify_users): made with scopes, the key shown once, revocable.
async function loadKeys() {
  const keys = await api('/api-keys');
  $('key-rows').replaceChildren(...(keys.length ? keys.map(k => element('tr', { dataset: { id: k.id }, className: k.revokedAt ? 'muted' : '' },
    element('td', { textContent: k.name }),
    element('td', { className: 'routing', textContent: k.scopes.map(s => t(`perm.${s}`)).join(', ') }),
    element('td', { className: 'when', textContent: `${formatDateTime(k.createdAt)}${k.createdByLogin ? ` · ${k.createdByLogin}` : ''}` }),
    element('td', { className: 'when', textContent: formatDateTime(k.lastUsedAt) }),
    element('td', { textContent: k.revokedAt ? t('keys.revoked', { time: formatDateTime(k.revokedAt) }) : t('keys.active') }),
    element('td', {}, k.revokedAt ? null : element('button', {
      className: 'secondary revoke', type: 'button', textContent: t('keys.revoke'),
      onclick: async () => {
        if (!confirm(t('keys.confirm-revoke', { name: k.name }))) return;
        try { await api(`/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' }); $('key-message').textContent = ''; } catch (error) { keyRefused(error); }
        await loadKeys();
        loadAudit().catch(() => {});
      },
    })))) : [element('tr', {}, element('td', { colSpan: 6, className: 'muted', textContent: t('empty') }))]));
}
const keyRefused = error => { $('key-message').textContent = errorText(error); $('key-message').title = error.message; };

async function createKey(event) {
  event.preventDefault();
  $('key-message').textContent = '';
  $('key-box').hidden = true;
  try {
    const created = await api('/api-keys', { method: 'POST', body: JSON.stringify({
      name: $('key-name').value.trim(), scopes: [...document.querySelectorAll('#key-scopes input:checked')].map(b => b.value) }) });
    $('key-value').textContent = created.key;
    $('key-box').hidden = false;
    $('key-name').value = '';
    await loadKeys();
    loadAudit().catch(() => {});
  } catch (error) { keyRefused(error); }
}

navigation();
$('key-form').addEventListener('submit', createKey);
$('audit-area').addEventListener('change', () => loadAudit());
$('audit-more').addEventListener('click', () => loadAudit(true));
$('f-permissions').replaceChildren(...permissionNames.map(name => element('label', { className: 'usr-permission', title: name },
  element('input', { type: 'checkbox', value: name }), ' ', t(`perm.${name}`))));
$('search').addEventListener('input', () => { page = 0; draw(); });
$('prev').addEventListener('click', () => { page--; draw(); });
$('next').addEventListener('click', () => { page++; draw(); });
for (const th of document.querySelectorAll('#users th[data-sort]')) {
  th.addEventListener('click', () => {
    sort = { key: th.dataset.sort, order: sort.key === th.dataset.sort && sort.order === 'ascending' ? 'descending' : 'ascending' };
    draw();
  });
}
$('new-user').addEventListener('click', () => edit(null));
$('cancel').addEventListener('click', () => { editing = null; $('editor').hidden = true; draw(); });
$('user-form').addEventListener('submit', save);
$('apply-template').addEventListener('click', applyTemplate);
$('toggle-disabled').addEventListener('click', toggleDisabled);
$('reset-password').addEventListener('click', resetPassword);
await startPage(['view_users'], async () => {
  canModify = me?.permissions.includes('modify_users');
  $('new-user').hidden = !canModify;
  await load();
  await loadAudit();
  $('keys-panel').hidden = !canModify;
  if (canModify) {
    const scopes = await api('/api-keys/scopes');
    $('key-scopes').replaceChildren(...scopes.map(name => element('label', { className: 'usr-permission', title: name },
      element('input', { type: 'checkbox', value: name }), ' ', t(`perm.${name}`))));
    await loadKeys();
  }
});
