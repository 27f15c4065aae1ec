import { getJson } from '../api.js';
import { h, labelled, table } from '../dom.js';
import { fraction, interval, percent } from '../format.js';

export async function renderCompleteness(root, context) {
  const params = context.route.params;
  const state = { procedure: params.get('procedure') ?? context.procedure, period: params.get('period') ?? '' };
  const periodInput = h('input', { type: 'text', name: 'period', value: state.period, placeholder: 'all', size: 10 });
  const form = h('form', { class: 'controls', role: 'search', 'aria-label': 'Completeness options' },
    labelled('Period (procedure cohorts)', periodInput), h('button', { type: 'submit' }, 'Show'));
  const output = h('div', {});
  root.append(h('h2', { tabindex: -1 }, 'Audit completeness'), form, output);

  async function load() {
    const report = await getJson('completeness', { procedure: state.procedure, period: state.period });
    context.setViewer(report.viewer);
    context.replaceParams({ procedure: report.procedure, period: state.period });
    const target = report.followUpTarget;
    const cell = (p, checkTarget) => h('span', { class: checkTarget && target !== null && p.rate !== null && p.rate < target ? 'below-target' : '' },
      `${percent(p.rate)} (${fraction(p.numerator, p.denominator)}; 95% ${interval(p.lower, p.upper)})`,
      checkTarget && target !== null && p.rate !== null && p.rate < target ? ' below target' : '');
    const rows = [...(report.national ? [report.national] : []), ...report.trusts];
    output.replaceChildren(
      h('p', { class: 'summary' }, `NICE IPG739 special arrangements for ${report.procedure} procedures of period ${report.period}, as of ${report.asOf}. `
        + `12-month follow-up counts as due ${report.graceMonths} month(s) after 12 months`
        + (target === null ? '.' : `; the target is ${percent(target, 0)}.`)
        + (report.viewer.role === 'reviewer' ? '' : ' Other trusts are not shown to governance leads.')),
      table({
        caption: `Audit completeness per trust, ${report.procedure}, ${report.period}`,
        columns: [
          { label: 'Scope', value: (r) => (r.scope === 'national' ? 'National' : r.scope) },
          { label: 'Procedures', value: (r) => r.procedures },
          { label: 'MDT selection', value: (r) => cell(r.mdtSelection, false) },
          { label: 'Written information', value: (r) => cell(r.writtenInformation, false) },
          { label: 'Registry entry', value: (r) => cell(r.registryEntry, false) },
          { label: '12-month follow-up', value: (r) => cell(r.followUp12Months, true) },
        ],
        rows,
        rowClass: (r) => (r.scope === report.viewer.trustOds ? 'own' : undefined),
      }));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.period = periodInput.value.trim();
    context.guard(load());
  });
  await load();
}
