// Monitoring (/supervisor, view_monitoring): the queue, operators by status with their dialogs, dialogs with the bot
// and processing errors (parked turns and deliveries, replayable), refreshed live: every change the engine publishes
// on the event stream redraws the page, and a timer keeps the waiting times moving between changes.
import { $, t, element, api, language, me, startPage, navigation, formatDuration, formatTime, showError } from './supervisor.common.js';

const away = ['invisible', 'lunch', 'training'];
let refreshing = null;
let again = false;

const historyLink = id => element('a', { href: `/history?${new URLSearchParams({ lang: language })}#${id}`, textContent: t('open'), target: '_blank' });
const seconds = iso => (Date.now() - new Date(iso).getTime()) / 1000;

async function refresh() {
  // One refresh at a time; a change during one asks for another right after.
  if (refreshing) { again = true; return; }
  refreshing = (async () => {
    try {
      const canReplay = me?.permissions.includes('modify_configuration');
      // Monitoring lists the operators on duty; the inactive ones come from the operators list (view_users).
      const [monitoring, turns, deliveries, everyone, webhooks, agentCalls] = await Promise.all([
        api('/monitoring'), api('/parked-turns?limit=100'), api('/parked-deliveries?limit=100'),
        me?.permissions.includes('view_users') ? api('/operators') : Promise.resolve(null),
        canReplay ? deadWebhooks() : Promise.resolve([]), api('/failed-agent-calls?limit=100')]);
      draw(monitoring, turns, deliveries, canReplay, everyone, webhooks, agentCalls);
    } catch (error) {
      showError($('updated'), error);
    }
  })();
  await refreshing;
  refreshing = null;
  if (again) { again = false; await refresh(); }
}

// A supervisor who watches some call centres, languages and lines sees the operators who share one of each.
const overlaps = (mine, theirs) => !mine.length || !theirs?.length || mine.some(x => theirs.includes(x));
const inScope = (scope, o) => !scope || (overlaps(scope.callCentres, o.routing?.callCentres ?? o.callCentres)
  && overlaps(scope.languages, o.routing?.languages ?? o.languages) && overlaps(scope.lines, o.routing?.lines ?? o.lines));
const routingText = o => [o.callCentres, o.languages, o.lines].map(list => (list?.length ? list.join(', ') : t('all'))).join(' · ');

// The operators a waiting dialog can be moved to: online with a free slot.
function assignControl(dialogId, operators) {
  const free = operators.filter(o => o.status === 'online' && o.activeDialogs < o.maxDialogs);
  if (!free.length) return element('span', { className: 'muted', textContent: t('assign-none') });
  const select = element('select', { className: 'assign-to', ariaLabel: t('assign-to'), title: t('assign-to') },
    ...free.map(o => element('option', { value: o.id, textContent: `${o.displayName} (${o.activeDialogs}/${o.maxDialogs})` })));
  const button = element('button', {
    className: 'secondary assign', textContent: t('assign'),
    onclick: async () => {
      $('assign-error').textContent = '';
      try {
        await api(`/dialogs/${encodeURIComponent(dialogId)}/assign`, { method: 'POST', body: JSON.stringify({ operatorId: select.value }) });
        $('assign-error').textContent = t('assigned', { name: select.selectedOptions[0]?.textContent ?? '' });
      } catch (error) { showError($('assign-error'), error); }
      refresh();
    },
  });
  return element('span', { className: 'assign-cell' }, select, ' ', button);
}

// Webhook deliveries that were dead-lettered (administrators only: webhooks need modify_configuration).
async function deadWebhooks() {
  const dead = [];
  for (const hook of (await api('/webhooks')).filter(h => h.dead > 0)) {
    const page = await api(`/webhooks/${encodeURIComponent(hook.id)}/deliveries?state=dead&limit=20`);
    dead.push(...page.deliveries.map(d => ({ hook, delivery: d })));
  }
  return dead;
}

