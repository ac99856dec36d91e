// Starting a dialog with a client (outbound): find the client by name, phone or e-mail, pick one of their channels,
// write the first message. The engine refuses a channel that does not let the business write first, a client who
// already has an open dialog, or an operator who is not online; each refusal is shown in the page's words.
export function createStartDialog({ api, t, showError, $, onStarted }) {
  let client = null;      // the client picked: { id, name, accounts }
  let searchTimer = null;

  function open(preset) {
    $('start-overlay').hidden = false;
    $('start-error').textContent = '';
    $('start-search').value = '';
    $('start-results').replaceChildren();
    $('start-text').value = '';
    pick(null);
    if (preset) choose(preset.clientId, preset.name);
    else $('start-search').focus();
  }
  function close() { $('start-overlay').hidden = true; }

  function pick(picked) {
    client = picked;
    $('start-client').hidden = !picked;
    $('start-send').disabled = !picked;
    if (!picked) return;
    $('start-client-name').textContent = picked.name;
    const accounts = picked.accounts.filter(a => a.conversationId);
    $('start-channel').replaceChildren(...accounts.map(a =>
      new Option(`${a.channelType === a.channel ? a.channel : `${a.channel} (${a.channelType})`}${a.displayName ? ' · ' + a.displayName : ''}`, a.conversationId)));
    if (accounts.length === 0) $('start-error').textContent = t('start_no_channels');
    $('start-text').focus();
  }

  async function choose(clientId, name) {
    try {
      const card = await api(`/clients/${encodeURIComponent(clientId)}`);
      pick({ id: clientId, name: name || card.profile.displayName || clientId, accounts: card.accounts });
    } catch (error) { showError($('start-error'), error); }
  }

  function label(profile) {
    const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ') || profile.displayName || profile.id;
    return { name, details: [profile.phone, profile.email, profile.contract].filter(Boolean).join(' · ') };
  }

  async function search() {
    const q = $('start-search').value.trim();
    const box = $('start-results');
    if (!q) { box.replaceChildren(); return; }
    let page;
    try { page = await api(`/clients?${new URLSearchParams({ q, limit: '10' })}`); } catch (error) { showError($('start-error'), error); return; }
    if ($('start-search').value.trim() !== q) return;
    if (page.clients.length === 0) { box.textContent = box.dataset.none; return; }
    box.replaceChildren(...page.clients.map(profile => {
      const { name, details } = label(profile);
      const row = document.createElement('button');
      row.type = 'button';
      row.className = 'secondary start-hit';
      row.dataset.clientId = profile.id;
      const title = document.createElement('strong');
      title.textContent = name;
      const small = document.createElement('small');
      small.textContent = details;
      row.append(title, small);
      row.addEventListener('click', () => {
        for (const other of box.children) other.classList.toggle('active', other === row);
        $('start-error').textContent = '';
        choose(profile.id, name);
      });
      return row;
    }));
  }

  $('start-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, 200); });
  $('start-cancel').addEventListener('click', close);
  $('start-form').addEventListener('submit', async event => {
    event.preventDefault();
    if (!client) { $('start-error').textContent = t('start_pick'); return; }
    const text = $('start-text').value.trim();
    if (!text) { $('start-error').textContent = t('err.reply.empty'); $('start-text').focus(); return; }
    $('start-send').disabled = true;
    try {
      const started = await api('/dialogs', { method: 'POST', body: JSON.stringify({ clientId: client.id, conversationId: $('start-channel').value || null, text }) });
      close();
      await onStarted(started.dialogId);
    } catch (error) { showError($('start-error'), error); }
    finally { $('start-send').disabled = false; }
  });

  return { open, close, isOpen: () => !$('start-overlay').hidden };
}
