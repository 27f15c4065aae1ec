import { ApiError, getJson, postJson } from '../api.js';
import { h } from '../dom.js';
import { dateTime, fraction, number, percent } from '../format.js';

const statusOrder = { open: 0, acknowledged: 1, resolved: 2 };

function allowedActions(alert, viewer) {
  if (Array.isArray(alert.actions)) return alert.actions;
  if (Array.isArray(alert.allowedActions)) return alert.allowedActions;
  const mine = viewer.role === 'reviewer' || (alert.trustOds ?? alert.trust ?? '') === viewer.trustOds;
  if (!mine) return [];
  if (alert.status === 'open') return ['acknowledge', 'resolve'];
  if (alert.status === 'acknowledged') return ['resolve'];
  return [];
}

function evidenceList(evidence) {
  if (!evidence) return null;
  const rows = [];
  const add = (label, value) => { if (value !== null && value !== undefined) rows.push(h('dt', {}, label), h('dd', {}, value)); };
  add('Count', evidence.numerator !== undefined ? fraction(evidence.numerator, evidence.denominator) : null);
  add('Rate', evidence.rate === null || evidence.rate === undefined ? null : percent(evidence.rate, 2));
  if (evidence.intervalLower !== null && evidence.intervalLower !== undefined) {
    add(`${percent(evidence.confidence ?? 0.95, 1)} interval`, `${percent(evidence.intervalLower, 2)} to ${percent(evidence.intervalUpper, 2)}`);
  }
  add('Compared with', evidence.benchmark === null || evidence.benchmark === undefined ? null : percent(evidence.benchmark, 2));
  add('95% limit', evidence.warningLimit === null || evidence.warningLimit === undefined ? null : percent(evidence.warningLimit, 2));
  add('99.8% limit', evidence.alarmLimit === null || evidence.alarmLimit === undefined ? null : percent(evidence.alarmLimit, 2));
  add('CUSUM', evidence.cusumValue === null || evidence.cusumValue === undefined ? null : `${number(evidence.cusumValue, 3)} (h = ${number(evidence.threshold, 3)})`);
  add('Over-dispersion φ', evidence.phi === null || evidence.phi === undefined ? null : number(evidence.phi, 3));
  return rows.length ? h('dl', {}, rows) : null;
}

export async function renderAlerts(root, context) {
  const output = h('div', {});
  const showResolved = h('input', { type: 'checkbox', name: 'resolved', id: 'show-resolved' });
  root.append(h('h2', { tabindex: -1 }, 'Alerts'),
    h('div', { class: 'controls' }, h('label', { for: 'show-resolved', class: 'inline' }, showResolved, ' Show resolved alerts')),
    output);
  const focusId = context.route.rest[0] ? decodeURIComponent(context.route.rest[0]) : null;

  async function load() {
    let body;
    try {
      body = await getJson('alerts');
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        output.replaceChildren(h('p', { class: 'notice' }, 'The alerts service is not available in this deployment.'));
        return;
      }
      throw error;
    }
    const alerts = (Array.isArray(body) ? body : body?.alerts ?? [])
      .filter((a) => showResolved.checked || a.status !== 'resolved')
      .sort((a, b) => (statusOrder[a.status] ?? 9) - (statusOrder[b.status] ?? 9) || String(b.raisedAt ?? '').localeCompare(String(a.raisedAt ?? '')));
    if (body?.viewer) context.setViewer(body.viewer);
    if (!context.viewer) await context.trustList(); // learns who is signed in (a data API names the viewer)
    const viewer = body?.viewer ?? context.viewer ?? { role: 'governance-lead', trustOds: null };
    output.replaceChildren(
      h('p', { class: 'summary' }, alerts.length ? `${alerts.length} alert(s).` : 'No alerts.'),
      h('ul', { class: 'alerts', 'aria-label': 'Alerts' }, alerts.map((alert) => item(alert, viewer))));
    if (focusId) {
      const target = document.getElementById(`alert-${focusId}`);
      if (target) {
        target.classList.add('focused');
        target.focus();
      }
    }
  }

  function item(alert, viewer) {
    const status = alert.status ?? 'open';
    const headingId = `alert-${alert.id}-title`;
    const actions = allowedActions(alert, viewer);
    const buttons = actions.filter((a) => a === 'acknowledge' || a === 'resolve').map((action) => h('button', {
      type: 'button',
      'data-action': action,
      'aria-describedby': headingId,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          await postJson(`alerts/${encodeURIComponent(alert.id)}/${action}`, {});
          context.announce(`Alert ${alert.id} ${action === 'acknowledge' ? 'acknowledged' : 'resolved'}.`);
          await load();
        } catch (error) {
          button.disabled = false;
          context.showError(error);
        }
      },
    }, action === 'acknowledge' ? 'Acknowledge' : 'Resolve'));
    const scope = alert.scope ?? (alert.trustOds ? `trust:${alert.trustOds}` : 'national');
    const action = (what, done) => (done ? `${what} ${dateTime(done.at)}${done.by ? ` by ${done.by}` : ''}${done.note ? ` (“${done.note}”)` : ''}` : null);
    const history = [action('acknowledged', alert.acknowledged), action('resolved', alert.resolved)].filter(Boolean);
    return h('li', { class: 'alert', id: `alert-${alert.id}`, tabindex: -1, 'data-severity': alert.severity, 'data-status': status, 'aria-labelledby': headingId },
      h('h3', { id: headingId }, `${alert.severity === 'alarm' ? 'Alarm' : alert.severity === 'warning' ? 'Warning' : 'Alert'}: ${alert.ruleId ?? alert.rule ?? 'rule'} — ${scope}`),
      h('p', { class: 'meta' }, h('span', { class: `status ${status}`, 'data-testid': 'alert-status' }, status), ` ${alert.procedure ?? ''} ${alert.period ?? ''} · raised ${dateTime(alert.raisedAt ?? alert.createdAt)}`,
        history.length ? ` · ${history.join(' · ')}` : ''),
      alert.summary ? h('p', {}, alert.summary) : null,
      evidenceList(alert.evidence),
      buttons.length ? h('div', { class: 'actions' }, buttons) : null);
  }

  showResolved.addEventListener('change', () => context.guard(load()));
  await load();
}
