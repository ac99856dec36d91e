// The widget's frame: applies the site's look, asks the pre-chat form, signs in a site's customer for the host page
// (BotEngine.authenticate through postMessage), and offers a rating when the operator closes the dialog.
// chat.js (loaded next to this module) runs the conversation itself and keeps it in sessionStorage.
const $ = id => document.getElementById(id);
const strings = $('widget-strings').dataset;
const lang = document.documentElement.lang;
const chat = $('chat');
const prechat = $('prechat');
const doneKey = 'botengine.widget.prechat';
const cyrillic = /^[А-Яа-яЁё\s'-]+$/u;

function session() { return JSON.parse(sessionStorage.getItem('botengine.webchat') || 'null'); }

// chat.js starts the conversation; the widget's own calls wait for it.
async function conversation() {
  for (let i = 0; i < 200; i++) {
    const s = session();
    if (s) return s;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('no conversation');
}

function message(problem) {
  const key = 'error' + (problem.code || '').split(/[._]/).map(p => p[0].toUpperCase() + p.slice(1)).join('');
  return strings[key] || problem.detail || strings.errorGeneric;
}

async function post(what, body) {
  const s = await conversation();
  const response = await fetch(`/widget/v1/conversations/${s.conversationId}/${what}`, {
    method: 'POST', headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(message(answer)), { code: answer.code });
  return answer;
}

const labels = { firstName: strings.fieldFirstName, lastName: strings.fieldLastName, phone: strings.fieldPhone, email: strings.fieldEmail, contract: strings.fieldContract };

// +7 (XXX) XXX-XX-XX as the visitor types; a leading 8 or 7 is the country code.
function maskPhone(value) {
  let digits = value.replace(/\D/g, '');
  if (digits.startsWith('8') || digits.startsWith('7')) digits = digits.slice(1);
  digits = digits.slice(0, 10);
  const parts = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 8), digits.slice(8, 10)];
  let out = '+7';
  if (parts[0]) out += ` (${parts[0]}`;
  if (parts[0].length === 3) out += ')';
  if (parts[1]) out += ` ${parts[1]}`;
  if (parts[2]) out += `-${parts[2]}`;
  if (parts[3]) out += `-${parts[3]}`;
  return out;
}

function buildForm(settings) {
  const box = $('prechat-fields');
  for (const field of settings.preChatFields) {
    const label = document.createElement('label');
    label.className = 'field';
    const caption = document.createElement('span');
    caption.textContent = labels[field.name] || field.name.replace(/^fields\./, '');
    if (field.required) caption.className = 'req';
    const input = document.createElement('input');
    input.name = field.name;
    input.id = 'prechat-' + field.name.replace('.', '-');
    input.type = field.name === 'email' ? 'email' : field.name === 'phone' ? 'tel' : 'text';
    input.required = field.required;
    input.setAttribute('aria-required', String(field.required));
    if (field.name === 'phone') {
      input.placeholder = '+7 (___) ___-__-__';
      input.addEventListener('input', () => { input.value = maskPhone(input.value); });
    }
    const error = document.createElement('span');
    error.className = 'error';
    error.id = input.id + '-error';
    error.setAttribute('role', 'alert');
    input.setAttribute('aria-describedby', error.id);
    label.append(caption, input, error);
    box.appendChild(label);
  }
  if (settings.consentRequired) {
    $('consent-row').hidden = false;
    if (settings.consentUrl) { $('consent-link').href = settings.consentUrl; $('consent-link').hidden = false; }
  }
}

function validate(settings) {
  let ok = true;
  const values = {};
  for (const field of settings.preChatFields) {
    const input = prechat.elements[field.name];
    const value = input.value.trim();
    let error = '';
    if (!value && field.required) error = strings.required;
    else if (value && field.cyrillicOnly && !cyrillic.test(value)) error = strings.cyrillicOnly;
    else if (value && field.name === 'phone' && value.replace(/\D/g, '').length !== 11) error = strings.badPhone;
    else if (value && field.name === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) error = strings.badEmail;
    $(input.id + '-error').textContent = error;
    input.setAttribute('aria-invalid', String(!!error));
    if (error) ok = false;
    if (value) values[field.name] = value;
  }
  $('consent-error').textContent = settings.consentRequired && !$('consent').checked ? strings.consentRequired : '';
  if ($('consent-error').textContent) ok = false;
  return ok ? values : null;
}

function identityBody(values) {
  const body = {};
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith('fields.')) (body.fields ??= {})[name.slice(7)] = value;
    else body[name] = value;
  }
  return body;
}

