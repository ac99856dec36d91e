// Answer templates in the operator workplace: the list in the knowledge panel (search, insert, add, delete), the "/"
// menu in the draft and Alt+1..9. Placeholders {client.name} and {operator.name} are filled when a template is inserted.

export function createTemplates({ api, t, showError, draft, menu, onInsert, context }) {
  const $ = id => document.getElementById(id);
  let all = [];
  let menuItems = [];
  let menuIndex = 0;

  function fill(text) {
    const values = context();
    return text.replace(/\{client\.name\}/g, values.client).replace(/\{operator\.name\}/g, values.operator);
  }

  // Inserts at the caret (or in place of the "/word" being typed), keeping the rest of the draft.
  function insert(template, replaceFrom = null) {
    const start = replaceFrom ?? draft.selectionStart;
    const end = draft.selectionEnd;
    const text = fill(template.text);
    draft.value = draft.value.slice(0, start) + text + draft.value.slice(end);
    draft.focus();
    draft.selectionStart = draft.selectionEnd = start + text.length;
    closeMenu();
    onInsert();
  }

  function hotkeyTemplate(digit) {
    // A personal template's hotkey wins over a shared one's.
    return all.find(x => x.hotkey === digit && !x.shared) || all.find(x => x.hotkey === digit && x.shared);
  }

  function insertByHotkey(digit) {
    const template = hotkeyTemplate(digit);
    if (template && !draft.closest('form').hidden) insert(template);
  }

  // The "/word" just before the caret, if the draft has one there.
  function slashQuery() {
    const before = draft.value.slice(0, draft.selectionStart);
    const match = /(^|\s)\/([\p{L}\p{Nd}_-]*)$/u.exec(before);
    return match ? { query: match[2].toLowerCase(), from: before.length - match[2].length - 1 } : null;
  }

  function onDraftInput() {
    const slash = slashQuery();
    if (!slash) { closeMenu(); return; }
    menuItems = all.filter(x => (x.shortcut || '').toLowerCase().startsWith(slash.query) || x.title.toLowerCase().includes(slash.query)).slice(0, 8);
    if (menuItems.length === 0) { closeMenu(); return; }
    menuIndex = 0;
    renderMenu(slash.from);
  }

  function renderMenu(from) {
    menu.replaceChildren(...menuItems.map((template, index) => {
      const item = document.createElement('div');
      item.className = 'template-option' + (index === menuIndex ? ' active' : '');
      item.setAttribute('role', 'option');
      item.dataset.templateId = template.id;
      const title = document.createElement('strong');
      title.textContent = (template.shortcut ? `/${template.shortcut} · ` : '') + template.title;
      const text = document.createElement('small');
      text.textContent = fill(template.text);
      item.append(title, text);
      item.addEventListener('mousedown', event => { event.preventDefault(); insert(template, from); });
      return item;
    }));
    menu.dataset.from = from;
    menu.hidden = false;
  }

  function closeMenu() { menu.hidden = true; menuItems = []; }

  // Arrow keys move in the "/" menu, Enter or Tab picks; true when the key was the menu's.
  function onDraftKey(event) {
    if (menu.hidden || menuItems.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      menuIndex = (menuIndex + (event.key === 'ArrowDown' ? 1 : -1) + menuItems.length) % menuItems.length;
      renderMenu(Number(menu.dataset.from));
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      insert(menuItems[menuIndex], Number(menu.dataset.from));
    } else return false;
    event.preventDefault();
    return true;
  }

  function renderList() {
    const box = $('template-list');
    const q = $('template-filter').value.trim().toLowerCase();
    const shown = all.filter(x => !q || x.title.toLowerCase().includes(q) || x.text.toLowerCase().includes(q) || (x.shortcut || '').toLowerCase().includes(q));
    if (shown.length === 0) { box.textContent = box.dataset.none; return; }
    box.replaceChildren(...shown.map(template => {
      const row = document.createElement('div');
      row.className = 'template-item';
      row.dataset.templateId = template.id;
      const head = document.createElement('div');
      head.className = 'template-head';
      const title = document.createElement('strong');
      title.textContent = template.title;
      head.appendChild(title);
      for (const label of [template.shortcut ? `/${template.shortcut}` : null, template.hotkey ? `Alt+${template.hotkey}` : null, template.shared ? t('shared') : null]) {
        if (!label) continue;
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = label;
        head.appendChild(tag);
      }
      const text = document.createElement('div');
      text.className = 'template-text';
      text.textContent = template.text;
      const actions = document.createElement('div');
      actions.className = 'template-actions';
      const use = document.createElement('button');
      use.type = 'button';
      use.className = 'template-insert';
      use.textContent = t('insert');
      use.addEventListener('click', () => insert(template));
      actions.appendChild(use);
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'secondary template-delete';
      del.textContent = t('delete');
      del.addEventListener('click', async () => {
        try { await api(`/templates/${template.id}`, { method: 'DELETE' }); await load(); } catch (error) { showError($('template-error'), error); }
      });
      actions.appendChild(del);
      row.append(head, text, actions);
      return row;
    }));
  }

  async function load() {
    try { all = await api('/templates'); } catch { all = []; }
    renderList();
  }

  $('template-filter').addEventListener('input', renderList);
  const hotkeys = $('template-hotkey');
  for (let digit = 1; digit <= 9; digit++) hotkeys.appendChild(new Option(`Alt+${digit}`, String(digit)));
  $('template-form').addEventListener('submit', async event => {
    event.preventDefault();
    const body = {
      title: $('template-title').value.trim(), text: $('template-text').value, shortcut: $('template-shortcut').value.trim() || null,
      hotkey: hotkeys.value ? Number(hotkeys.value) : null, shared: $('template-shared').checked,
    };
    try {
      await api('/templates', { method: 'POST', body: JSON.stringify(body) });
      $('template-form').reset();
      $('template-error').textContent = '';
      await load();
    } catch (error) { showError($('template-error'), error); }
  });

  return { load, insertByHotkey, onDraftInput, onDraftKey, closeMenu };
}
