// The client's profile in the workplace's client tab: contact and custom fields with the site's "verified" marks,
// tags, ratings of past dialogs, an edit form for operators with modify_clients, and the channel a reply goes to.
const standard = ['firstName', 'lastName', 'phone', 'email', 'contract'];

export async function profileSection({ api, t, showError, clientId, me, lang, onChange }) {
  const section = document.createElement('div');
  section.className = 'card-section profile-card';
  section.id = 'profile-card';
  let card;
  let definitions;
  try {
    [card, definitions] = await Promise.all([api(`/clients/${clientId}`), api('/client-fields')]);
  } catch (error) {
    section.hidden = true;
    return { section, accounts: [] };
  }
  render();
  return { section, accounts: card.accounts };

  function titleOf(name) {
    if (standard.includes(name)) return t(`client.${name}`);
    const definition = definitions.find(d => d.name === name);
    return definition ? (lang === 'en' ? definition.titleEn : definition.titleRu) : name;
  }

  function render() {
    const p = card.profile;
    const heading = document.createElement('h4');
    heading.textContent = t('client.profile');
    const list = document.createElement('dl');
    const add = (label, value, verified) => {
      if (value === null || value === undefined || value === '') return;
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      if (verified) {
        const mark = document.createElement('span');
        mark.className = 'verified';
        mark.textContent = ` ✓ ${t('client.verified')}`;
        mark.title = t('client.verified_hint');
        dd.appendChild(mark);
      }
      list.append(dt, dd);
    };
    for (const name of standard) add(titleOf(name), p[name], p.verified.includes(name));
    for (const [name, value] of Object.entries(p.fields || {})) add(titleOf(name), value, p.verified.includes(`fields.${name}`));
    if (p.tags.length) add(t('client.tags'), p.tags.join(', '));
    if (p.isTest) add(t('client.test'), t('client.yes'));
    const rated = card.dialogs.filter(d => d.rating);
    if (rated.length) add(t('client.ratings'), rated.slice(0, 5).map(d => `${'★'.repeat(d.rating)}${d.ratingComment ? ` «${d.ratingComment}»` : ''}`).join('; '));
    if (!list.children.length) list.textContent = t('client.empty');
    section.replaceChildren(heading, list);
    if (me.permissions.includes('modify_clients')) {
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'secondary';
      edit.id = 'profile-edit';
      edit.textContent = t('client.edit');
      edit.addEventListener('click', showForm);
      section.appendChild(edit);
    }
  }

  function showForm() {
    const p = card.profile;
    const form = document.createElement('form');
    form.className = 'profile-form';
    form.id = 'profile-form';
    form.noValidate = true; // the engine checks the values and the page says what is wrong in its own words
    const inputs = {};
    const field = (name, value, type = 'text') => {
      const label = document.createElement('label');
      const caption = document.createElement('span');
      caption.textContent = titleOf(name);
      const input = document.createElement('input');
      input.name = name;
      input.type = type;
      input.value = value ?? '';
      inputs[name] = input;
      label.append(caption, input);
      form.appendChild(label);
    };
    for (const name of standard) field(name, p[name], name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text');
    for (const d of definitions) field(`fields.${d.name}`, p.fields[d.name], d.type === 'number' ? 'number' : d.type === 'date' ? 'date' : 'text');
    field('tags', p.tags.join(', '));
    const error = document.createElement('p');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    const save = document.createElement('button');
    save.type = 'submit';
    save.textContent = t('client.save');
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'secondary';
    cancel.textContent = t('client.cancel');
    cancel.addEventListener('click', render);
    form.append(error, save, cancel);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const body = { fields: {} };
      for (const name of standard) body[name] = inputs[name].value.trim();
      for (const d of definitions) {
        const raw = inputs[`fields.${d.name}`].value.trim();
        body.fields[d.name] = raw === '' ? null : d.type === 'number' ? Number(raw) : d.type === 'boolean' ? raw === 'true' : raw;
      }
      body.tags = inputs.tags.value.split(',').map(s => s.trim()).filter(Boolean);
      try {
        card.profile = await api(`/clients/${clientId}`, { method: 'PUT', body: JSON.stringify(body) });
        render();
        if (onChange) onChange(card.profile);
      } catch (e) {
        showError(error, e);
        const field = (e.message || '').split(':')[0];
        if (inputs[field]) inputs[field].setAttribute('aria-invalid', 'true');
      }
    });
    section.replaceChildren(form);
    inputs.firstName.focus();
  }
}

// The channels a reply can go to: the client's accounts that have a conversation, the one they last wrote from first.
export function replyTargets(accounts, currentConversationId, channelLabel) {
  const targets = accounts.filter(a => a.conversationId).map(a => ({ value: a.conversationId, label: channelLabel(a.channel, a.channelType) }));
  targets.sort((a, b) => (b.value === currentConversationId) - (a.value === currentConversationId));
  return targets;
}
