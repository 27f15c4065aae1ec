import { getJson } from '../api.js';
import { createChart, keyboardPoints, palette, withAlpha } from '../charts.js';
import { h, labelled, nextId, table } from '../dom.js';
import { fraction, interval, percent } from '../format.js';

const zones = {
  within: { label: 'within the limits', colour: palette.blue, style: 'circle', marker: 'circle' },
  above95: { label: 'above the 95% limit', colour: palette.orange, style: 'triangle', marker: 'triangle' },
  above998: { label: 'above the 99.8% limit', colour: palette.vermillion, style: 'rectRot', marker: 'diamond' },
  below95: { label: 'below the 95% limit', colour: palette.green, style: 'rect', marker: 'square' },
  below998: { label: 'below the 99.8% limit', colour: palette.green, style: 'rect', marker: 'square' },
};

function describePoint(t) {
  return `Trust ${t.trust}: ${fraction(t.numerator, t.denominator)} = ${percent(t.rate)}; 95% limits ${interval(t.lower95, t.upper95)}; `
    + `99.8% limits ${interval(t.lower998, t.upper998)}; ${zones[t.zone].label}.`;
}

export async function renderFunnel(root, context) {
  const params = context.route.params;
  const state = {
    procedure: params.get('procedure') ?? context.procedure,
    signal: params.get('signal') ?? '',
    period: params.get('period') ?? '',
  };
  const heading = h('h2', { tabindex: -1 }, 'Funnel plot');
  const signalSelect = h('select', { name: 'signal', id: nextId('signal') });
  const periodInput = h('input', { type: 'text', name: 'period', value: state.period, placeholder: 'all', inputmode: 'text', 'aria-describedby': 'period-help', size: 10 });
  const form = h('form', { class: 'controls', role: 'search', 'aria-label': 'Funnel plot options' },
    labelled('Signal', signalSelect),
    labelled('Period', periodInput),
    h('span', { id: 'period-help', class: 'chart-help' }, 'all, a month (2026-03) or a quarter (2026-Q1)'),
    h('button', { type: 'submit' }, 'Show'));
  const output = h('div', { 'aria-busy': 'true' });
  root.append(heading, form, output);

  async function load() {
    output.setAttribute('aria-busy', 'true');
    const report = await getJson('funnel', { procedure: state.procedure, signal: state.signal, period: state.period });
    context.setViewer(report.viewer);
    signalSelect.replaceChildren(...report.signals.map((s) => h('option', { value: s.id, selected: s.id === report.signal.id }, `${s.id} (${s.label})`)));
    state.signal = report.signal.id;
    context.replaceParams({ procedure: report.procedure, signal: report.signal.id, period: state.period });
    draw(output, report, context);
    output.setAttribute('aria-busy', 'false');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.signal = signalSelect.value;
    state.period = periodInput.value.trim();
    context.guard(load());
  });
  await load();
}

function draw(output, report, context) {
  context.destroyCharts();
  output.replaceChildren();
  const title = `${report.signal.label}, ${report.procedure}, period ${report.period}`;
  const outliers = report.trusts.filter((t) => t.zone === 'above998');
  const warnings = report.trusts.filter((t) => t.zone === 'above95');
  const parts = [];
  if (report.national) parts.push(`National rate ${percent(report.national.rate)} (${fraction(report.national.numerator, report.national.denominator)}).`);
  parts.push(report.trusts.length === 1 ? '1 trust shown.' : `${report.trusts.length} trusts shown.`);
  parts.push(outliers.length ? `Above the 99.8% limit: ${outliers.map((t) => t.trust).join(', ')}.` : 'No trust above the 99.8% limit.');
  if (warnings.length) parts.push(`Above the 95% limit only: ${warnings.map((t) => t.trust).join(', ')}.`);
  if (report.limits.adjusted) parts.push(`Limits widened for over-dispersion (φ = ${report.limits.phi.toFixed(2)}).`);
  if (report.viewer.role !== 'reviewer') parts.push('Other trusts are not shown to governance leads.');
  const summaryId = nextId('funnel-summary');
  output.append(h('p', { class: outliers.length ? 'summary alarm' : 'summary', id: summaryId, 'data-testid': 'funnel-summary' }, parts.join(' ')));
  if (report.note) output.append(h('p', { class: 'notice' }, report.note));

  if (report.curve.length > 0) {
    const canvas = h('canvas', { role: 'img', tabindex: 0, 'aria-label': `Funnel plot: ${title}. ${parts.join(' ')} Use the arrow keys to move between trusts; the table below has every figure.`, 'aria-describedby': summaryId });
    output.append(
      h('section', { class: 'chart-panel', 'aria-label': 'Funnel plot chart' },
        h('h3', {}, title),
        legend(),
        h('div', { class: 'chart-box' }, canvas),
        h('p', { class: 'chart-help' }, 'Each point is a trust: its rate against its number of cases. Hover or focus the chart and use the arrow keys for a trust\'s figures.')));
    const chart = createChart(canvas, config(report));
    keyboardPoints(chart, 5, (i) => describePoint(report.trusts[i]), context.announce);
  }

  output.append(h('details', { open: report.trusts.length <= 40 },
    h('summary', {}, 'Table of the funnel plot'),
    table({
      caption: `Funnel plot figures: ${title}`,
      columns: [
        { label: 'Trust', value: (t) => t.trust },
        { label: report.signal.numerator, value: (t) => t.numerator },
        { label: report.signal.denominator, value: (t) => t.denominator },
        { label: 'Rate', value: (t) => percent(t.rate) },
        { label: '95% limits', value: (t) => interval(t.lower95, t.upper95) },
        { label: '99.8% limits', value: (t) => interval(t.lower998, t.upper998) },
        { label: 'Position', value: (t) => h('span', { class: t.severity === 'none' ? '' : `flag ${t.severity}` }, zones[t.zone].label) },
      ],
      rows: report.trusts,
      rowClass: (t) => (t.zone === 'above998' ? 'highlight' : t.trust === report.viewer.trustOds ? 'own' : undefined),
    })));
  if (report.notPlaced.length) {
    output.append(h('p', { class: 'chart-help' }, `Not placed (fewer than ${report.signal.minimumDenominator} ${report.signal.denominator}): `
      + report.notPlaced.map((t) => `${t.trust} ${fraction(t.numerator, t.denominator)}`).join(', ')));
  }
  output.append(h('details', {}, h('summary', {}, 'About this signal'), h('p', {}, report.signal.reason),
    h('p', {}, `Limits: ${report.limits.method}${report.limits.phi === null ? '' : `, φ = ${report.limits.phi.toFixed(3)}`}.`)));
}

