import { ApiError, getJson } from './api.js';
import { captureTokenFromUrl, currentToken, signOut } from './auth.js';
import { destroyCharts } from './charts.js';
import { h } from './dom.js';
import { role } from './format.js';
import { renderAlerts } from './views/alerts.js';
import { renderCompleteness } from './views/completeness.js';
import { renderFunnel } from './views/funnel.js';
import { renderTrends } from './views/trends.js';

const views = {
  funnel: { title: 'Funnel plot', render: renderFunnel },
  trends: { title: 'Trends and CUSUM', render: renderTrends },
  alerts: { title: 'Alerts', render: renderAlerts },
  completeness: { title: 'Audit completeness', render: renderCompleteness },
};
const defaultProcedure = 'A48.4';
const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
let viewer = null;
let trustListPromise = null;
let renderCount = 0;
let focusHeading = false;

function parseRoute() {
  const fragment = window.location.hash.replace(/^#\/?/, '');
  const [path, query] = fragment.split('?');
  const parts = path.split('/').filter(Boolean);
  const view = views[parts[0]] ? parts[0] : 'funnel';
  return { view, rest: parts.slice(1), params: new URLSearchParams(query ?? '') };
}

function announce(text) {
  announcer.textContent = '';
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

function setViewer(next) {
  if (!next) return;
  viewer = next;
  document.getElementById('viewer').textContent = `Signed in as ${next.displayName} (${role(next)})`;
  document.getElementById('session').hidden = false;
}

function showSignedOut(message) {
  destroyCharts();
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  main.replaceChildren(
    h('h2', { tabindex: -1 }, 'Sign in'),
    h('p', { class: message ? 'error' : 'notice', role: message ? 'alert' : null }, message ?? 'You are not signed in.'),
    h('p', {}, 'Open the dashboard from a sign-in link. Locally, DevHost prints ready-made links for a national reviewer and for trust governance leads.'));
  main.querySelector('h2').focus();
}

function showError(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut();
    showSignedOut('Your sign-in has expired or is not valid. Please sign in again.');
    return;
  }
  const text = error instanceof ApiError
    ? `${error.status === 403 ? 'Not allowed' : 'Something went wrong'}: ${error.message}${error.body?.problems ? ` ${error.body.problems.map((p) => `${p.parameter}: ${p.message}`).join(' ')}` : ''}`
    : `Something went wrong: ${error.message}`;
  const box = h('p', { class: 'error', role: 'alert' }, text);
  main.querySelector('.error')?.remove();
  const heading = main.querySelector('h2');
  if (heading) heading.after(box); else main.append(box);
}

function replaceParams(values) {
  const route = parseRoute();
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const rest = route.rest.length ? `/${route.rest.join('/')}` : '';
  const query = params.toString();
  window.history.replaceState(null, '', `#/${route.view}${rest}${query ? `?${query}` : ''}`);
}

function trustList() {
  trustListPromise ??= getJson('completeness', { procedure: defaultProcedure })
    .then((report) => {
      setViewer(report.viewer);
      return report.trusts.map((t) => t.scope);
    })
    .catch(() => []);
  return trustListPromise;
}

async function render() {
  if (!currentToken()) {
    showSignedOut();
    return;
  }
  const route = parseRoute();
  const view = views[route.view];
  const count = ++renderCount;
  destroyCharts();
  document.getElementById('nav').hidden = false;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === route.view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  document.title = `${view.title} · Safety surveillance dashboard`;
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  const context = {
    route, procedure: defaultProcedure, announce, setViewer, showError, replaceParams, trustList, destroyCharts,
    get viewer() { return viewer; },
    guard: (promise) => promise.catch(showError),
  };
  try {
    await view.render(main, context);
  } catch (error) {
    if (count === renderCount) showError(error);
  } finally {
    if (count === renderCount) {
      main.setAttribute('aria-busy', 'false');
      if (focusHeading) {
        // After navigation, move focus to the new view's heading so keyboard and screen-reader users start there.
        focusHeading = false;
        main.querySelector('h2')?.focus();
      }
      document.body.dataset.ready = route.view;
    }
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  viewer = null;
  trustListPromise = null;
  window.history.replaceState(null, '', window.location.pathname);
  showSignedOut('You have signed out.');
});
window.addEventListener('hashchange', () => {
  focusHeading = true;
  if (captureTokenFromUrl()) {
    viewer = null;
    trustListPromise = null;
  }
  delete document.body.dataset.ready;
  render();
});

captureTokenFromUrl();
render();
