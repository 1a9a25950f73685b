// The only way the console talks to Manifold: the Platform API, with the token of this tab's
// session (sessionStorage: gone when the tab closes, never sent anywhere but to this API).

const TOKEN = 'manifold.token';
const ACCEPT = 'application/vnd.heroku+json; version=3';

/** A refusal or failure, as the API words it: {"id": ..., "message": ...}. */
export class ApiProblem extends Error {
  constructor(status, id, message, request) {
    super(message);
    this.status = status;
    this.id = id;
    this.request = request;
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  start: token => sessionStorage.setItem(TOKEN, token),
  end: () => sessionStorage.removeItem(TOKEN),
};

const budget = {remaining: null, listeners: []};

/** Called with RateLimit-Remaining after every answer. */
export function onBudget(listener) {
  budget.listeners.push(listener);
}

/** Whether polling should slow down: the rate limit (4,500 an hour) is running low. */
export function budgetLow() {
  return budget.remaining !== null && budget.remaining < 450;
}

let unauthorized = () => {};

/** What to do when the API says the token is wrong (it was changed, or mistyped). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** Calls the API; the parsed JSON, or an ApiProblem thrown. */
export async function api(method, path, body, extraHeaders = {}) {
  const request = `${method} ${path}`;
  const headers = {...extraHeaders, Accept: ACCEPT, Authorization: `Bearer ${session.token() ?? ''}`};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiProblem(0, 'unreachable', `The API did not answer (${e.message}). Is the manifold still running?`, request);
  }
  const left = response.headers.get('RateLimit-Remaining');
  if (left !== null) {
    budget.remaining = Number(left);
    budget.listeners.forEach(l => l(budget.remaining));
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const problem = new ApiProblem(response.status, json?.id ?? `http_${response.status}`,
      json?.message ?? (text.slice(0, 300) || response.statusText), request);
    if (response.status === 401) {
      unauthorized(problem);
      problem.handled = true; // told once, by the login it leads to
    }
    throw problem;
  }
  return json;
}

export const get = path => api('GET', path);
export const app = name => `/apps/${encodeURIComponent(name)}`;
