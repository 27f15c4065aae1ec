import { getJson } from '../api.js';
import { createChart, keyboardPoints, palette, withAlpha } from '../charts.js';
import { h, labelled, nextId, table } from '../dom.js';
import { fraction, interval, number, percent } from '../format.js';

export async function renderTrends(root, context) {
  const params = context.route.params;
  const state = {
    procedure: params.get('procedure') ?? context.procedure,
    signal: params.get('signal') ?? '',
    trust: params.get('trust') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const heading = h('h2', { tabindex: -1 }, 'Trends and CUSUM');
  const signalSelect = h('select', { name: 'signal' });
  const trustSelect = h('select', { name: 'trust' });
  const fromInput = h('input', { type: 'text', name: 'from', value: state.from, placeholder: 'yyyy-MM', size: 8 });
  const toInput = h('input', { type: 'text', name: 'to', value: state.to, placeholder: 'yyyy-MM', size: 8 });
  const form = h('form', { class: 'controls', role: 'search', 'aria-label': 'Trend options' },
    labelled('Signal', signalSelect), labelled('Trust', trustSelect), labelled('From month', fromInput), labelled('To month', toInput),
    h('button', { type: 'submit' }, 'Show'));
  const output = h('div', {});
  root.append(heading, form, output);

  const trusts = await context.trustList();
  async function load() {
    const report = await getJson('trends', { procedure: state.procedure, signal: state.signal, trust: state.trust, from: state.from, to: state.to });
    context.setViewer(report.viewer);
    state.signal = report.signal.id;
    state.trust = report.trust?.trust ?? '';
    signalSelect.replaceChildren(...report.signals.map((s) => h('option', { value: s.id, selected: s.id === report.signal.id }, `${s.id} (${s.label})`)));
    const options = report.viewer.role === 'reviewer' ? [{ value: '', label: 'national only' }, ...trusts.map((t) => ({ value: t, label: t }))] : [{ value: report.viewer.trustOds, label: report.viewer.trustOds }];
    trustSelect.replaceChildren(...options.map((o) => h('option', { value: o.value, selected: o.value === state.trust }, o.label)));
    trustSelect.disabled = report.viewer.role !== 'reviewer';
    context.replaceParams({ procedure: report.procedure, signal: state.signal, trust: state.trust, from: state.from, to: state.to });
    draw(output, report, context);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    Object.assign(state, { signal: signalSelect.value, trust: trustSelect.value, from: fromInput.value.trim(), to: toInput.value.trim() });
    context.guard(load());
  });
  await load();
}

function draw(output, report, context) {
  context.destroyCharts();
  output.replaceChildren();
  const months = report.national.map((p) => p.month);
  const pct = (v) => (v === null ? null : v * 100);
  const series = [{ name: 'National', points: report.national, colour: palette.black, style: 'circle', dash: [] }];
  if (report.trust) series.push({ name: `Trust ${report.trust.trust}`, points: report.trust.points, colour: palette.blue, style: 'triangle', dash: [6, 3] });
  const datasets = [];
  for (const s of series) {
    datasets.push({ type: 'line', label: `${s.name} upper 95% limit`, data: s.points.map((p) => pct(p.upper)), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false, spanGaps: false });
    datasets.push({ type: 'line', label: `${s.name} 95% interval`, data: s.points.map((p) => pct(p.lower)), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: '-1', backgroundColor: withAlpha(s.colour, 0.12), spanGaps: false });
    datasets.push({ type: 'line', label: s.name, data: s.points.map((p) => pct(p.rate)), borderColor: s.colour, backgroundColor: s.colour, borderDash: s.dash, pointStyle: s.style, pointRadius: 4, borderWidth: 2, spanGaps: false });
  }
  const title = `${report.signal.label} by procedure month, ${report.from} to ${report.to}`;
  if (report.viewer.role !== 'reviewer') output.append(h('p', { class: 'summary' }, `National figures and trust ${report.viewer.trustOds} only. Other trusts are not shown to governance leads.`));
  const rateId = nextId('trend');
  const canvas = h('canvas', { role: 'img', tabindex: 0, 'aria-label': `Line chart: ${title}. ${series.map((s) => s.name).join(' and ')}, with shaded 95% Wilson intervals. The table below has every figure.` });
  output.append(h('section', { class: 'chart-panel', 'aria-labelledby': rateId },
    h('h3', { id: rateId }, title),
    h('ul', { class: 'legend-list', 'aria-label': 'Legend' },
      series.map((s) => h('li', {}, h('span', { class: `swatch ${s.dash.length ? 'dashed blue' : ''}` }), `${s.name} rate (shaded: 95% Wilson interval)`))),
    h('div', { class: 'chart-box' }, canvas)));
  const rateChart = createChart(canvas, {
    data: { labels: months, datasets },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, title: { display: true, text: '% of cases' }, ticks: { callback: (v) => `${v}%` } }, x: { title: { display: true, text: 'procedure month' } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex % 3 === 2,
          callbacks: {
            label: (item) => {
              const s = series[Math.floor(item.datasetIndex / 3)];
              const p = s.points[item.dataIndex];
              return `${s.name}: ${fraction(p.numerator, p.denominator)} = ${percent(p.rate)} (95% ${interval(p.lower, p.upper)})`;
            },
          },
        },
      },
    },
  });
  keyboardPoints(rateChart, datasets.length - 1, (i) => series.map((s) => `${s.name} ${months[i]}: ${fraction(s.points[i].numerator, s.points[i].denominator)} = ${percent(s.points[i].rate)}, 95% interval ${interval(s.points[i].lower, s.points[i].upper)}`).join('; '), context.announce);
  output.append(h('details', {}, h('summary', {}, 'Table of the trend'), table({
    caption: `Monthly rates: ${title}`,
    columns: [
      { label: 'Month', value: (i) => months[i] },
      ...series.flatMap((s) => [
        { label: `${s.name} x/n`, value: (i) => fraction(s.points[i].numerator, s.points[i].denominator) },
        { label: `${s.name} rate`, value: (i) => percent(s.points[i].rate) },
        { label: `${s.name} 95% interval`, value: (i) => interval(s.points[i].lower, s.points[i].upper) },
      ]),
    ],
    rows: months.map((_, i) => i),
  })));

  if (report.cusum) drawCusum(output, report, context);
  else if (!report.trust) output.append(h('p', { class: 'notice' }, 'Choose a trust to see its CUSUM chart.'));
}

