import { currentToken } from './auth.js';

// The data APIs sit beside the dashboard under the same route prefix: /api/dashboard/ → /api/funnel etc.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.body = body;
  }
}

function url(path, params) {
  const target = new URL(`../${path}`, window.location.href);
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(name, value);
  }
  return target;
}

async function send(method, path, params, body) {
  const token = currentToken();
  if (!token) throw new ApiError(401, { message: 'You are not signed in.' });
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url(path, params), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const getJson = (path, params) => send('GET', path, params);
export const postJson = (path, body) => send('POST', path, undefined, body ?? {});