function legend() {
  return h('ul', { class: 'legend-list', 'aria-label': 'Legend' },
    h('li', {}, h('span', { class: 'swatch' }), 'national rate'),
    h('li', {}, h('span', { class: 'swatch dashed sky' }), '95% limits'),
    h('li', {}, h('span', { class: 'swatch purple' }), '99.8% limits'),
    Object.entries(zones).filter(([k]) => k !== 'below998').map(([, z]) => h('li', {}, h('span', { class: `marker ${z.marker}` }), z.label)));
}

function config(report) {
  const pct = (v) => v * 100;
  const line = (key, colour, dash, label) => ({
    type: 'line', label, data: report.curve.map((c) => ({ x: c.denominator, y: pct(c[key]) })),
    borderColor: colour, borderWidth: 2, borderDash: dash, pointRadius: 0, pointHitRadius: 0, fill: false, tension: 0, order: 2,
  });
  const [numeratorLabel, denominatorLabel] = report.signal.label.split(' / ');
  const first = report.curve[0].denominator;
  const last = report.curve[report.curve.length - 1].denominator;
  const points = report.trusts.map((t) => ({ x: t.denominator, y: pct(t.rate) }));
  const outlierLabels = Object.fromEntries(report.trusts
    .filter((t) => t.zone === 'above998' || t.zone === 'above95' || t.trust === report.viewer.trustOds)
    .map((t) => [`label-${t.trust}`, {
      type: 'label', xValue: t.denominator, yValue: pct(t.rate), yAdjust: -16, content: t.trust,
      color: '#1b1b1b', backgroundColor: 'rgba(255,255,255,0.85)', font: { weight: 'bold', size: 12 }, padding: 2,
    }]));
  return {
    data: {
      datasets: [
        line('upper998', palette.purple, [], '99.8% upper limit'),
        line('lower998', palette.purple, [], '99.8% lower limit'),
        line('upper95', palette.sky, [6, 4], '95% upper limit'),
        line('lower95', palette.sky, [6, 4], '95% lower limit'),
        {
          type: 'line', label: 'national rate', data: [{ x: first, y: pct(report.target) }, { x: last, y: pct(report.target) }],
          borderColor: palette.black, borderWidth: 2, pointRadius: 0, pointHitRadius: 0, order: 2,
        },
        {
          type: 'scatter', label: 'trusts', data: points, order: 1,
          pointStyle: report.trusts.map((t) => zones[t.zone].style),
          backgroundColor: report.trusts.map((t) => withAlpha(zones[t.zone].colour, 0.9)),
          borderColor: report.trusts.map((t) => (t.trust === report.viewer.trustOds ? palette.black : zones[t.zone].colour)),
          borderWidth: report.trusts.map((t) => (t.trust === report.viewer.trustOds ? 3 : 1)),
          pointRadius: report.trusts.map((t) => (t.zone === 'above998' ? 8 : 6)),
          pointHoverRadius: 10,
        },
      ],
    },
    options: {
      parsing: true,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: 'linear', min: 0, max: last, title: { display: true, text: `${denominatorLabel} (cases)` } },
        y: { type: 'linear', min: 0, title: { display: true, text: `${numeratorLabel} (% of cases)` }, ticks: { callback: (v) => `${v}%` } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex === 5,
          callbacks: {
            title: (items) => (items.length ? `Trust ${report.trusts[items[0].dataIndex].trust}` : ''),
            label: (item) => {
              const t = report.trusts[item.dataIndex];
              return [`${fraction(t.numerator, t.denominator)} = ${percent(t.rate)}`, `95% limits ${interval(t.lower95, t.upper95)}`,
                `99.8% limits ${interval(t.lower998, t.upper998)}`, zones[t.zone].label];
            },
          },
        },
        annotation: { annotations: outlierLabels },
      },
    },
  };
}