function draw(m, turns, deliveries, canReplay, everyone, webhooks, agentCalls) {
  const inactive = everyone ? everyone.filter(o => !o.disabled && !m.operators.some(x => x.id === o.id) && inScope(m.scope, o)) : [];
  $('scope').textContent = m.scope ? t('scope', { scope: routingText(m.scope) }) : '';
  $('scope').hidden = !m.scope;
  const count = status => [...m.operators, ...inactive].filter(o => (Array.isArray(status) ? status.includes(o.status) : o.status === status)).length;
  $('c-queue').textContent = m.queueLength;
  $('c-online').textContent = count('online');
  $('c-away').textContent = count(away);
  $('c-offline').textContent = everyone ? count('offline') : '—';
  $('c-bot').textContent = m.dialogsWithBot;
  const errors = turns.length + deliveries.length + webhooks.length;
  $('c-errors').textContent = errors;
  $('c-errors-card').classList.toggle('alert', errors > 0);
  $('updated').textContent = t('updated', { time: formatTime(new Date().toISOString()) });

  $('queue-rows').replaceChildren(...(m.waiting.length ? m.waiting.map(w => element('tr', { dataset: { id: w.id } },
    element('td', { className: 'num', textContent: w.position }),
    clientCell(w, true),
    element('td', { className: 'num', textContent: formatDuration(Math.max(0, seconds(w.queuedAt))) }),
    element('td', { textContent: [w.callCentre, w.line].filter(Boolean).join(' · ') || '—' }),
    element('td', { className: 'skills', textContent: w.skills?.length ? w.skills.join(', ') : '—' }),
    element('td', { textContent: w.language ?? '—' }),
    element('td', { className: 'num', textContent: formatDuration(w.estimatedWaitSeconds) }),
    element('td', {}, assignControl(w.id, m.operators)),
    element('td', {}, historyLink(w.id)))) : [emptyRow(9)]));

  $('operator-rows').replaceChildren(...m.operators.map(o => element('tr', { dataset: { id: o.id, status: o.status } },
    element('td', { textContent: o.displayName }),
    element('td', {}, element('span', { className: `status-pill ${o.status}`, textContent: t(`status-${o.status}`) })),
    element('td', { className: 'num in-status', textContent: formatDuration(Math.max(0, seconds(o.statusSince))) }),
    element('td', { className: 'routing', textContent: routingText(o) }),
    element('td', { className: 'num', textContent: `${o.activeDialogs} / ${o.maxDialogs}` }),
    element('td', { className: 'held' }, ...(o.dialogDetails ?? o.dialogs.map(id => ({ id }))).map(d => element('a', {
      href: `/history?lang=${language}#${d.id}`, target: '_blank', className: 'dialog-link', title: d.id,
      textContent: `${d.clientName ?? d.id.slice(-8)}${d.since ? ` · ${formatDuration(Math.max(0, seconds(d.since)))}` : ''}` }))),
    element('td', { className: 'num', textContent: o.status === 'online' && o.activeDialogs === 0 ? formatDuration(Math.max(0, seconds(o.idleSince))) : '—' }),
    element('td', {}, o.status !== 'offline' ? element('button', {
      className: 'secondary take-offline', textContent: t('take-offline'),
      onclick: async () => { await api(`/operators/${encodeURIComponent(o.id)}/status`, { method: 'POST', body: JSON.stringify({ status: 'offline' }) }); refresh(); },
    }) : null))),
  ...inactive.map(o => element('tr', { dataset: { id: o.id, status: o.status }, className: 'muted' },
    element('td', { textContent: o.displayName }),
    element('td', {}, element('span', { className: `status-pill ${o.status}`, textContent: t(`status-${o.status}`) })),
    element('td', { className: 'num', textContent: '—' }),
    element('td', { className: 'routing', textContent: routingText(o.routing ?? {}) }),
    element('td', { className: 'num', textContent: `0 / ${o.maxDialogs}` }),
    element('td'), element('td', { className: 'num', textContent: '—' }), element('td'))));

  $('bot-rows').replaceChildren(...(m.botDialogs.length ? m.botDialogs.slice(0, 100).map(b => element('tr', { dataset: { id: b.id } },
    clientCell(b, false),
    element('td', { textContent: b.channel ?? '—' }),
    element('td', { textContent: b.agent ? t('agent', { id: b.agent }) : b.scenario ? t('scenario', { id: b.scenario }) : t('answering') }),
    element('td', { className: 'num', textContent: formatDuration(Math.max(0, seconds(b.since))) }),
    element('td', {}, historyLink(b.id)))) : [emptyRow(5)]));

  const rows = [
    ...turns.map(p => ({ kind: 'turn', what: `${p.text ?? ''} — ${p.lastError ?? ''}`, at: p.parkedAt, replay: `/parked-turns/${encodeURIComponent(p.messageId)}/replay`, id: p.messageId })),
    ...deliveries.map(p => ({ kind: 'delivery', what: `${p.channel}: ${p.lastError ?? ''}`, at: new Date(p.failedAt / 1000).toISOString(), replay: `/parked-deliveries/${encodeURIComponent(p.id)}/replay`, id: p.id })),
    ...webhooks.map(({ hook, delivery: d }) => ({ kind: 'webhook', what: `${d.eventType} → ${hook.url}: ${d.lastError ?? ''}`, at: d.createdAt,
      replay: `/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(d.id)}/replay`, id: d.id })),
    // a client's message the agent never answered went to the fallback: shown, not sent again
    ...agentCalls.map(c => ({ kind: 'agent', what: `${c.agentId} · ${c.eventType}: ${c.lastError ?? ''}`, at: c.failedAt,
      replay: c.replayable ? `/failed-agent-calls/${encodeURIComponent(c.id)}/replay` : null, id: c.id })),
  ];
  $('error-rows').replaceChildren(...(rows.length ? rows.map(r => element('tr', { dataset: { id: r.id } },
    element('td', { textContent: t(`kind-${r.kind}`) }),
    element('td', { textContent: r.what }),
    element('td', { className: 'num', textContent: formatTime(r.at) }),
    element('td', {}, canReplay && r.replay ? element('button', {
      className: 'secondary', textContent: t('replay'),
      onclick: async () => {
        $('replay-error').textContent = '';
        try { await api(r.replay, { method: 'POST' }); $('replay-error').textContent = t('replayed'); } catch (error) { showError($('replay-error'), error); }
        refresh();
      },
    }) : null))) : [emptyRow(4)]));
}

// The client by name when the engine knows one (the id in the tooltip), with the channel they wrote from.
const clientCell = (d, withChannel) => element('td', { className: 'client', title: d.clientId },
  d.clientName ?? d.clientId, withChannel && d.channel ? element('span', { className: 'muted channel', textContent: ` · ${d.channel}` }) : null);

const emptyRow = span => element('tr', {}, element('td', { className: 'muted', colSpan: span, textContent: t('empty') }));

// The engine's change feed: any event may move the queue or an operator, so each one redraws (at most one at a time).
function listen() {
  const stream = new EventSource('/api/v1/events');
  stream.onmessage = () => refresh();
  stream.onopen = () => refresh();
  stream.onerror = () => { $('updated').textContent = t('reconnecting'); };
}

navigation();
await startPage(['view_monitoring'], async () => {
  await refresh();
  listen();
  setInterval(refresh, 15000);
});
