// Operator sign-in for the pages behind it (the operator workplace, the knowledge base editor). The session is the
// HttpOnly cookie POST /api/v1/auth/token sets: scripts never hold the token, the browser sends it with each call.

// A refused API call: the ProblemDetails' detail as the message, and its errors[] (path, message) when it names fields.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.code = problem.code || null; // the engine's refusal code ("dialog.state"), for a page's own message
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

// A JSON API client under /api/v1; a 401 (the session ended) calls onUnauthorized before throwing.
export function apiClient(onUnauthorized) {
  return async function api(path, options = {}) {
    const response = await fetch(`/api/v1${path}`, { ...options,
      headers: { 'Content-Type': 'application/json', ...(options.headers || {}) } });
    if (response.status === 401) { onUnauthorized(); throw new ApiError(401, { title: 'unauthorized' }); }
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
    // 204, or a 202 without a body (a replay accepted): nothing to read.
    const text = response.status === 204 ? '' : await response.text();
    return text ? JSON.parse(text) : null;
  };
}

// What a refused sign-in or password check means, in the page's language; the wait comes from Retry-After.
export function refusal(response, box, wrongKey) {
  if (response.status === 429) return box.dataset.tooMany.replace('{0}', response.headers.get('Retry-After') || '?');
  if (response.status === 503) return box.dataset.busy;
  if (response.status === 403 && box.dataset.disabled) return box.dataset.disabled;
  return box.dataset[wrongKey];
}

// The sign-in form (#login, #login-name, #login-password, #login-error): on success the cookie is set and onSignedIn runs.
export function wireSignIn(onSignedIn) {
  const $ = id => document.getElementById(id);
  $('login').addEventListener('submit', async event => {
    event.preventDefault();
    const response = await fetch('/api/v1/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: $('login-name').value, password: $('login-password').value }) });
    if (!response.ok) { $('login-error').textContent = refusal(response, $('login-error'), 'bad'); return; }
    $('login-error').textContent = '';
    $('login-password').value = '';
    await onSignedIn();
  });
}

export async function signOut() {
  await fetch('/api/v1/auth/logout', { method: 'POST' }).catch(() => null);
}