function drawCusum(output, report, context) {
  const c = report.cusum;
  const signalled = c.points.filter((p) => p.signals > 0);
  const title = `CUSUM for trust ${c.trust}: ${report.signal.label}, p₀ = ${percent(c.inControlRate)}, odds ratio ${c.oddsRatio}, threshold h = ${number(c.threshold)}`;
  const id = nextId('cusum');
  const summary = signalled.length
    ? `The chart crossed h in ${signalled.map((p) => p.month).join(', ')}.`
    : 'The chart has not crossed h in this range.';
  const canvas = h('canvas', { role: 'img', tabindex: 0, 'aria-label': `Line chart: ${title}. ${summary} Months younger than ${c.maturityMonths} months are not charted. The table below has every figure.` });
  output.append(h('section', { class: 'chart-panel', 'aria-labelledby': id },
    h('h3', { id }, title),
    h('p', { class: signalled.length ? 'summary alarm' : 'summary', 'data-testid': 'cusum-summary' }, summary),
    h('ul', { class: 'legend-list', 'aria-label': 'Legend' },
      h('li', {}, h('span', { class: 'swatch blue' }), 'S at the end of the month'),
      h('li', {}, h('span', { class: 'marker triangle' }), 'highest S in the month'),
      h('li', {}, h('span', { class: 'swatch dashed vermillion' }), `threshold h = ${number(c.threshold)}`)),
    h('div', { class: 'chart-box' }, canvas),
    h('p', { class: 'chart-help' }, `Started at 0 at ${report.from}; resets to 0 after each signal. Cohort months are charted ${c.maturityMonths} months after they end.`)));
  const chart = createChart(canvas, {
    data: {
      labels: c.points.map((p) => p.month),
      datasets: [
        { type: 'line', label: 'S', data: c.points.map((p) => p.statistic), borderColor: palette.blue, backgroundColor: palette.blue, pointRadius: 3, borderWidth: 2, spanGaps: false },
        {
          type: 'line', label: 'highest S', data: c.points.map((p) => p.highest), showLine: false, pointStyle: c.points.map((p) => (p.signals > 0 ? 'rectRot' : 'triangle')),
          pointRadius: c.points.map((p) => (p.signals > 0 ? 8 : 4)), backgroundColor: c.points.map((p) => (p.signals > 0 ? palette.vermillion : palette.orange)), borderColor: palette.black, borderWidth: 1,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, suggestedMax: c.threshold * 1.2, title: { display: true, text: 'CUSUM statistic S' } }, x: { title: { display: true, text: 'cohort month' } } },
      plugins: {
        legend: { display: false },
        annotation: {
          annotations: {
            threshold: {
              type: 'line', yMin: c.threshold, yMax: c.threshold, borderColor: palette.vermillion, borderWidth: 2, borderDash: [8, 4],
              label: { display: true, content: `h = ${number(c.threshold)}`, position: 'start', backgroundColor: 'rgba(255,255,255,0.9)', color: '#1b1b1b' },
            },
          },
        },
        tooltip: {
          callbacks: {
            label: (item) => {
              const p = c.points[item.dataIndex];
              return item.datasetIndex === 0
                ? `${fraction(p.events, p.patients)}; S = ${number(p.statistic, 3)}`
                : `highest ${number(p.highest, 3)}${p.signals ? ` (signalled ${p.signals}×)` : ''}`;
            },
          },
        },
      },
    },
  });
  keyboardPoints(chart, 0, (i) => {
    const p = c.points[i];
    return p.charted ? `${p.month}: ${fraction(p.events, p.patients)}, S = ${number(p.statistic, 3)}, highest ${number(p.highest, 3)}${p.signals ? ', signalled' : ''}` : `${p.month}: not charted yet`;
  }, context.announce);
  output.append(h('details', {}, h('summary', {}, 'Table of the CUSUM chart'), table({
    caption: `CUSUM values: ${title}`,
    columns: [
      { label: 'Month', value: (p) => p.month },
      { label: 'Events/patients', value: (p) => fraction(p.events, p.patients) },
      { label: 'S (end of month)', value: (p) => (p.charted ? number(p.statistic, 3) : 'not charted yet') },
      { label: 'Highest S', value: (p) => (p.charted ? number(p.highest, 3) : '–') },
      { label: 'Signals', value: (p) => p.signals },
    ],
    rows: c.points,
    rowClass: (p) => (p.signals > 0 ? 'highlight' : undefined),
  })));
}
