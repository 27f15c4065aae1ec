// The bearer token lives in sessionStorage only (gone when the tab closes). A sign-in link carries it in the URL
// fragment (#token=...), which browsers never send to a server; it is moved into storage and removed from the URL.
const key = 'safety-surveillance.token';

export function captureTokenFromUrl() {
  const fragment = window.location.hash.slice(1);
  if (!/(^|&)(access_token|token)=/.test(fragment)) return false;
  const params = new URLSearchParams(fragment);
  const token = params.get('token') ?? params.get('access_token');
  if (token) sessionStorage.setItem(key, token);
  const next = params.get('next');
  const route = next && next.startsWith('/') ? `#${next}` : '#/funnel';
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${route}`);
  return Boolean(token);
}

export function currentToken() {
  return sessionStorage.getItem(key);
}

export function signOut() {
  sessionStorage.removeItem(key);
}
