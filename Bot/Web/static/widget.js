// BotEngine's embeddable web chat. A site adds
//   <script src="https://<engine>/static/widget.js" data-lang="ru" async></script>
// and gets a launcher button that opens the chat in a frame served by the engine. A signed-in customer is passed with
//   BotEngine.authenticate({ firstName, lastName, email, phone, contract, fields, timestamp, signature })
// which resolves with the verified field names, or rejects with the engine's reason (see the README).
(() => {
  if (window.BotEngine) return;
  const script = document.currentScript;
  const engine = new URL(script.src).origin;
  const lang = script.dataset.lang === 'en' || (!script.dataset.lang && (navigator.language || '').startsWith('en')) ? 'en' : 'ru';
  const openKey = 'botengine.widget.open';
  let frame = null;
  let ready = null;
  let markReady = () => {};
  const pending = new Map();

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.id = 'botengine-launcher';
  launcher.setAttribute('aria-label', lang === 'en' ? 'Open the chat' : 'Открыть чат');
  // A speech bubble drawn inline: emoji fonts are not on every machine.
  launcher.innerHTML = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">'
    + '<path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
  Object.assign(launcher.style, {
    position: 'fixed', right: '20px', bottom: '20px', width: '56px', height: '56px', borderRadius: '50%', border: 'none',
    background: '#1f6feb', color: '#fff', display: 'flex', alignItems: 'center', justifyContent: 'center', cursor: 'pointer', boxShadow: '0 2px 10px rgba(0,0,0,.25)', zIndex: 2147483000,
  });

  function ensureFrame() {
    if (frame) return ready;
    frame = document.createElement('iframe');
    frame.id = 'botengine-frame';
    frame.title = lang === 'en' ? 'Chat' : 'Чат';
    const link = new URLSearchParams(location.search).get('botengine_link');
    frame.src = `${engine}/widget?lang=${lang}` + (link ? `&link=${encodeURIComponent(link)}` : '');
    frame.hidden = true;
    Object.assign(frame.style, {
      position: 'fixed', right: '20px', bottom: '88px', width: 'min(380px, calc(100vw - 40px))', height: 'min(600px, calc(100vh - 110px))',
      border: 'none', borderRadius: '12px', boxShadow: '0 4px 24px rgba(0,0,0,.25)', background: '#fff', zIndex: 2147483000,
    });
    ready = new Promise(resolve => { markReady = resolve; });
    document.body.appendChild(frame);
    return ready;
  }

  function open() {
    ensureFrame();
    frame.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    localStorage.setItem(openKey, '1');
  }

  function close() {
    if (frame) frame.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    localStorage.removeItem(openKey);
  }

  window.addEventListener('message', event => {
    if (event.origin !== engine || !frame || event.source !== frame.contentWindow) return;
    const data = event.data || {};
    if (data.type === 'botengine.ready') markReady();
    else if (data.type === 'botengine.close') close();
    else if (data.type === 'botengine.authenticated' && pending.has(data.id)) {
      const { resolve, reject } = pending.get(data.id);
      pending.delete(data.id);
      if (data.ok) resolve({ verified: data.verified });
      else reject(Object.assign(new Error(data.message), { code: data.code }));
    }
  });

  launcher.addEventListener('click', () => (frame && !frame.hidden ? close() : open()));

  fetch(`${engine}/widget/v1/settings`).then(r => r.json()).then(settings => {
    launcher.style.background = settings.color;
    const title = lang === 'en' ? settings.titleEn : settings.titleRu;
    if (title) launcher.title = title;
  }).catch(() => {});

  window.BotEngine = {
    open,
    close,
    async authenticate(fields) {
      await ensureFrame();
      const id = Math.random().toString(36).slice(2);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        frame.contentWindow.postMessage({ type: 'botengine.authenticate', id, fields }, engine);
      });
    },
  };

  const start = () => {
    document.body.appendChild(launcher);
    if (localStorage.getItem(openKey)) open();
  };
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