function showChat() { prechat.hidden = true; chat.hidden = false; $('text').focus(); }

async function setUp() {
  const settings = await (await fetch('/widget/v1/settings')).json();
  document.documentElement.style.setProperty('--widget-color', settings.color);
  const title = lang === 'en' ? settings.titleEn : settings.titleRu;
  if (title) { $('widget-title').textContent = title; document.title = title; }
  if (settings.logoUrl) { $('widget-logo').src = settings.logoUrl; $('widget-logo').hidden = false; }
  settings.preChatFields ??= [];
  if (settings.preChatFields.length && !sessionStorage.getItem(doneKey)) {
    buildForm(settings);
    chat.hidden = true;
    prechat.hidden = false;
    prechat.addEventListener('submit', async event => {
      event.preventDefault();
      $('prechat-error').textContent = '';
      const values = validate(settings);
      if (!values) return;
      try {
        if (Object.keys(values).length) await post('identity', identityBody(values));
        sessionStorage.setItem(doneKey, '1');
        showChat();
      } catch (error) {
        $('prechat-error').textContent = error.message;
      }
    });
  }
}

// The rating form: stars 1-5 and a comment, shown when the operator closes the dialog (or from the header).
let stars = 0;
function buildStars() {
  for (let i = 1; i <= 5; i++) {
    const star = document.createElement('button');
    star.type = 'button';
    star.textContent = '★';
    star.setAttribute('role', 'radio');
    star.setAttribute('aria-checked', 'false');
    star.setAttribute('aria-label', strings.star.replace('{0}', i));
    star.addEventListener('click', () => {
      stars = i;
      $('rating-error').textContent = '';
      [...$('stars').children].forEach((s, k) => s.setAttribute('aria-checked', String(k < i)));
    });
    $('stars').appendChild(star);
  }
}
function offerRating() { $('rated').hidden = true; $('rating').hidden = false; $('widget-rate-open').hidden = false; }
$('widget-rate-open').addEventListener('click', offerRating);
$('rating').addEventListener('submit', async event => {
  event.preventDefault();
  if (!stars) { $('rating-error').textContent = strings.pickStars; return; }
  try {
    await post('rating', { rating: stars, comment: $('rating-comment').value.trim() || null });
    $('rating').hidden = true;
    $('rated').hidden = false;
  } catch (error) {
    $('rating-error').textContent = error.message;
  }
});
document.addEventListener('botengine:activity', event => {
  if (event.detail.channelData && event.detail.channelData.event === 'dialog.closed') offerRating();
});

// The host page's BotEngine.authenticate(fields) arrives here; the answer goes back to that window only.
window.addEventListener('message', async event => {
  if (event.source !== window.parent || !event.data || event.data.type !== 'botengine.authenticate') return;
  const reply = result => window.parent.postMessage({ type: 'botengine.authenticated', id: event.data.id, ...result }, event.origin);
  try {
    const answer = await post('identity', event.data.fields || {});
    sessionStorage.setItem(doneKey, '1');
    if (!prechat.hidden) showChat();
    reply({ ok: true, verified: answer.verified });
  } catch (error) {
    reply({ ok: false, code: error.code, message: error.message });
  }
});
$('widget-close').addEventListener('click', () => window.parent.postMessage({ type: 'botengine.close' }, '*'));

// A deep link opened in the widget (?link=<token>) attaches this visitor to the profile it was made for.
async function redeemLink() {
  const token = new URLSearchParams(location.search).get('link');
  if (!token) return;
  try { await post('link', { token }); } catch (error) { $('prechat-error').textContent = error.message; }
}

buildStars();
await setUp();
await redeemLink();
window.parent.postMessage({ type: 'botengine.ready' }, '*');
